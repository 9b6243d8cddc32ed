"""The runtime's equity history keeps exact Decimals and thins long ranges by time buckets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine

from aitrader.storage.db import session_factory
from aitrader.storage.equity_history import EquityHistory, EquitySample

S = 1_000_000_000
T0 = 1_767_225_600 * S  # 2026-01-01T00:00:00Z


def _sample(i: int, account: str = "paper", equity: str | None = None) -> EquitySample:
    value = Decimal(equity) if equity is not None else Decimal("100000.000000000000000001") + i
    return EquitySample(account, T0 + i * S, value, Decimal("99999.5"))


def test_snapshots_come_back_exact_in_time_order_per_account(engine: Engine) -> None:
    history = EquityHistory(session_factory(engine))
    history.add([_sample(2), _sample(0), _sample(1), _sample(0, "other")])
    got = history.series("paper")
    assert [s.ts_ns for s in got] == [T0, T0 + S, T0 + 2 * S]
    assert got[0].equity == Decimal("100000.000000000000000001")
    assert got[0].cash == Decimal("99999.5")
    assert [s.account_id for s in history.series("other")] == ["other"]
    assert history.series("nobody") == []


def test_the_range_is_inclusive_at_both_ends(engine: Engine) -> None:
    history = EquityHistory(session_factory(engine))
    history.add([_sample(i) for i in range(10)])
    got = history.series("paper", start_ns=T0 + 3 * S, end_ns=T0 + 6 * S)
    assert [s.ts_ns for s in got] == [T0 + i * S for i in range(3, 7)]
    assert history.count("paper", T0 + 3 * S, T0 + 6 * S) == 4
    assert history.count("paper") == 10


def test_two_snapshots_at_one_time_give_one_point_the_later_written(engine: Engine) -> None:
    history = EquityHistory(session_factory(engine))
    history.add([_sample(0, equity="1"), _sample(1, equity="2")])
    history.add([_sample(1, equity="3")])
    assert [s.equity for s in history.series("paper")] == [Decimal(1), Decimal(3)]


def test_more_snapshots_than_the_limit_are_thinned_to_the_latest_of_each_time_bucket(
        engine: Engine) -> None:
    history = EquityHistory(session_factory(engine))
    history.add([_sample(i) for i in range(1_000)])
    got = history.series("paper", limit=10)
    # 1000 seconds in 10 buckets of 100 s: each bucket's last second
    assert [s.ts_ns for s in got] == [T0 + (100 * k + 99) * S for k in range(10)]
    assert got[-1].equity == Decimal("100999.000000000000000001")  # the newest is kept exactly
    assert len(history.series("paper", limit=999)) <= 999
    assert len(history.series("paper", limit=1_000)) == 1_000


def test_thinning_keeps_gaps_in_time_visible(engine: Engine) -> None:
    history = EquityHistory(session_factory(engine))
    dense = [_sample(i) for i in range(100)]  # the first 100 s ...
    late = [_sample(10_000 + i) for i in range(100)]  # ... and 100 s almost 3 hours later
    history.add(dense + late)
    got = history.series("paper", limit=20)
    assert len(got) == 2  # one bucket holds each burst: the quiet hours get no points
    assert [s.ts_ns for s in got] == [T0 + 99 * S, T0 + 10_099 * S]


def test_a_limit_below_one_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="limit must be >= 1, was 0"):
        EquityHistory(session_factory(engine)).series("paper", limit=0)
