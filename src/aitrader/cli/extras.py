"""Which optional extra provides which library, and the decorator that turns a missing one into
a one-line error (exit code 2) instead of a traceback.

The commands import their heavy libraries when they run, so ``aitrader --help`` and the commands
of the core install start without them; this is where a missing one is reported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click
import typer

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

P = ParamSpec("P")
R = TypeVar("R")


def missing_extra_message(command: str, module: str) -> str | None:
    """The error line for ``module`` missing in ``command``; None if no extra provides it."""
    extra = EXTRA_OF.get(module.partition(".")[0])
    if extra is None:
        return None
    return f"{command} needs {module.partition('.')[0]}: pip install 'aitrader[{extra}]'"


def needs_extras(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: a library of an optional extra that is not installed ends it with
    ``error: aitrader <command> needs <library>: pip install 'aitrader[<extra>]'`` and exit
    code 2. Any other missing module is a bug and propagates unchanged."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ModuleNotFoundError as exc:
            message = missing_extra_message(_command_path(), exc.name or "")
            if message is None:
                raise
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(2) from None

    return run


def _command_path() -> str:
    """``aitrader data download`` whatever the program was called (script, ``-m``, tests)."""
    names: list[str] = []
    ctx = click.get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["aitrader", *reversed(names)])
