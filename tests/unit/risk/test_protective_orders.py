"""Entries without protection get a stop-loss and take-profit from the config (fixed, ATR or
trailing), and the protection follows the position when part of it is closed."""

from __future__ import annotations

from decimal import Decimal

from risk_harness import BTC, MakeHarness

from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.ids import ClientOrderId
from aitrader.risk.config import ProtectionConfig

BUY, SELL = OrderSide.BUY, OrderSide.SELL


def test_fixed_protection_attaches_stop_and_take_profit_around_the_entry(
        make_harness: MakeHarness) -> None:
    h = make_harness(protection=ProtectionConfig(mode="fixed", stop_loss=Decimal("0.02"),
                                                 take_profit=Decimal("0.05")))
    h.flat_bars(3)
    entry = h.submit(BUY, "10")
    assert (entry.stop_loss, entry.take_profit) == (Decimal("98.00"), Decimal("105.00"))
    own = h.submit(BUY, "1", stop_loss=Decimal("97"))  # its own stop is kept, the TP added
    assert (own.stop_loss, own.take_profit) == (Decimal("97"), Decimal("105.00"))
    h.bar(100, 100, 100, 100)
    sl = h.engine.orders.get(ClientOrderId(f"{entry.client_order_id}-SL"))
    tp = h.engine.orders.get(ClientOrderId(f"{entry.client_order_id}-TP"))
    assert sl is not None and tp is not None
    assert (sl.order_type, sl.trigger_price, sl.reduce_only) == (OrderType.STOP,
                                                                 Decimal("98.00"), True)
    assert (tp.order_type, tp.price) == (OrderType.LIMIT, Decimal("105.00"))


def test_atr_protection_uses_multiples_of_the_average_true_range(
        make_harness: MakeHarness) -> None:
    h = make_harness(protection=ProtectionConfig(mode="atr", atr_stop=Decimal(2),
                                                 atr_take_profit=Decimal(3)))
    for _ in range(40):
        h.bar(100, 101, 99, 100)  # ATR 2
    entry = h.submit(BUY, "1")
    assert (entry.stop_loss, entry.take_profit) == (Decimal("96.00"), Decimal("106.00"))


def test_trailing_protection_follows_the_price_up_and_exits_on_the_pullback(
        make_harness: MakeHarness) -> None:
    h = make_harness(protection=ProtectionConfig(mode="fixed", stop_loss=Decimal("0.02"),
                                                 trailing=True), price_collar=None)
    h.flat_bars(3)
    entry = h.submit(BUY, "10")
    h.bar(100, 100, 100, 100)
    sl = h.engine.orders.get(ClientOrderId(f"{entry.client_order_id}-SL"))
    assert sl is not None and sl.order_type is OrderType.TRAILING_STOP
    assert sl.trailing_offset == Decimal("2.00")
    for p in (102, 105, 110):
        h.bar(p, p, p, p)
    assert h.portfolio.net_quantity(h.account_id, BTC) == 10  # 2 below the high never touched
    h.bar(110, 110, 107, 107.5)  # 110 - 2 = 108 is hit on the way down
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0
    assert sl.avg_px == Decimal("108.00")


def test_a_partial_close_shrinks_the_protection_and_a_full_close_cancels_it(
        make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(3)
    entry = h.submit(BUY, "10", stop_loss=Decimal(95), take_profit=Decimal(104))
    h.bar(100, 100, 100, 100)
    sl = h.engine.orders.get(ClientOrderId(f"{entry.client_order_id}-SL"))
    tp = h.engine.orders.get(ClientOrderId(f"{entry.client_order_id}-TP"))
    assert sl is not None and tp is not None and sl.quantity == tp.quantity == 10
    h.submit(SELL, "4")
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == 6
    assert sl.quantity == tp.quantity == 6
    h.submit(SELL, "6")
    h.bar(100, 100, 100, 100)
    assert sl.status is OrderStatus.CANCELED and tp.status is OrderStatus.CANCELED
