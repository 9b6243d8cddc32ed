"""Pre-trade risk: the hook every order passes before any venue sees it."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import BUY
from aitrader.core.money import ZERO
from aitrader.portfolio.portfolio import Portfolio


class PreTradeRisk:
    """Position-count, notional and halt checks; reduce-only orders always pass when not flat.

    Each denial names the rule and the values, e.g. ``max positions 10 reached (open: 10)``.
    """

    def __init__(
        self,
        portfolio: Portfolio,
        max_positions: int = 10,
        max_order_notional: Decimal | None = None,
    ) -> None:
        self._portfolio = portfolio
        self.max_positions = max_positions
        self.max_order_notional = max_order_notional
        self.halted_reason: str | None = None
        self.denials = 0

    def halt(self, reason: str) -> None:
        """Refuse every new exposure until :meth:`resume`."""
        self.halted_reason = reason

    def resume(self) -> None:
        """Allow new exposure again."""
        self.halted_reason = None

    def check(self, cmd: SubmitOrder) -> str | None:
        """Reason to deny, or None."""
        reason = self._reason(cmd)
        if reason is not None:
            self.denials += 1
        return reason

    def _reason(self, cmd: SubmitOrder) -> str | None:
        pf = self._portfolio
        held = pf.net_quantity(cmd.account_id, cmd.instrument_id)
        signed = cmd.quantity if cmd.side is BUY else -cmd.quantity
        against = held != ZERO and (held > ZERO) != (signed > ZERO)
        if against and (cmd.reduce_only or cmd.quantity <= abs(held)):
            return None  # reduces (a larger reduce-only order is capped by the venue)
        if cmd.reduce_only:
            return f"reduce-only order would not reduce the position (held {held})"
        if self.halted_reason is not None:
            return f"trading halted: {self.halted_reason}"
        if held == ZERO:
            open_positions = pf.open_position_count(cmd.account_id)
            if open_positions >= self.max_positions:
                return f"max positions {self.max_positions} reached (open: {open_positions})"
        if self.max_order_notional is not None:
            inst = pf.instrument(cmd.instrument_id)
            ref = cmd.price or cmd.trigger_price or pf.mark_decimal(cmd.instrument_id)
            if inst is not None and ref is not None:
                notional = inst.notional(cmd.quantity, ref)
                if notional > self.max_order_notional:
                    return (f"order notional {notional} exceeds the max {self.max_order_notional}")
        return None
