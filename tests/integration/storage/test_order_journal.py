"""The order journal: written before sending, atomic per event, fills once, restart-safe."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType
from aitrader.core.errors import PersistenceError
from aitrader.core.ids import StrategyId, TradeId, VenueOrderId
from aitrader.storage.db import session_factory
from aitrader.storage.models import FillRow, OrderRow
from aitrader.storage.order_journal import SqlOrderJournal
from aitrader.testkit.engine_factory import make_sim_engine


def _journaled_harness(engine: Engine):
    h = make_sim_engine()
    journal = SqlOrderJournal(session_factory(engine))
    h.engine.orders._journal = journal  # the runtime passes it at construction; same object
    return h, journal


class _SpyVenue:
    """The venue, with a look into the journal whenever an order reaches it (the simulator is
    compiled, so its methods cannot be replaced on the instance)."""

    def __init__(self, venue: object, journal: SqlOrderJournal, seen: list[str | None]) -> None:
        self._venue, self._journal, self._seen = venue, journal, seen

    def __getattr__(self, name: str) -> object:
        return getattr(self._venue, name)

    def submit_order(self, order) -> None:  # type: ignore[no-untyped-def]
        row = self._journal.load_order(order.client_order_id)
        self._seen.append(None if row is None else row.status.value)
        self._venue.submit_order(order)  # type: ignore[attr-defined]


def test_an_order_row_exists_before_the_venue_sees_the_order(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    seen_in_db: list[str | None] = []
    h.engine.orders._venues[h.venue.name] = _SpyVenue(h.venue, journal, seen_in_db)
    h.bar(100, 101, 99, 100)
    h.submit(OrderSide.BUY, OrderType.LIMIT, "1", price=Decimal("95.5"))
    assert seen_in_db == ["SUBMITTED"]


def test_events_fills_and_state_round_trip_exactly(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    h.bar(100, 101, 99, 100)
    order = h.submit(OrderSide.BUY, OrderType.MARKET, "0.12345")
    h.bar(100.01, 101, 99, 100)
    stored = journal.load_order(order.client_order_id)
    assert stored is not None
    assert stored.status is OrderStatus.FILLED
    assert stored.filled_qty == Decimal("0.12345") and stored.avg_px == Decimal("100.01")
    kinds = [e.kind for e in journal.events(order.client_order_id)]
    assert kinds == ["OrderSubmitted", "OrderAccepted", "OrderFilled"]
    [fill] = journal.fills(order.client_order_id)
    assert fill.quantity == Decimal("0.12345") and fill.price == Decimal("100.01")
    assert fill.commission == Decimal("0.12345") * Decimal("100.01") * Decimal("0.001")


def test_the_same_fill_twice_is_stored_once(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    h.bar(100, 101, 99, 100)
    order = h.submit(OrderSide.BUY, OrderType.MARKET, "1")
    h.bar(100, 101, 99, 100)
    [fill_event] = [e for e in order.events if isinstance(e, ev.OrderFilled)]
    journal.record_event(order, fill_event)  # a replayed fill (e.g. after a reconnect)
    assert len(journal.fills(order.client_order_id)) == 1


def test_an_event_that_cannot_be_stored_leaves_the_order_row_unchanged(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    h.bar(100, 101, 99, 100)
    order = h.submit(OrderSide.BUY, OrderType.LIMIT, "1", price=Decimal(90))
    before = journal.load_order(order.client_order_id)
    order.status = OrderStatus.CANCELED  # state the bad event would have written
    # a timestamp past BIGINT: the database refuses it after the order row was updated
    bad = ev.OrderFilled(order.client_order_id, 2**70, VenueOrderId("V"), TradeId("T1"),
                         order.account_id, StrategyId("s"), order.instrument_id, OrderSide.BUY,
                         Decimal(1), Decimal(90), Decimal(0), "USDT", LiquiditySide.MAKER)
    with pytest.raises(PersistenceError, match="could not store OrderFilled"):
        journal.record_event(order, bad)
    after = journal.load_order(order.client_order_id)
    assert before is not None and after is not None
    assert after.status is before.status is OrderStatus.ACCEPTED
    assert [e.kind for e in journal.events(order.client_order_id)] == [
        "OrderSubmitted", "OrderAccepted"]
    with journal._sessions() as s:
        assert s.scalar(select(func.count()).select_from(FillRow)) == 0


def test_open_orders_are_restored_after_a_restart_with_exact_state(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    h.bar(100, 101, 99, 100)
    resting = h.submit(OrderSide.BUY, OrderType.LIMIT, "0.5", price=Decimal("95.25"),
                       stop_loss=Decimal(90), take_profit=Decimal(120))
    done = h.submit(OrderSide.BUY, OrderType.MARKET, "0.1")
    h.bar(100, 101, 99, 100)
    restored = SqlOrderJournal(journal._sessions).load_open_orders()  # a new process
    assert [o.client_order_id for o in restored] == [resting.client_order_id]
    o = restored[0]
    assert (o.status, o.price, o.quantity, o.stop_loss, o.take_profit) == (
        OrderStatus.ACCEPTED, Decimal("95.25"), Decimal("0.5"), Decimal(90), Decimal(120))
    assert o.venue_order_id == resting.venue_order_id
    assert journal.load_order(done.client_order_id).status is OrderStatus.FILLED  # type: ignore[union-attr]


def test_client_order_ids_are_unique_per_run(engine: Engine) -> None:
    h, journal = _journaled_harness(engine)
    h.bar(100, 101, 99, 100)
    order = h.submit(OrderSide.BUY, OrderType.LIMIT, "1", price=Decimal(90))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        journal.record_order(order)
    other_run = SqlOrderJournal(journal._sessions, run_id="bt-1")
    other_run.record_order(order)  # the same id in another run is fine
    with journal._sessions() as s:
        assert s.scalar(select(func.count()).select_from(OrderRow)) == 2
