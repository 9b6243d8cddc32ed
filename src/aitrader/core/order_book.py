"""A mutable L2 order book built from snapshots and deltas, owned by whoever feeds it."""

from __future__ import annotations

from bisect import bisect_left, insort

from aitrader.core.enums import BID, BUY, OrderSide
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import BookLevel, OrderBookDeltas, OrderBookSnapshot


class OrderBook:
    """L2 book of one instrument; read its state through the methods, change it by applying data.

    Sizes live in a dict per side and the prices in a sorted list per side (kept by bisect),
    so the best levels and ``bids(depth)`` cost O(depth), not a sort of the whole side: full
    Binance books hold thousands of levels and are read on every update.
    """

    __slots__ = ("_ask_px", "_asks", "_bid_px", "_bids", "instrument_id", "sequence",
                 "ts_event")

    def __init__(self, instrument_id: InstrumentId) -> None:
        self.instrument_id = instrument_id
        self._bids: dict[float, float] = {}
        self._asks: dict[float, float] = {}
        self._bid_px: list[float] = []  # ascending: the best bid is the last
        self._ask_px: list[float] = []  # ascending: the best ask is the first
        self.sequence = 0
        self.ts_event = 0

    def apply_snapshot(self, snap: OrderBookSnapshot) -> None:
        """Replace the book with a snapshot."""
        self._bids = {lvl.price: lvl.size for lvl in snap.bids if lvl.size > 0}
        self._asks = {lvl.price: lvl.size for lvl in snap.asks if lvl.size > 0}
        self._bid_px = sorted(self._bids)
        self._ask_px = sorted(self._asks)
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
            bid = d.side is BID
            side = self._bids if bid else self._asks
            prices = self._bid_px if bid else self._ask_px
            if d.size == 0:
                if side.pop(d.price, None) is not None:
                    del prices[bisect_left(prices, d.price)]
            else:
                if d.price not in side:
                    insort(prices, d.price)
                side[d.price] = d.size
        self.sequence = batch.sequence or self.sequence
        self.ts_event = batch.ts_event

    def bids(self, depth: int | None = None) -> list[BookLevel]:
        """Bid levels, best (highest) first."""
        px = self._bid_px
        top = px[::-1] if depth is None else px[:-depth - 1:-1] if depth > 0 else []
        bids = self._bids
        return [BookLevel(p, bids[p]) for p in top]

    def asks(self, depth: int | None = None) -> list[BookLevel]:
        """Ask levels, best (lowest) first."""
        asks = self._asks
        return [BookLevel(p, asks[p]) for p in self._ask_px[:depth]]

    def best_bid(self) -> float | None:
        """Highest bid price, or None when the side is empty."""
        return self._bid_px[-1] if self._bid_px else None

    def best_ask(self) -> float | None:
        """Lowest ask price, or None when the side is empty."""
        return self._ask_px[0] if self._ask_px else None

    def mid(self) -> float | None:
        """Mid price, or None when either side is empty."""
        bid, ask = self.best_bid(), self.best_ask()
        return None if bid is None or ask is None else (bid + ask) / 2.0

    def levels_for(self, side: OrderSide) -> list[BookLevel]:
        """The levels an aggressive order on ``side`` would consume (asks for a buy)."""
        return self.asks() if side is BUY else self.bids()

    def is_crossed(self) -> bool:
        """True when best bid >= best ask (a broken feed)."""
        bid, ask = self.best_bid(), self.best_ask()
        return bid is not None and ask is not None and bid >= ask
