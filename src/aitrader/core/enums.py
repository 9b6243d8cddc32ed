"""Enumerations of the trading domain."""

from __future__ import annotations

from enum import StrEnum


class OrderSide(StrEnum):
    """Buy or sell."""

    BUY = "BUY"
    SELL = "SELL"

    @property
    def sign(self) -> int:
        """+1 for a buy, -1 for a sell."""
        return 1 if self is OrderSide.BUY else -1

    def opposite(self) -> OrderSide:
        """The other side."""
        return OrderSide.SELL if self is OrderSide.BUY else OrderSide.BUY


class OrderType(StrEnum):
    """How an order executes."""

    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP = "STOP"
    STOP_LIMIT = "STOP_LIMIT"
    TRAILING_STOP = "TRAILING_STOP"


class TimeInForce(StrEnum):
    """How long an order lives."""

    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"
    DAY = "DAY"


class OrderStatus(StrEnum):
    """Where an order is in its life; moves only through the transition table."""

    INITIALIZED = "INITIALIZED"
    DENIED = "DENIED"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    TRIGGERED = "TRIGGERED"
    PENDING_UPDATE = "PENDING_UPDATE"
    PENDING_CANCEL = "PENDING_CANCEL"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"

    @property
    def is_closed(self) -> bool:
        """True once the order can never change again."""
        return self in _CLOSED

    @property
    def is_open(self) -> bool:
        """True while the venue may still fill the order."""
        return self in _OPEN


_CLOSED = frozenset(
    {OrderStatus.DENIED, OrderStatus.REJECTED, OrderStatus.FILLED, OrderStatus.CANCELED,
     OrderStatus.EXPIRED}
)
_OPEN = frozenset(
    {OrderStatus.ACCEPTED, OrderStatus.TRIGGERED, OrderStatus.PENDING_UPDATE,
     OrderStatus.PENDING_CANCEL, OrderStatus.PARTIALLY_FILLED}
)


class AssetClass(StrEnum):
    """What kind of thing an instrument is."""

    CRYPTO = "CRYPTO"
    EQUITY = "EQUITY"
    FX = "FX"
    FUTURE = "FUTURE"
    CFD = "CFD"
    INDEX = "INDEX"
    COMMODITY = "COMMODITY"


class LiquiditySide(StrEnum):
    """Whether a fill added (maker) or took (taker) liquidity."""

    MAKER = "MAKER"
    TAKER = "TAKER"


class AccountType(StrEnum):
    """CASH accounts cannot borrow (leverage 1, no naked shorts); MARGIN accounts can."""

    CASH = "CASH"
    MARGIN = "MARGIN"


class BookSide(StrEnum):
    """Side of an order book."""

    BID = "BID"
    ASK = "ASK"
