"""Round-trip trades built from fills: flat → position → flat (a flip closes one and opens one)."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.enums import BUY, OrderSide
from aitrader.core.events import OrderFilled
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.money import ZERO
from aitrader.portfolio.closed_trade import ClosedTrade


class _Open:
    __slots__ = ("entry_cost", "entry_qty", "entry_ts", "exit_qty", "exit_value", "fees", "side")

    def __init__(self, side: OrderSide, ts: int) -> None:
        self.side = side
        self.entry_ts = ts
        self.entry_qty = ZERO
        self.entry_cost = ZERO
        self.exit_qty = ZERO
        self.exit_value = ZERO
        self.fees = ZERO


class TradeLog:
    """Listens to fills and records closed round trips per (strategy, instrument)."""

    def __init__(self, multipliers: dict[InstrumentId, Decimal] | None = None) -> None:
        self.closed: list[ClosedTrade] = []
        self._open: dict[tuple[StrategyId, InstrumentId], _Open] = {}
        self._mult = multipliers or {}

    def on_fill(self, fill: OrderFilled) -> None:
        """Apply one fill."""
        key = (fill.strategy_id, fill.instrument_id)
        qty, px, fee = fill.last_qty, fill.last_px, fill.commission
        trade = self._open.get(key)
        if trade is None:
            trade = self._open[key] = _Open(fill.side, fill.ts_event)
        if fill.side is trade.side:
            trade.entry_qty += qty
            trade.entry_cost += qty * px
            trade.fees += fee
            return
        held = trade.entry_qty - trade.exit_qty
        if qty <= held:  # closes part or all of the trade: the whole fee belongs to it
            trade.exit_qty += qty
            trade.exit_value += qty * px
            trade.fees += fee
            if qty == held:
                self._close(key, trade, fill)
            return
        # the fill flipped the position: its fee is split by quantity
        trade.exit_qty += held
        trade.exit_value += held * px
        trade.fees += fee * held / qty
        self._close(key, trade, fill)
        rest = qty - held
        new = self._open[key] = _Open(fill.side, fill.ts_event)
        new.entry_qty, new.entry_cost, new.fees = rest, rest * px, fee * rest / qty

    def _close(self, key: tuple[StrategyId, InstrumentId], trade: _Open, fill: OrderFilled) -> None:
        del self._open[key]
        entry = trade.entry_cost / trade.entry_qty
        exit_ = trade.exit_value / trade.exit_qty
        pnl = trade.exit_value - trade.entry_cost
        if trade.side is not BUY:
            pnl *= -1  # not unary minus: a flat short keeps its "-0" as before
        mult = self._mult.get(key[1])
        if mult is not None and mult != 1:
            pnl *= mult
        self.closed.append(ClosedTrade(
            key[0], key[1], trade.side, trade.entry_qty, trade.entry_ts, entry, fill.ts_event,
            exit_, pnl, trade.fees,
        ))

    def open_trades(self) -> list[tuple[StrategyId, InstrumentId, OrderSide, Decimal]]:
        """Trades still open: (strategy, instrument, side, quantity held)."""
        return [(k[0], k[1], t.side, t.entry_qty - t.exit_qty) for k, t in self._open.items()]
