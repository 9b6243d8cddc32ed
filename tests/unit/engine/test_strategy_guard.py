"""A strategy that raises becomes a StrategyErrored event; the engine and the others go on."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core import events as ev
from aitrader.core.enums import OrderStatus
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.market_data import Bar
from aitrader.strategies.base import Strategy
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal


class Counter(Strategy):
    """Counts bars; buys 1 on its second bar."""

    def __init__(self, account_id: AccountId, iid: InstrumentId, name: str = "counter") -> None:
        super().__init__(name, account_id, [iid])
        self.bars: list[float] = []
        self.fills: list[ev.OrderFilled] = []

    def on_bar(self, bar: Bar) -> None:
        self.bars.append(bar.close)
        if len(self.bars) == 2:
            self.buy("1")

    def on_fill(self, fill: ev.OrderFilled) -> None:
        self.fills.append(fill)


class BrokenOnThirdBar(Counter):
    """Raises on its third bar."""

    def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
        super().__init__(account_id, iid, "broken")

    def on_bar(self, bar: Bar) -> None:
        super().on_bar(bar)
        if len(self.bars) == 3:
            raise ValueError(f"boom at {bar.close}")


class BrokenOnStart(Counter):
    def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
        super().__init__(account_id, iid, "broken-start")

    def on_start(self) -> None:
        raise RuntimeError("cannot start")


class BrokenOnFill(Counter):
    def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
        super().__init__(account_id, iid, "broken-fill")

    def on_fill(self, fill: ev.OrderFilled) -> None:
        raise KeyError("no such thing")


def errors_of(h: SimHarness) -> list[ev.StrategyErrored]:
    seen: list[ev.StrategyErrored] = []
    h.engine.bus.subscribe(ev.StrategyErrored, seen.append)
    return seen


def run_bars(h: SimHarness, closes: list[float]) -> None:
    for c in closes:
        h.bar(c, c + 1, c - 1, c)


def test_a_raise_in_on_bar_becomes_an_event_and_stops_only_that_strategy() -> None:
    h = make_sim_engine()
    errors = errors_of(h)
    broken = h.add(BrokenOnThirdBar)
    healthy = h.add(Counter)
    run_bars(h, [100, 101, 102])
    [error] = errors
    assert (error.strategy_id, error.callback) == ("broken", "on_bar")
    assert error.error == "ValueError: boom at 102"
    assert error.ts_event == h.clock.now_ns()
    assert not h.engine.strategies.is_running(broken.id)
    assert h.engine.strategies.is_running(healthy.id)
    run_bars(h, [103, 104])
    assert broken.bars == [100, 101, 102]  # type: ignore[attr-defined]
    assert healthy.bars == [100, 101, 102, 103, 104]  # type: ignore[attr-defined]
    assert len(errors) == 1


def test_the_engine_keeps_matching_and_booking_after_a_strategy_error() -> None:
    h = make_sim_engine()
    h.add(BrokenOnThirdBar)
    healthy = h.add(Counter)
    run_bars(h, [100, 101, 102, 103])
    # both bought 1 on bar 2 (filled at bar 3's open, 102) before one of them raised
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(2)
    assert [f.last_px for f in healthy.fills] == [D("102.00")]  # type: ignore[attr-defined]
    assert all(o.status is OrderStatus.FILLED for o in h.engine.orders.orders())


def test_a_strategy_placed_before_a_broken_one_still_gets_every_bar() -> None:
    h = make_sim_engine()
    first = h.add(Counter)
    h.add(BrokenOnThirdBar)
    run_bars(h, [100, 101, 102, 103, 104])
    assert first.bars == [100, 101, 102, 103, 104]  # type: ignore[attr-defined]


def test_a_raise_in_on_start_leaves_the_strategy_stopped() -> None:
    h = make_sim_engine()
    errors = errors_of(h)
    broken = h.add(BrokenOnStart)
    run_bars(h, [100, 101])
    assert [(e.callback, e.error) for e in errors] == [("on_start", "RuntimeError: cannot start")]
    assert broken.bars == []  # type: ignore[attr-defined]


def test_a_raise_in_on_fill_is_reported_but_the_fill_is_still_booked() -> None:
    h = make_sim_engine()
    errors = errors_of(h)
    h.add(BrokenOnFill)
    run_bars(h, [100, 101, 102])
    assert [(e.callback, e.error) for e in errors] == [("on_fill", "KeyError: 'no such thing'")]
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(1)
