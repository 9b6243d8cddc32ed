"""``aitrader strategies``: list every registered strategy with its parameters."""

from __future__ import annotations

import json

import typer


def strategies(
    as_json: bool = typer.Option(False, "--json", help="print the parameter schemas as JSON"),
) -> None:
    """List registered strategies and their parameters (defaults, bounds, descriptions)."""
    from aitrader.strategies.registry import StrategyRegistry

    registry = StrategyRegistry.default()
    if as_json:
        out = {n: registry.get(n).param_schema() for n in registry.names()}
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    for name in registry.names():
        cls = registry.get(name)
        doc = (cls.__doc__ or "").strip().splitlines()
        typer.echo(f"{name}  {doc[0] if doc else ''}")
        for field, spec in cls.param_schema().get("properties", {}).items():
            kind = spec.get("type") or "/".join(a.get("type", "?") for a in spec.get("anyOf", []))
            bounds = " ".join(
                f"{label}{spec[key]}" for key, label in _BOUNDS if key in spec
            )
            typer.echo(f"    {field}: {kind} = {spec.get('default')!s}  {bounds}  "
                       f"{spec.get('description', '')}".rstrip())


_BOUNDS = (("exclusiveMinimum", ">"), ("minimum", ">="), ("exclusiveMaximum", "<"),
           ("maximum", "<="))
