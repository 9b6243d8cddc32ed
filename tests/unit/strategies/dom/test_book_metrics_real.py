"""DOM measures on the real Binance spot BTCUSDT feed (2024-08-08 23:54 → 08-09 00:05 UTC),
checked against a book rebuilt here independently from the raw file with the standard
library (json + dicts + heapq) and Binance's documented diff-depth rules."""

from __future__ import annotations

import gzip
import heapq
import json
from pathlib import Path

import numpy as np
import pytest

from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot
from aitrader.core.order_book import OrderBook
from aitrader.storage.book_files import BookFeed
from aitrader.strategies.dom.book_metrics import (
    book_microprice,
    imbalance,
    liquidity_within_bps,
    walk_cost,
)

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
BTC = InstrumentId("BTC/USDT", "BINANCE")
MOMENTS = (1000, 3000, 6000)
FILES = ("binance_spot_btcusdt_20240808.gz", "binance_spot_btcusdt_20240809.gz")


def _files(shared_data: Path) -> list[Path]:
    return [shared_data / "orderbook/hftbacktest" / f for f in FILES]


@pytest.fixture(scope="module")
def feed(spot_feed: BookFeed) -> BookFeed:
    return spot_feed


@pytest.fixture(scope="module")
def reference(shared_data: Path) -> list[tuple[int, list[tuple[float, float]],
                                               list[tuple[float, float]]]]:
    """(receive ns, best 50 bids, best 50 asks) after the snapshot and after every diff (whole
    sides at MOMENTS)."""
    bids: dict[float, float] = {}
    asks: dict[float, float] = {}
    pending: list[dict] = []
    last_u: int | None = None
    out = []

    def apply(d: dict) -> None:
        for book, key in ((bids, "b"), (asks, "a")):
            for p, q in d[key]:
                if float(q) == 0:
                    book.pop(float(p), None)
                else:
                    book[float(p)] = float(q)

    def top() -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        deep = len(out) in MOMENTS  # whole sides at the moments the band/walk tests look at
        b = sorted(bids.items(), reverse=True) if deep else heapq.nlargest(50, bids.items())
        a = sorted(asks.items()) if deep else heapq.nsmallest(50, asks.items())
        return b, a

    for path in _files(shared_data):
        with gzip.open(path, "rt") as fh:
            for line in fh:
                ts_text, body = line.split(" ", 1)
                msg = json.loads(body)
                if "lastUpdateId" in msg:
                    bids = {float(p): float(q) for p, q in msg["bids"]}
                    asks = {float(p): float(q) for p, q in msg["asks"]}
                    last_u = msg["lastUpdateId"]
                    for d in pending:
                        if d["u"] > last_u:
                            apply(d)
                            last_u = d["u"]
                    out.append((int(ts_text), *top()))
                    continue
                if "@depth" not in msg["stream"]:
                    continue
                d = msg["data"]
                if last_u is None:
                    pending.append(d)
                elif d["u"] > last_u:
                    assert d["U"] == last_u + 1  # contiguous spot diff chain
                    apply(d)
                    last_u = d["u"]
                    out.append((int(ts_text), *top()))
    return out


@pytest.fixture(scope="module")
def ours(feed: BookFeed) -> dict[str, list]:
    """Our loader + OrderBook + measures after the snapshot and every diff, in one pass."""
    book = OrderBook(BTC)
    got: dict[str, list] = {k: [] for k in ("ts", "imb5", "imb20", "micro", "mid", "near",
                                            "walk")}
    for ev in feed.events:
        if isinstance(ev, OrderBookSnapshot):
            book.apply_snapshot(ev)
        elif isinstance(ev, OrderBookDeltas):
            book.apply_deltas(ev)
        else:
            continue
        bids, asks = book.bids(20), book.asks(20)
        got["ts"].append(ev.ts_init)
        got["imb5"].append(imbalance(bids, asks, 5))
        got["imb20"].append(imbalance(bids, asks, 20))
        got["micro"].append(book_microprice(bids, asks))
        if len(got["ts"]) - 1 in MOMENTS:
            mid = book.mid()
            assert mid is not None
            got["mid"].append(mid)
            got["near"].append(liquidity_within_bps(book.bids(), book.asks(), mid, 5.0))
            got["walk"].append([walk_cost(book.asks(), size, mid, is_buy=True)
                                for size in (0.5, 5.0)])
    return got


def test_the_loader_applies_the_documented_diff_chain(feed: BookFeed) -> None:
    # 6,495 depth messages: 3 arrived before the snapshot and are inside it, 6,492 apply
    assert (feed.snapshots, feed.diffs_applied, feed.diffs_dropped) == (1, 6492, 0)
    assert (feed.trades, feed.quotes) == (19903, 73171)


def test_imbalance_and_microprice_series_match_the_independent_book(
        ours: dict[str, list], reference: list) -> None:
    assert ours["ts"] == [ts for ts, _, _ in reference]
    ref5, ref20, ref_micro = [], [], []
    for _, rb, ra in reference:
        b5, a5 = sum(q for _, q in rb[:5]), sum(q for _, q in ra[:5])
        b20, a20 = sum(q for _, q in rb[:20]), sum(q for _, q in ra[:20])
        ref5.append((b5 - a5) / (b5 + a5))
        ref20.append((b20 - a20) / (b20 + a20))
        (bp, bq), (ap, aq) = rb[0], ra[0]
        ref_micro.append((bp * aq + ap * bq) / (bq + aq))
    np.testing.assert_allclose(ours["imb5"], ref5, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours["imb20"], ref20, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours["micro"], ref_micro, rtol=1e-15)
    # what the series looks like: it swings between one-sided books both ways
    assert min(ours["imb5"]) < -0.9 and max(ours["imb5"]) > 0.9


def test_liquidity_near_mid_and_walk_cost_match_at_three_moments(
        ours: dict[str, list], reference: list) -> None:
    for j, k in enumerate(MOMENTS):
        _, rb, ra = reference[k]
        mid = (rb[0][0] + ra[0][0]) / 2
        assert ours["mid"][j] == mid
        near = ours["near"][j]
        assert rb[-1][0] < mid * (1 - 5e-4) and ra[-1][0] > mid * (1 + 5e-4)
        assert near.bid_qty == pytest.approx(
            sum(q for p, q in rb if p >= mid * (1 - 5e-4)), abs=1e-9)
        assert near.ask_qty == pytest.approx(
            sum(q for p, q in ra if p <= mid * (1 + 5e-4)), abs=1e-9)
        for size, walk in zip((0.5, 5.0), ours["walk"][j], strict=True):
            left, cost = size, 0.0
            for p, q in ra:
                take = min(q, left)
                cost += take * p
                left -= take
                if left <= 0:
                    break
            assert walk.complete
            assert walk.avg_price == pytest.approx(cost / size, rel=1e-13)
            assert walk.cost_bps == pytest.approx((cost / size - mid) / mid * 1e4, abs=1e-7)
            assert walk.cost_bps > 0
