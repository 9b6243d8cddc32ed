"""Lookahead guard: rerun a strategy on truncated history and report every decision that
changes when the future bars are removed.

A strategy that only uses the bars it has been given decides the same on bar ``t`` whether the
data ends at ``t`` or goes on for years. The check runs the backtest once on all bars, recording
each order the strategy submits or cancels (from ``on_bar`` and the other data hooks; ``on_stop``
is excluded because the end of data is its purpose), then again on ``bars[:cut]`` for cuts just
after recorded decisions and at evenly spaced points, and compares the decisions on bars before
each cut. Any difference is lookahead (or nondeterminism, which is as bad for a backtest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.order import Order
from aitrader.core.order_terms import Number, submit_command
from aitrader.core.ports import PositionSizing
from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.strategies.bar_indicators import BarIndicator, IndicatorSpec
from aitrader.strategies.base import Strategy
from aitrader.strategies.context import StrategyContext
from aitrader.strategies.registry import StrategyRegistry


@dataclass(frozen=True)
class Decision:
    """One order action of a strategy, on the close of bar ``bar``."""

    bar: int
    action: str  # "submit" or "cancel"
    detail: tuple[Any, ...]

    def describe(self) -> str:
        """Readable one-liner for reports."""
        return f"bar {self.bar}: {self.action} {' '.join(str(d) for d in self.detail if d)}"


@dataclass(frozen=True)
class DecisionChange:
    """A decision that differs between the full run and the run cut at ``cut`` bars."""

    cut: int
    bar: int
    full: Decision | None
    truncated: Decision | None


@dataclass
class LookaheadReport:
    """The outcome of one check."""

    strategy: str
    bars: int
    decisions: int
    cuts: list[int]
    changes: list[DecisionChange] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when no decision changed on any cut."""
        return not self.changes


class _RecordingContext:
    """The engine context, passed through, noting each order action with its bar."""

    def __init__(self, inner: StrategyContext, bar_of_close: dict[int, int],
                 log: list[Decision]) -> None:
        self._inner = inner
        self._bar_of_close = bar_of_close
        self._log = log
        self.stopping = False

    def _bar(self) -> int:
        return self._bar_of_close.get(self._inner.now_ns(), -1)

    def now_ns(self) -> int:
        return self._inner.now_ns()

    def next_order_id(self, strategy_id: StrategyId) -> ClientOrderId:
        return self._inner.next_order_id(strategy_id)

    def submit_order(self, cmd: SubmitOrder) -> Order:
        if not self.stopping:
            self._log.append(Decision(self._bar(), "submit", (
                cmd.client_order_id, cmd.side.value, cmd.order_type.value, cmd.quantity,
                cmd.price, cmd.trigger_price, cmd.trailing_offset, cmd.time_in_force.value,
                cmd.reduce_only, cmd.post_only, cmd.stop_loss, cmd.take_profit, cmd.tag)))
        return self._inner.submit_order(cmd)

    def submit_terms(
        self, strategy_id: StrategyId, account_id: AccountId, instrument_id: InstrumentId,
        side: OrderSide, order_type: OrderType, quantity: Number, price: Number | None,
        trigger_price: Number | None, trailing_offset: Number | None,
        time_in_force: TimeInForce, reduce_only: bool, post_only: bool,
        stop_loss: Number | None, take_profit: Number | None, tag: str,
    ) -> Order:
        return self.submit_order(submit_command(
            self.next_order_id(strategy_id), strategy_id, account_id,
            self.instrument(instrument_id), side, order_type, quantity, price, trigger_price,
            trailing_offset, time_in_force, reduce_only, post_only, stop_loss, take_profit, tag))

    def cancel_order(self, client_order_id: ClientOrderId) -> None:
        if not self.stopping:
            self._log.append(Decision(self._bar(), "cancel", (client_order_id,)))
        self._inner.cancel_order(client_order_id)

    def modify_order(self, client_order_id: ClientOrderId, quantity: Decimal | None = None,
                     price: Decimal | None = None, trigger_price: Decimal | None = None) -> None:
        if not self.stopping:
            self._log.append(Decision(self._bar(), "modify",
                                      (client_order_id, quantity, price, trigger_price)))
        self._inner.modify_order(client_order_id, quantity, price, trigger_price)

    def instrument(self, instrument_id: InstrumentId) -> Instrument:
        return self._inner.instrument(instrument_id)

    def position_quantity(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> Decimal:
        return self._inner.position_quantity(strategy_id, instrument_id)

    def open_orders(self, strategy_id: StrategyId) -> Sequence[Order]:
        return self._inner.open_orders(strategy_id)

    def equity(self, account_id: AccountId) -> Decimal:
        return self._inner.equity(account_id)

    def sizer(self) -> PositionSizing:
        return self._inner.sizer()

    def subscribe(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> None:
        self._inner.subscribe(strategy_id, instrument_id)

    def indicator(self, strategy_id: StrategyId, instrument_id: InstrumentId,
                  spec: IndicatorSpec) -> BarIndicator:
        return self._inner.indicator(strategy_id, instrument_id, spec)


def _recorded(cls: type[Strategy], bar_of_close: dict[int, int],
              log: list[Decision]) -> type[Strategy]:
    """A subclass of ``cls`` whose engine context records its decisions into ``log``."""

    def attach(self: Strategy, ctx: StrategyContext) -> None:
        recorder = _RecordingContext(ctx, bar_of_close, log)
        self.__dict__["_lookahead_recorder"] = recorder
        cls.attach(self, recorder)

    def on_stop(self: Strategy) -> None:
        self.__dict__["_lookahead_recorder"].stopping = True
        cls.on_stop(self)

    return type(cls.__name__, (cls,), {"attach": attach, "on_stop": on_stop, "name": cls.name})


def _decisions(registry: StrategyRegistry, strategy: str, bars: BarArrays,
               params: dict[str, Any], cash: Decimal, symbol: str) -> list[Decision]:
    bar_of_close = {int(t) + bars.timeframe_ns: i for i, t in enumerate(bars.ts_ns.tolist())}
    log: list[Decision] = []
    base, _, quote = symbol.partition("/")
    cls = _recorded(registry.get(strategy), bar_of_close, log)
    run_backtest(BacktestRequest(
        bars=bars, symbol=symbol, strategy=strategy, params=dict(params), starting_cash=cash,
        base_currency=base, quote_currency=quote, registry=StrategyRegistry([cls]),
    ))
    return log


def _choose_cuts(n: int, decisions: list[Decision], max_cuts: int, spaced: int) -> list[int]:
    """Just after sampled decisions (the decision bar is then the last bar seen) and at
    evenly spaced points."""
    bars = sorted({d.bar for d in decisions if 0 <= d.bar < n - 1})
    step = max(1, len(bars) // max(1, max_cuts))
    cuts = {b + 1 for b in bars[::step][:max_cuts]}
    cuts |= {n * (k + 1) // (spaced + 1) for k in range(spaced)}
    return sorted(c for c in cuts if 1 <= c < n)


def check_lookahead(strategy: str, bars: BarArrays, params: dict[str, Any] | None = None, *,
                    registry: StrategyRegistry | None = None, max_cuts: int = 12,
                    spaced_cuts: int = 4, cash: Decimal = Decimal(10) ** 9,
                    symbol: str = "BTC/USDT") -> LookaheadReport:
    """Compare the full run's decisions with those of runs on truncated history."""
    if len(bars) < 2:
        raise ValueError(f"the lookahead check needs at least 2 bars, was {len(bars)}")
    base, sep, quote = symbol.partition("/")
    if not sep or not base or not quote:
        raise ValueError(f"symbol must look like BASE/QUOTE, was {symbol!r}")
    if max_cuts < 0 or spaced_cuts < 0:
        raise ValueError(f"cut counts must be >= 0, were {max_cuts} and {spaced_cuts}")
    registry = registry or StrategyRegistry.default()
    params = params or {}
    full = _decisions(registry, strategy, bars, params, cash, symbol)
    cuts = _choose_cuts(len(bars), full, max_cuts, spaced_cuts)
    report = LookaheadReport(strategy, len(bars), len(full), cuts)
    for cut in cuts:
        short = _decisions(registry, strategy, bars.slice(0, cut), params, cash, symbol)
        before = [d for d in full if d.bar < cut]
        for i in range(max(len(before), len(short))):
            a = before[i] if i < len(before) else None
            b = short[i] if i < len(short) else None
            if a != b:
                bar = min(x.bar for x in (a, b) if x is not None)
                report.changes.append(DecisionChange(cut, bar, a, b))
                break  # later decisions follow from the first difference
    return report
