"""Market data values: bars, trade ticks, quotes and L2 book snapshots/deltas (floats, UTC ns)."""

from __future__ import annotations

import msgspec

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.ids import InstrumentId


class Bar(msgspec.Struct, frozen=True, gc=False):
    """One OHLCV bar: ``ts_event`` is its open time, ``ts_init`` its close time (when known)."""

    instrument_id: InstrumentId
    ts_event: int
    ts_init: int
    open: float
    high: float
    low: float
    close: float
    volume: float


class TradeTick(msgspec.Struct, frozen=True, gc=False):
    """One trade printed on the venue; ``aggressor`` is the taker's side."""

    instrument_id: InstrumentId
    ts_event: int
    ts_init: int
    price: float
    size: float
    aggressor: OrderSide
    trade_id: str = ""


class QuoteTick(msgspec.Struct, frozen=True, gc=False):
    """Best bid and ask."""

    instrument_id: InstrumentId
    ts_event: int
    ts_init: int
    bid: float
    ask: float
    bid_size: float
    ask_size: float


class BookLevel(msgspec.Struct, frozen=True, gc=False):
    """One price level of a book side."""

    price: float
    size: float


class OrderBookSnapshot(msgspec.Struct, frozen=True, gc=False):
    """Full L2 book: bids best (highest) first, asks best (lowest) first."""

    instrument_id: InstrumentId
    ts_event: int
    ts_init: int
    bids: tuple[BookLevel, ...]
    asks: tuple[BookLevel, ...]
    sequence: int = 0


class BookDelta(msgspec.Struct, frozen=True, gc=False):
    """Set a level's size; size 0 removes the level."""

    side: BookSide
    price: float
    size: float


class OrderBookDeltas(msgspec.Struct, frozen=True, gc=False):
    """A batch of level changes applied atomically."""

    instrument_id: InstrumentId
    ts_event: int
    ts_init: int
    deltas: tuple[BookDelta, ...]
    sequence: int = 0


MarketData = Bar | TradeTick | QuoteTick | OrderBookSnapshot | OrderBookDeltas
