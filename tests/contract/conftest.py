"""Venue kits for the conformance suite: each builds a real engine around one venue and knows
how to make that venue trade (a bar for the simulator, the replay server for an exchange)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import pytest

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.order import Order
from aitrader.core.ports import Venue
from aitrader.engine.clock import LiveClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.testkit.engine_factory import SimHarness, make_sim_engine

FIXTURES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "ccxt").resolve()


class VenueKit(Protocol):
    """What the conformance suite needs from each venue under test."""

    venue: Venue
    engine: TradingEngine
    instrument: Instrument
    account_id: AccountId

    def submit(self, side: OrderSide, kind: OrderType, qty: str,
               price: str | None = None) -> Order: ...

    def trade_through(self, order: Order, filled: str, price: str) -> None: ...

    def settle(self, done: Callable[[], bool], timeout_s: float = 5.0) -> bool: ...


class _Submitting:
    engine: TradingEngine
    instrument: Instrument
    account_id: AccountId

    def submit(self, side: OrderSide, kind: OrderType, qty: str,
               price: str | None = None) -> Order:
        sid = StrategyId("conf")
        orders = self.engine.orders
        return orders.submit(SubmitOrder(
            orders.next_order_id(sid), sid, self.account_id, self.instrument.id, side, kind,
            Decimal(qty), None if price is None else Decimal(price)))


class SimKit(_Submitting):
    """The simulated exchange: fills come from a bar trading through the order's price."""

    def __init__(self) -> None:
        self.h: SimHarness = make_sim_engine()
        self.venue = self.h.venue
        self.engine = self.h.engine
        self.instrument = self.h.instrument
        self.account_id = self.h.account_id
        self.h.bar(100, 101, 99, 100)

    def trade_through(self, order: Order, filled: str, price: str) -> None:
        px = float(price)
        self.h.bar(px, px + 1, px - 1, px)

    def settle(self, done: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        return done()


class CcxtKrakenKit(_Submitting):
    """The ccxt venue on kraken's recorded payloads, served from 127.0.0.1."""

    def __init__(self, server: Any, replay: Any) -> None:
        from aitrader.core.ports import LiveTradingGate
        from aitrader.venues.ccxt.config import CcxtVenueConfig
        from aitrader.venues.ccxt.venue import CcxtVenue

        self.replay = replay
        replay.serve_all()
        replay.accept_orders([f"OCONF{i}-AAAAA-BBBBBB" for i in range(1, 10)])
        config = CcxtVenueConfig(
            name="kraken", exchange="kraken", api_key="key", secret=_KRAKEN_DOC_SECRET,
            sandbox=False, endpoint_override=server.base_url, rate_limit_ms=1,
            poll_interval_s=0.02, reconnect_initial_s=0.01)
        clock = LiveClock()
        venue = CcxtVenue(config, clock, LiveTradingGate.allow("conformance test, local server"))
        venue.connect()
        self.venue = venue
        portfolio = Portfolio()
        self.account_id = AccountId("kraken-test")
        portfolio.add_account(Account(self.account_id, "kraken", "USDT",
                                      {"USDT": Decimal(10_000)}))
        self.engine = TradingEngine(clock, {"kraken": venue}, portfolio, PreTradeRisk(portfolio))
        self.instrument = next(i for i in venue.instruments()
                               if i.id == InstrumentId("LTC/USDT", "kraken"))
        portfolio.update_mark(self.instrument.id, 70.0)

    def trade_through(self, order: Order, filled: str, price: str) -> None:
        assert order.venue_order_id is not None
        status = "closed" if Decimal(filled) >= order.quantity else "open"
        self.replay.fill(order.venue_order_id, filled, price, "0.018475", status)

    def settle(self, done: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.venue.poll()
            if done():
                return True
            time.sleep(0.005)
        return done()


# Kraken's documented example private key (Spot REST authentication guide)
_KRAKEN_DOC_SECRET = (
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
)


@pytest.fixture(params=["simulated", "ccxt-kraken"])
def kit(request: pytest.FixtureRequest) -> Iterator[VenueKit]:
    """Every venue the suite runs on."""
    if request.param == "simulated":
        yield SimKit()
        return
    from aitrader.testkit.ccxt_replay import KrakenReplay
    from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer

    fixtures = CcxtFixtures(FIXTURES)
    if not fixtures.has("kraken", "response", "markets", "currencies"):
        pytest.skip(f"kraken fixtures not found in {FIXTURES}")
    with ExchangeServer() as server:
        kit = CcxtKrakenKit(server, KrakenReplay(server, fixtures))
        try:
            yield kit
        finally:
            kit.venue.disconnect()
