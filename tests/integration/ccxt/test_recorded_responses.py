"""Every recorded response case of every supported exchange (as far as ccxt's fixtures in
shared/fixtures/ccxt go): served from 127.0.0.1 at the URL path ccxt's request recordings
give, fetched through ccxt, and translated into domain values equal to those of ccxt's own
recorded parse. Exchanges whose fixtures are not there yet are skipped, naming the files."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import pytest

from aitrader.core.ids import InstrumentId
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer, Reply
from aitrader.venues.ccxt import translate
from aitrader.venues.ccxt.client_factory import build_exchange
from aitrader.venues.ccxt.config import SUPPORTED_EXCHANGES, CcxtVenueConfig

METHODS = ("createOrder", "fetchOrder", "fetchOpenOrders", "fetchClosedOrders", "fetchOHLCV",
           "fetchTrades", "fetchMyTrades", "fetchBalance", "fetchOrderBook")
_ASYNC = {"createOrder": "create_order", "fetchOrder": "fetch_order",
          "fetchOpenOrders": "fetch_open_orders", "fetchClosedOrders": "fetch_closed_orders",
          "fetchOHLCV": "fetch_ohlcv", "fetchTrades": "fetch_trades",
          "fetchMyTrades": "fetch_my_trades", "fetchBalance": "fetch_balance",
          "fetchOrderBook": "fetch_order_book"}


def _project(method: str, parsed: Any, exchange: str) -> Any:
    """Our domain view of a unified ccxt result (what the connector keeps of it)."""
    if method in ("createOrder", "fetchOrder"):
        return translate.order_report(parsed, exchange)
    if method in ("fetchOpenOrders", "fetchClosedOrders"):
        return [translate.order_report(o, exchange) for o in parsed]
    if method == "fetchOHLCV":
        return [translate.bar(r, InstrumentId("X/Y", exchange), 0) for r in parsed]
    if method in ("fetchTrades", "fetchMyTrades"):
        return [(t["id"], t["price"], t["amount"], t["side"], t["timestamp"]) for t in parsed]
    if method == "fetchBalance":
        return translate.balances(parsed)
    return translate.book(parsed, InstrumentId("X/Y", exchange), 0)


def _cases(fixtures: CcxtFixtures, exchange: str) -> list[tuple[str, dict[str, Any], str]]:
    out = []
    for method in METHODS:
        requests = fixtures.request_cases(exchange, method)
        if not requests:
            continue  # no recorded URL for this method: the path is unknown
        path = urlsplit(requests[0]["url"]).path
        for case in fixtures._load("response", exchange)["methods"].get(method) or []:
            if not case.get("disabled") and "parsedResponse" in case:
                out.append((method, case, path))
    return out


@pytest.mark.parametrize("exchange", SUPPORTED_EXCHANGES)
def test_recorded_responses_translate_like_ccxts_recorded_parse(
        exchange: str, fixtures: CcxtFixtures, server: ExchangeServer) -> None:
    if not fixtures.has(exchange, "request", "response", "markets"):
        pytest.skip(f"no request/response/markets fixtures for {exchange} in {fixtures.root}")
    cases = _cases(fixtures, exchange)
    assert cases, f"{exchange}: no response case with a recorded request URL"
    config = CcxtVenueConfig(name=exchange, exchange=exchange, sandbox=False, api_key="key",
                             secret="c2VjcmV0", passphrase="pass", rate_limit_ms=1,
                             endpoint_override=server.base_url)
    checked = asyncio.run(_check_all(config, fixtures, server, cases))
    assert checked == len(cases)


async def _check_all(config: CcxtVenueConfig, fixtures: CcxtFixtures, server: ExchangeServer,
                     cases: list[tuple[str, dict[str, Any], str]]) -> int:
    client = build_exchange(config)
    currencies = fixtures.currencies(config.exchange) if fixtures.has(
        config.exchange, "currencies") else None
    client.set_markets(list(fixtures.markets(config.exchange).values()), currencies)
    checked = 0
    try:
        for method, case, path in cases:
            server.on(path, Reply(case["httpResponse"]))
            result = await getattr(client, _ASYNC[method])(*case["input"])
            got = _project(method, result, config.exchange)
            want = _project(method, case["parsedResponse"], config.exchange)
            assert got == want, f"{config.exchange} {method} {case['description']!r}"
            checked += 1
    finally:
        await client.close()
    return checked
