"""Turning pydantic validation errors into messages naming the file, the key path and the rule."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError


def key_path(loc: tuple[int | str, ...]) -> str:
    """``('accounts', 0, 'leverage')`` → ``accounts[0].leverage``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def allowed_keys(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str] | None:
    """Field names of the model found at ``loc`` (following lists, dicts and Optionals)."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = None if field is None else field.annotation
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        non_none = [a for a in typing.get_args(tp) if a is not type(None)]
        return non_none[0] if len(non_none) == 1 else tp
    return tp


def describe(source: str, model: type[BaseModel], exc: ValidationError) -> str:
    """One line per problem: ``source: key.path: rule, was value``."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            parent, key = loc[:-1], loc[-1]
            allowed = allowed_keys(model, parent)
            hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
            lines.append(f"{source}: {key_path(parent) if parent else '<top level>'}: "
                         f"unknown key {key!r}{hint}")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        was = "" if err["type"] == "missing" else f", was {err.get('input')!r}"
        lines.append(f"{source}: {key_path(loc)}: {msg}{was}")
    return "\n".join(lines)
