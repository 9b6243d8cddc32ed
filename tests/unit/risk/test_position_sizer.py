"""Sizing helpers give lot-rounded quantities within minimums and the available margin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from risk_harness import BTC, MakeHarness

from aitrader.core.enums import AccountType, OrderSide
from aitrader.core.errors import InvalidOrder
from aitrader.strategies.base import Strategy


def test_fixed_fractional_risks_the_configured_share_of_equity_to_the_stop(
        make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(2)
    qty = h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal(95))
    assert qty == Decimal("400")  # 2% of 100k = 2000 over a 5.00 stop distance
    half = h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal(95),
                                         Decimal("0.01"))
    assert half == Decimal("200")


def test_sizes_round_down_to_the_lot_and_stay_within_available_margin(
        make_harness: MakeHarness) -> None:
    h = make_harness(cash=Decimal(1000))
    h.flat_bars(2)
    # 2% of 1000 over a 0.03 stop would be 666.67 units = 66,667 notional: cut to 1000 / 100
    qty = h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal("99.97"))
    assert qty == Decimal("10.00000")
    odd = h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal(97))
    assert odd == Decimal("6.66666")  # 20 / 3 rounded down to the 0.00001 lot


def test_a_size_below_the_minimum_notional_is_zero(make_harness: MakeHarness) -> None:
    h = make_harness(cash=Decimal(100))
    h.flat_bars(2)
    # 2% of 100 = 2 over a 50 stop = 0.04 units = 4 USDT < min notional 5
    assert h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal(50)) == 0


def test_margin_accounts_size_up_to_their_leverage(make_harness: MakeHarness) -> None:
    h = make_harness(cash=Decimal(1000), account_type=AccountType.MARGIN, leverage=Decimal(3))
    h.flat_bars(2)
    assert h.risk.sizer.available_margin(h.account_id) == Decimal(3000)
    qty = h.risk.sizer.fixed_fractional(h.account_id, BTC, Decimal(100), Decimal("99.99"))
    assert qty == Decimal("30.00000")


def test_volatility_target_divides_the_risk_budget_by_atr_multiples(
        make_harness: MakeHarness) -> None:
    h = make_harness()
    assert h.risk.sizer.volatility_target(h.account_id, BTC, Decimal(100)) == 0  # no ATR yet
    for _ in range(40):
        h.bar(100, 101, 99, 100)  # true range 2 every bar
    atr = h.risk.market.atr(BTC)
    assert atr == pytest.approx(2.0)
    qty = h.risk.sizer.volatility_target(h.account_id, BTC, Decimal(100),
                                         atr_multiple=Decimal(2))
    assert qty == Decimal("500")  # 2000 / (2 x 2.0)
    explicit = h.risk.sizer.volatility_target(h.account_id, BTC, Decimal(100), atr=4.0)
    assert explicit == Decimal("250")


def test_kelly_is_fractional_capped_and_zero_without_an_edge(make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(2)
    sizer = h.risk.sizer
    # p=0.55, b=1: edge 0.10, half Kelly 5% of 100k = 5000 / 100
    assert sizer.kelly(h.account_id, BTC, Decimal(100), 0.55, 1.0) == Decimal("50")
    assert sizer.kelly(h.account_id, BTC, Decimal(100), 0.9, 3.0, fraction=1.0,
                       cap=0.2) == Decimal("200")
    assert sizer.kelly(h.account_id, BTC, Decimal(100), 0.4, 1.0) == 0
    with pytest.raises(InvalidOrder, match="win_rate must be within"):
        sizer.kelly(h.account_id, BTC, Decimal(100), 1.5, 1.0)


def test_a_strategy_sizes_its_entry_through_its_context(make_harness: MakeHarness) -> None:
    h = make_harness()

    class Sized(Strategy):
        name = "sized"

        def on_bar(self, bar: object) -> None:
            if self.position() == 0 and not self.ctx.open_orders(self.id):
                qty = self.ctx.sizer().fixed_fractional(
                    self.account_id, self.instruments[0], Decimal(100), Decimal(90))
                self.buy(qty, stop_loss=Decimal(90))

    h.engine.add_strategy(Sized("sized", "test", [BTC]))
    h.engine.start()
    h.flat_bars(3)
    fills = [o for o in h.engine.orders.orders() if o.side is OrderSide.BUY]
    assert fills[0].quantity == Decimal("200")  # 2000 / 10
    assert fills[0].status.value == "FILLED"
