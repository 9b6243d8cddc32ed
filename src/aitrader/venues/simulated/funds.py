"""Buying-power checks of the simulated exchange, read from the portfolio it settles into."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from aitrader.core.account import Account
from aitrader.core.enums import BUY, CASH, MARGIN
from aitrader.core.ids import AccountId
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.portfolio.portfolio import Portfolio
from aitrader.venues.simulated.working_order import WorkingOrder

# The float screen accepts an order only when it clears the limit by this fraction of the sums
# involved: float rounding is ~1e-16 per operation, so inside the margin the exact Decimal
# check below would say the same. Closer calls (and every refusal) are decided exactly.
_SCREEN_MARGIN = 1e-9


class FundsCheck:
    """CASH accounts: buy only what equity pays for, sell only what is held. MARGIN: leverage."""

    def __init__(self, portfolio: Portfolio, screen: bool = True) -> None:
        self._portfolio = portfolio
        self._screen = screen  # False: every decision in Decimal (what the screen must match)

    def refusal(
        self, order: Order, instrument: Instrument, last: float | None, taker_fee: Decimal,
        working: Mapping[str, WorkingOrder],
    ) -> str | None:
        """Why the account cannot take the order, or None.

        ``last`` is the market price (None before the first one); ``working`` the venue's
        working orders on the instrument, whose promises count against the account.
        """
        ref = order.price or order.trigger_price
        if ref is None and last is None:
            return f"no market price yet for {instrument.id}; cannot value the order"
        pf = self._portfolio
        account = pf.account(order.account_id)
        held = pf.net_quantity(order.account_id, order.instrument_id)
        qty = order.quantity
        is_buy = order.side is BUY
        cash_account = account.account_type is CASH
        if held != ZERO and (held > ZERO) != is_buy and qty <= abs(held):  # reducing
            if cash_account and not is_buy:
                free = held - self._reserved(order, instrument, last, working)[2]
                if qty > free:
                    return (f"insufficient funds: sell {qty} but only {free} "
                            f"{instrument.base_currency} is free")
            return None
        if cash_account and not is_buy:
            free = max(held, ZERO) - self._reserved(order, instrument, last, working)[2]
            return (f"insufficient funds: sell {qty} but only {free} "
                    f"{instrument.base_currency} is held (a CASH account cannot short)")
        if self._screen and self._clearly_affordable(order, instrument, account, ref, last,
                                                     taker_fee, working):
            return None
        if ref is None:
            assert last is not None  # noqa: S101 - refused above when both are missing
            ref = instrument.make_price(last)
        reserved_buy, reserved_sell, _ = self._reserved(order, instrument, last, working)
        cost = instrument.notional(qty, ref)
        need = cost / account.leverage + cost * taker_fee
        equity = pf.equity(order.account_id, instrument.quote_currency)
        used = pf.gross_exposure(order.account_id) / account.leverage
        # working orders promise margin too; on a CASH account sells are bounded by what is held
        promised = reserved_buy + (reserved_sell if account.account_type is MARGIN
                                   else ZERO)
        free_cash = equity - used - promised / account.leverage
        if need > free_cash:
            return (f"insufficient funds: need {need:.8f} {instrument.quote_currency}, "
                    f"free {free_cash:.8f}")
        return None

    def _clearly_affordable(
        self, order: Order, instrument: Instrument, account: Account, ref: Decimal | None,
        last: float | None, taker_fee: Decimal, working: Mapping[str, WorkingOrder],
    ) -> bool:
        """The exact check's arithmetic in floats, trusted only far from the limit: True when
        the order is affordable by a margin no rounding can close. Positions in another
        currency and working orders that promise funds leave the decision to the exact check.
        """
        if instrument.quote_currency != account.base_currency:
            return False
        if any(promises_funds(w.order, account.id) for w in working.values()):
            return False
        state = self._portfolio.float_funds(account.id)
        if state is None:
            return False
        equity, gross = state
        if ref is not None:
            price = float(ref)
        else:  # a market order is valued at the last price on the tick grid: at most a tick up
            assert last is not None  # noqa: S101 - the caller refused a missing price
            price = last + float(instrument.tick_size)
        leverage = float(account.leverage)
        cost = float(order.quantity) * price * float(instrument.multiplier)
        need = cost / leverage + cost * float(taker_fee)
        free = equity - gross / leverage
        return need < free - _SCREEN_MARGIN * (abs(equity) + gross + need)

    @staticmethod
    def _reserved(order: Order, instrument: Instrument, last: float | None,
                  working: Mapping[str, WorkingOrder]) -> tuple[Decimal, Decimal, Decimal]:
        if not working:
            return ZERO, ZERO, ZERO
        market = ZERO if last is None else instrument.make_price(last)
        return reserved((w.order for w in working.values()), order.account_id, instrument, market)


def reserved(working: Iterable[Order], account_id: AccountId, instrument: Instrument,
             market: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(notional of working buys, notional of working sells, quantity of working sells).

    Only the account's orders count, reduce-only ones aside. Orders without a price (market,
    trailing) are valued at ``market``, so two market orders cannot both spend the same cash.
    """
    buy_value, sell_value, sell_qty = ZERO, ZERO, ZERO
    for o in working:
        if not promises_funds(o, account_id):
            continue
        value = instrument.notional(o.leaves_qty, o.price or o.trigger_price or market)
        if o.side is BUY:
            buy_value += value
        else:
            sell_value += value
            sell_qty += o.leaves_qty
    return buy_value, sell_value, sell_qty


def promises_funds(order: Order, account_id: AccountId) -> bool:
    """True when a working order holds back the account's funds: its own, not reduce-only."""
    return order.account_id == account_id and not order.reduce_only
