"""A mutable L2 order book built from snapshots and deltas, owned by whoever feeds it."""

from __future__ import annotations

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import BookLevel, OrderBookDeltas, OrderBookSnapshot


class OrderBook:
    """L2 book of one instrument; read its state through the methods, change it by applying data."""

    __slots__ = ("_asks", "_bids", "instrument_id", "sequence", "ts_event")

    def __init__(self, instrument_id: InstrumentId) -> None:
        self.instrument_id = instrument_id
        self._bids: dict[float, float] = {}
        self._asks: dict[float, float] = {}
        self.sequence = 0
        self.ts_event = 0

    def apply_snapshot(self, snap: OrderBookSnapshot) -> None:
        """Replace the book with a snapshot."""
        self._bids = {lvl.price: lvl.size for lvl in snap.bids if lvl.size > 0}
        self._asks = {lvl.price: lvl.size for lvl in snap.asks if lvl.size > 0}
        self.sequence = snap.sequence
        self.ts_event = snap.ts_event

    def apply_deltas(self, batch: OrderBookDeltas) -> None:
        """Apply level changes; a sequence that goes backwards is refused."""
        if batch.sequence and self.sequence and batch.sequence < self.sequence:
            raise DataError(
                f"book deltas for {self.instrument_id} went backwards: sequence {batch.sequence} "
                f"after {self.sequence}"
            )
        for d in batch.deltas:
            if d.size < 0:
                raise DataError(f"book level size must be >= 0, was {d.size} at {d.price}")
            side = self._bids if d.side is BookSide.BID else self._asks
            if d.size == 0:
                side.pop(d.price, None)
            else:
                side[d.price] = d.size
        self.sequence = batch.sequence or self.sequence
        self.ts_event = batch.ts_event

    def bids(self, depth: int | None = None) -> list[BookLevel]:
        """Bid levels, best (highest) first."""
        prices = sorted(self._bids, reverse=True)[:depth]
        return [BookLevel(p, self._bids[p]) for p in prices]

    def asks(self, depth: int | None = None) -> list[BookLevel]:
        """Ask levels, best (lowest) first."""
        prices = sorted(self._asks)[:depth]
        return [BookLevel(p, self._asks[p]) for p in prices]

    def best_bid(self) -> float | None:
        """Highest bid price, or None when the side is empty."""
        return max(self._bids) if self._bids else None

    def best_ask(self) -> float | None:
        """Lowest ask price, or None when the side is empty."""
        return min(self._asks) if self._asks else None

    def mid(self) -> float | None:
        """Mid price, or None when either side is empty."""
        bid, ask = self.best_bid(), self.best_ask()
        return None if bid is None or ask is None else (bid + ask) / 2.0

    def levels_for(self, side: OrderSide) -> list[BookLevel]:
        """The levels an aggressive order on ``side`` would consume (asks for a buy)."""
        return self.asks() if side is OrderSide.BUY else self.bids()

    def is_crossed(self) -> bool:
        """True when best bid >= best ask (a broken feed)."""
        bid, ask = self.best_bid(), self.best_ask()
        return bid is not None and ask is not None and bid >= ask
