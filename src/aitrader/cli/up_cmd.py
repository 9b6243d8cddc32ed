"""``aitrader up``: the main job — paper trading on the configured accounts and strategies."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from aitrader.core.errors import AitraderError
from aitrader.observability.logging_setup import configure_logging
from aitrader.runtime.logging_notifier import LoggingNotifier
from aitrader.runtime.paper import PaperStatus
from aitrader.runtime.paper_from_settings import build_paper_from_settings
from aitrader.runtime.paper_store import PaperStore
from aitrader.runtime.risk_runtime import RiskRuntime
from aitrader.runtime.settings import load_settings


def up(
    config_dir: Path = typer.Option(None, "--config-dir", help="folder of the YAML files"),
    max_bars: int = typer.Option(0, help="stop after this many bars (0 = run until Ctrl-C)"),
    seconds_per_bar: float = typer.Option(-1.0, help="override market_data.seconds_per_bar"),
    status_every: int = typer.Option(10, help="print a status line every N bars"),
) -> None:
    """Run the configured strategies on paper accounts with the embedded defaults."""
    try:
        settings = load_settings(config_dir)
        configure_logging(settings.logging)
        for warning in settings.safety_warnings():
            typer.echo(f"warning: {warning}", err=True)
        store = PaperStore.open(settings.env.database_url)
        closed = store.close_orphans(time.time_ns())
        if closed:
            typer.echo(f"closed {closed} paper orders left working by the previous run")
        node = build_paper_from_settings(
            settings, journal=store.journal,
            seconds_per_bar=None if seconds_per_bar < 0 else seconds_per_bar,
        )
        store.continue_numbering(node)
        risk = RiskRuntime(node.engine, LoggingNotifier(), store.risk_events, store.risk_commands)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    names = ", ".join(str(s.id) for s in node.engine.strategies.all()) or "none"
    typer.echo(f"paper trading: strategies {names}; market {settings.trading.market_data.kind}; "
               "Ctrl-C stops")
    final = node.run(max_bars=max_bars or None, on_status=_print_status,
                     status_every=max(1, status_every), between_bars=risk.poll)
    store.save_state(node)
    _print_status(final)
    typer.echo("stopped")


def _print_status(status: PaperStatus) -> None:
    equity = "  ".join(f"{acc}={value:,.2f}" for acc, value in status.equity.items())
    typer.echo(f"bars {status.bars:>7}  fills {status.fills:>5}  equity {equity}")
    for err in status.errors:
        typer.echo(f"  error: {err}")
