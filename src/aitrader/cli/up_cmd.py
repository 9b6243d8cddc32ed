"""``aitrader up``: the main job — the API and dashboard, with paper trading on the configured
accounts and strategies in the same process."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from aitrader.core.errors import AitraderError

if TYPE_CHECKING:
    from aitrader.runtime.paper import PaperStatus
    from aitrader.runtime.settings import AppSettings




def up(
    config_dir: Path = typer.Option(None, "--config-dir", help="folder of the YAML files"),
    max_bars: int = typer.Option(0, help="run headless (no API) for this many bars, then stop"),
    seconds_per_bar: float = typer.Option(-1.0, help="override market_data.seconds_per_bar"),
    status_every: int = typer.Option(10, help="headless: print a status line every N bars"),
    api: bool = typer.Option(True, "--api/--no-api", help="serve the API and the dashboard"),
    host: str = typer.Option(None, help="API address (default HOST, 127.0.0.1)"),
    port: int = typer.Option(0, help="API port (default PORT, 8000)"),
) -> None:
    """Run the configured strategies on paper accounts, with the API and dashboard."""
    from aitrader.observability.logging_setup import configure_logging
    from aitrader.runtime.settings import load_settings

    try:
        settings = load_settings(config_dir)
        configure_logging(settings.logging)
        for warning in settings.safety_warnings():
            typer.echo(f"warning: {warning}", err=True)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    pace = None if seconds_per_bar < 0 else seconds_per_bar
    if api and max_bars == 0:
        _serve(settings, pace, host or settings.env.host, port or settings.env.port)
    else:
        _headless(settings, pace, max_bars, status_every)


def _serve(settings: AppSettings, pace: float | None, host: str, port: int) -> None:
    from aitrader.api.server import build_context, dist_present, ensure_first_admin, serve, url_of
    from aitrader.runtime.service_build import build_service
    from aitrader.tasks.factory import task_queue

    try:
        parts = build_service(settings, seconds_per_bar=pace)
        tasks = task_queue(settings.env)
        ctx = build_context(parts, tasks)
        note = ensure_first_admin(ctx)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    names = ", ".join(str(s.id) for s in parts.service.node.engine.strategies.all()) or "none"
    url = url_of(ctx, host, port)
    typer.echo(f"paper trading: strategies {names}; market {settings.trading.market_data.kind};"
               f" tasks {tasks.backend}")
    typer.echo(f"dashboard: {url}/" + ("" if dist_present(ctx.settings) else
                                       " (not built: cd frontend && npm ci && npm run build)"))
    typer.echo(f"API docs: {url}/docs   Ctrl-C stops")
    if note:
        typer.echo(note)
    parts.service.start()
    try:
        serve(ctx, host, port, settings.logging.level)
    finally:
        parts.service.stop()
        tasks.close()
        status = parts.service.node.status()
        status.bars = parts.service.bars
        _print_status(status)
        typer.echo("stopped")


def _headless(settings: AppSettings, pace: float | None, max_bars: int,
              status_every: int) -> None:
    from aitrader.runtime.logging_notifier import LoggingNotifier
    from aitrader.runtime.paper_from_settings import build_paper_from_settings
    from aitrader.runtime.paper_store import PaperStore
    from aitrader.runtime.risk_runtime import RiskRuntime

    try:
        store = PaperStore.open(settings.env.database_url)
        closed = store.close_orphans(time.time_ns())
        if closed:
            typer.echo(f"closed {closed} paper orders left working by the previous run")
        node = build_paper_from_settings(settings, journal=store.journal, seconds_per_bar=pace)
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
