"""aitrader up across restarts: nothing stored is overwritten, nothing is left half-open."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.runtime.paper_store import PaperStore
from aitrader.storage.models import FillRow, OrderRow
from aitrader.testkit.engine_factory import make_sim_engine

runner = CliRunner()


def _count(store: PaperStore, table) -> int:
    with store.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_two_runs_store_every_order_and_fill_with_fresh_ids(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'paper.db'}"
    args = ["up", "--config-dir", str(tmp_path), "--max-bars", "500", "--seconds-per-bar", "0"]
    first = runner.invoke(app, args, env={"DATABASE_URL": url})
    assert first.exit_code == 0, first.output
    store = PaperStore.open(url)
    orders_1, fills_1 = _count(store, OrderRow), _count(store, FillRow)
    assert orders_1 > 0 and fills_1 > 0
    second = runner.invoke(app, args, env={"DATABASE_URL": url})
    assert second.exit_code == 0, second.output
    assert _count(store, OrderRow) > orders_1
    assert _count(store, FillRow) > fills_1  # the new run's fills were not taken for duplicates
    assert store.journal.last_sequence("sma-btc") == _count(store, OrderRow)


def test_orders_left_working_by_a_previous_run_are_closed_with_a_recorded_reason(
    tmp_path: Path,
) -> None:
    store = PaperStore.open(f"sqlite:///{tmp_path / 'paper.db'}")
    h = make_sim_engine()
    h.engine.orders._journal = store.journal
    h.bar(100, 101, 99, 100)
    resting = h.submit(OrderSide.BUY, OrderType.LIMIT, "1", price=Decimal(90))
    assert resting.status is OrderStatus.ACCEPTED
    assert store.close_orphans(h.clock.now_ns() + 1) == 1
    after = store.journal.load_order(resting.client_order_id)
    assert after is not None and after.status is OrderStatus.CANCELED
    assert store.journal.events(resting.client_order_id)[-1].payload["reason"].startswith(
        "paper venue restarted")
    assert store.close_orphans(h.clock.now_ns() + 2) == 0
