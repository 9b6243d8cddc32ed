"""The kill switch cancels every working order, closes every position on every account, halts
new entries, and is safe to repeat."""

from __future__ import annotations

from decimal import Decimal

from risk_harness import BTC, ETH, MakeHarness

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, OrderSide, OrderStatus, OrderType
from aitrader.core.events import KillSwitchActivated
from aitrader.core.ids import AccountId, StrategyId
from aitrader.strategies.base import Strategy

BUY, SELL = OrderSide.BUY, OrderSide.SELL


class _Holder(Strategy):
    name = "holder"


def test_kill_cancels_closes_and_halts_and_a_second_kill_sends_nothing_new(
        make_harness: MakeHarness) -> None:
    h = make_harness(account_type=AccountType.MARGIN, leverage=Decimal(3), price_collar=None)
    h.portfolio.add_account(Account(AccountId("other"), "SIM", "USDT", {"USDT": Decimal(50_000)},
                                    AccountType.MARGIN, Decimal(3)))
    kills = h.record(KillSwitchActivated)
    for _ in range(2):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    holder = _Holder("holder", "test", [BTC])
    h.engine.add_strategy(holder)
    h.submit(BUY, "5", strategy="holder")
    h.submit(SELL, "100", iid=ETH)
    other = h.engine.orders
    sid = StrategyId("o")
    other.submit(SubmitOrder(other.next_order_id(sid), sid, AccountId("other"), BTC, BUY,
                             OrderType.MARKET, Decimal(2)))
    resting = h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal(50))
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    assert len(h.portfolio.positions()) == 3

    first = h.engine.kill("test drill")
    assert (first.orders_canceled, first.closing_orders) == (1, 3)
    assert resting.status is OrderStatus.CANCELED
    second = h.engine.kill("test drill again")  # closing orders still working: nothing new
    assert (second.orders_canceled, second.closing_orders) == (0, 0)
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    assert h.portfolio.positions() == []
    assert holder.position() == 0  # closed under the strategy that held it: its ledger is flat
    third = h.engine.kill("after the fact")
    assert (third.orders_canceled, third.closing_orders) == (0, 0)
    assert len(kills) == 3
    assert h.submit(BUY, "1").status is OrderStatus.DENIED
    assert "kill switch: test drill" in h.risk.denial_log[-1][2]
    h.risk.reset()
    assert h.submit(BUY, "1").status is not OrderStatus.DENIED


def test_flatten_of_one_instrument_leaves_the_others(make_harness: MakeHarness) -> None:
    h = make_harness(account_type=AccountType.MARGIN, leverage=Decimal(3))
    for _ in range(2):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    h.submit(BUY, "5")
    h.submit(BUY, "50", iid=ETH)
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    h.engine.kill_switch.flatten(f"instrument:{ETH}", "ETH only")
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    assert h.portfolio.net_quantity(h.account_id, ETH) == 0
    assert h.portfolio.net_quantity(h.account_id, BTC) == 5
