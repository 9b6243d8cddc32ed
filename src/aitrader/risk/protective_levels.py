"""Protective levels: the stop-loss and take-profit attached to entries that come without them."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import BUY, TRAILING_STOP, OrderSide
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO, to_decimal
from aitrader.risk.config import ProtectionConfig
from aitrader.risk.market_state import MarketState


class ProtectiveLevels:
    """Computes fixed-fraction or ATR-multiple levels from the entry's reference price.

    With ``trailing`` the entry also carries ``trailing_offset`` (the stop distance): the engine
    then protects it with a trailing stop instead of a fixed one.
    """

    def __init__(self, market: MarketState) -> None:
        self._market = market

    def levels(self, side: OrderSide, ref: Decimal, inst: Instrument, cfg: ProtectionConfig
               ) -> tuple[Decimal | None, Decimal | None]:
        """(stop distance, take-profit distance) in price units, None where not configured."""
        if cfg.mode == "fixed":
            stop = None if cfg.stop_loss is None else ref * cfg.stop_loss
            take = None if cfg.take_profit is None else ref * cfg.take_profit
            return stop, take
        atr_f = self._market.atr(inst.id)
        if atr_f is None or atr_f <= 0.0:
            return None, None
        atr = to_decimal(atr_f)
        stop = None if cfg.atr_stop is None else atr * cfg.atr_stop
        take = None if cfg.atr_take_profit is None else atr * cfg.atr_take_profit
        return stop, take

    def attach(self, cmd: SubmitOrder, cfg: ProtectionConfig, mark: Decimal | None,
               inst: Instrument | None) -> SubmitOrder:
        """``cmd`` with the missing stop-loss/take-profit filled in (unchanged if it has both)."""
        if inst is None or cmd.order_type is TRAILING_STOP:
            return cmd
        ref = cmd.price or cmd.trigger_price or mark
        if ref is None or (cmd.stop_loss is not None and cmd.take_profit is not None):
            return cmd
        stop_d, take_d = self.levels(cmd.side, ref, inst, cfg)
        sign = 1 if cmd.side is BUY else -1
        changes: dict[str, Decimal] = {}
        if cmd.stop_loss is None and stop_d is not None and stop_d > ZERO:
            level = inst.make_price(ref - sign * stop_d)
            if level > ZERO:
                changes["stop_loss"] = level
                if cfg.trailing:
                    changes["trailing_offset"] = inst.make_price(stop_d)
        if cmd.take_profit is None and take_d is not None and take_d > ZERO:
            changes["take_profit"] = inst.make_price(ref + sign * take_d)
        return cmd.replace(**changes) if changes else cmd
