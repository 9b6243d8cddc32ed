"""The kill switch and limits the API controls, behind a small interface.

Stand-in: the paper node's :class:`PreTradeRisk` (halt/resume, max positions, max order notional).
When the risk engine with circuit breakers lands, implement :class:`RiskControl` on it and hand
that to the service instead; the API does not change."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any, Protocol

from aitrader.core.errors import ConfigError
from aitrader.engine.trading_engine import TradingEngine
from aitrader.risk.config import RiskConfig
from aitrader.risk.pre_trade import PreTradeRisk


class RiskControl(Protocol):
    """What the API may do to risk. Every method runs on the engine thread."""

    def state(self, engine: TradingEngine) -> dict[str, Any]:
        """Kill switch and breaker state."""

    def limits(self) -> dict[str, Any]:
        """Configured limits (those enforced now and those only declared)."""

    def set_limits(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change enforced limits; ConfigError for a value out of bounds."""

    def engage(self, engine: TradingEngine, reason: str) -> dict[str, Any]:
        """Refuse new exposure and cancel working orders."""

    def release(self, engine: TradingEngine) -> dict[str, Any]:
        """Allow new exposure again."""


class PreTradeKillSwitch:
    """RiskControl on :class:`PreTradeRisk`: the halt flag is the kill switch."""

    ENFORCED = ("max_positions", "max_order_notional")

    def __init__(self, risk: PreTradeRisk, config: RiskConfig) -> None:
        self._risk = risk
        self._config = config
        self._engaged_ns: int | None = None
        self._cancelled = 0

    def state(self, engine: TradingEngine) -> dict[str, Any]:
        """Kill switch state; breakers are those the pre-trade checks have (the halt)."""
        halted = self._risk.halted_reason
        return {
            "kill_switch": {"engaged": halted is not None, "reason": halted,
                            "engaged_ns": self._engaged_ns,
                            "orders_cancelled": self._cancelled},
            "breakers": [{"name": "trading_halt", "tripped": halted is not None,
                          "reason": halted}],
            "denials": self._risk.denials,
            "open_orders": len(engine.orders.open_orders()),
        }

    def limits(self) -> dict[str, Any]:
        """Enforced limits first; the others are declared in trading.yml for the risk engine."""
        declared = self._config.model_dump(mode="json")
        declared["max_positions"] = self._risk.max_positions
        notional = self._risk.max_order_notional
        declared["max_order_notional"] = None if notional is None else str(notional)
        return {"limits": declared, "enforced": list(self.ENFORCED)}

    def set_limits(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply max_positions / max_order_notional; other keys are refused by name."""
        unknown = sorted(set(changes) - set(self.ENFORCED))
        if unknown:
            raise ConfigError(f"risk limits: only {', '.join(self.ENFORCED)} can be changed "
                              f"while running, got {', '.join(unknown)}")
        if changes.get("max_positions") is not None:  # null keeps the current limit
            value = int(changes["max_positions"])
            if not 1 <= value <= 10_000:
                raise ConfigError(f"max_positions must be >= 1 and <= 10000, was {value}")
            self._risk.max_positions = value
        if "max_order_notional" in changes:
            raw = changes["max_order_notional"]
            notional = None if raw is None else Decimal(str(raw))
            if notional is not None and notional <= 0:
                raise ConfigError(f"max_order_notional must be > 0 or null, was {notional}")
            self._risk.max_order_notional = notional
        return self.limits()

    def engage(self, engine: TradingEngine, reason: str) -> dict[str, Any]:
        """Halt, then ask the venue to cancel every working order."""
        self._risk.halt(reason)
        self._engaged_ns = time.time_ns()
        cancelled = 0
        for order in engine.orders.open_orders():
            engine.orders.cancel(order.client_order_id, f"kill switch: {reason}")
            cancelled += 1
        self._cancelled = cancelled
        return self.state(engine)

    def release(self, engine: TradingEngine) -> dict[str, Any]:
        """Resume."""
        self._risk.resume()
        self._engaged_ns = None
        return self.state(engine)
