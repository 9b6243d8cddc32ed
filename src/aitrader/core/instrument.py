"""Instruments: what can be traded, and the tick/lot rules every price and quantity obeys."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal

from aitrader.core.enums import AssetClass
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import InstrumentId
from aitrader.core.money import ZERO, to_decimal


@dataclass(frozen=True, slots=True)
class Instrument:
    """A tradable contract with its precision and limits."""

    id: InstrumentId
    asset_class: AssetClass
    base_currency: str
    quote_currency: str
    tick_size: Decimal
    lot_size: Decimal
    min_quantity: Decimal = ZERO
    max_quantity: Decimal | None = None
    min_notional: Decimal = ZERO
    multiplier: Decimal = Decimal(1)
    _price_exp: Decimal = field(init=False, repr=False, compare=False)
    _qty_exp: Decimal = field(init=False, repr=False, compare=False)
    _tick_pow10: bool = field(init=False, repr=False, compare=False)
    _lot_pow10: bool = field(init=False, repr=False, compare=False)
    _price_scale: float = field(init=False, repr=False, compare=False)  # 1 / tick as a float

    def __post_init__(self) -> None:
        for name in ("tick_size", "lot_size", "multiplier"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or value <= 0:
                raise InvalidOrder(f"{name} of {self.id} must be a Decimal > 0, was {value!r}")
        if self.min_notional < 0 or self.min_quantity < 0:
            raise InvalidOrder(f"min_notional and min_quantity of {self.id} must be >= 0")
        object.__setattr__(self, "_price_exp", self.tick_size.normalize())
        object.__setattr__(self, "_qty_exp", self.lot_size.normalize())
        # a power-of-ten step (0.01, 1, 100) rounds with a single quantize: same result, faster
        object.__setattr__(self, "_tick_pow10", _is_pow10(self.tick_size))
        object.__setattr__(self, "_lot_pow10", _is_pow10(self.lot_size))
        exponent = self._price_exp.as_tuple().exponent
        object.__setattr__(self, "_price_scale", 10.0 ** -(exponent if isinstance(exponent, int)
                                                            else 0))

    @property
    def symbol(self) -> str:
        """The venue's symbol."""
        return self.id.symbol

    def make_price(self, value: float | int | str | Decimal) -> Decimal:
        """Round a price to the nearest tick (half-even) and give it the tick's precision."""
        if type(value) is float and self._tick_pow10:
            # a float within a millionth of a tick of a whole number of ticks (market data on
            # the grid) is that number of ticks whatever its repr: skip the string round trip
            scaled = value * self._price_scale
            if 0.0 < scaled < _EXACT_TICKS:
                whole = round(scaled)
                if abs(scaled - whole) < 1e-6:
                    # 10**e: exponent e; a context of its own, so a caller's lower precision
                    # cannot round it
                    return _EXACT.multiply(Decimal(whole), self._price_exp)
        price = to_decimal(value)
        if self._tick_pow10:
            return price.quantize(self._price_exp, ROUND_HALF_EVEN)  # positional: cheaper
        ticks = (price / self.tick_size).to_integral_value(rounding=ROUND_HALF_EVEN)
        return (ticks * self.tick_size).quantize(self._price_exp)

    def make_qty(self, value: float | int | str | Decimal) -> Decimal:
        """Round a quantity down to a whole number of lots (never trade more than asked)."""
        qty = to_decimal(value)
        if self._lot_pow10:
            return qty.quantize(self._qty_exp, ROUND_DOWN)
        lots = (qty / self.lot_size).to_integral_value(rounding=ROUND_DOWN)
        return (lots * self.lot_size).quantize(self._qty_exp)

    def is_on_tick(self, price: Decimal) -> bool:
        """True when the price is a whole number of ticks."""
        return (price % self.tick_size) == 0

    def is_on_lot(self, qty: Decimal) -> bool:
        """True when the quantity is a whole number of lots."""
        return (qty % self.lot_size) == 0

    def notional(self, qty: Decimal, price: Decimal) -> Decimal:
        """Value in quote currency of ``qty`` at ``price``."""
        return qty * price * self.multiplier


_EXACT = Context(prec=40)
_EXACT_TICKS = 2.0**40
"""Below this many ticks, a float's error in ticks (< 2**40 x 2**-53) cannot move it to another
tick than its nearest one: the fast path of make_price rounds as the exact one does."""


def _is_pow10(step: Decimal) -> bool:
    digits = step.normalize().as_tuple().digits
    return digits == (1,)
