"""Fees (maker vs taker, exact Decimal) and slippage; cash = starting + realized - fees exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide, OrderType
from aitrader.core.ids import StrategyId
from aitrader.testkit.engine_factory import BTC, btc_usdt, make_sim_engine
from aitrader.venues.simulated.fill_models import FeeModel, FixedBpsSlippage, NoSlippage

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MAKER, TAKER = LiquiditySide.MAKER, LiquiditySide.TAKER




def test_a_round_trip_leaves_cash_at_starting_plus_realized_minus_fees_to_the_last_digit() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "1")
    h.bar(100.5, 101, 100, 100.5)  # taker at 100.50: fee 0.1005
    h.submit(SELL, OrderType.LIMIT, "1", price=D("110"))
    h.bar(105, 111, 104, 109)  # maker at 110: fee 0.022
    assert [(f.last_px, f.liquidity_side, f.commission) for f in seen] == [
        (D("100.50"), TAKER, D("0.1005")), (D("110"), MAKER, D("0.0220"))]
    account = h.portfolio.account(h.account_id)
    assert account.realized["USDT"] == D("9.50")
    assert account.fees["USDT"] == D("0.1225")
    assert account.cash("USDT") == D("100009.3775")
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0


def test_fees_are_exact_decimals_with_no_rounding() -> None:
    h = make_sim_engine(taker_fee=D("0.00075"))
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "0.12345")
    h.bar(123.45, 124, 123, 123.5)
    assert seen[0].commission == D("0.011429926875")  # 0.12345 * 123.45 * 0.00075
    assert h.portfolio.account(h.account_id).cash("USDT") == D("99999.988570073125")


def test_a_multiplier_scales_the_fee_with_the_notional() -> None:
    h = make_sim_engine(instrument=btc_usdt(multiplier=D(10)))
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "1")
    h.bar(100.5, 101, 100, 100.5)
    assert seen[0].commission == D("1.005")  # 1 * 100.50 * 10 * 0.001


def test_a_maker_rebate_is_a_negative_fee_that_adds_to_cash() -> None:
    h = make_sim_engine(maker_fee=D("-0.0001"))
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.LIMIT, "2", price=D("99"))
    h.bar(100, 100.5, 98, 99)
    assert seen[0].commission == D("-0.0198")
    assert h.portfolio.account(h.account_id).cash("USDT") == D("100000.0198")


def test_the_fee_model_charges_by_liquidity_side() -> None:
    model = FeeModel(maker=D("0.0002"), taker=D("0.001"))
    inst = btc_usdt()
    assert model.commission(inst, D("3"), D("50"), MAKER) == D("0.0300")
    assert model.commission(inst, D("3"), D("50"), TAKER) == D("0.150")


def test_slippage_moves_market_fills_against_the_order_rounded_against_it_too() -> None:
    h = make_sim_engine(slippage=FixedBpsSlippage(D(10)))
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "1")
    h.bar(100.5, 101, 100, 100.5)  # 100.50 * 1.001 = 100.6005 → up to 100.61
    h.submit(SELL, OrderType.MARKET, "1")
    h.bar(100.5, 101, 100, 100.5)  # 100.50 * 0.999 = 100.3995 → down to 100.39
    assert [f.last_px for f in seen] == [D("100.61"), D("100.39")]
    assert seen[0].commission == D("0.10061")


def test_slippage_applies_to_stops_but_never_to_limit_fills() -> None:
    h = make_sim_engine(slippage=FixedBpsSlippage(D(10)))
    h.bar(100, 101, 99, 100)
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.LIMIT, "1", price=D("98"))
    h.bar(100, 100.5, 97, 99)
    assert seen[0].last_px == D("98")
    h.submit(SELL, OrderType.STOP, "1", trigger_price=D("95"))
    h.bar(99, 99.5, 94, 96)  # 95 * 0.999 = 94.905 → down to 94.90
    assert seen[1].last_px == D("94.90")


@pytest.mark.parametrize(("side", "expected"), [(BUY, D("100.00")), (SELL, D("100.00"))])
def test_zero_slippage_only_puts_the_price_on_the_tick_grid(side: OrderSide, expected: Decimal
                                                            ) -> None:
    assert FixedBpsSlippage(D(0)).apply(btc_usdt(), side, 100.004) == expected
    assert NoSlippage().apply(btc_usdt(), side, 100.004) == expected


def test_negative_slippage_is_refused() -> None:
    with pytest.raises(ValueError, match="slippage bps must be >= 0, was -1"):
        FixedBpsSlippage(D(-1))
