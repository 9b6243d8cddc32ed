"""Per-strategy attribution: each strategy's own positions, realized P&L and fees."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.events import OrderFilled
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.money import ZERO
from aitrader.core.position import Position


class StrategyLedger:
    """Virtual positions per (strategy, instrument), so P&L can be attributed to strategies."""

    def __init__(self) -> None:
        self._positions: dict[tuple[StrategyId, InstrumentId], Position] = {}
        self._fees: dict[StrategyId, Decimal] = {}

    def apply_fill(self, fill: OrderFilled, multiplier: Decimal) -> None:
        """Book a fill to the strategy that placed the order."""
        key = (fill.strategy_id, fill.instrument_id)
        pos = self._positions.get(key)
        if pos is None:
            pos = self._positions[key] = Position(fill.instrument_id, multiplier)
        pos.apply_fill(fill.side, fill.last_qty, fill.last_px, fill.ts_event)
        self._fees[fill.strategy_id] = self._fees.get(fill.strategy_id, ZERO) + fill.commission

    def position(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> Position | None:
        """The strategy's own position in an instrument."""
        return self._positions.get((strategy_id, instrument_id))

    def realized_pnl(self, strategy_id: StrategyId) -> Decimal:
        """Realized P&L of a strategy before fees (all instruments, summed in quote units)."""
        return sum(
            (p.realized_pnl for (sid, _), p in self._positions.items() if sid == strategy_id),
            ZERO,
        )

    def fees(self, strategy_id: StrategyId) -> Decimal:
        """Fees paid by a strategy."""
        return self._fees.get(strategy_id, ZERO)

    def strategy_ids(self) -> list[StrategyId]:
        """Strategies with fills, sorted."""
        return sorted({sid for sid, _ in self._positions})
