"""Trips are persisted and alerted, restored after a restart, and requests queued by the CLI are
carried out by the running node."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from risk_harness import BTC, MakeHarness
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.core.enums import OrderSide, OrderStatus
from aitrader.core.ports import Notifier
from aitrader.runtime.logging_notifier import LoggingNotifier
from aitrader.runtime.paper_store import PaperStore
from aitrader.runtime.risk_runtime import RiskRuntime
from aitrader.storage.models import Base

BUY, SELL = OrderSide.BUY, OrderSide.SELL


class _BrokenChannel:
    def notify(self, subject: str, body: str) -> None:
        raise ConnectionError("smtp down")


def test_the_migrated_schema_has_the_risk_tables_as_modelled(tmp_path: Path) -> None:
    store = PaperStore.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_a_trip_is_stored_alerted_and_still_active_after_a_restart(
        make_harness: MakeHarness, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = PaperStore.open(url)
    h = make_harness()
    alerts = LoggingNotifier()
    RiskRuntime(h.engine, alerts, store.risk_events, store.risk_commands)
    h.flat_bars(3)
    h.risk.on_venue_down("SIM", "socket closed")
    h.risk.halt("operator says stop", "account:test")
    assert [s for s, _ in alerts.sent] == ["HALT venue_down on venue:SIM",
                                           "HALT manual on account:test"]
    rows = store.risk_events.events()
    assert [(r.kind, r.breaker) for r in rows] == [("tripped", "venue_down"),
                                                    ("tripped", "manual")]

    restarted = make_harness()
    RiskRuntime(restarted.engine, LoggingNotifier(), PaperStore.open(url).risk_events)
    restarted.flat_bars(3)
    assert restarted.risk.breakers.is_active("manual", "account:test")
    assert restarted.submit(BUY, "1").status is OrderStatus.DENIED


def test_a_failing_alert_channel_does_not_stop_the_halt(make_harness: MakeHarness) -> None:
    h = make_harness()
    channel: Notifier = _BrokenChannel()
    RiskRuntime(h.engine, channel)
    h.flat_bars(3)
    h.risk.halt("drill")
    assert h.submit(BUY, "1").status is OrderStatus.DENIED


def test_cli_requests_are_carried_out_by_the_running_node(
        make_harness: MakeHarness, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    env = {"DATABASE_URL": f"sqlite:///{db}", "AITRADER_CONFIG_DIR": str(tmp_path)}
    runner = CliRunner()
    out = runner.invoke(app, ["risk", "kill", "--reason", "fat finger"], env=env)
    assert out.exit_code == 0, out.output
    assert "queued #1: kill all" in out.output
    bad = runner.invoke(app, ["risk", "halt", "--scope", "planet:mars"], env=env)
    assert bad.exit_code == 2 and "--scope must be" in bad.output

    store = PaperStore.open(env["DATABASE_URL"])
    h = make_harness()
    node = RiskRuntime(h.engine, LoggingNotifier(), store.risk_events, store.risk_commands)
    h.flat_bars(3)
    h.submit(BUY, "2")
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == Decimal(2)
    assert node.poll(force=True) == ["kill: 0 cancelled, 1 closing orders"]
    h.bar(100, 100, 100, 100)
    assert h.portfolio.positions() == []
    assert node.poll(force=True) == []  # taken once

    status = runner.invoke(app, ["risk", "status"], env=env)
    assert "active halts: 1" in status.output and "manual on all" in status.output
    runner.invoke(app, ["risk", "reset"], env=env)
    assert node.poll(force=True) == ["reset: 1 halts lifted"]
    assert h.submit(BUY, "1").status is not OrderStatus.DENIED
    after = runner.invoke(app, ["risk", "status"], env=env)
    assert "active halts: 0" in after.output

    limits = runner.invoke(app, ["risk", "limits"], env=env)
    assert json.loads(limits.stdout)["accounts"]["paper"]["per_trade_risk"] == "0.02"
