"""The API's RiskControl on the full risk engine: breaker state, limits, kill switch.

The kill switch is the engine's emergency flatten (cancel every working order, close every
position) plus a manual halt that only an explicit release lifts."""

from __future__ import annotations

from typing import Any

from aitrader.core.errors import ConfigError
from aitrader.engine.trading_engine import TradingEngine
from aitrader.risk.config import RiskConfig
from aitrader.risk.risk_engine import RiskEngine

_MANUAL = "manual"
_ALL = "all"


class RiskEngineControl:
    """RiskControl over :class:`RiskEngine`; every method runs on the engine thread."""

    def __init__(self, risk: RiskEngine) -> None:
        self._risk = risk
        self._last_kill: dict[str, Any] | None = None

    def state(self, engine: TradingEngine) -> dict[str, Any]:
        """Kill switch, every active halt, and how many orders the checks denied."""
        active = self._risk.breakers.active
        manual = next((t for t in active if t.breaker == _MANUAL and t.scope == _ALL), None)
        return {
            "kill_switch": {
                "engaged": manual is not None,
                "reason": None if manual is None else manual.reason,
                "engaged_ns": None if manual is None else manual.ts_event,
                "orders_cancelled": 0 if self._last_kill is None
                else self._last_kill["orders_canceled"],
                "closing_orders": 0 if self._last_kill is None
                else self._last_kill["closing_orders"],
            },
            "breakers": [
                {"name": t.breaker, "tripped": True, "reason": t.reason, "scope": t.scope,
                 "since_ns": t.ts_event, "until_ns": t.until_ns or None}
                for t in active
            ],
            "denials": sum(self._risk.denials.values()),
            "open_orders": len(engine.orders.open_orders()),
        }

    def limits(self) -> dict[str, Any]:
        """The configured limits; all of them are enforced by the risk engine."""
        declared = self._risk.config.model_dump(mode="json")
        return {"limits": declared, "enforced": sorted(declared)}

    def set_limits(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Validate the changed limits as a whole config, then put them in force."""
        merged = {**self._risk.config.model_dump(), **changes}
        try:
            config = RiskConfig.model_validate(merged)
        except ValueError as exc:
            raise ConfigError(f"risk limits: {exc}") from None
        self._risk.update_limits(config)
        return self.limits()

    def engage(self, engine: TradingEngine, reason: str) -> dict[str, Any]:
        """Halt everything and flatten every account; pressing it again is harmless."""
        event = engine.kill(reason)
        self._last_kill = {"orders_canceled": event.orders_canceled,
                           "closing_orders": event.closing_orders}
        return self.state(engine)

    def release(self, engine: TradingEngine) -> dict[str, Any]:
        """Lift the manual halt (breakers tripped by rules keep their own cool-downs)."""
        self._risk.reset(_MANUAL, None, "kill switch released")
        return self.state(engine)
