"""Identifiers: instruments, orders, trades, strategies and accounts."""

from __future__ import annotations

from typing import NewType

import msgspec

from aitrader.core.errors import InvalidOrder

ClientOrderId = NewType("ClientOrderId", str)
VenueOrderId = NewType("VenueOrderId", str)
TradeId = NewType("TradeId", str)
StrategyId = NewType("StrategyId", str)
AccountId = NewType("AccountId", str)


class InstrumentId(msgspec.Struct, frozen=True, gc=False, cache_hash=True):
    """A symbol on a venue, written ``SYMBOL@VENUE`` (e.g. ``BTC/USDT@BINANCE``).

    A msgspec struct: hashing and equality run in C, which matters on every market data event;
    the hash is computed once and kept (every bar and order looks dicts up by it).
    """

    symbol: str
    venue: str

    def __post_init__(self) -> None:
        if not self.symbol or not self.venue:
            raise InvalidOrder(
                f"instrument id needs a symbol and a venue, was symbol={self.symbol!r} "
                f"venue={self.venue!r}"
            )
        if "@" in self.symbol or "@" in self.venue:
            raise InvalidOrder(f"'@' is not allowed in a symbol or venue, was {self.symbol!r}")

    def __str__(self) -> str:
        return f"{self.symbol}@{self.venue}"

    @classmethod
    def parse(cls, text: str) -> InstrumentId:
        """Parse ``SYMBOL@VENUE``."""
        symbol, sep, venue = text.rpartition("@")
        if not sep:
            raise InvalidOrder(f"instrument id must look like SYMBOL@VENUE, was {text!r}")
        return cls(symbol, venue)
