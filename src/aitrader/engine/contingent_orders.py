"""Bracket and OCO emulation on top of any venue: protective children follow their entry."""

from __future__ import annotations

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import LIMIT, STOP, TRAILING_STOP
from aitrader.core.errors import InvalidOrder
from aitrader.core.events import OrderFilled, PositionChanged
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.engine.order_manager import OrderManager


class ContingentOrders:
    """Creates stop-loss/take-profit children when an entry fills; keeps linked orders in sync.

    * Entry with ``stop_loss``/``take_profit`` fills (partly) → reduce-only children ``<id>-SL``
      (STOP) and ``<id>-TP`` (LIMIT) for the filled quantity, linked to each other (OCO);
      later partial fills of the entry grow the children.
    * A linked order fills completely → its open siblings are cancelled; partly → siblings shrink
      to the quantity still open, so protection never exceeds the position it protects.
    * An entry that carries ``trailing_offset`` (and is not itself a trailing stop) is protected
      by a TRAILING_STOP at that distance instead of a fixed stop.
    * The position shrinks by any other order (a partial close) → the stop and the take-profit
      children are cut, oldest first, to the position that is left; flat → cancelled.
    """

    def __init__(self, orders: OrderManager) -> None:
        self._orders = orders
        # protective children per (account, instrument), oldest first
        self._children: dict[tuple[AccountId, InstrumentId], list[ClientOrderId]] = {}

    @property
    def protects_anything(self) -> bool:
        """True once any protective child was created (else position changes need no sync)."""
        return bool(self._children)

    def on_fill(self, order: Order, fill: OrderFilled) -> None:
        """React to a fill of ``order``."""
        if order.stop_loss is not None or order.take_profit is not None:
            self._protect(order)
        if order.linked_order_ids:
            self._sync_siblings(order)

    def _protect(self, entry: Order) -> None:
        sl_id = ClientOrderId(f"{entry.client_order_id}-SL")
        tp_id = ClientOrderId(f"{entry.client_order_id}-TP")
        ids = tuple(i for i, lvl in ((sl_id, entry.stop_loss), (tp_id, entry.take_profit)) if lvl)
        # what the children already closed is no longer position to protect
        closed = sum((c.filled_qty for c in map(self._orders.get, ids) if c is not None), ZERO)
        for child_id in ids:
            child = self._orders.get(child_id)
            siblings = tuple(i for i in ids if i != child_id)
            if child is None:
                self._orders.submit(self._child(entry, child_id, siblings))
                key = (entry.account_id, entry.instrument_id)
                self._children.setdefault(key, []).append(child_id)
                continue
            # grow the protection to the open position (keeping what this child already filled)
            target = child.filled_qty + entry.filled_qty - closed
            if child.is_open and child.quantity < target:
                try:
                    self._orders.modify(child_id, quantity=target)
                except InvalidOrder:
                    continue  # pending cancel/update: the next fill will sync again

    def _child(self, entry: Order, child_id: ClientOrderId, siblings: tuple[ClientOrderId, ...]
               ) -> SubmitOrder:
        is_stop = child_id.endswith("-SL")
        trail = entry.trailing_offset if entry.order_type is not TRAILING_STOP else None
        if is_stop and trail is not None:
            return SubmitOrder(
                client_order_id=child_id, strategy_id=entry.strategy_id,
                account_id=entry.account_id, instrument_id=entry.instrument_id,
                side=entry.side.opposite(), order_type=TRAILING_STOP,
                quantity=entry.filled_qty, trailing_offset=trail, reduce_only=True,
                parent_order_id=entry.client_order_id, linked_order_ids=siblings,
                tag="trailing_stop",
            )
        return SubmitOrder(
            client_order_id=child_id,
            strategy_id=entry.strategy_id,
            account_id=entry.account_id,
            instrument_id=entry.instrument_id,
            side=entry.side.opposite(),
            order_type=STOP if is_stop else LIMIT,
            quantity=entry.filled_qty,
            price=None if is_stop else entry.take_profit,
            trigger_price=entry.stop_loss if is_stop else None,
            reduce_only=True,
            parent_order_id=entry.client_order_id,
            linked_order_ids=siblings,
            tag="stop_loss" if is_stop else "take_profit",
        )

    def _sync_siblings(self, order: Order) -> None:
        for sib_id in order.linked_order_ids:
            sib = self._orders.get(sib_id)
            if sib is None or not sib.is_open:
                continue
            if order.leaves_qty == 0:
                self._orders.cancel(sib_id, reason=f"OCO: {order.client_order_id} filled")
                continue
            remaining = sib.filled_qty + order.leaves_qty
            if remaining < sib.quantity:
                try:
                    self._orders.modify(sib_id, quantity=remaining)
                except InvalidOrder:
                    continue

    def on_position_changed(self, event: PositionChanged) -> None:
        """Cut protective children to the position left after a fill (a partial close)."""
        key = (event.account_id, event.instrument_id)
        ids = self._children.get(key)
        if not ids:
            return
        live = [o for o in map(self._orders.get, ids) if o is not None and o.is_open]
        self._children[key] = [o.client_order_id for o in live]
        held = abs(event.quantity)
        for is_stop in (True, False):
            room = held
            for child in (c for c in live if c.client_order_id.endswith("-SL") == is_stop):
                keep = min(child.leaves_qty, room)
                room -= keep
                try:
                    if keep == ZERO:
                        self._orders.cancel(child.client_order_id, reason="position closed")
                    elif keep < child.leaves_qty:
                        self._orders.modify(child.client_order_id,
                                            quantity=child.filled_qty + keep)
                except InvalidOrder:
                    continue  # pending cancel/update: the next change syncs again
