"""Exact money: the single place where a float becomes a Decimal."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert to Decimal through the shortest repr, so 0.1 becomes Decimal('0.1'), not 0.1000…5."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"a finite number is required, was {value!r}")
        return Decimal(repr(value))
    return Decimal(value)
