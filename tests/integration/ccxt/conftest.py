"""A local exchange server replaying kraken's recorded payloads, and engines wired to the ccxt
venue pointed at it (127.0.0.1, an ephemeral port)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.order import Order
from aitrader.core.ports import LiveTradingGate, OrderJournal
from aitrader.engine.clock import LiveClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.testkit.ccxt_replay import KrakenReplay
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.venue import CcxtVenue

FIXTURES = (Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "ccxt").resolve()
# Kraken's documented example private key (Spot REST authentication guide)
KRAKEN_DOC_SECRET = (
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
)
LTC = InstrumentId("LTC/USDT", "kraken")
ACCOUNT = AccountId("kraken-main")


@pytest.fixture(scope="session")
def fixtures() -> CcxtFixtures:
    """ccxt's recorded payloads (skips when the shared fixtures are absent)."""
    fx = CcxtFixtures(FIXTURES)
    if not fx.has("kraken", "request", "response", "markets", "currencies"):
        pytest.skip(f"kraken fixtures not found in {FIXTURES}")
    return fx


@pytest.fixture
def server() -> Iterator[ExchangeServer]:
    """A fresh local exchange server."""
    with ExchangeServer() as srv:
        yield srv


@pytest.fixture
def kraken(server: ExchangeServer, fixtures: CcxtFixtures) -> KrakenReplay:
    """Kraken's markets, balances, orders and cancels on the local server."""
    replay = KrakenReplay(server, fixtures)
    replay.serve_all()
    return replay


def kraken_config(server: ExchangeServer, **overrides: Any) -> CcxtVenueConfig:
    """A kraken venue pointed at the local server, fast polling and backoff."""
    values: dict[str, Any] = {
        "name": "kraken", "exchange": "kraken", "api_key": "key", "secret": KRAKEN_DOC_SECRET,
        "sandbox": False, "endpoint_override": server.base_url, "rate_limit_ms": 1,
        "poll_interval_s": 0.02, "reconnect_initial_s": 0.01, "reconnect_max_s": 0.05,
        "timeout_s": 2.0, "account_id": str(ACCOUNT),
    }
    values.update(overrides)
    return CcxtVenueConfig(**values)


@dataclass
class Node:
    """An engine with the kraken venue as its only venue."""

    engine: TradingEngine
    venue: CcxtVenue
    portfolio: Portfolio

    def submit(self, side: OrderSide, kind: OrderType, qty: str, price: str | None = None,
               strategy: str = "k") -> Order:
        sid = StrategyId(strategy)
        orders = self.engine.orders
        return orders.submit(SubmitOrder(
            orders.next_order_id(sid), sid, ACCOUNT, LTC, side, kind, Decimal(qty),
            None if price is None else Decimal(price)))

    def settle(self, done: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        """Poll the venue (engine thread) until ``done()`` or the timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.venue.poll()
            if done():
                return True
            time.sleep(0.005)
        self.venue.poll()
        return done()


def make_node(server: ExchangeServer, gate: LiveTradingGate | None = None,
              journal: OrderJournal | None = None, **overrides: Any) -> Node:
    """Connect a kraken venue and build an engine around it."""
    clock = LiveClock()
    venue = CcxtVenue(kraken_config(server, **overrides), clock,
                      gate or LiveTradingGate.allow("integration test on a local server"))
    try:
        venue.connect()
    except Exception:
        venue.disconnect()
        raise
    portfolio = Portfolio()
    portfolio.add_account(Account(ACCOUNT, "kraken", "USDT", {"USDT": Decimal(10_000)}))
    engine = TradingEngine(clock, {"kraken": venue}, portfolio, PreTradeRisk(portfolio),
                           journal=journal)
    portfolio.update_mark(LTC, 70.0)
    return Node(engine, venue, portfolio)


@pytest.fixture
def node(server: ExchangeServer, kraken: KrakenReplay) -> Iterator[Node]:
    """A connected node; disconnected afterwards."""
    n = make_node(server)
    try:
        yield n
    finally:
        n.venue.disconnect()


@pytest.fixture
def node_factory(server: ExchangeServer) -> Iterator[Callable[..., Node]]:
    """Build more nodes (e.g. a restart); every one is disconnected afterwards."""
    made: list[Node] = []

    def build(**kwargs: Any) -> Node:
        n = make_node(server, **kwargs)
        made.append(n)
        return n

    yield build
    for n in made:
        n.venue.disconnect()
