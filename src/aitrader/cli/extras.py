"""Which optional extra provides which library, and the decorator that turns a missing one into
a one-line error (exit code 2) instead of a traceback.

The commands import their heavy libraries when they run, so ``aitrader --help`` and the commands
of the core install start without them; every command group of the CLI is an ``ExtrasGroup``, so
this is the one place where a missing one is reported.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

# top-level module name → the extra of pyproject.toml that installs it
EXTRA_OF: dict[str, str] = {
    "ccxt": "brokers",
    "aiohttp": "brokers",
    "optuna": "research",
    "plotly": "research",
    "matplotlib": "smc",
    "sklearn": "ml",
    "lightgbm": "ml",
    "onnxruntime": "ml",
    "onnx": "ml",
    "skl2onnx": "ml",
    "onnxmltools": "ml",
    "joblib": "ml",
    "scipy": "ml",
    "torch": "torch",
    "fastapi": "api",
    "starlette": "api",
    "uvicorn": "api",
    "multipart": "api",
    "python_multipart": "api",
    "jwt": "api",
    "argon2": "api",
    "cryptography": "api",
    "swagger_ui_bundle": "api",
    "celery": "api",
    "kombu": "api",
    "redis": "api",
    "psycopg": "postgres",
    "talib": "indicators",
}


def missing_extra_message(command: str, module: str) -> str | None:
    """The error line for ``module`` missing in ``command``; None if no extra provides it."""
    top = module.partition(".")[0]
    extra = EXTRA_OF.get(top)
    if extra is None:
        return None
    return f"{command} needs {top}: pip install 'aitrader[{extra}]'"


class ExtrasGroup(TyperGroup):
    """A command group whose commands end with ``error: aitrader <command> needs <library>:
    pip install 'aitrader[<extra>]'`` and exit code 2 when a library of an optional extra is
    not installed. Any other missing module is a bug and propagates unchanged."""

    def invoke(self, ctx: Any) -> Any:
        """Run the chosen subcommand, translating a missing optional library."""
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            message = missing_extra_message(_command_path(ctx), exc.name or "")
            if message is None:
                raise
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(2) from None


def _command_path(ctx: Any) -> str:
    """``aitrader data download`` whatever the program was called (script, ``-m``, tests)."""
    names = [ctx.invoked_subcommand or ""]
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["aitrader", *reversed(names)]).rstrip()
