"""The connector's pure parts: error translation, client order ids, capabilities of the ten
exchanges (built offline), ccxt structures → domain values, cumulative fill steps, config."""

from __future__ import annotations

import re
from decimal import Decimal

import ccxt
import pytest
from ccxt.base.decimal_to_precision import DECIMAL_PLACES, SIGNIFICANT_DIGITS, TICK_SIZE

from aitrader.core import errors
from aitrader.core.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.errors import ConfigError, DataError
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.ports import OrderReport
from aitrader.venues.ccxt import translate
from aitrader.venues.ccxt.capabilities import capabilities_of
from aitrader.venues.ccxt.client_factory import build_exchange, rewrite_urls
from aitrader.venues.ccxt.client_ids import RULES, venue_client_id
from aitrader.venues.ccxt.config import SUPPORTED_EXCHANGES, CcxtVenueConfig
from aitrader.venues.ccxt.error_mapping import is_ambiguous
from aitrader.venues.ccxt.error_mapping import translate as translate_error
from aitrader.venues.ccxt.order_tracker import TrackedOrder

LTC = InstrumentId("LTC/USDT", "kraken")


@pytest.mark.parametrize(("raised", "expected", "kind"), [
    (ccxt.AuthenticationError("bad key"), errors.AuthenticationFailed, "authentication failed"),
    (ccxt.PermissionDenied("no trading"), errors.AuthenticationFailed, "authentication failed"),
    (ccxt.InsufficientFunds("balance"), errors.InsufficientFunds, "insufficient funds"),
    (ccxt.InvalidOrder("tick"), errors.OrderRejected, "invalid order"),
    (ccxt.OrderNotFound("gone"), errors.OrderNotFound, "order not found"),
    (ccxt.BadSymbol("XYZ"), errors.OrderRejected, "invalid order"),
    (ccxt.RateLimitExceeded("429"), errors.RateLimited, "rate limited"),
    (ccxt.DDoSProtection("slow down"), errors.RateLimited, "rate limited"),
    (ccxt.ExchangeNotAvailable("503"), errors.VenueUnavailable, "exchange down"),
    (ccxt.RequestTimeout("timeout"), errors.VenueUnavailable, "exchange down"),
    (ccxt.ExchangeError("odd"), errors.VenueError, "exchange error"),
])
def test_ccxt_errors_become_domain_errors_naming_exchange_and_action(
        raised: Exception, expected: type[Exception], kind: str) -> None:
    got = translate_error(raised, "binance", "placing s-1")
    assert type(got) is expected
    assert str(got).startswith(f"binance: {kind}") and "while placing s-1" in str(got)


def test_only_failures_where_the_request_may_have_landed_are_ambiguous() -> None:
    assert is_ambiguous(ccxt.RequestTimeout("t")) and is_ambiguous(ccxt.NetworkError("reset"))
    assert not is_ambiguous(ccxt.RateLimitExceeded("429"))
    assert not is_ambiguous(ccxt.InsufficientFunds("no"))


@pytest.mark.parametrize("exchange", SUPPORTED_EXCHANGES)
def test_client_ids_are_deterministic_and_fit_each_exchange(exchange: str) -> None:
    for ours in ("sma-1", "momentum_breakout_btc_usdt-123456", "x" * 70):
        sent = venue_client_id(exchange, ours)
        assert sent == venue_client_id(exchange, ours)
        assert RULES[exchange].fits(sent) or (RULES[exchange].fallback == "uuid"
                                              and re.fullmatch(r"[0-9a-f-]{36}", sent))
    assert venue_client_id("okx", "sma-1") != "sma-1"  # okx allows letters and digits only
    assert venue_client_id("bitfinex", "sma-1").isdigit()
    assert venue_client_id("binance", "sma-1") == "sma-1"


@pytest.mark.parametrize("exchange", SUPPORTED_EXCHANGES)
def test_every_supported_exchange_builds_offline_with_market_and_limit_orders(
        exchange: str) -> None:
    config = CcxtVenueConfig(name=exchange, exchange=exchange, sandbox=False)
    client = build_exchange(config)
    caps = capabilities_of(client)
    assert {OrderType.MARKET, OrderType.LIMIT} <= caps.order_types
    assert TimeInForce.GTC in caps.time_in_force and TimeInForce.DAY not in caps.time_in_force
    assert client.enableRateLimit is True and client.rateLimit > 0
    assert caps.streams == frozenset({"trades", "bars", "book"})


def test_amending_counts_only_where_the_exchange_edits_in_place() -> None:
    def modify(ex: str) -> bool:
        return capabilities_of(build_exchange(CcxtVenueConfig(name=ex, exchange=ex,
                                                               sandbox=False))).modify

    assert modify("binance") and modify("kraken")
    assert not modify("gemini") and not modify("htx")  # ccxt emulates: cancel + new order


def test_sandbox_points_binance_at_its_testnet_and_refuses_where_none_exists() -> None:
    testnet = build_exchange(CcxtVenueConfig(name="b", exchange="binance", sandbox=True))
    assert "testnet" in testnet.urls["api"]["public"]
    with pytest.raises(ConfigError, match="kraken has no sandbox"):
        build_exchange(CcxtVenueConfig(name="k", exchange="kraken", sandbox=True))


def test_an_endpoint_override_moves_every_rest_and_websocket_host_under_one_base() -> None:
    urls = {"public": "https://api.kraken.com", "ws": {"public": "wss://ws.kraken.com"},
            "doc": ["https://docs.kraken.com/x"], "tpl": "https://api.{hostname}/v5"}
    got = rewrite_urls(urls, "http://127.0.0.1:5")
    assert got == {"public": "http://127.0.0.1:5/api.kraken.com",
                   "ws": {"public": "ws://127.0.0.1:5/ws.kraken.com"},
                   "doc": ["http://127.0.0.1:5/docs.kraken.com/x"],
                   "tpl": "http://127.0.0.1:5/api.{hostname}/v5"}


def test_keys_come_from_the_environment_and_never_render() -> None:
    config = CcxtVenueConfig(name="b", exchange="binance").with_env_credentials({
        "BINANCE_API_KEY": "k-123", "BINANCE_SECRET": "s-456", "BINANCE_PASSPHRASE": "p-789",
        "BINANCE_SANDBOX": "false"})
    assert config.api_key is not None and config.api_key.get_secret_value() == "k-123"
    assert config.sandbox is False and config.has_keys
    text = repr(config) + str(config) + config.model_dump_json()
    assert "k-123" not in text and "s-456" not in text and "p-789" not in text
    with pytest.raises(ValueError, match="BINANCE_SANDBOX must be true or false, was 'maybe'"):
        CcxtVenueConfig(name="b", exchange="binance").with_env_credentials(
            {"BINANCE_SANDBOX": "maybe"})


def test_an_unsupported_exchange_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="was 'mtgox'"):
        CcxtVenueConfig(name="m", exchange="mtgox")


@pytest.mark.parametrize(("mode", "raw", "step"), [
    (TICK_SIZE, 1e-05, Decimal("0.00001")), (TICK_SIZE, "0.5", Decimal("0.5")),
    (DECIMAL_PLACES, 2, Decimal("0.01")), (SIGNIFICANT_DIGITS, 5, Decimal("1e-8")),
])
def test_precision_in_every_ccxt_mode_becomes_an_exact_step(
        mode: int, raw: object, step: Decimal) -> None:
    assert translate.step(raw, mode, "price", "X/Y") == step


def test_a_market_without_precision_is_a_data_error_naming_it() -> None:
    with pytest.raises(DataError, match="market X/Y has no price precision"):
        translate.step(None, TICK_SIZE, "price", "X/Y")


@pytest.mark.parametrize(("status", "filled", "expected"), [
    ("open", 0, OrderStatus.ACCEPTED), ("open", 0.04, OrderStatus.PARTIALLY_FILLED),
    ("closed", 0.1, OrderStatus.FILLED), ("canceled", 0, OrderStatus.CANCELED),
    ("expired", 0, OrderStatus.EXPIRED), ("rejected", 0, OrderStatus.REJECTED),
])
def test_ccxt_order_statuses_map_to_ours(status: str, filled: float,
                                         expected: OrderStatus) -> None:
    assert translate.order_status({"status": status, "filled": filled}) is expected


def _tracked() -> TrackedOrder:
    return TrackedOrder(ClientOrderId("s-1"), "s-1", LTC, OrderSide.BUY, Decimal("0.1"),
                        AccountId("a"), StrategyId("s"))


def _report(filled: str, avg: str | None) -> OrderReport:
    return OrderReport(LTC, "V1", "s-1", OrderSide.BUY, OrderType.LIMIT, OrderStatus.ACCEPTED,
                       Decimal("0.1"), Decimal(filled), Decimal("50"),
                       None if avg is None else Decimal(avg))


def test_cumulative_reports_become_fills_whose_trade_ids_name_the_level() -> None:
    tracked = _tracked()
    first = tracked.step(_report("0.04", "50"), Decimal("0.0032"), "USDT", 1)
    assert first is not None and first.trade_id == "V1:0.04"
    assert (first.quantity, first.price, first.commission) == (
        Decimal("0.04"), Decimal("50"), Decimal("0.0032"))
    assert tracked.step(_report("0.04", "50"), Decimal("0.0032"), "USDT", 2) is None
    second = tracked.step(_report("0.1", "49.4"), Decimal("0.008"), "USDT", 3)
    assert second is not None and second.trade_id == "V1:0.1"
    assert second.quantity == Decimal("0.06") and second.price == Decimal("49")
    assert second.commission == Decimal("0.0048")


def test_a_report_without_any_price_waits_for_one_that_has_it() -> None:
    tracked = _tracked()
    report = OrderReport(LTC, "V1", "s-1", OrderSide.BUY, OrderType.MARKET,
                         OrderStatus.ACCEPTED, Decimal("0.1"), Decimal("0.1"))
    assert tracked.step(report, None, "", 1) is None and tracked.filled == 0
