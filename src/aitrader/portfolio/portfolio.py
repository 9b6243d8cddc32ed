"""Positions and balances of every account, changed only by fills."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.account import Account
from aitrader.core.errors import AitraderError
from aitrader.core.events import OrderFilled, PositionChanged
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO, to_decimal
from aitrader.core.position import Position
from aitrader.portfolio.attribution import StrategyLedger


class UnknownAccount(AitraderError):
    """A fill or query named an account the portfolio does not hold."""


class Portfolio:
    """Net positions per (account, instrument), balances per account and currency, marks."""

    def __init__(self) -> None:
        self._accounts: dict[AccountId, Account] = {}
        self._instruments: dict[InstrumentId, Instrument] = {}
        self._positions: dict[tuple[AccountId, InstrumentId], Position] = {}
        self._by_account: dict[AccountId, dict[InstrumentId, Position]] = {}
        self._marks: dict[InstrumentId, float] = {}
        # Decimal marks, converted lazily and reused while the float mark is unchanged
        self._marks_dec: dict[InstrumentId, tuple[float, Decimal]] = {}
        self.ledger = StrategyLedger()
        self.fill_count = 0
        # float shadows for fast equity curves: cash per account, (qty*mult, avg) per position
        self._cash_f: dict[AccountId, float] = {}
        self._pos_f: dict[AccountId, dict[InstrumentId, tuple[float, float]]] = {}

    # --- set-up -------------------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        """Hold an account (its starting balances are its cash)."""
        self._accounts[account.id] = account
        self._by_account.setdefault(account.id, {})
        self._cash_f[account.id] = float(account.cash(account.base_currency))
        self._pos_f[account.id] = {}

    def add_instrument(self, instrument: Instrument) -> None:
        """Know an instrument (needed to book its fills)."""
        self._instruments[instrument.id] = instrument

    # --- changes ------------------------------------------------------------------------------
    def apply_fill(self, fill: OrderFilled) -> PositionChanged:
        """Book a fill: position, realized P&L and fee to the account and to the strategy."""
        account = self._accounts.get(fill.account_id)
        if account is None:
            raise UnknownAccount(f"fill {fill.trade_id} names unknown account {fill.account_id}")
        instrument = self._instruments[fill.instrument_id]
        key = (fill.account_id, fill.instrument_id)
        pos = self._positions.get(key)
        if pos is None:
            pos = self._positions[key] = Position(fill.instrument_id, instrument.multiplier)
            self._by_account[fill.account_id][fill.instrument_id] = pos
        realized = pos.apply_fill(fill.side, fill.last_qty, fill.last_px, fill.ts_event)
        quote = instrument.quote_currency
        if realized:
            account.apply_realized(quote, realized)
        if fill.commission:
            account.apply_fee(fill.commission_currency, fill.commission)
        self.ledger.apply_fill(fill, instrument.multiplier)
        self.fill_count += 1
        self._cash_f[account.id] = float(account.cash(account.base_currency))
        shadows = self._pos_f[account.id]
        if pos.quantity:
            shadows[fill.instrument_id] = (
                float(pos.quantity * pos.multiplier), float(pos.avg_price)
            )
        else:
            shadows.pop(fill.instrument_id, None)
        return PositionChanged(
            fill.account_id, fill.instrument_id, pos.quantity, pos.avg_price, pos.realized_pnl,
            fill.ts_event,
        )

    def update_mark(self, instrument_id: InstrumentId, price: float) -> None:
        """Record the latest market price used to mark positions."""
        self._marks[instrument_id] = price

    def mark_store(self) -> dict[InstrumentId, float]:
        """The live dict of float marks, for writers on the hot path (the engine's bar loop,
        the simulated exchange): ``store[iid] = price`` is :meth:`update_mark` without a call.
        Only market prices may be written; the Decimal marks follow lazily."""
        return self._marks

    # --- reads --------------------------------------------------------------------------------
    def account(self, account_id: AccountId) -> Account:
        """The account, or UnknownAccount."""
        try:
            return self._accounts[account_id]
        except KeyError:
            raise UnknownAccount(f"unknown account {account_id}") from None

    def accounts(self) -> list[Account]:
        """Every account held."""
        return list(self._accounts.values())

    def instrument(self, instrument_id: InstrumentId) -> Instrument | None:
        """A known instrument or None."""
        return self._instruments.get(instrument_id)

    def position(self, account_id: AccountId, instrument_id: InstrumentId) -> Position | None:
        """The net position, or None if never traded."""
        return self._positions.get((account_id, instrument_id))

    def net_quantity(self, account_id: AccountId, instrument_id: InstrumentId) -> Decimal:
        """Signed net quantity (0 when never traded)."""
        pos = self._positions.get((account_id, instrument_id))
        return ZERO if pos is None else pos.quantity

    def positions(self, account_id: AccountId | None = None) -> list[Position]:
        """Open (non-flat) positions, optionally of one account."""
        if account_id is not None:
            return [p for p in self._by_account.get(account_id, {}).values() if p.quantity]
        return [p for p in self._positions.values() if p.quantity]

    def open_position_count(self, account_id: AccountId) -> int:
        """How many instruments the account holds a (non-flat) position in."""
        shadows = self._pos_f.get(account_id)
        return 0 if shadows is None else len(shadows)

    def mark(self, instrument_id: InstrumentId) -> float | None:
        """Latest mark price, or None."""
        return self._marks.get(instrument_id)

    def mark_decimal(self, instrument_id: InstrumentId) -> Decimal | None:
        """Latest mark as a Decimal, or None."""
        mark = self._marks.get(instrument_id)
        if mark is None:
            return None
        cached = self._marks_dec.get(instrument_id)
        if cached is not None and cached[0] == mark:
            return cached[1]
        dec = to_decimal(mark)
        self._marks_dec[instrument_id] = (mark, dec)
        return dec

    def unrealized_pnl(self, account_id: AccountId, currency: str) -> Decimal:
        """Unrealized P&L of the account's positions quoted in ``currency``, at the marks."""
        total = ZERO
        for iid, pos in self._by_account.get(account_id, {}).items():
            if pos.quantity == ZERO:
                continue
            if self._instruments[iid].quote_currency != currency:
                continue
            mark = self.mark_decimal(iid)
            total += pos.unrealized_pnl(pos.avg_price if mark is None else mark)
        return total

    def equity(self, account_id: AccountId, currency: str | None = None) -> Decimal:
        """Cash plus unrealized P&L in one currency (the account's base currency by default)."""
        account = self.account(account_id)
        cur = currency or account.base_currency
        return account.cash(cur) + self.unrealized_pnl(account_id, cur)

    def gross_exposure(self, account_id: AccountId) -> Decimal:
        """Sum of absolute position notionals at the marks (quote currency units)."""
        total = ZERO
        for iid, pos in self._by_account.get(account_id, {}).items():
            if pos.quantity != ZERO:
                mark = self.mark_decimal(iid)
                total += pos.notional(pos.avg_price if mark is None else mark)
        return total

    def equity_float(self, account_id: AccountId) -> float:
        """Fast float equity for equity curves (the exact figure is :meth:`equity`)."""
        value = self._cash_f[account_id]
        marks = self._marks
        for iid, (qty, avg) in self._pos_f[account_id].items():
            mark = marks.get(iid)
            if mark is not None:
                value += (mark - avg) * qty
        return value

    def float_funds(self, account_id: AccountId) -> tuple[float, float] | None:
        """(equity, gross exposure) in floats from the shadows, or None when a position is
        quoted in another currency than the account's base (then only the exact figures
        :meth:`equity` and :meth:`gross_exposure` apply)."""
        account = self._accounts[account_id]
        equity = self._cash_f[account_id]
        gross = 0.0
        shadows = self._pos_f[account_id]
        if shadows:
            base = account.base_currency
            marks = self._marks
            for iid, (qty, avg) in shadows.items():
                if self._instruments[iid].quote_currency != base:
                    return None
                mark = marks.get(iid)
                if mark is None:
                    mark = avg
                equity += (mark - avg) * qty
                gross += abs(qty) * mark
        return equity, gross

    def float_state(
        self, account_id: AccountId, instrument_id: InstrumentId
    ) -> tuple[float, float, float]:
        """(cash, quantity x multiplier, average price) as floats, for vectorised equity curves."""
        qty, avg = self._pos_f[account_id].get(instrument_id, (0.0, 0.0))
        return self._cash_f[account_id], qty, avg

    def has_exposure(self, account_id: AccountId) -> bool:
        """True when the account holds any position."""
        return bool(self._pos_f[account_id])

    def strategy_ids(self) -> list[StrategyId]:
        """Strategies with any booked fill."""
        return self.ledger.strategy_ids()
