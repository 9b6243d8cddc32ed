"""Property: no sequence of orders, fills and price moves takes a position, the number of
positions or the working-order count (reduce-only orders aside: protection and closing must never
be refused) past its limits."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from risk_harness import BTC, ETH, build_harness

from aitrader.core.enums import AccountType, OrderSide, OrderType
from aitrader.core.ids import InstrumentId

MAX_QTY = Decimal(5)
MAX_ORDERS = 4
MAX_POSITIONS = 1

order_step = st.tuples(
    st.sampled_from([OrderSide.BUY, OrderSide.SELL]),
    st.sampled_from([OrderType.MARKET, OrderType.LIMIT, OrderType.STOP]),
    st.integers(min_value=1, max_value=40).map(lambda n: Decimal(n) / 4),  # 0.25 .. 10
    st.integers(min_value=-3, max_value=3),  # price offset in percent
    st.booleans(),  # reduce-only
    st.sampled_from([BTC, ETH]),
)
bar_step = st.integers(min_value=-4, max_value=4)  # close move in percent
steps = st.lists(st.one_of(order_step, bar_step), min_size=1, max_size=60)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_no_order_sequence_takes_a_position_past_its_limits(
        sequence: list[tuple[OrderSide, OrderType, Decimal, int, bool, InstrumentId] | int]
) -> None:
    h = build_harness(account_type=AccountType.MARGIN, leverage=Decimal(10),
                      max_position_qty=MAX_QTY, max_open_orders=MAX_ORDERS,
                      max_positions=MAX_POSITIONS, duplicate_window_ms=0, price_collar=None)
    price = 100.0
    h.bar(price, price, price, price)
    h.bar(price, price, price, price, iid=ETH, advance=False)
    for step in sequence:
        if isinstance(step, int):
            new = price * (1 + step / 100)
            h.bar(price, max(price, new), min(price, new), new)
            h.bar(price, max(price, new), min(price, new), new, iid=ETH, advance=False)
            price = new
        else:
            side, kind, qty, offset, reduce_only, iid = step
            level = Decimal(str(round(price * (1 + offset / 100), 2)))
            terms: dict[str, object] = {}
            if kind is OrderType.LIMIT:
                terms["price"] = level
            elif kind is OrderType.STOP:
                above = side is OrderSide.BUY
                terms["trigger_price"] = level + 1 if above else max(level - 1, Decimal(1))
            h.submit(side, str(qty), kind=kind, reduce_only=reduce_only, iid=iid, **terms)
        for iid in (BTC, ETH):
            held = abs(h.portfolio.net_quantity(h.account_id, iid))
            assert held <= MAX_QTY, f"position {held} in {iid} past the limit {MAX_QTY}"
        assert len(h.portfolio.positions(h.account_id)) <= MAX_POSITIONS
        working = [o for o in h.engine.orders.open_orders() if not o.reduce_only]
        assert len(working) <= MAX_ORDERS, f"{len(working)} working orders"

