"""Position sizing: fixed fractional, ATR/volatility-targeted and capped Kelly, each rounded to the
instrument's lot and held within its minimums and the account's available margin."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO, to_decimal
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.market_state import MarketState


class PositionSizer:
    """Quantities for new entries. A result below the lot, the minimum quantity or the minimum
    notional is 0 (do not trade); a result above the available margin is cut to it."""

    def __init__(self, portfolio: Portfolio, market: MarketState | None = None,
                 default_risk: Decimal = Decimal("0.02")) -> None:
        self._pf = portfolio
        self._market = market
        self.default_risk = default_risk

    # --- the three sizings --------------------------------------------------------------------
    def fixed_fractional(self, account_id: AccountId, instrument_id: InstrumentId,
                         entry: Decimal, stop: Decimal, risk_fraction: Decimal | None = None
                         ) -> Decimal:
        """Lose ``risk_fraction`` of equity (default: per-trade risk) if the stop is hit."""
        inst = self._instrument(instrument_id)
        f = self._fraction(risk_fraction)
        distance = abs(entry - stop)
        if distance == ZERO:
            raise InvalidOrder(f"fixed fractional sizing needs entry != stop, both were {entry}")
        raw = self._pf.equity(account_id) * f / (distance * inst.multiplier)
        return self._finish(account_id, inst, raw, entry)

    def volatility_target(self, account_id: AccountId, instrument_id: InstrumentId,
                          price: Decimal, risk_fraction: Decimal | None = None,
                          atr_multiple: Decimal = Decimal(2), atr: float | None = None
                          ) -> Decimal:
        """Risk ``risk_fraction`` of equity over ``atr_multiple`` ATRs (the risk engine's ATR
        of the instrument unless ``atr`` is given); 0 while no ATR is known."""
        inst = self._instrument(instrument_id)
        if atr is None and self._market is not None:
            atr = self._market.atr(instrument_id)
        if atr is None or atr <= 0.0:
            return ZERO
        if atr_multiple <= ZERO:
            raise InvalidOrder(f"atr_multiple must be > 0, was {atr_multiple}")
        distance = to_decimal(atr) * atr_multiple
        raw = self._pf.equity(account_id) * self._fraction(risk_fraction) / (
            distance * inst.multiplier)
        return self._finish(account_id, inst, raw, price)

    def kelly(self, account_id: AccountId, instrument_id: InstrumentId, price: Decimal,
              win_rate: float, payoff_ratio: float, fraction: float = 0.5, cap: float = 0.25
              ) -> Decimal:
        """Capped fractional Kelly: ``fraction`` x (p - (1 - p) / b) of equity, at most ``cap``
        of equity, as position value at ``price``; 0 when the edge is not positive."""
        if not 0.0 <= win_rate <= 1.0:
            raise InvalidOrder(f"win_rate must be within [0, 1], was {win_rate}")
        if payoff_ratio <= 0.0:
            raise InvalidOrder(f"payoff_ratio must be > 0, was {payoff_ratio}")
        if not 0.0 < fraction <= 1.0 or not 0.0 < cap <= 1.0:
            raise InvalidOrder(f"fraction and cap must be within (0, 1], were {fraction}, {cap}")
        inst = self._instrument(instrument_id)
        edge = win_rate - (1.0 - win_rate) / payoff_ratio
        if edge <= 0.0:
            return ZERO
        f = to_decimal(min(cap, fraction * edge))
        raw = self._pf.equity(account_id) * f / (price * inst.multiplier)
        return self._finish(account_id, inst, raw, price)

    # --- limits -------------------------------------------------------------------------------
    def available_margin(self, account_id: AccountId) -> Decimal:
        """Equity x leverage minus the gross exposure already held (never negative)."""
        account = self._pf.account(account_id)
        room = self._pf.equity(account_id) * account.leverage - self._pf.gross_exposure(account_id)
        return max(ZERO, room)

    def _finish(self, account_id: AccountId, inst: Instrument, raw: Decimal, price: Decimal
                ) -> Decimal:
        if price <= ZERO:
            raise InvalidOrder(f"sizing needs a price > 0, was {price}")
        cap = self.available_margin(account_id) / (price * inst.multiplier)
        qty = inst.make_qty(max(ZERO, min(raw, cap)))
        if inst.max_quantity is not None and qty > inst.max_quantity:
            qty = inst.make_qty(inst.max_quantity)
        if qty <= ZERO or qty < inst.min_quantity or inst.notional(qty, price) < inst.min_notional:
            return ZERO
        return qty

    def _fraction(self, risk_fraction: Decimal | None) -> Decimal:
        f = self.default_risk if risk_fraction is None else risk_fraction
        if not ZERO < f <= 1:
            raise InvalidOrder(f"risk_fraction must be within (0, 1], was {f}")
        return f

    def _instrument(self, instrument_id: InstrumentId) -> Instrument:
        inst = self._pf.instrument(instrument_id)
        if inst is None:
            raise InvalidOrder(f"unknown instrument {instrument_id}")
        return inst
