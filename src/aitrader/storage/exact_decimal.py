"""An exact Decimal column: NUMERIC(38, 18) on PostgreSQL, decimal text on SQLite.

SQLite has no decimal type and SQLAlchemy's Numeric goes through float there, which would lose
money; storing the text keeps every digit. (SQL arithmetic on these columns is not used.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """Decimal in, the same Decimal out, on every supported database."""

    impl = Numeric(38, 18)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Text on SQLite, NUMERIC elsewhere."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(38, 18, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        """Store exactly."""
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money columns take Decimal, got {type(value).__name__}")
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Read back without the padding zeros NUMERIC adds."""
        if value is None:
            return None
        dec = Decimal(value) if not isinstance(value, Decimal) else value
        if dec == dec.to_integral_value():
            return dec.quantize(Decimal(1))
        return dec.normalize()
