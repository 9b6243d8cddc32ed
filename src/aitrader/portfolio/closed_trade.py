"""A closed round-trip trade (a frozen msgspec struct: kept out of the mypyc-compiled modules,
which would drop its ``frozen``/``gc`` class options)."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from aitrader.core.enums import OrderSide
from aitrader.core.ids import InstrumentId, StrategyId


class ClosedTrade(msgspec.Struct, frozen=True, gc=False):
    """One round trip. Prices are quantity-weighted averages; pnl is before fees."""

    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    quantity: Decimal
    entry_ts_ns: int
    entry_price: Decimal
    exit_ts_ns: int
    exit_price: Decimal
    pnl: Decimal
    fees: Decimal

    @property
    def net_pnl(self) -> Decimal:
        """P&L after fees."""
        return self.pnl - self.fees
