"""Walls and the square-root impact model on the real Binance feeds (3a in the data README)."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from aitrader.core.enums import BookSide
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot
from aitrader.core.order_book import OrderBook
from aitrader.storage.book_files import BookFeed
from aitrader.strategies.dom.impact import SqrtImpactModel, observe_impacts
from aitrader.strategies.dom.walls import WallChange, WallDetector, WallEvent

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
BTC = InstrumentId("BTC/USDT", "BINANCE")


@pytest.fixture(scope="module")
def futures(futures_feed: BookFeed) -> BookFeed:
    return futures_feed


def test_every_wall_tops_the_quantile_of_the_sizes_seen_before_it(futures: BookFeed) -> None:
    depth, window = 10, 100
    det = WallDetector(depth=depth, window=window, quantile=0.99, min_multiple=3.0,
                       min_samples=window)
    book = OrderBook(BTC)
    history: deque[list[float]] = deque(maxlen=window)
    events: list[WallEvent] = []
    checked = 0
    for ev in futures.events:
        if isinstance(ev, OrderBookSnapshot):
            book.apply_snapshot(ev)
        elif isinstance(ev, OrderBookDeltas):
            book.apply_deltas(ev)
        else:
            continue
        bids, asks = book.bids(5 * depth), book.asks(5 * depth)
        new = det.update(ev.ts_init, bids, asks)
        if len(history) == window:
            sizes = np.array([s for look in history for s in look])
            expected = max(float(np.quantile(sizes, 0.99)), 3.0 * float(np.median(sizes)))
            for e in new:
                assert e.threshold == pytest.approx(expected, rel=1e-12)
                if e.change is WallChange.APPEARED:
                    levels = bids if e.wall.side is BookSide.BID else asks
                    assert e.wall.size >= expected
                    assert e.wall.price in [lvl.price for lvl in levels[:depth]]
                    checked += 1
        else:
            assert new == []
        history.append([lvl.size for lvl in bids[:depth]] + [lvl.size for lvl in asks[:depth]])
        events += new
    kinds = {k: sum(e.change is k for e in events) for k in WallChange}
    # walls come and go all the time in a BTC perpetual book: each appeared one is followed
    # once it leaves, and both endings occur
    assert checked == kinds[WallChange.APPEARED] > 50
    assert kinds[WallChange.PULLED] > 10 and kinds[WallChange.CONSUMED] > 10
    assert kinds[WallChange.PULLED] + kinds[WallChange.CONSUMED] <= kinds[WallChange.APPEARED]


def test_the_square_root_impact_coefficient_calibrated_on_the_futures_trades(
        futures: BookFeed) -> None:
    sample = observe_impacts(futures.events)
    model = SqrtImpactModel.calibrate(sample)
    obs = sample.observations
    # one observation per taker order whose 1 s horizon lies inside the feed
    assert 3000 < len(obs) < futures.trades
    # recompute the least-squares coefficient with numpy's solver
    x = sample.sigma_bps * np.sqrt(np.array([o.size for o in obs]) / sample.volume_per_interval)
    y_ref = np.linalg.lstsq(x[:, None], np.array([o.impact_bps for o in obs]), rcond=None)[0]
    assert model.y == pytest.approx(float(y_ref[0]), rel=1e-10)
    # a coefficient of order one, as the square-root law predicts; single orders are noisy
    assert 0.2 < model.y < 2.0
    assert 0 < model.r_squared < 0.5
    assert sample.sigma_bps == pytest.approx(1.3, abs=0.3)  # ~1 bp per second on BTC
    # doubling the size by four doubles the predicted impact
    assert model.impact_bps(4.0) == pytest.approx(2 * model.impact_bps(1.0))
