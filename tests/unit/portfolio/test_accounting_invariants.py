"""Property tests: for any order flow, cash and equity reconcile to the cent with the fills."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, OrderSide, OrderType
from aitrader.core.events import OrderFilled
from aitrader.core.ids import StrategyId
from aitrader.testkit.engine_factory import make_sim_engine

CENT = Decimal("0.01")

bar_moves = st.tuples(
    st.integers(-300, 300),  # open change in ticks of 0.5
    st.integers(0, 200),  # up wick
    st.integers(0, 200),  # down wick
    st.integers(-300, 300),  # close change
)
actions = st.lists(
    st.tuples(
        st.sampled_from(["buy", "sell", "limit_buy", "limit_sell", "none"]),
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal("3"), places=3),
        st.sampled_from(["a", "b"]),  # two strategies share the account
        bar_moves,
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flow=actions, margin=st.booleans())
def test_cash_and_equity_reconcile_with_fills_under_any_order_flow(flow, margin) -> None:
    h = make_sim_engine(
        cash=Decimal(1_000_000),
        account_type=AccountType.MARGIN if margin else AccountType.CASH,
        leverage=Decimal(5) if margin else Decimal(1),
    )
    fills: list[OrderFilled] = []
    h.engine.bus.subscribe(OrderFilled, fills.append)
    price = 30_000.0
    h.bar(price, price + 10, price - 10, price)
    for kind, qty, sid, (d_open, up, down, d_close) in flow:
        strategy = StrategyId(sid)
        if kind != "none":
            side = OrderSide.BUY if kind.endswith("buy") else OrderSide.SELL
            is_limit = kind.startswith("limit")
            limit = None
            if is_limit:
                off = -25.0 if side is OrderSide.BUY else 25.0
                limit = h.instrument.make_price(price + off)
            h.engine.orders.submit(SubmitOrder(
                h.engine.orders.next_order_id(strategy), strategy, h.account_id,
                h.instrument.id, side, OrderType.LIMIT if is_limit else OrderType.MARKET,
                h.instrument.make_qty(qty), price=limit,
            ))
        o = max(100.0, price + d_open * 0.5)
        c = max(100.0, price + d_close * 0.5)
        hi = max(o, c) + up * 0.5
        lo = max(50.0, min(o, c) - down * 0.5)
        h.bar(o, hi, lo, c)
        price = c
        _assert_reconciles(h, fills)


def _assert_reconciles(h, fills: list[OrderFilled]) -> None:
    account = h.portfolio.account(h.account_id)
    start = Decimal(1_000_000)
    fees = sum((f.commission for f in fills), Decimal(0))
    # independent of average-cost bookkeeping: money out for buys, in for sells
    flow = sum(
        ((f.last_px * f.last_qty) * (-1 if f.side is OrderSide.BUY else 1) for f in fills),
        Decimal(0),
    )
    net_qty = sum(
        (f.last_qty if f.side is OrderSide.BUY else -f.last_qty for f in fills), Decimal(0)
    )
    mark = h.portfolio.mark_decimal(h.instrument.id)
    assert mark is not None
    expected_equity = start - fees + flow + net_qty * mark

    cash = account.cash("USDT")
    realized = account.realized.get("USDT", Decimal(0))
    assert cash == start + realized - fees  # starting cash + realized P&L - fees = cash
    assert abs(h.portfolio.equity(h.account_id) - expected_equity) < CENT
    unrealized = h.portfolio.unrealized_pnl(h.account_id, "USDT")
    assert h.portfolio.equity(h.account_id) == cash + unrealized  # equity = cash + marked positions
    assert h.portfolio.net_quantity(h.account_id, h.instrument.id) == net_qty
    # per-strategy attribution adds up to the account
    ledger = h.portfolio.ledger
    assert sum((ledger.fees(s) for s in ledger.strategy_ids()), Decimal(0)) == fees
    strat_qty = sum(
        (p.quantity for s in ledger.strategy_ids()
         if (p := ledger.position(s, h.instrument.id)) is not None),
        Decimal(0),
    )
    assert strat_qty == net_qty
    # every order's filled quantity is the sum of its fills, never more than ordered
    for order in h.engine.orders.orders():
        got = sum((f.last_qty for f in fills if f.client_order_id == order.client_order_id),
                  Decimal(0))
        assert got == order.filled_qty <= order.quantity
    # CASH accounts never go short
    if account.account_type is AccountType.CASH:
        assert net_qty >= 0
