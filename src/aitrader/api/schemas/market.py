"""Prices, bars and books."""

from __future__ import annotations

from pydantic import BaseModel, Field


class BarPublic(BaseModel):
    """One OHLCV bar (floats: market data is not money)."""

    instrument_id: str
    ts_event: int = Field(description="open time, UTC ns")
    ts_init: int = Field(description="close time, UTC ns")
    open: float
    high: float
    low: float
    close: float
    volume: float


class MarketSnapshot(BaseModel):
    """The latest bar and mark of an instrument."""

    instrument_id: str
    last: BarPublic | None
    mark_price: float | None
    bars_seen: int


class HistoricalBars(BaseModel):
    """Recent bars, oldest first."""

    instrument_id: str
    timeframe: str
    bars: list[BarPublic]


class DepthLevel(BaseModel):
    """One price level."""

    price: float
    size: float


class DepthPublic(BaseModel):
    """The L2 book (``available`` is false when the feed carries bars only)."""

    instrument_id: str
    available: bool
    bids: list[DepthLevel]
    asks: list[DepthLevel]
    mark_price: float | None
    ts_event: int
