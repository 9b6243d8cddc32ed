"""The engine as its risk monitor sees it: working orders, the bus, and the kill switch."""

from __future__ import annotations

from collections.abc import Sequence

from aitrader.core.order import Order
from aitrader.engine.bus import MessageBus
from aitrader.engine.kill_switch import KillSwitch
from aitrader.engine.order_manager import OrderManager


class EngineRiskHooks:
    """Implements RiskHooks over the order manager, the bus and the kill switch."""

    __slots__ = ("_bus", "_kill", "_orders")

    def __init__(self, orders: OrderManager, bus: MessageBus, kill: KillSwitch) -> None:
        self._orders = orders
        self._bus = bus
        self._kill = kill

    def open_orders(self) -> Sequence[Order]:
        return self._orders.open_orders()

    def publish(self, event: object) -> None:
        self._bus.publish(event)

    def flatten(self, scope: str, reason: str) -> None:
        self._kill.flatten(scope, reason)
