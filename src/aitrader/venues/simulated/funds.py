"""Buying-power checks of the simulated exchange, read from the portfolio it settles into."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from aitrader.core.enums import AccountType, OrderSide
from aitrader.core.ids import AccountId
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.portfolio.portfolio import Portfolio


class FundsCheck:
    """CASH accounts: buy only what equity pays for, sell only what is held. MARGIN: leverage."""

    def __init__(self, portfolio: Portfolio) -> None:
        self._portfolio = portfolio

    def refusal(
        self, order: Order, instrument: Instrument, ref_price: Decimal, taker_fee: Decimal,
        reserved: tuple[Decimal, Decimal, Decimal],
    ) -> str | None:
        """Why the account cannot take the order, or None (``reserved`` as :func:`reserved`)."""
        reserved_buy, reserved_sell, reserved_sell_qty = reserved
        pf = self._portfolio
        account = pf.account(order.account_id)
        held = pf.net_quantity(order.account_id, order.instrument_id)
        signed = order.quantity if order.side is OrderSide.BUY else -order.quantity
        reducing = held != ZERO and (held > ZERO) != (signed > ZERO) and abs(signed) <= abs(held)
        if reducing:
            if account.account_type is AccountType.CASH and order.side is OrderSide.SELL:
                free = held - reserved_sell_qty
                if order.quantity > free:
                    return (f"insufficient funds: sell {order.quantity} but only {free} "
                            f"{instrument.base_currency} is free")
            return None
        if account.account_type is AccountType.CASH and order.side is OrderSide.SELL:
            free = max(held, ZERO) - reserved_sell_qty
            return (f"insufficient funds: sell {order.quantity} but only {free} "
                    f"{instrument.base_currency} is held (a CASH account cannot short)")
        cost = instrument.notional(order.quantity, ref_price)
        need = cost / account.leverage + cost * taker_fee
        equity = pf.equity(order.account_id, instrument.quote_currency)
        used = pf.gross_exposure(order.account_id) / account.leverage
        # working orders promise margin too; on a CASH account sells are bounded by what is held
        promised = reserved_buy + (reserved_sell if account.account_type is AccountType.MARGIN
                                   else ZERO)
        free_cash = equity - used - promised / account.leverage
        if need > free_cash:
            return (f"insufficient funds: need {need:.8f} {instrument.quote_currency}, "
                    f"free {free_cash:.8f}")
        return None


def reserved(working: Iterable[Order], account_id: AccountId, instrument: Instrument,
             market: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(notional of working buys, notional of working sells, quantity of working sells).

    Only the account's orders count, reduce-only ones aside. Orders without a price (market,
    trailing) are valued at ``market``, so two market orders cannot both spend the same cash.
    """
    buy_value, sell_value, sell_qty = ZERO, ZERO, ZERO
    for o in working:
        if o.account_id != account_id or o.reduce_only:
            continue
        value = instrument.notional(o.leaves_qty, o.price or o.trigger_price or market)
        if o.side is OrderSide.BUY:
            buy_value += value
        else:
            sell_value += value
            sell_qty += o.leaves_qty
    return buy_value, sell_value, sell_qty
