"""Each SMC definition on small hand-made bars, and the closed-bar (no lookahead) property."""

from __future__ import annotations

import random
from typing import Any

import pytest

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.analyzer import SmcAnalyzer, SmcResult, SmcSettings, analyze
from aitrader.strategies.smc.structures import BreakKind, DealingRange, Direction

BULL, BEAR = Direction.BULLISH, Direction.BEARISH


def _run(rows: list[tuple[float, float, float, float]], **kw: Any) -> SmcResult:
    o, h, lo, c = (list(col) for col in zip(*rows, strict=True))
    return analyze(o, h, lo, c, SmcSettings(**kw))


def _closes(closes: list[float], wick: float = 0.5) -> list[tuple[float, float, float, float]]:
    """Bars opening at the previous close, wicks ``wick`` beyond the body."""
    rows, prev = [], closes[0]
    for c in closes:
        rows.append((prev, max(prev, c) + wick, min(prev, c) - wick, c))
        prev = c
    return rows


def test_a_swing_high_needs_lookback_bars_each_side_and_is_known_lookback_bars_later() -> None:
    res = _run(_closes([10, 11, 12, 11, 10, 9]), swing_lookback=2)
    highs = [(s.index, s.confirmed_index, s.price) for s in res.swings if s.is_high]
    assert highs == [(2, 4, 12.5)]


def test_of_two_equal_highs_only_the_first_is_a_swing() -> None:
    rows = [(1, 2, 0.5, 1.5), (1.5, 3, 1, 2), (2, 5, 1.5, 4), (4, 5, 3, 3.5), (3, 4, 2, 2.5),
            (2.5, 3, 1, 1.5)]
    res = _run(rows, swing_lookback=2)
    assert [s.index for s in res.swings if s.is_high] == [2]


def test_the_first_break_is_a_bos_and_a_break_against_the_trend_is_a_choch() -> None:
    # up to 12.5 (swing high), down to 8.5 (swing low), up through 12.5: bullish BOS; then a
    # swing high and a close below the swing low: bearish CHoCH.
    closes = [10, 11, 12, 11, 10, 9, 10, 11, 13, 14, 15, 14, 13, 12, 8, 7]
    res = _run(_closes(closes), swing_lookback=2)
    got = [(b.index, b.kind, b.direction, b.level) for b in res.breaks]
    assert got[0] == (8, BreakKind.BOS, BULL, 12.5)
    assert got[1][1:] == (BreakKind.CHOCH, BEAR, 8.5)
    assert got[1][0] == 14


def test_a_wick_through_the_swing_is_not_a_break() -> None:
    rows = _closes([10, 11, 12, 11, 10, 11])
    rows.append((11, 13, 10.5, 12.0))  # high 13 above swing 12.5, close 12 below it
    res = _run(rows, swing_lookback=2)
    assert res.breaks == []
    assert [(s.index, s.direction) for s in res.sweeps] == [(6, BEAR)]


def test_the_order_block_is_the_last_down_candle_before_the_up_move() -> None:
    closes = [10, 11, 12, 11, 10, 9, 10, 11, 13]
    res = _run(_closes(closes), swing_lookback=2)
    (ob,) = res.order_blocks
    # lowest low after the swing (bar 2) is bar 5 (close 9, low 8.5); bar 5 is a down candle
    assert (ob.index, ob.break_index, ob.direction, ob.bottom, ob.top) == (5, 8, BULL, 8.5, 10.5)


def test_an_order_block_is_mitigated_on_return_and_invalidated_by_a_close_beyond() -> None:
    closes = [10, 11, 12, 11, 10, 9, 10, 11, 13, 12, 11, 10.2, 8, 7]
    res = _run(_closes(closes, wick=0.1), swing_lookback=2)
    ob = res.order_blocks[0]
    assert (ob.bottom, ob.top) == (8.9, 10.1)
    assert ob.mitigated_index == 11  # low 10.1 reaches the top 10.1
    assert ob.invalidated_index == 12  # close 8 < bottom 8.9


def test_a_fair_value_gap_is_touched_then_filled() -> None:
    rows = [(10, 11, 9, 10.5), (10.5, 14, 10.5, 13.5), (13.5, 15, 12, 14.5),
            (14.5, 15, 11.5, 12), (12, 12.5, 10, 10.2)]
    res = _run(rows)
    (g,) = res.gaps
    assert (g.index, g.direction, g.bottom, g.top) == (2, BULL, 11, 12)
    assert (g.touched_index, g.filled_index) == (3, 4)


def test_gaps_below_the_minimum_size_are_ignored() -> None:
    rows = [(10, 11, 9, 10.5), (10.5, 14, 10.5, 13.5), (13.5, 15, 11.01, 14.5)]
    assert len(_run(rows).gaps) == 1
    assert _run(rows, fvg_min_size_frac=0.001).gaps == []  # 0.01 < 0.1% of 14.5


def test_a_demand_zone_is_the_base_before_a_strong_up_candle() -> None:
    rows = [(10, 10.6, 9.4, 10.2)] * 5  # ATR(3) = 1.2 ... then true ranges of 1.2
    rows += [(10.2, 10.5, 9.9, 10.1), (10.1, 10.4, 9.8, 10.0)]  # small bodies: the base
    rows += [(10.0, 12.2, 9.95, 12.0)]  # body 2.0 >= 1.5 x ATR before it
    res = _run(rows, atr_period=3)
    (z,) = res.zones
    assert (z.index, z.base_start, z.base_end, z.is_demand, z.bottom, z.top) == (
        7, 4, 6, True, 9.4, 10.6)


def test_a_close_below_a_demand_zone_invalidates_it() -> None:
    rows = [(10, 10.6, 9.4, 10.2)] * 5 + [(10.2, 10.5, 9.9, 10.1), (10.0, 12.2, 9.95, 12.0),
                                           (12, 12, 10.3, 10.5), (10.5, 10.5, 9, 9.2)]
    res = _run(rows, atr_period=3)
    (z,) = res.zones
    assert (z.touched_index, z.invalidated_index) == (7, 8)


def test_premium_and_discount_split_the_range_at_its_midpoint() -> None:
    rng = DealingRange(100.0, 200.0)
    assert rng.equilibrium == 150.0
    assert rng.is_premium(160) and not rng.is_discount(160)
    assert rng.is_discount(120) and rng.position(120) == pytest.approx(0.2)


def test_a_bar_whose_high_is_below_its_close_is_refused_with_the_rule() -> None:
    an = SmcAnalyzer()
    with pytest.raises(StrategyError, match=r"bar 0 is not consistent: low 9 .*high 10"):
        an.update(10, 10, 9, 11)


def test_settings_out_of_bounds_name_the_rule_and_value() -> None:
    with pytest.raises(StrategyError, match=r"swing lookback must be >= 1, was 0"):
        SmcAnalyzer(SmcSettings(swing_lookback=0))


def test_structures_known_at_a_bar_do_not_change_when_later_bars_are_added() -> None:
    rnd = random.Random(7)
    closes = [100.0]
    for _ in range(600):
        closes.append(closes[-1] * (1 + rnd.gauss(0, 0.004)))
    rows = _closes(closes, wick=0.2)
    full = _run(rows, swing_lookback=3)
    for cut in (150, 301, 450):
        part = _run(rows[:cut], swing_lookback=3)
        assert part.swings == [s for s in full.swings if s.confirmed_index < cut]
        assert part.breaks == [b for b in full.breaks if b.index < cut]
        assert [(g.index, g.top, g.bottom) for g in part.gaps] == [
            (g.index, g.top, g.bottom) for g in full.gaps if g.index < cut]
        assert [(o.index, o.break_index) for o in part.order_blocks] == [
            (o.index, o.break_index) for o in full.order_blocks if o.break_index < cut]
        assert part.sweeps == [s for s in full.sweeps if s.index < cut]
        assert part.ranges == full.ranges[:cut]
