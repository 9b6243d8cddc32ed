"""Each breaker trips on the bar that crosses its limit, blocks entries (reductions still pass),
and clears only by its cool-down or an explicit reset."""

from __future__ import annotations

from decimal import Decimal

from risk_harness import BTC, ETH, MakeHarness

from aitrader.core.enums import AccountType, OrderSide, OrderStatus, OrderType
from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped
from aitrader.risk.config import BreakerConfig

BUY, SELL = OrderSide.BUY, OrderSide.SELL
MIN_NS = 60_000_000_000


def test_daily_loss_trips_at_the_crossing_bar_and_resets_at_the_configured_utc_time(
        make_harness: MakeHarness) -> None:
    h = make_harness(daily_loss_limit=Decimal("0.05"), max_drawdown=Decimal("0.5"),
                     daily_reset_utc="06:00", price_collar=None)
    trips = h.record(CircuitBreakerTripped)
    resets = h.record(CircuitBreakerReset)
    h.flat_bars(2)
    h.submit(BUY, "900")  # 90k of BTC on a 100k account
    h.bar(100, 100, 100, 100)  # fills at 100
    h.bar(100, 100, 96, 96)  # -3.6k: -3.6%
    assert trips == []
    h.bar(96, 96, 94, 94.4)  # -5.04k: -5.04% → trips on this bar
    assert [(t.breaker, t.scope) for t in trips] == [("daily_loss", "account:test")]
    assert "down 5.04%" in trips[0].reason
    assert trips[0].until_ns % (86_400 * 10**9) == 6 * 3600 * 10**9  # next 06:00 UTC
    assert h.submit(BUY, "1", iid=ETH).status is OrderStatus.DENIED
    assert h.risk.denials["halted"] == 1
    assert h.submit(SELL, "100").status is not OrderStatus.DENIED  # reducing still passes
    h.clock.advance_to(trips[0].until_ns)
    h.bar(94, 94.5, 93.5, 94)
    assert [r.breaker for r in resets] == ["daily_loss"]
    assert h.submit(BUY, "1", iid=ETH).status is not OrderStatus.DENIED


def test_max_drawdown_from_peak_needs_an_explicit_reset(make_harness: MakeHarness) -> None:
    h = make_harness(max_drawdown=Decimal("0.10"), daily_loss_limit=Decimal("0.9"))
    trips = h.record(CircuitBreakerTripped)
    h.flat_bars(2)
    h.submit(BUY, "900")
    h.bar(100, 100, 100, 100)
    h.bar(100, 110, 100, 110)  # peak equity 109k
    h.bar(110, 110, 98, 98.1)  # 98.29k: 9.83% below the peak
    assert trips == []
    h.bar(98, 98, 97, 97)  # 97.3k: 10.73% below the peak
    assert [t.breaker for t in trips] == ["max_drawdown"]
    assert trips[0].until_ns == 0
    for _ in range(100):
        h.bar(98, 98.2, 97.9, 98.1)
    assert h.risk.breakers.is_active("max_drawdown", "account:test")
    lifted = h.risk.reset("max_drawdown")
    assert [r.breaker for r in lifted] == ["max_drawdown"]
    h.bar(98, 98.2, 97.9, 98.1)
    assert not h.risk.breakers.is_active("max_drawdown", "account:test")  # peak re-based


def test_a_run_of_losing_trades_trips_the_account_for_its_cool_down(
        make_harness: MakeHarness) -> None:
    h = make_harness(breakers=BreakerConfig(max_consecutive_losses=3, losses_cooldown_s=600))
    trips = h.record(CircuitBreakerTripped)
    h.flat_bars(2)
    for n in range(3):
        h.submit(BUY, "10")
        h.bar(100, 100, 100, 100)
        h.submit(SELL, "10")
        h.bar(99, 99, 99, 99)  # each round trip loses 10
        h.bar(100, 100, 100, 100)
        assert len(trips) == (1 if n == 2 else 0)
    assert trips[0].breaker == "consecutive_losses" and "3 losing trades" in trips[0].reason
    assert trips[0].until_ns == trips[0].ts_event + 600 * 10**9


def test_a_true_range_far_above_its_norm_halts_the_instrument(make_harness: MakeHarness) -> None:
    h = make_harness(breakers=BreakerConfig(volatility_multiple=5.0, volatility_window=20))
    trips = h.record(CircuitBreakerTripped)
    h.flat_bars(30)
    assert trips == []
    h.bar(100, 104, 96, 97)  # range 8 against a norm of ~0.2
    assert [(t.breaker, t.scope) for t in trips] == [("volatility", "instrument:BTC/USDT@SIM")]
    assert h.submit(BUY, "1").status is OrderStatus.DENIED
    h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    assert h.submit(BUY, "1", iid=ETH).status is not OrderStatus.DENIED  # other instruments trade


def test_a_gap_in_market_data_trips_stale_data_and_orders_on_silent_data_are_denied(
        make_harness: MakeHarness) -> None:
    h = make_harness(breakers=BreakerConfig(stale_data_s=120, stale_cooldown_s=60))
    trips = h.record(CircuitBreakerTripped)
    h.flat_bars(3)
    h.clock.advance_to(h.clock.now_ns() + 5 * MIN_NS)  # five silent minutes
    assert h.submit(BUY, "1").status is OrderStatus.DENIED
    assert h.risk.denials["stale_data"] == 1
    assert [t.breaker for t in trips] == ["stale_data"]
    h.bar(100, 100.1, 99.9, 100)
    h.clock.advance_to(h.clock.now_ns() + 61 * 10**9)
    h.risk.heartbeat(h.clock.now_ns())
    assert not h.risk.breakers.active


def test_a_venue_connection_failure_halts_entries_on_that_venue(
        make_harness: MakeHarness) -> None:
    h = make_harness()
    h.flat_bars(3)
    h.submit(BUY, "1")
    h.bar(100, 100.1, 99.9, 100)
    h.risk.on_venue_down("SIM", "websocket closed: 1006")
    assert h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal(99)).status \
        is OrderStatus.DENIED
    assert h.submit(SELL, "1").status is not OrderStatus.DENIED


def test_a_breaker_listed_in_flatten_on_closes_the_positions_of_its_scope(
        make_harness: MakeHarness) -> None:
    h = make_harness(account_type=AccountType.MARGIN, leverage=Decimal(2),
                     max_drawdown=Decimal("0.05"), daily_loss_limit=Decimal("0.9"),
                     price_collar=None,
                     breakers=BreakerConfig(flatten_on=frozenset({"max_drawdown"})))
    for _ in range(3):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    h.submit(BUY, "500")
    h.submit(SELL, "1000", iid=ETH)
    resting = h.submit(BUY, "1", kind=OrderType.LIMIT, price=Decimal(50))
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    assert h.portfolio.net_quantity(h.account_id, BTC) == 500
    h.bar(100, 100, 89, 89.5)  # -5.25k on BTC: 5.25% below the peak
    assert h.risk.breakers.is_active("max_drawdown", "account:test")
    assert resting.status is OrderStatus.CANCELED
    h.bar(89.5, 90, 89, 89.5)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    h.bar(89.5, 90, 89, 89.5)
    assert h.portfolio.positions(h.account_id) == []
