"""The float screen of the funds check never decides differently from the exact Decimal check."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, OrderSide, OrderType
from aitrader.core.ids import StrategyId
from aitrader.core.order import Order
from aitrader.testkit.engine_factory import BTC, make_sim_engine
from aitrader.venues.simulated.funds import FundsCheck

D = Decimal
SID = StrategyId("s")


def _order(h_account: str, side: OrderSide, qty: Decimal, price: Decimal | None) -> Order:
    kind = OrderType.MARKET if price is None else OrderType.LIMIT
    cmd = SubmitOrder(client_order_id="probe-1", strategy_id=SID, account_id=h_account,  # type: ignore[arg-type]
                      instrument_id=BTC, side=side, order_type=kind, quantity=qty, price=price)
    return Order(cmd, 0)


prices = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
quantities = st.decimals(min_value=D("0.00001"), max_value=D("50"), places=5)


@settings(max_examples=300, deadline=None)
@given(
    cash=st.decimals(min_value=D("1"), max_value=D("1000000"), places=2),
    entry=prices, held=st.one_of(st.just(D(0)), quantities), mark=prices,
    side=st.sampled_from([OrderSide.BUY, OrderSide.SELL]), qty=quantities,
    limit=st.one_of(st.none(), prices), margin=st.booleans(), near=st.booleans(),
)
def test_the_screened_funds_check_decides_as_the_exact_one(
    cash: Decimal, entry: Decimal, held: Decimal, mark: Decimal, side: OrderSide, qty: Decimal,
    limit: Decimal | None, margin: bool, near: bool,
) -> None:
    kind = AccountType.MARGIN if margin else AccountType.CASH
    h = make_sim_engine(cash=cash, account_type=kind, leverage=D(3) if margin else D(1),
                        taker_fee=D("0.001"))
    h.bar(float(entry), float(entry), float(entry), float(entry))
    if held and held * entry * D("1.002") < cash:
        h.submit(OrderSide.BUY, OrderType.MARKET, held)
    h.bar(float(entry), float(mark), float(mark), float(mark))
    funds = FundsCheck(h.portfolio)
    exact = FundsCheck(h.portfolio, screen=False)  # every decision in Decimal
    if near:  # an order sized to the last cent of what the account can pay
        equity = h.portfolio.equity(h.account_id)
        ref = limit or mark
        qty = max(D("0.00001"), (equity / (ref * D("1.001"))).quantize(D("0.00001")))
    order = _order(h.account_id, side, qty, limit)
    working = h.venue._working[BTC]
    taker = D("0.001")
    assert funds.refusal(order, h.instrument, float(mark), taker, working) == \
        exact.refusal(order, h.instrument, float(mark), taker, working)


def test_an_order_far_inside_the_limit_is_cleared_by_the_screen_alone() -> None:
    h = make_sim_engine(cash=D(100_000))
    h.bar(100, 100, 100, 100)
    order = _order(h.account_id, OrderSide.BUY, D(1), None)
    funds = FundsCheck(h.portfolio)
    account = h.portfolio.account(h.account_id)
    assert funds._clearly_affordable(order, h.instrument, account, None, 100.0,
                                     D("0.001"), {})
    big = _order(h.account_id, OrderSide.BUY, D(999), None)
    assert not funds._clearly_affordable(big, h.instrument, account, None, 100.0,
                                         D("0.001"), {})
