"""SMC structures on a real slice: Binance BTCUSDT 1m, 2024-03-05 15:00-15:29 UTC (30 bars,
the first leg of that day's drop from the 69,000 high), swing lookback 2.

The expectations were worked out by hand from the printed bars (index: open high low close):

     0 68710.41 68788.00 68194.43 68755.27 | 15 68317.15 68330.87 68127.33 68204.44
     1 68755.26 68832.14 68747.26 68809.99 | 16 68204.44 68384.76 68200.00 68327.14
     2 68810.00 68886.00 68781.67 68868.29 | 17 68327.14 68425.00 68271.85 68360.40
     3 68868.30 68888.00 68845.00 68886.79 | 18 68360.40 68381.10 68016.80 68095.26
     4 68886.80 69000.00 68530.00 68549.95 | 19 68095.26 68183.27 67934.97 68031.70
     5 68543.09 68554.99 67100.00 67597.08 | 20 68031.69 68059.14 67729.84 67807.77
     6 67559.44 68193.01 67276.71 68083.97 | 21 67807.77 68018.49 67807.76 67978.26
     7 68083.98 68104.97 67809.10 67919.59 | 22 67978.25 68050.00 67891.11 68032.62
     8 67919.58 68170.84 67919.58 67990.42 | 23 68032.62 68041.43 67800.00 67821.10
     9 67990.42 68130.00 67862.69 67862.70 | 24 67821.10 67872.44 67473.53 67512.97
    10 67862.71 67931.10 67673.26 67924.14 | 25 67512.96 67710.00 67486.55 67541.11
    11 67924.14 67976.05 67775.24 67841.10 | 26 67541.12 67760.00 67541.11 67714.38
    12 67841.10 68067.25 67806.74 68060.74 | 27 67714.38 67735.71 67371.11 67384.17
    13 68060.74 68200.00 68017.95 68200.00 | 28 67384.17 67520.00 67314.62 67389.87
    14 68199.99 68418.75 68172.39 68317.14 | 29 67389.87 67397.77 67080.45 67170.01
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.strategies.smc.analyzer import SmcResult, SmcSettings, analyze
from aitrader.strategies.smc.structures import BreakKind, Direction

pytestmark = pytest.mark.realdata
BULL, BEAR = Direction.BULLISH, Direction.BEARISH


def _slice(shared_data: Path, start: str, end: str) -> pd.DataFrame:
    df = pd.read_parquet(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")
    return df[(df.open_time >= start) & (df.open_time < end)].reset_index(drop=True)


@pytest.fixture(scope="module")
def bars(shared_data: Path) -> pd.DataFrame:
    return _slice(shared_data, "2024-03-05 15:00", "2024-03-05 15:30")


@pytest.fixture(scope="module")
def result(bars: pd.DataFrame) -> SmcResult:
    settings = SmcSettings(swing_lookback=2, atr_period=5, zone_leg_atr_mult=1.0)
    return analyze(bars.open, bars.high, bars.low, bars.close, settings)


def test_the_slice_is_the_one_printed_above(bars: pd.DataFrame) -> None:
    assert len(bars) == 30
    assert bars.iloc[4][["open", "high", "low", "close"]].tolist() == [
        68886.80, 69000.00, 68530.00, 68549.95]
    assert bars.iloc[29].close == 67170.01


def test_swings_are_the_hand_checked_ones(result: SmcResult) -> None:
    # 4: 69000 tops 68886/68888 before and 68554.99/68193.01 after; 5: 67100 under 68845/68530
    # and 67276.71/67809.10; 10: 67673.26 under 67919.58/67862.69 and 67775.24/67806.74;
    # 14: 68418.75 over 68067.25/68200 and 68330.87/68384.76; 17: 68425 over 68330.87/68384.76
    # and 68381.10/68183.27; 20: 67729.84 under 68016.80/67934.97 and 67807.76/67891.11;
    # 24: 67473.53 under 67891.11/67800 and 67486.55/67541.11. Each is known 2 bars later.
    got = [(s.index, s.confirmed_index, s.price, s.is_high) for s in result.swings]
    assert got == [
        (4, 6, 69000.00, True), (5, 7, 67100.00, False), (10, 12, 67673.26, False),
        (14, 16, 68418.75, True), (17, 19, 68425.00, True), (20, 22, 67729.84, False),
        (24, 26, 67473.53, False),
    ]


def test_two_bearish_breaks_of_structure_and_no_change_of_character(result: SmcResult) -> None:
    # The reference low is 67729.84 (swing 20, known at 22): bar 24 closes 67512.97 below it,
    # the first break of all, so a BOS. Swing 24 (67473.53, known at 26) becomes the reference
    # and bar 27 closes 67384.17 below it: a BOS again (the trend is already bearish). No
    # close ever exceeds a reference high (69000, then 68418.75, then 68425).
    got = [(b.index, b.kind, b.direction, b.level) for b in result.breaks]
    assert got == [(24, BreakKind.BOS, BEAR, 67729.84), (27, BreakKind.BOS, BEAR, 67473.53)]


def test_order_blocks_are_the_last_up_candles_before_each_drop(result: SmcResult) -> None:
    # Break at 24 of swing 20: the highest high of bars 21..24 is 68050.00 (bar 22), and bar 22
    # is an up candle (67978.25 -> 68032.62): the block is its range. Break at 27 of swing 24:
    # bars 25..27 peak at 67760.00 (bar 26, up 67541.12 -> 67714.38). Neither is revisited:
    # the highs after the breaks stay below 67891.11 and, after 27, below 67541.11.
    got = [(o.index, o.break_index, o.direction, o.bottom, o.top, o.mitigated_index,
            o.invalidated_index) for o in result.order_blocks]
    assert got == [(22, 24, BEAR, 67891.11, 68050.00, None, None),
                   (26, 27, BEAR, 67541.11, 67760.00, None, None)]


def test_fair_value_gaps_and_how_they_were_filled(result: SmcResult) -> None:
    # e.g. 3: low 68845 > high[1] 68832.14, bar 4 trades through it at once; 13: low 68017.95 >
    # high[11] 67976.05, bar 18 (low 68016.80) enters it, bar 19 (67934.97) fills it;
    # 6: high 68193.01 < low[4] 68530, bar 13's high 68200 enters it, nothing fills it.
    got = [(g.index, g.direction, g.bottom, g.top, g.touched_index, g.filled_index)
           for g in result.gaps]
    assert got == [
        (3, BULL, 68832.14, 68845.00, 4, 4), (5, BEAR, 68554.99, 68845.00, None, None),
        (6, BEAR, 68193.01, 68530.00, 13, None), (13, BULL, 67976.05, 68017.95, 18, 19),
        (14, BULL, 68067.25, 68172.39, 15, 18), (19, BEAR, 68183.27, 68271.85, None, None),
        (24, BEAR, 67872.44, 67891.11, None, None), (25, BEAR, 67710.00, 67800.00, 26, None),
        (28, BEAR, 67520.00, 67541.11, None, None),
    ]


def test_the_supply_zone_left_by_bar_18(bars: pd.DataFrame, result: SmcResult) -> None:
    # Bar 18 drops 265.14 (68360.40 -> 68095.26), more than the ATR(5) of bars 0..17; its base
    # is bar 17 alone (body 33.26 <= half its range 153.15; bar 16's body 123 is 0.67 of its
    # range, not a base candle). The zone is bar 17's range.
    atr = _wilder_atr(bars, 5)
    assert abs(68360.40 - 68095.26) >= atr[17]
    got = [(z.index, z.base_start, z.base_end, z.direction, z.bottom, z.top, z.touched_index)
           for z in result.zones]
    assert got == [(18, 17, 17, BEAR, 68271.85, 68425.00, None)]


def test_sweeps_take_liquidity_and_close_back(result: SmcResult) -> None:
    # 17: high 68425 > swing high 68418.75 and close 68360.40 back below; 29: low 67080.45 <
    # swing low 67100 and close 67170.01 back above. Bars 24 and 27 go through lows and close
    # beyond them (taken, not swept).
    got = [(s.index, s.direction, s.swing.price) for s in result.sweeps]
    assert got == [(17, BEAR, 68418.75), (29, BULL, 67100.00)]


def test_the_last_close_is_deep_in_discount_of_the_dealing_range(result: SmcResult) -> None:
    # Latest swing high 68425 (17); latest swing low 67473.53 (24), stretched to bar 29's low.
    rng = result.ranges[-1]
    assert rng is not None
    assert (rng.low, rng.high) == (67080.45, 68425.00)
    assert rng.is_discount(67170.01)
    assert rng.position(67170.01) == pytest.approx((67170.01 - 67080.45) / (68425 - 67080.45))
    assert result.ranges[6] is None  # no swing low known yet


def test_a_day_of_bars_agrees_with_a_brute_force_swing_and_gap_search(shared_data: Path) -> None:
    day = _slice(shared_data, "2024-03-05", "2024-03-06")
    h, lo = day.high.to_numpy(), day.low.to_numpy()
    n = 5
    res = analyze(day.open, day.high, day.low, day.close, SmcSettings(swing_lookback=n))
    highs = [c for c in range(n, len(h) - n)
             if h[c] > h[c - n:c].max() and h[c] >= h[c + 1:c + n + 1].max()]
    lows = [c for c in range(n, len(lo) - n)
            if lo[c] < lo[c - n:c].min() and lo[c] <= lo[c + 1:c + n + 1].min()]
    assert [s.index for s in res.swings if s.is_high] == highs
    assert [s.index for s in res.swings if not s.is_high] == lows
    bull = np.flatnonzero(lo[2:] > h[:-2]) + 2
    bear = np.flatnonzero(h[2:] < lo[:-2]) + 2
    assert [g.index for g in res.gaps] == sorted([*bull.tolist(), *bear.tolist()])
    assert len(res.breaks) > 20  # a volatile day has plenty of structure


def _wilder_atr(bars: pd.DataFrame, period: int) -> np.ndarray:
    h, lo, c = bars.high.to_numpy(), bars.low.to_numpy(), bars.close.to_numpy()
    tr = h - lo
    tr[1:] = np.maximum(h[1:], c[:-1]) - np.minimum(lo[1:], c[:-1])
    out = np.full(len(tr), np.nan)
    out[period - 1] = tr[:period].mean()
    for i in range(period, len(tr)):
        out[i] = out[i - 1] + (tr[i] - out[i - 1]) / period
    return out
