"""Enumerations of the trading domain."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


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


# Members as module constants for hot paths: Python 3.11's EnumType defines __getattr__, which
# routes every ``OrderSide.BUY`` through a slow attribute hook (~70 ns, and the interpreter
# cannot specialize it); a module constant loads in ~5 ns. Same objects, so ``is`` holds.
# Final: the mypyc-compiled modules read them as C statics, not through a dict lookup.
BUY: Final = OrderSide.BUY
SELL: Final = OrderSide.SELL
MARKET: Final = OrderType.MARKET
LIMIT: Final = OrderType.LIMIT
STOP: Final = OrderType.STOP
STOP_LIMIT: Final = OrderType.STOP_LIMIT
TRAILING_STOP: Final = OrderType.TRAILING_STOP
GTC: Final = TimeInForce.GTC
IOC: Final = TimeInForce.IOC
FOK: Final = TimeInForce.FOK
DAY: Final = TimeInForce.DAY
MAKER: Final = LiquiditySide.MAKER
TAKER: Final = LiquiditySide.TAKER
CASH: Final = AccountType.CASH
MARGIN: Final = AccountType.MARGIN
INITIALIZED: Final = OrderStatus.INITIALIZED
DENIED: Final = OrderStatus.DENIED
SUBMITTED: Final = OrderStatus.SUBMITTED
ACCEPTED: Final = OrderStatus.ACCEPTED
REJECTED: Final = OrderStatus.REJECTED
TRIGGERED: Final = OrderStatus.TRIGGERED
PENDING_UPDATE: Final = OrderStatus.PENDING_UPDATE
PENDING_CANCEL: Final = OrderStatus.PENDING_CANCEL
PARTIALLY_FILLED: Final = OrderStatus.PARTIALLY_FILLED
FILLED: Final = OrderStatus.FILLED
CANCELED: Final = OrderStatus.CANCELED
EXPIRED: Final = OrderStatus.EXPIRED
BID: Final = BookSide.BID
ASK: Final = BookSide.ASK
