"""The paper runtime's database: migrated at start, orders journaled, state saved at stop."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aitrader.core.events import OrderCanceled
from aitrader.runtime.paper import PaperNode
from aitrader.storage.db import session_factory
from aitrader.storage.migrate import upgrade_to_head
from aitrader.storage.order_journal import SqlOrderJournal
from aitrader.storage.repositories import (
    AccountRepository,
    PositionRepository,
    StrategyInstanceRepository,
)
from aitrader.storage.risk_models import RiskCommandQueue, RiskEventStore


@dataclass
class PaperStore:
    """Storage of one paper runtime (run id '')."""

    engine: Engine
    sessions: sessionmaker[Session]
    journal: SqlOrderJournal

    @classmethod
    def open(cls, database_url: str) -> PaperStore:
        """Create or upgrade the schema and open the journal."""
        engine = upgrade_to_head(database_url)
        sessions = session_factory(engine)
        return cls(engine, sessions, SqlOrderJournal(sessions))

    @property
    def risk_events(self) -> RiskEventStore:
        """Breaker trips, resets and kill switches of the paper/live runtime."""
        return RiskEventStore(self.sessions)

    @property
    def risk_commands(self) -> RiskCommandQueue:
        """Requests from ``aitrader risk`` to the running node."""
        return RiskCommandQueue(self.sessions)

    def close_orphans(self, now_ns: int) -> int:
        """Orders an earlier process left working were held by its in-process paper venue,
        which is gone: record them as cancelled instead of leaving them open forever."""
        orphans = self.journal.load_open_orders()
        for order in orphans:
            event = OrderCanceled(order.client_order_id, max(now_ns, order.ts_last),
                                  "paper venue restarted; its working orders ended with it")
            order.apply(event)
            self.journal.record_event(order, event)
        return len(orphans)

    def continue_numbering(self, node: PaperNode) -> None:
        """Client order ids continue after those stored by earlier runs."""
        for strategy in node.engine.strategies.all():
            node.engine.orders.restore_counter(strategy.id,
                                               self.journal.last_sequence(strategy.id))

    def save_state(self, node: PaperNode) -> None:
        """Accounts, positions and strategy instances as they are now."""
        pf = node.engine.portfolio
        accounts = AccountRepository(self.sessions)
        positions = PositionRepository(self.sessions)
        for account in pf.accounts():
            accounts.save(account)
            for iid in {o.instrument_id for o in node.engine.orders.orders()
                        if o.account_id == account.id}:
                pos = pf.position(account.id, iid)
                if pos is not None:
                    positions.save(account.id, pos)
        instances = StrategyInstanceRepository(self.sessions)
        for strategy in node.engine.strategies.all():
            status = "running" if node.engine.strategies.is_running(strategy.id) else "stopped"
            instances.save(strategy.id, strategy.name, strategy.account_id,
                           [str(i) for i in strategy.instruments], "1m",
                           strategy.params.model_dump(mode="json"), strategy.get_state(), status)
