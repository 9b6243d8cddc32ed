"""What we know of each order at the exchange, and the events a newer report implies.

Exchanges report an order's cumulative filled quantity, average price and fee. A fill is the
step between two reports: its trade id is ``<venue order id>:<cumulative filled>``, the same
whoever observes the step (the live poller or the reconciliation after a restart), so the
engine's trade-id deduplication applies each step once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.money import ZERO
from aitrader.core.ports import FillReport, OrderReport

_PX_EXP = Decimal("1e-12")


def fill_trade_id(venue_order_id: str, cumulative: Decimal) -> str:
    """The deterministic trade id of the fill that brought an order to ``cumulative``."""
    return f"{venue_order_id}:{cumulative.normalize()}"


@dataclass(slots=True)
class TrackedOrder:
    """One of our orders at the exchange: ids, terms, and the last state we delivered."""

    client_order_id: ClientOrderId
    venue_client_id: str
    instrument_id: InstrumentId
    side: OrderSide
    quantity: Decimal
    account_id: AccountId
    strategy_id: StrategyId
    venue_order_id: str | None = None
    filled: Decimal = ZERO
    notional: Decimal = ZERO  # filled × average price so far
    fee: Decimal = ZERO
    fee_currency: str = ""
    closed: bool = False

    def seed(self, filled: Decimal, avg_px: Decimal | None, fee: Decimal) -> None:
        """Start from what the engine already applied (after a restart)."""
        self.filled = filled
        self.notional = ZERO if avg_px is None else filled * avg_px
        self.fee = fee

    def step(self, report: OrderReport, fee: Decimal | None, fee_currency: str,
             ts_ns: int) -> FillReport | None:
        """The fill between our last state and ``report`` (None when nothing new filled)."""
        if report.filled_qty <= self.filled or report.venue_order_id == "":
            return None
        qty = report.filled_qty - self.filled
        if report.avg_px is not None:
            notional = report.filled_qty * report.avg_px
            price = ((notional - self.notional) / qty).quantize(_PX_EXP).normalize()
        elif report.price is not None:
            notional = self.notional + qty * report.price
            price = report.price
        else:
            return None  # no price to book: wait for a report that has one
        commission = ZERO if fee is None else max(fee - self.fee, ZERO)
        fill = FillReport(
            fill_trade_id(report.venue_order_id, report.filled_qty), report.venue_order_id,
            self.client_order_id, self.instrument_id, self.side, qty, price, commission,
            fee_currency or self.fee_currency or self.instrument_id.symbol.split("/")[-1],
            LiquiditySide.TAKER, ts_ns,
        )
        self.filled = report.filled_qty
        self.notional = notional
        if fee is not None:
            self.fee = max(fee, self.fee)
        return fill

    def close_if_final(self, status: OrderStatus) -> bool:
        """Mark the order done when the report is terminal; True the first time."""
        if self.closed or not status.is_closed:
            return False
        self.closed = True
        return True
