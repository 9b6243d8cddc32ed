"""A net position in one instrument, average-cost accounting, long or short."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.enums import BUY, OrderSide
from aitrader.core.ids import InstrumentId
from aitrader.core.money import ZERO


class Position:
    """Signed quantity (short < 0), average entry price and realized P&L in quote currency."""

    __slots__ = (
        "avg_price",
        "instrument_id",
        "multiplier",
        "quantity",
        "realized_pnl",
        "ts_last",
        "ts_opened",
    )

    def __init__(self, instrument_id: InstrumentId, multiplier: Decimal = Decimal(1)) -> None:
        self.instrument_id = instrument_id
        self.multiplier = multiplier
        self.quantity = ZERO
        self.avg_price = ZERO
        self.realized_pnl = ZERO
        self.ts_opened = 0
        self.ts_last = 0

    @property
    def is_flat(self) -> bool:
        """True when no quantity is held."""
        return self.quantity == ZERO

    def apply_fill(self, side: OrderSide, qty: Decimal, price: Decimal, ts: int) -> Decimal:
        """Apply a fill and return the P&L it realized (before fees)."""
        signed = qty if side is BUY else -qty
        held = self.quantity
        realized = ZERO
        if held == ZERO:  # opens: the fill's price is the average
            total = signed
            self.avg_price = price
            self.ts_opened = ts
        elif (held > ZERO) == (signed > ZERO):
            total = held + signed
            self.avg_price = (self.avg_price * abs(held) + price * qty) / abs(total)
        else:
            closing = min(qty, abs(held))
            direction = 1 if held > ZERO else -1
            realized = (price - self.avg_price) * closing * direction * self.multiplier
            total = held + signed
            if total == ZERO:
                self.avg_price = ZERO
            elif (total > ZERO) != (held > ZERO):  # flipped: the rest opens at the fill price
                self.avg_price = price
                self.ts_opened = ts
        self.quantity = total
        self.realized_pnl += realized
        self.ts_last = ts
        return realized

    def unrealized_pnl(self, mark: Decimal) -> Decimal:
        """P&L if the position were closed at ``mark``."""
        if self.quantity == ZERO:
            return ZERO
        return (mark - self.avg_price) * self.quantity * self.multiplier

    def notional(self, mark: Decimal) -> Decimal:
        """Absolute market value at ``mark``."""
        return abs(self.quantity) * mark * self.multiplier

    def __repr__(self) -> str:
        return f"Position({self.instrument_id} qty={self.quantity} avg={self.avg_price})"
