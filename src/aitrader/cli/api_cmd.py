"""``aitrader api openapi``: print the OpenAPI schema (the dashboard generates its client)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer

from aitrader.cli.extras import ExtrasGroup

api_app = typer.Typer(help="The REST API.", no_args_is_help=True, cls=ExtrasGroup)


@api_app.command("openapi")
def openapi(out: Path = typer.Option(None, "--out", help="write here instead of stdout")) -> None:
    """The OpenAPI document of the API, as JSON (stable key order)."""
    from aitrader.api.app import create_app
    from aitrader.api.config import ApiSettings
    from aitrader.api.server import build_context
    from aitrader.runtime.service_build import build_service
    from aitrader.runtime.settings import load_settings
    from aitrader.tasks.runners import InProcessTasks

    with tempfile.TemporaryDirectory() as tmp:
        env = {"DATABASE_URL": f"sqlite:///{tmp}/openapi.db", "AITRADER_DATA_DIR": tmp}
        settings = load_settings(Path(tmp), environ=env)
        parts = build_service(settings)
        tasks = InProcessTasks(settings.env)
        ctx = build_context(parts, tasks, ApiSettings.model_validate(
            {"AITRADER_ENV": "dev", "AITRADER_FRONTEND_DIST": f"{tmp}/none"}))
        text = json.dumps(create_app(ctx).openapi(), indent=2, sort_keys=True) + "\n"
        tasks.close()
        parts.store.engine.dispose()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text)
        typer.echo(f"wrote {out}", err=True)
