"""The L2 order book: snapshots, deltas, best prices and the levels an order would take."""

from __future__ import annotations

import pytest

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import BookDelta, BookLevel, OrderBookDeltas, OrderBookSnapshot
from aitrader.core.order_book import OrderBook

IID = InstrumentId("BTC/USDT", "SIM")


def snapshot(bids: list[tuple[float, float]], asks: list[tuple[float, float]], seq: int = 1
             ) -> OrderBookSnapshot:
    return OrderBookSnapshot(IID, 10, 10, tuple(BookLevel(p, s) for p, s in bids),
                             tuple(BookLevel(p, s) for p, s in asks), seq)


def deltas(*changes: tuple[BookSide, float, float], seq: int = 0, ts: int = 20
           ) -> OrderBookDeltas:
    return OrderBookDeltas(IID, ts, ts, tuple(BookDelta(*c) for c in changes), seq)


@pytest.fixture
def book() -> OrderBook:
    b = OrderBook(IID)
    b.apply_snapshot(snapshot([(99.0, 2.0), (99.5, 1.0), (98.0, 0.0)],
                              [(101.0, 3.0), (100.5, 1.5)], seq=5))
    return b


def test_a_snapshot_orders_bids_high_to_low_and_asks_low_to_high_without_empty_levels(
    book: OrderBook,
) -> None:
    assert book.bids() == [BookLevel(99.5, 1.0), BookLevel(99.0, 2.0)]
    assert book.asks() == [BookLevel(100.5, 1.5), BookLevel(101.0, 3.0)]
    assert (book.sequence, book.ts_event) == (5, 10)


def test_best_prices_mid_and_depth(book: OrderBook) -> None:
    assert (book.best_bid(), book.best_ask(), book.mid()) == (99.5, 100.5, 100.0)
    assert book.asks(depth=1) == [BookLevel(100.5, 1.5)]
    assert not book.is_crossed()


def test_an_aggressive_buy_takes_asks_and_a_sell_takes_bids(book: OrderBook) -> None:
    assert book.levels_for(OrderSide.BUY) == book.asks()
    assert book.levels_for(OrderSide.SELL) == book.bids()


def test_deltas_set_add_and_remove_levels(book: OrderBook) -> None:
    book.apply_deltas(deltas((BookSide.BID, 99.5, 0.0), (BookSide.BID, 99.8, 4.0),
                             (BookSide.ASK, 101.0, 0.25), seq=6))
    assert book.bids() == [BookLevel(99.8, 4.0), BookLevel(99.0, 2.0)]
    assert book.asks() == [BookLevel(100.5, 1.5), BookLevel(101.0, 0.25)]
    assert (book.sequence, book.ts_event) == (6, 20)


def test_a_delta_batch_without_a_sequence_keeps_the_last_one(book: OrderBook) -> None:
    book.apply_deltas(deltas((BookSide.ASK, 100.5, 1.0)))
    assert book.sequence == 5


def test_a_sequence_that_goes_backwards_is_refused_and_changes_nothing(book: OrderBook) -> None:
    with pytest.raises(DataError, match="went backwards: sequence 4 after 5"):
        book.apply_deltas(deltas((BookSide.ASK, 100.5, 9.0), seq=4))
    assert book.asks()[0] == BookLevel(100.5, 1.5)


def test_a_negative_size_is_refused(book: OrderBook) -> None:
    with pytest.raises(DataError, match=r"size must be >= 0, was -1\.0 at 99\.0"):
        book.apply_deltas(deltas((BookSide.BID, 99.0, -1.0)))


def test_a_new_snapshot_replaces_every_level(book: OrderBook) -> None:
    book.apply_snapshot(snapshot([(90.0, 1.0)], [], seq=9))
    assert book.bids() == [BookLevel(90.0, 1.0)]
    assert book.asks() == []
    assert book.best_ask() is None
    assert book.mid() is None


def test_an_empty_book_has_no_prices() -> None:
    empty = OrderBook(IID)
    assert (empty.best_bid(), empty.best_ask(), empty.mid()) == (None, None, None)
    assert not empty.is_crossed()


def test_a_bid_at_or_above_the_ask_is_a_crossed_book(book: OrderBook) -> None:
    book.apply_deltas(deltas((BookSide.BID, 100.5, 1.0)))
    assert book.is_crossed()
