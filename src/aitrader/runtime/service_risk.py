"""The kill switch and limits the API controls, behind a small interface
(implemented on the risk engine by ``service_risk_engine.RiskEngineControl``)."""

from __future__ import annotations

from typing import Any, Protocol

from aitrader.engine.trading_engine import TradingEngine


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
