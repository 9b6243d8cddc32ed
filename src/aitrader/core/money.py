"""Exact money: the single place where a float becomes a Decimal."""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Final

ZERO: Final = Decimal(0)  # Final: compiled modules read a C static, not a dict lookup
ONE: Final = Decimal(1)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert to Decimal through the shortest repr, so 0.1 becomes Decimal('0.1'), not 0.1000…5."""
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):  # type: ignore[arg-type]  # kind is float
            raise ValueError(f"a finite number is required, was {value!r}")
        return Decimal(repr(value))
    if kind is Decimal:
        return value  # type: ignore[return-value]  # kind is Decimal
    if isinstance(value, float):  # float subclasses such as numpy.float64
        return to_decimal(float(value))
    if isinstance(value, int | str):
        return Decimal(value)
    # other real numbers (numpy's integer and float32 scalars, Fraction): by their int or float
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, numbers.Real):
        return to_decimal(float(value))
    raise TypeError(f"a number is required, was {type(value).__name__} {value!r}")
