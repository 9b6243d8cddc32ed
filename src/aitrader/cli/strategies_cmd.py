"""``aitrader strategies``: list every registered strategy with its parameters."""

from __future__ import annotations

import json

import typer

from aitrader.strategies.registry import StrategyRegistry


def strategies(
    as_json: bool = typer.Option(False, "--json", help="print the parameter schemas as JSON"),
) -> None:
    """List registered strategies and their parameters (defaults, bounds, descriptions)."""
    registry = StrategyRegistry.default()
    if as_json:
        out = {n: registry.get(n).param_schema() for n in registry.names()}
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    for name in registry.names():
        cls = registry.get(name)
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        typer.echo(f"{name}  {doc}")
        for field_name, field in cls.Params.model_fields.items():
            bounds = " ".join(
                f"{k}={v}" for m in field.metadata for k, v in vars(m).items()
                if k in ("gt", "ge", "lt", "le") and v is not None
            ) if field.metadata else ""
            typer.echo(
                f"    {field_name}: {getattr(field.annotation, '__name__', field.annotation)} "
                f"= {field.default!s}  {bounds}  {field.description or ''}".rstrip()
            )
