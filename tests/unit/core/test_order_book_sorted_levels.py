"""The book's sorted price lists always agree with a plain dict model of the same updates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aitrader.core.enums import BookSide
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import BookDelta, BookLevel, OrderBookDeltas, OrderBookSnapshot
from aitrader.core.order_book import OrderBook

IID = InstrumentId("BTC/USDT", "SIM")
prices = st.integers(1, 40).map(lambda i: i / 4)
sizes = st.sampled_from([0.0, 0.0, 1.0, 2.5, 0.125])
change = st.tuples(st.sampled_from([BookSide.BID, BookSide.ASK]), prices, sizes)


def _check(snap_b: list[tuple[float, float]], snap_a: list[tuple[float, float]],
           batches: list[list[tuple[BookSide, float, float]]], depth: int) -> None:
    book = OrderBook(IID)
    book.apply_snapshot(OrderBookSnapshot(IID, 1, 1, tuple(BookLevel(p, s) for p, s in snap_b),
                                          tuple(BookLevel(p, s) for p, s in snap_a)))
    model = {BookSide.BID: {p: s for p, s in snap_b if s > 0},
             BookSide.ASK: {p: s for p, s in snap_a if s > 0}}
    for batch in batches:
        book.apply_deltas(OrderBookDeltas(IID, 2, 2, tuple(BookDelta(*c) for c in batch)))
        for side, p, s in batch:
            if s == 0:
                model[side].pop(p, None)
            else:
                model[side][p] = s
        bids = sorted(model[BookSide.BID].items(), reverse=True)
        asks = sorted(model[BookSide.ASK].items())
        assert book.bids() == [BookLevel(p, s) for p, s in bids]
        assert book.asks() == [BookLevel(p, s) for p, s in asks]
        assert book.bids(depth) == [BookLevel(p, s) for p, s in bids[:depth]]
        assert book.asks(depth) == [BookLevel(p, s) for p, s in asks[:depth]]
        assert book.best_bid() == (bids[0][0] if bids else None)
        assert book.best_ask() == (asks[0][0] if asks else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(prices, sizes), max_size=8), st.lists(st.tuples(prices, sizes),
       max_size=8), st.lists(st.lists(change, max_size=6), max_size=8), st.integers(0, 5))
def test_levels_best_prices_and_depth_follow_every_update(
        snap_b: list[tuple[float, float]], snap_a: list[tuple[float, float]],
        batches: list[list[tuple[BookSide, float, float]]], depth: int) -> None:
    _check(snap_b, snap_a, batches, depth)
