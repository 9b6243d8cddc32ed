"""Fees and slippage of the simulated exchange (pluggable)."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from aitrader.core.enums import BUY, MAKER, LiquiditySide, OrderSide
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO


class FeeModel:
    """Maker/taker fee as a fraction of notional, paid in the quote currency."""

    __slots__ = ("maker", "taker")

    def __init__(self, maker: Decimal = ZERO, taker: Decimal = ZERO) -> None:
        self.maker = maker
        self.taker = taker

    def commission(
        self, instrument: Instrument, qty: Decimal, price: Decimal, liquidity: LiquiditySide
    ) -> Decimal:
        """Exact fee for one fill (no rounding: money is never lost to rounding here)."""
        rate = self.maker if liquidity is MAKER else self.taker
        return qty * price * instrument.multiplier * rate


class SlippageModel(Protocol):
    """Moves a taker fill price against the order."""

    def apply(self, instrument: Instrument, side: OrderSide, price: float) -> Decimal:
        """The slipped price, on the instrument's tick grid."""
        ...


class NoSlippage:
    """Fill at the reference price (rounded to tick)."""

    def apply(self, instrument: Instrument, side: OrderSide, price: float) -> Decimal:
        """The price, on the tick grid."""
        return instrument.make_price(price)


class FixedBpsSlippage:
    """A fixed number of basis points against the order, rounded to the tick against it too."""

    def __init__(self, bps: Decimal) -> None:
        if bps < ZERO:
            raise ValueError(f"slippage bps must be >= 0, was {bps}")
        self._factor = bps / Decimal(10_000)

    def apply(self, instrument: Instrument, side: OrderSide, price: float) -> Decimal:
        """Buy higher, sell lower, by ``bps``, then to the tick grid."""
        base = instrument.make_price(price)
        if not self._factor:
            return base
        slipped = base * (1 + self._factor) if side is BUY else base * (1 - self._factor)
        ticks = slipped / instrument.tick_size
        whole = ticks.to_integral_value(rounding="ROUND_CEILING" if side is BUY
                                        else "ROUND_FLOOR")
        return (whole * instrument.tick_size).quantize(instrument.tick_size.normalize())
