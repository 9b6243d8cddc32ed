"""The simulator's own record of an order it is working."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.enums import DAY
from aitrader.core.order import Order

_DAY_NS = 86_400 * 1_000_000_000


class WorkingOrder:
    """What the simulator tracks beyond the order's terms: trigger and trailing state."""

    __slots__ = ("aggressive", "deadline_ns", "eligible_from_ns", "extreme", "order", "seq",
                 "triggered", "venue_order_id")

    def __init__(self, order: Order, seq: int, venue_order_id: str, eligible_from_ns: int,
                 aggressive: bool, extreme: float | None) -> None:
        self.order = order
        self.seq = seq
        self.venue_order_id = venue_order_id
        self.eligible_from_ns = eligible_from_ns
        self.aggressive = aggressive
        self.triggered = False
        self.extreme = extreme
        # when its time in force runs out (0: never): DAY orders at the next UTC midnight
        deadline = order.expire_ns
        if order.time_in_force is DAY:
            deadline = (order.ts_init // _DAY_NS + 1) * _DAY_NS
        self.deadline_ns = deadline

    @property
    def leaves(self) -> Decimal:
        """Quantity still to fill (read from the order the engine owns)."""
        return self.order.leaves_qty
