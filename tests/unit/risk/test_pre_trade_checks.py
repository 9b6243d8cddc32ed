"""Every pre-trade rule denies with its name and the values, and lets compliant orders through."""

from __future__ import annotations

from decimal import Decimal

from risk_harness import ETH, MakeHarness

from aitrader.core.enums import AccountType, OrderSide, OrderStatus, OrderType
from aitrader.core.events import OrderDenied
from aitrader.risk.config import StrategyLimits

BUY, SELL = OrderSide.BUY, OrderSide.SELL


def test_an_entry_within_every_limit_passes(make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(3)
    order = h.submit(BUY, "1", stop_loss=Decimal("99"))
    assert order.status is not OrderStatus.DENIED
    assert h.risk.denials == {}


def test_per_trade_risk_to_the_stop_is_capped_at_two_percent_of_equity(
        make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(3)
    denied = h.record(OrderDenied)
    # 100 units x 30 to the stop = 3000 = 3% of 100k equity
    order = h.submit(BUY, "100", stop_loss=Decimal("70"), kind=OrderType.LIMIT,
                     price=Decimal("100"))
    assert order.status is OrderStatus.DENIED
    assert denied[0].reason.startswith("per_trade_risk: 3000")
    assert "limit 2%" in denied[0].reason
    assert h.risk.denials["per_trade_risk"] == 1
    assert h.risk.denial_log[-1][1] == str(order.client_order_id)


def test_a_stop_on_the_wrong_side_of_the_entry_is_denied(make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(3)
    order = h.submit(BUY, "1", stop_loss=Decimal("120"))
    assert order.status is OrderStatus.DENIED
    assert h.risk.denials["per_trade_risk"] == 1


def test_entries_without_a_stop_are_denied_when_a_stop_is_required(
        make_harness: MakeHarness) -> None:
    h = make_harness(stop_required=True)
    h.flat_bars(3)
    assert h.submit(BUY, "1").status is OrderStatus.DENIED
    assert h.risk.denials["stop_required"] == 1


def test_portfolio_open_risk_sums_working_entries_and_protective_stops(
        make_harness: MakeHarness) -> None:
    h = make_harness(max_portfolio_risk=Decimal("0.03"))
    h.flat_bars(3)
    # each: 100 x 15 = 1500 = 1.5% risk; the third would make 4.5% > 3%
    for px in ("100", "99.9"):
        o = h.submit(BUY, "100", kind=OrderType.LIMIT, price=Decimal(px),
                     stop_loss=Decimal(px) - 15)
        assert o.status is not OrderStatus.DENIED
    third = h.submit(BUY, "100", kind=OrderType.LIMIT, price=Decimal("100.5"),
                     stop_loss=Decimal("85.5"))
    assert third.status is OrderStatus.DENIED
    assert h.risk.denials["max_portfolio_risk"] == 1


def test_position_size_counts_working_orders_so_two_orders_cannot_exceed_the_cap(
        make_harness: MakeHarness) -> None:
    h = make_harness(max_position_qty=Decimal("1.5"))
    h.flat_bars(3)
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal("99")).status \
        is not OrderStatus.DENIED
    second = h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal("98"))
    assert second.status is OrderStatus.DENIED
    assert h.risk.denials["max_position_qty"] == 1


def test_position_notional_cap_per_strategy_applies_on_top_of_the_account(
        make_harness: MakeHarness) -> None:
    h = make_harness(strategies={"small": StrategyLimits(max_position_notional=Decimal(500))})
    h.flat_bars(3)
    assert h.submit(BUY, "10", strategy="big").status is not OrderStatus.DENIED
    assert h.submit(BUY, "10", strategy="small").status is OrderStatus.DENIED
    assert h.risk.denials["max_position_notional"] == 1


def test_gross_exposure_past_the_account_leverage_is_denied(make_harness: MakeHarness) -> None:
    h = make_harness(cash=Decimal(10_000))
    h.flat_bars(3)
    order = h.submit(BUY, "101")  # 10,100 notional on 10,000 equity, CASH = 1x
    assert order.status is OrderStatus.DENIED
    assert h.risk.denials["max_leverage"] == 1


def test_net_exposure_cap_on_a_margin_account(make_harness: MakeHarness) -> None:
    h = make_harness(account_type=AccountType.MARGIN, leverage=Decimal(5),
                     max_net_exposure=Decimal(2))
    h.flat_bars(3)
    assert h.submit(SELL, "1500").status is not OrderStatus.DENIED  # 1.5x short
    h.bar(100, 100.1, 99.9, 100)
    assert h.submit(SELL, "1000").status is OrderStatus.DENIED  # would be 2.5x net short
    assert h.risk.denials["max_net_exposure"] == 1


def test_max_open_orders_per_account_and_per_strategy(make_harness: MakeHarness) -> None:
    h = make_harness(max_open_orders=3,
                     strategies={"s2": StrategyLimits(max_open_orders=1)})
    h.flat_bars(3)
    assert h.submit(BUY, "0.1", kind=OrderType.LIMIT, price=Decimal("99"),
                    strategy="s2").status is not OrderStatus.DENIED
    assert h.submit(BUY, "0.1", kind=OrderType.LIMIT, price=Decimal("98"),
                    strategy="s2").status is OrderStatus.DENIED
    for px in ("97", "96"):
        assert h.submit(BUY, "0.1", kind=OrderType.LIMIT,
                        price=Decimal(px)).status is not OrderStatus.DENIED
    assert h.submit(BUY, "0.1", kind=OrderType.LIMIT,
                    price=Decimal("95")).status is OrderStatus.DENIED
    assert h.risk.denials["max_open_orders"] == 2


def test_a_limit_price_far_from_the_market_is_outside_the_collar(
        make_harness: MakeHarness) -> None:
    h = make_harness(price_collar=Decimal("0.05"))
    h.flat_bars(3)
    denied = h.record(OrderDenied)
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal("110")).status \
        is OrderStatus.DENIED
    assert "price_collar: limit 110" in denied[0].reason
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal("96")).status \
        is not OrderStatus.DENIED


def test_min_and_max_order_notional(make_harness: MakeHarness) -> None:
    h = make_harness(min_order_notional=Decimal(50), max_order_notional=Decimal(1000))
    h.flat_bars(3)
    assert h.submit(BUY, "0.1").status is OrderStatus.DENIED
    assert h.submit(BUY, "20").status is OrderStatus.DENIED
    assert h.submit(BUY, "5").status is not OrderStatus.DENIED
    assert h.risk.denials == {"min_order_notional": 1, "max_order_notional": 1}


def test_the_same_order_within_the_window_is_a_duplicate_but_later_it_is_not(
        make_harness: MakeHarness) -> None:
    h = make_harness(duplicate_window_ms=500)
    h.flat_bars(3)
    terms = {"kind": OrderType.LIMIT, "price": Decimal("99")}
    assert h.submit(BUY, "1", **terms).status is not OrderStatus.DENIED
    assert h.submit(BUY, "1", **terms).status is OrderStatus.DENIED
    h.clock.advance_to(h.clock.now_ns() + 600_000_000)
    assert h.submit(BUY, "1", **terms).status is not OrderStatus.DENIED
    assert h.risk.denials["duplicate_order"] == 1


def test_max_positions_per_account(make_harness: MakeHarness) -> None:
    h = make_harness(max_positions=1)
    for _ in range(3):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    assert h.submit(BUY, "1").status is not OrderStatus.DENIED
    h.bar(100, 100.1, 99.9, 100)
    assert h.submit(BUY, "1", iid=ETH).status is OrderStatus.DENIED
    assert h.risk.denials["max_positions"] == 1


def test_a_new_position_correlated_with_an_open_one_is_denied(
        make_harness: MakeHarness) -> None:
    h = make_harness(max_correlation=0.8, correlation_window=20)
    prices = [100 * (1 + 0.01 * ((i * 7) % 5 - 2)) for i in range(30)]
    for p in prices:
        h.bar(p, p * 1.01, p * 0.99, p)
        q = p / 10
        h.bar(q, q * 1.01, q * 0.99, q, iid=ETH, advance=False)
    assert h.submit(BUY, "1").status is not OrderStatus.DENIED
    h.bar(100, 101, 99, 100)
    h.bar(10, 10.1, 9.9, 10, iid=ETH, advance=False)
    assert h.submit(BUY, "10", iid=ETH).status is OrderStatus.DENIED
    assert h.risk.denials["max_correlation"] == 1


def test_orders_that_reduce_pass_and_reduce_only_that_would_not_reduce_is_denied(
        make_harness: MakeHarness) -> None:
    h = make_harness(max_order_notional=Decimal(150))
    h.flat_bars(3)
    assert h.submit(BUY, "1").status is not OrderStatus.DENIED
    h.bar(100, 100.1, 99.9, 100)
    assert h.submit(SELL, "1", reduce_only=True).status is not OrderStatus.DENIED
    assert h.submit(SELL, "1", iid=ETH, reduce_only=True).status is OrderStatus.DENIED
    assert h.risk.denials["reduce_only"] == 1


def test_correlated_positions_are_capped_as_a_group(make_harness: MakeHarness) -> None:
    h = make_harness(max_correlated_exposure=Decimal("0.5"), correlation_group=0.7,
                     correlation_window=20)
    prices = [100 * (1 + 0.01 * ((i * 7) % 5 - 2)) for i in range(30)]
    for p in prices:
        h.bar(p, p * 1.01, p * 0.99, p)
        q = p / 10
        h.bar(q, q * 1.01, q * 0.99, q, iid=ETH, advance=False)
    assert h.submit(BUY, "400").status is not OrderStatus.DENIED  # 40k of 100k
    h.bar(100, 101, 99, 100)
    h.bar(10, 10.1, 9.9, 10, iid=ETH, advance=False)
    denied = h.record(OrderDenied)
    assert h.submit(BUY, "2000", iid=ETH).status is OrderStatus.DENIED  # 40k + 20k > 0.5x
    assert denied[0].reason.startswith("max_correlated_exposure: ")
    assert h.submit(BUY, "500", iid=ETH).status is not OrderStatus.DENIED  # 40k + 5k


def test_working_entries_count_towards_max_positions(make_harness: MakeHarness) -> None:
    h = make_harness(max_positions=1, price_collar=None)
    for _ in range(3):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal(99)).status \
        is not OrderStatus.DENIED
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal(9),
                    iid=ETH).status is OrderStatus.DENIED
    assert h.risk.denials["max_positions"] == 1
