"""``aitrader risk``: limits in force, active halts and recent risk events; kill switch, flatten,
halt and reset requests to the running node (carried out within a second by ``aitrader up``)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from aitrader.cli.extras import ExtrasGroup
from aitrader.core.errors import AitraderError

if TYPE_CHECKING:
    from aitrader.runtime.settings import AppSettings

risk_app = typer.Typer(help="Risk limits, circuit breakers and the kill switch.",
                       no_args_is_help=True, cls=ExtrasGroup)
_CONFIG = typer.Option(None, "--config-dir", help="folder of the YAML files")
_SCOPE = typer.Option("all", "--scope",
                      help="all | account:<id> | instrument:<SYMBOL@VENUE> | venue:<name>")


def _settings(config_dir: Path | None) -> AppSettings:
    from aitrader.runtime.settings import load_settings

    try:
        return load_settings(config_dir)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _when(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, UTC).isoformat(timespec="seconds")


def _check_scope(scope: str) -> None:
    kind, _, name = scope.partition(":")
    if scope != "all" and (kind not in ("account", "instrument", "venue") or not name):
        typer.echo(f"error: --scope must be all, account:<id>, instrument:<id> or venue:<name>, "
                   f"was {scope!r}", err=True)
        raise typer.Exit(2)


@risk_app.command("limits")
def limits(config_dir: Path = _CONFIG) -> None:
    """Print the validated limits in force for each account, as JSON."""
    settings = _settings(config_dir)
    out = {str(acc): cfg.model_dump(mode="json")
           for acc, cfg in settings.trading.account_risk().items()}
    strategies = {s.id: s.risk.model_dump(mode="json", exclude_none=True)
                  for s in settings.strategies.strategies if s.risk is not None}
    typer.echo(json.dumps({"accounts": out, "strategies": strategies}, indent=2))


@risk_app.command("status")
def status(config_dir: Path = _CONFIG,
           events: int = typer.Option(10, help="recent risk events to show")) -> None:
    """Active halts, pending requests and the latest risk events from the database."""
    from aitrader.runtime.paper_store import PaperStore

    settings = _settings(config_dir)
    store = PaperStore.open(settings.env.database_url)
    active = store.risk_events.active_trips(time.time_ns())
    typer.echo(f"active halts: {len(active)}")
    for trip in active:
        until = "explicit reset" if trip.until_ns == 0 else _when(trip.until_ns)
        typer.echo(f"  {trip.breaker} on {trip.scope} since {_when(trip.ts_event)} until "
                   f"{until}: {trip.reason}")
    pending = store.risk_commands.pending()
    typer.echo(f"pending requests: {len(pending)}")
    for row in pending:
        typer.echo(f"  #{row.pk} {row.command} {row.scope} {row.breaker or ''} {row.reason}")
    rows = store.risk_events.events(events)
    typer.echo(f"recent events: {len(rows)}")
    for r in rows:
        typer.echo(f"  {_when(r.ts_ns)} {r.kind} {r.breaker} {r.scope}: {r.reason}")


def _queue(config_dir: Path | None, command: str, scope: str, reason: str,
           breaker: str | None = None) -> None:
    from aitrader.runtime.paper_store import PaperStore

    _check_scope(scope)
    settings = _settings(config_dir)
    store = PaperStore.open(settings.env.database_url)
    pk = store.risk_commands.put(command, scope, reason, breaker)
    typer.echo(f"queued #{pk}: {command} {scope}; the running node carries it out within a "
               "second (or at its next start)")


@risk_app.command("kill")
def kill(reason: str = typer.Option("manual kill switch", help="why, for the record"),
         scope: str = _SCOPE, config_dir: Path = _CONFIG) -> None:
    """Kill switch: halt new entries, cancel every working order, close every position."""
    _queue(config_dir, "kill", scope, reason)


@risk_app.command("flatten")
def flatten(reason: str = typer.Option("manual flatten", help="why, for the record"),
            scope: str = _SCOPE, config_dir: Path = _CONFIG) -> None:
    """Cancel working orders and close positions without halting new entries."""
    _queue(config_dir, "flatten", scope, reason)


@risk_app.command("halt")
def halt(reason: str = typer.Option("manual halt", help="why, for the record"),
         scope: str = _SCOPE, config_dir: Path = _CONFIG) -> None:
    """Halt new entries (until reset); positions and working orders stay."""
    _queue(config_dir, "halt", scope, reason)


@risk_app.command("reset")
def reset(breaker: str = typer.Option(None, help="only this breaker, e.g. max_drawdown"),
          scope: str = _SCOPE, reason: str = typer.Option("manual reset", help="why"),
          config_dir: Path = _CONFIG) -> None:
    """Lift halts (all of them, or one breaker, in a scope)."""
    _queue(config_dir, "reset", scope, reason, breaker)
