"""Book measures, walls and the impact model on small hand-made books."""

from __future__ import annotations

import itertools
import math

import pytest

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.errors import StrategyError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import BookLevel, QuoteTick, TradeTick
from aitrader.strategies.dom.book_metrics import (
    imbalance,
    liquidity_within_bps,
    microprice,
    walk_cost,
)
from aitrader.strategies.dom.impact import (
    ImpactObservation,
    ImpactSample,
    SqrtImpactModel,
    observe_impacts,
)
from aitrader.strategies.dom.walls import WallChange, WallDetector

IID = InstrumentId("BTC/USDT", "SIM")
BIDS = [BookLevel(99.0, 3.0), BookLevel(98.0, 1.0), BookLevel(97.0, 4.0)]
ASKS = [BookLevel(101.0, 1.0), BookLevel(102.0, 2.0), BookLevel(103.0, 5.0)]


def test_imbalance_compares_the_sizes_of_the_best_levels() -> None:
    assert imbalance(BIDS, ASKS, 1) == pytest.approx((3 - 1) / 4)
    assert imbalance(BIDS, ASKS, 2) == pytest.approx((4 - 3) / 7)
    assert imbalance(BIDS, ASKS, 10) == pytest.approx((8 - 8) / 16)
    assert imbalance([], [], 5) == 0.0
    with pytest.raises(StrategyError, match="imbalance levels must be >= 1, was 0"):
        imbalance(BIDS, ASKS, 0)


def test_microprice_leans_toward_the_thin_side() -> None:
    assert microprice(99.0, 3.0, 101.0, 1.0) == pytest.approx(100.5)  # (99*1 + 101*3) / 4
    assert microprice(99.0, 1.0, 101.0, 1.0) == 100.0


def test_liquidity_within_a_band_includes_its_edges() -> None:
    near = liquidity_within_bps(BIDS, ASKS, 100.0, 200.0)  # 98 .. 102
    assert (near.bid_qty, near.ask_qty) == (4.0, 3.0)
    assert (near.bid_notional, near.ask_notional) == (99 * 3 + 98.0, 101.0 + 204.0)


def test_walking_the_book_averages_the_levels_taken() -> None:
    w = walk_cost(ASKS, 2.5, 100.0, is_buy=True)
    assert (w.filled, w.levels_used, w.worst_price) == (2.5, 2, 102.0)
    assert w.avg_price == pytest.approx((101 + 1.5 * 102) / 2.5)
    assert w.cost_bps == pytest.approx((w.avg_price - 100) / 100 * 1e4)
    sell = walk_cost(BIDS, 4.0, 100.0, is_buy=False)
    assert sell.avg_price == pytest.approx((3 * 99 + 98) / 4)
    assert sell.cost_bps == pytest.approx((100 - sell.avg_price) / 100 * 1e4)
    short = walk_cost(ASKS, 10.0, 100.0, is_buy=True)
    assert not short.complete and short.filled == 8.0
    with pytest.raises(StrategyError, match="walk size must be > 0, was -1"):
        walk_cost(ASKS, -1, 100.0, is_buy=True)


def _levels(sizes: list[float], start: float, step: float) -> list[BookLevel]:
    return [BookLevel(start + i * step, s) for i, s in enumerate(sizes)]


def test_a_wall_appears_above_the_rolling_quantile_and_is_pulled_or_consumed() -> None:
    det = WallDetector(depth=3, window=10, quantile=0.9, min_multiple=3.0, min_samples=5)
    calm_b, calm_a = _levels([1, 1, 1], 99, -1), _levels([1, 1, 1], 101, 1)
    for t in range(5):
        assert det.update(t, calm_b, calm_a) == []  # learning the sizes; no threshold yet
    assert det.threshold is None
    bids = _levels([1, 9, 1], 99, -1)  # 9 at 98 >= max(q90 = 1, 3 x median 1)
    (ev,) = det.update(5, bids, calm_a)
    assert (ev.change, ev.wall.side, ev.wall.price, ev.wall.size) == (
        WallChange.APPEARED, BookSide.BID, 98.0, 9.0)
    assert ev.threshold == 3.0
    assert det.update(6, bids, calm_a) == []  # still there: no event
    (gone,) = det.update(7, calm_b, calm_a)  # shrank while the best bid stayed at 99
    assert gone.change is WallChange.PULLED
    det.update(8, bids, calm_a)
    (eaten,) = det.update(9, _levels([1, 1], 97, -1), calm_a)  # best bid fell to 97
    assert eaten.change is WallChange.CONSUMED


def test_a_wall_that_drifts_out_of_the_watched_depth_is_still_tracked() -> None:
    det = WallDetector(depth=2, window=10, quantile=0.5, min_multiple=3.0, min_samples=1)
    det.update(0, _levels([1, 1], 99, -1), _levels([1, 1], 101, 1))
    (ev,) = det.update(1, _levels([1, 9, 1], 99, -1), _levels([1, 1], 101, 1))
    assert ev.change is WallChange.APPEARED
    # price rose: two new bids above, the wall at 98 is now the fourth level and still 9
    assert det.update(2, _levels([1, 1, 1, 9], 101, -1), _levels([1, 1], 103, 1)) == []
    assert (BookSide.BID, 98.0) in det.walls


def test_the_impact_model_recovers_the_coefficient_it_was_generated_with() -> None:
    sigma, volume = 2.0, 10.0
    obs = [ImpactObservation(i, OrderSide.BUY, q, 0.7 * sigma * math.sqrt(q / volume))
           for i, q in enumerate([0.1, 0.5, 1.0, 4.0, 9.0])]
    model = SqrtImpactModel.calibrate(ImpactSample(obs, sigma, volume, 10**9))
    assert model.y == pytest.approx(0.7)
    assert model.r_squared == pytest.approx(1.0)
    assert model.impact_bps(2.5) == pytest.approx(0.7 * 2.0 * 0.5)
    with pytest.raises(StrategyError, match="at least one observation, got 0"):
        SqrtImpactModel.calibrate(ImpactSample([], sigma, volume, 10**9))


def test_observed_impact_is_the_signed_mid_move_after_one_taker_order() -> None:
    s = 10**9

    def quote(ts: int, mid: float) -> QuoteTick:
        return QuoteTick(IID, ts, ts, mid - 0.5, mid + 0.5, 1.0, 1.0)

    def trade(ts: int, side: OrderSide, size: float) -> TradeTick:
        return TradeTick(IID, ts, ts, 100.0, size, side)

    events = [quote(0, 100.0), trade(s, OrderSide.BUY, 1.0), trade(s + 1000, OrderSide.BUY, 2.0),
              quote(s + 2000, 100.1), trade(3 * s, OrderSide.SELL, 0.5), quote(3 * s + 10, 99.9),
              quote(5 * s, 99.9)]
    sample = observe_impacts(events, horizon_ns=s, burst_ns=5000)
    got = [(o.ts_ns, o.side, o.size, round(o.impact_bps, 6)) for o in sample.observations]
    # the two buys 1 us apart are one order of 3; the sell moved the mid 100.1 -> 99.9
    assert got == [(s, OrderSide.BUY, 3.0, 10.0), (3 * s, OrderSide.SELL, 0.5,
                                                    round(0.2 / 100.1 * 1e4, 6))]
    assert sample.volume_per_interval == pytest.approx(3.5 / 2)  # 3.5 traded over 2 s


def test_trailing_stats_sample_the_mid_once_a_second_and_count_the_window_volume() -> None:
    from aitrader.strategies.dom.market_stats import TrailingMarketStats

    s = 10**9
    stats = TrailingMarketStats(window_ns=10 * s, interval_ns=s)
    mids = [100.0, 100.1, 100.0, 100.2]
    for i, mid in enumerate(mids):
        stats.on_mid(i * s + 1, mid)
        stats.on_trade(i * s + 2, 0.5)

    def sd(xs: list[float]) -> float:
        ch = [(b - a) / a * 1e4 for a, b in itertools.pairwise(xs)]
        mean = sum(ch) / len(ch)
        return math.sqrt(sum((c - mean) ** 2 for c in ch) / (len(ch) - 1))

    # each second's boundary samples the mid seen before it: 100.0, 100.1, 100.0 so far
    assert stats.sigma_bps() == pytest.approx(sd(mids[:3]))
    stats.on_mid(4 * s + 1, 100.2)
    assert stats.sigma_bps() == pytest.approx(sd(mids))
    assert stats.volume_per_interval(4 * s + 1) == pytest.approx(2.0 / 4)  # 2.0 over 4 s
    stats.on_trade(30 * s, 1.0)  # the window now holds only this trade
    assert stats.volume_per_interval(30 * s) == pytest.approx(1.0 / 10)
