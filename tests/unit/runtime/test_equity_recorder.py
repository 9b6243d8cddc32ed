"""The paper engine records each account's equity at a bounded rate and at every fill."""

from __future__ import annotations

from decimal import Decimal
from itertools import islice
from pathlib import Path

from aitrader.core.account import Account
from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId
from aitrader.data.simulated_feed import RandomWalkBars
from aitrader.runtime.equity_recorder import EquityRecorder
from aitrader.runtime.paper import PaperNode, build_paper_node
from aitrader.storage.db import session_factory
from aitrader.storage.equity_history import EquityHistory
from aitrader.storage.migrate import upgrade_to_head
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.testkit.engine_factory import BTC, MINUTE_NS, btc_usdt
from aitrader.venues.simulated.fill_models import FeeModel

START = 1_700_000_000 * 1_000_000_000 // MINUTE_NS * MINUTE_NS
BARS = 600


class SteppingClock:
    """Wall time that advances by ``step_s`` each time it is read (one read per bar)."""

    def __init__(self, step_s: float) -> None:
        self.now = 0.0
        self.step_s = step_s

    def __call__(self) -> float:
        self.now += self.step_s
        return self.now


def _node() -> PaperNode:
    feed = islice(RandomWalkBars(BTC, 30_000.0, MINUTE_NS, START, seed=11), BARS)
    account = Account(AccountId("paper"), "SIM", "USDT", {"USDT": Decimal(100_000)})
    sma = SmaCross("sma", "paper", [BTC], {"fast": 5, "slow": 20, "quantity": "0.5"})
    return build_paper_node([account], [btc_usdt()], [sma], feed, START,
                            FeeModel(Decimal("0.0002"), Decimal("0.001")))


def _history(tmp_path: Path) -> EquityHistory:
    return EquityHistory(session_factory(upgrade_to_head(f"sqlite:///{tmp_path / 'e.db'}")))


def _run(tmp_path: Path, interval_s: float, step_s: float
         ) -> tuple[PaperNode, EquityRecorder, EquityHistory, set[int]]:
    history = _history(tmp_path)
    node = _node()
    recorder = EquityRecorder(node.engine, history, interval_s, monotonic=SteppingClock(step_s))
    fill_times: set[int] = set()
    node.engine.bus.subscribe(OrderFilled, lambda e: fill_times.add(e.ts_event))
    node.run(between_bars=recorder.after_bar)
    recorder.close()
    return node, recorder, history, fill_times


def test_a_snapshot_every_interval_plus_one_per_fill_with_exact_equity(tmp_path: Path) -> None:
    # a bar per second of wall time, a snapshot at most every 10 s
    node, recorder, history, fill_times = _run(tmp_path, interval_s=10.0, step_s=1.0)
    assert len(fill_times) > 5
    points = history.series("paper")
    assert fill_times <= {p.ts_ns for p in points}  # every fill
    # one per 10 bars, one at stop, and the fills between them
    assert BARS // 10 <= len(points) <= BARS // 10 + 1 + len(fill_times)
    assert [p.ts_ns for p in points] == sorted({p.ts_ns for p in points})
    pf = node.engine.portfolio
    account = pf.account(AccountId("paper"))
    last = points[-1]
    assert last.ts_ns == node.engine.clock.now_ns()
    assert last.equity == pf.equity(account.id)  # exact, not a float
    assert last.cash == account.cash("USDT") == last.equity - pf.unrealized_pnl(account.id, "USDT")
    assert recorder.pending == 0 and recorder.written >= len(points)


def test_writes_are_batched_so_the_database_sees_at_most_one_per_interval(tmp_path: Path) -> None:
    calls: list[int] = []
    history = _history(tmp_path)
    add = history.add
    history.add = lambda samples: calls.append(len(samples)) or add(samples)  # type: ignore[method-assign]
    node = _node()
    recorder = EquityRecorder(node.engine, history, 30.0, monotonic=SteppingClock(1.0))
    node.run(between_bars=recorder.after_bar)
    recorder.close()
    assert 1 <= len(calls) <= BARS // 30 + 2  # one transaction per 30 s, and one at stop
    assert recorder.written == sum(calls) >= len(history.series("paper"))


def test_a_zero_interval_records_after_every_bar(tmp_path: Path) -> None:
    _, _, history, _ = _run(tmp_path, interval_s=0.0, step_s=0.001)
    assert len(history.series("paper")) >= BARS


def test_a_database_outage_keeps_the_samples_for_the_next_write(tmp_path: Path) -> None:
    history = _history(tmp_path)
    node = _node()
    recorder = EquityRecorder(node.engine, history, 0.0)
    add = history.add

    def broken(samples: object) -> int:
        raise RuntimeError("database is away")

    history.add = broken  # type: ignore[method-assign,assignment]
    recorder.sample_all()
    assert recorder.flush() == 0 and recorder.pending == 1
    history.add = add  # type: ignore[method-assign]
    assert recorder.flush() == 1 and len(history.series("paper")) == 1
