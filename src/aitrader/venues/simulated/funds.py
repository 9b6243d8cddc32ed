"""Buying-power checks of the simulated exchange, read from the portfolio it settles into."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.enums import AccountType, OrderSide
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
        reserved_buy: Decimal, reserved_sell_qty: Decimal,
    ) -> str | None:
        """Why the account cannot take the order, or None."""
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
        free_cash = equity - used - reserved_buy
        if need > free_cash:
            return (f"insufficient funds: need {need:.8f} {instrument.quote_currency}, "
                    f"free {free_cash:.8f}")
        return None
