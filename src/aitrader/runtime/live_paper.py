"""Paper trading on live prices: an exchange's public feed (through the ccxt venue, no keys)
drives the engine, and the simulated exchange fills the orders.

The feed venue is never one of the engine's venues, so no order can reach the exchange; the
instruments (tick, lot, limits) are the exchange's own, loaded from its public markets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from aitrader.core.account import Account
from aitrader.core.errors import ConfigError, DataError
from aitrader.core.events import StrategyErrored
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import MarketData
from aitrader.core.ports import LiveTradingGate, OrderJournal, Subscription, Venue
from aitrader.engine.clock import LiveClock, SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.strategies.base import Strategy
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.venue import CcxtVenue
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel

log = logging.getLogger("aitrader.system")


@dataclass
class LiveFeedStatus:
    """What a paper node on a live feed reports."""

    items: int
    fills: int
    equity: dict[str, Decimal]
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


class LiveFeedNode:
    """Runs the engine on whatever the feed venue's subscriptions deliver."""

    def __init__(self, engine: TradingEngine, feed: Venue,
                 subscriptions: Sequence[Subscription]) -> None:
        self.engine = engine
        self.feed = feed
        self.subscriptions = list(subscriptions)
        self._items = 0
        self._dropped = 0
        self._errors: list[str] = []
        engine.bus.subscribe(StrategyErrored, lambda e: self._errors.append(
            f"strategy {e.strategy_id} stopped: {e.error} (in {e.callback})"))

    def _on_data(self, item: MarketData) -> None:
        try:
            self.engine.on_data(item)
        except DataError as exc:  # e.g. an item older than the clock: skipped, not fatal
            self._dropped += 1
            log.warning("dropped market data %s: %s", type(item).__name__, exc)
            return
        self._items += 1

    def status(self) -> LiveFeedStatus:
        """Items processed, fills, equity per account."""
        pf = self.engine.portfolio
        return LiveFeedStatus(self._items, pf.fill_count,
                              {str(a.id): pf.equity(a.id) for a in pf.accounts()},
                              self._dropped, list(self._errors))

    def run(self, max_items: int | None = None, duration_s: float | None = None,
            idle_sleep_s: float = 0.01) -> LiveFeedStatus:
        """Stream until ``max_items`` were processed, ``duration_s`` passed, or Ctrl-C."""
        for sub in self.subscriptions:
            self.feed.subscribe(sub, self._on_data)
        self.engine.start()
        deadline = None if duration_s is None else time.monotonic() + duration_s
        try:
            while max_items is None or self._items < max_items:
                if deadline is not None and time.monotonic() >= deadline:
                    break
                if self.feed.poll() == 0:
                    time.sleep(idle_sleep_s)
        except KeyboardInterrupt:
            log.info("stopping on request")
        finally:
            self.engine.stop()
            for sub in self.subscriptions:
                self.feed.unsubscribe(sub)
        return self.status()


def build_live_feed_node(
    feed_config: CcxtVenueConfig,
    accounts: Sequence[Account],
    strategies: Sequence[Strategy],
    subscriptions: Sequence[Subscription],
    fees: FeeModel,
    clock: SimClock | LiveClock | None = None,
    journal: OrderJournal | None = None,
) -> LiveFeedNode:
    """Connect the public feed, and build an engine whose only venue is the simulator.

    ``clock`` defaults to one moved by the feed's own timestamps (exchange time), so the
    simulator accepts and fills orders on the exchange's time line, live or replayed.
    """
    if feed_config.has_keys:
        raise ConfigError(f"feed venue {feed_config.name}: a market data feed takes no API keys")
    feed = CcxtVenue(feed_config, LiveClock(), LiveTradingGate.deny("market data feed only"))
    feed.connect()
    wanted = {s.instrument_id for s in subscriptions}
    by_id = {i.id: i for i in feed.instruments()}
    missing = sorted(str(i) for i in wanted - set(by_id))
    if missing:
        feed.disconnect()
        raise ConfigError(f"feed venue {feed_config.name} does not list {', '.join(missing)}")
    engine_clock = clock or SimClock(0)
    portfolio = Portfolio()
    for account in accounts:
        portfolio.add_account(account)
    sim = SimulatedExchange(feed_config.name, [by_id[i] for i in _ordered(wanted)],
                            engine_clock, portfolio, fees)
    engine = TradingEngine(engine_clock, {feed_config.name: sim}, portfolio,
                           PreTradeRisk(portfolio), journal=journal)
    for strategy in strategies:
        engine.add_strategy(strategy)
    return LiveFeedNode(engine, feed, subscriptions)


def _ordered(ids: set[InstrumentId]) -> list[InstrumentId]:
    return sorted(ids, key=str)
