"""Compose the trading service from settings: the paper node, its database, restored strategy
instances, the bar cache, the kill switch. Used by ``aitrader up`` and the API tests."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide
from aitrader.core.errors import ConfigError
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from aitrader.data.timeframes import parse_timeframe
from aitrader.engine.trading_engine import TradingEngine
from aitrader.risk.risk_engine import RiskEngine
from aitrader.runtime.equity_recorder import EquityRecorder
from aitrader.runtime.logging_notifier import LoggingNotifier
from aitrader.runtime.paper import PaperNode
from aitrader.runtime.paper_from_settings import build_paper_from_settings
from aitrader.runtime.paper_store import PaperStore
from aitrader.runtime.risk_runtime import RiskRuntime
from aitrader.runtime.service import TradingService
from aitrader.runtime.service_cache import BarCache, InMemoryBarCache, RedisBarCache
from aitrader.runtime.service_ops import MANUAL
from aitrader.runtime.service_orders import OrderView
from aitrader.runtime.service_risk import RiskControl
from aitrader.runtime.service_risk_engine import RiskEngineControl
from aitrader.runtime.settings import AppSettings
from aitrader.storage.equity_history import EquityHistory
from aitrader.storage.repositories import StrategyInstanceRepository
from aitrader.storage.service_repository import OrderQueries
from aitrader.strategies.base import Strategy
from aitrader.strategies.registry import StrategyRegistry

log = logging.getLogger("aitrader.system")


@dataclass
class ServiceParts:
    """Everything ``aitrader up`` runs in one process, besides the API itself."""

    settings: AppSettings
    store: PaperStore
    service: TradingService
    registry: StrategyRegistry
    risk: RiskControl
    instances: StrategyInstanceRepository
    equity: EquityRecorder | None = None

    def persist(self, strategy: Strategy, status: str) -> None:
        """Save an instance's parameters, state and status (runs on the engine thread)."""
        self.instances.save(strategy.id, type(strategy).name, strategy.account_id,
                            [str(i) for i in strategy.instruments], "1m",
                            strategy.params.model_dump(mode="json"), strategy.get_state(), status)


def build_service(
    settings: AppSettings,
    seconds_per_bar: float | None = None,
    registry: StrategyRegistry | None = None,
    cache: BarCache | None = None,
) -> ServiceParts:
    """Migrate the database, close orphaned orders, build the node and restore instances."""
    registry = registry or StrategyRegistry.default()
    store = PaperStore.open(settings.env.database_url)
    closed = store.close_orphans(time.time_ns())
    if closed:
        log.info("closed %d paper orders left working by the previous run", closed)
    node = build_paper_from_settings(settings, registry=registry, journal=store.journal,
                                     seconds_per_bar=0, now_ns=_resume_ns(settings, store))
    store.continue_numbering(node)
    restored = _replay_fills(node.engine, store)
    if restored:
        log.info("restored positions and balances from %d stored fills", restored)
    node.engine.orders.restore_counter(MANUAL, store.journal.last_sequence(MANUAL))
    instances = StrategyInstanceRepository(store.sessions)
    autostart = _restore_instances(node.engine, registry, instances)
    if cache is None:
        url = settings.env.redis_url
        cache = RedisBarCache(url) if url else InMemoryBarCache()
    pace = settings.trading.market_data.seconds_per_bar if seconds_per_bar is None \
        else seconds_per_bar
    if not isinstance(node.risk, RiskEngine):
        raise ConfigError("the paper node has no risk engine to serve as the kill switch")
    risk: RiskControl = RiskEngineControl(node.risk)
    risk_runtime = RiskRuntime(node.engine, LoggingNotifier(), store.risk_events,
                               store.risk_commands)
    equity = EquityRecorder(node.engine, EquityHistory(store.sessions),
                            settings.env.equity_snapshot_s)

    def between_bars() -> None:
        risk_runtime.poll()
        equity.after_bar()

    def on_stop(stopping: PaperNode) -> None:
        store.save_state(stopping)
        equity.close()

    service = TradingService(node, node.feed, pace, cache=cache, on_stop=on_stop,
                             autostart=autostart, orders=_order_view(store),
                             between_bars=between_bars)
    return ServiceParts(settings, store, service, registry, risk, instances, equity)


def _resume_ns(settings: AppSettings, store: PaperStore) -> int:
    """The simulated market runs faster than the wall clock, so a restart at 'now' would go
    back in time: it starts after the newest recorded equity snapshot instead, and the equity
    history stays in time order across restarts (a replayed file keeps its own times)."""
    now = time.time_ns()
    last = EquityHistory(store.sessions).last_ts()
    if last is None or settings.trading.market_data.kind != "simulated":
        return now
    return max(now, last + parse_timeframe(settings.trading.market_data.timeframe))


def _replay_fills(engine: TradingEngine, store: PaperStore) -> int:
    """Positions, balances, realized P&L and fees of earlier runs come back by booking their
    stored fills again, oldest first (fills of accounts or instruments no longer configured
    are skipped, loudly). Working orders do not come back: the paper venue that held them
    ended with its process, so ``close_orphans`` recorded them as cancelled."""
    pf = engine.portfolio
    accounts = {a.id for a in pf.accounts()}
    booked = skipped = 0
    for row in store.journal.fills():
        iid = InstrumentId.parse(row.instrument_id)
        if row.account_id not in accounts or pf.instrument(iid) is None:
            skipped += 1
            continue
        pf.apply_fill(ev.OrderFilled(
            ClientOrderId(row.client_order_id), row.ts_event, VenueOrderId(""),
            TradeId(row.trade_id), AccountId(row.account_id), StrategyId(row.strategy_id), iid,
            OrderSide(row.side), row.quantity, row.price, row.commission,
            row.commission_currency, LiquiditySide(row.liquidity)))
        booked += 1
    if skipped:
        log.warning("%d stored fills name accounts or instruments no longer configured; "
                    "not restored", skipped)
    return booked


def _order_view(store: PaperStore, capacity: int = 200_000) -> OrderView:
    """The journal's newest orders (up to ``capacity``) as the API's in-memory read model."""
    view = OrderView(capacity)
    rows, more = OrderQueries(store.sessions).list(limit=capacity)
    for row in rows:
        row.pop("pk", None)
        row.setdefault("reason", None)
    view.load(reversed(rows), more)
    return view


def _restore_instances(engine: TradingEngine, registry: StrategyRegistry,
                       instances: StrategyInstanceRepository) -> set[StrategyId]:
    """Instances created through the API come back; every instance gets its saved state and
    starts only if it was running when the process stopped (configured ones start anyway)."""
    configured = {s.id for s in engine.strategies.all()}
    autostart = set(configured)
    for row in instances.all():
        sid = StrategyId(row.id)
        strategy = engine.strategies.get(sid)
        if strategy is None:
            try:
                iids = [InstrumentId.parse(t) for t in row.instruments]
                strategy = registry.get(row.type)(row.id, row.account_id, iids, row.params)
                engine.add_strategy(strategy)
            except Exception as exc:  # a stored instance that no longer fits is skipped, loudly
                log.error("stored strategy %s not restored: %s", row.id, exc)
                continue
            if row.status == "running":
                autostart.add(sid)
        if row.state:
            strategy.set_state(row.state)
    return autostart
