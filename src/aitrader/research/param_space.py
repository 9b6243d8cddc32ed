"""The search space of a strategy: its declared parameters, their bounds and the user's ranges."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import annotated_types as at
from pydantic import BaseModel

_KINDS = {int: "int", float: "float", bool: "bool", Decimal: "float"}


@dataclass(frozen=True)
class ParamRange:
    """One searched parameter: ``low``..``high`` (inclusive) with ``step`` for a grid."""

    name: str
    kind: str  # "int" | "float" | "bool"
    low: float
    high: float
    step: float | None = None

    def grid(self) -> list[Any]:
        """The grid values (ints step 1 by default, floats need a step)."""
        if self.kind == "bool":
            return [False, True]
        step = self.step if self.step is not None else (1 if self.kind == "int" else None)
        if step is None:
            raise ValueError(f"parameter {self.name}: a float range needs a step for a grid, "
                             f"e.g. {self.name}={self.low}:{self.high}:0.01")
        count = round((self.high - self.low) / step) + 1
        vals = [self.low + i * step for i in range(count)]
        return [round(v) for v in vals] if self.kind == "int" else vals


def declared_bounds(params: type[BaseModel]) -> dict[str, ParamRange]:
    """Numeric/bool fields with their ``ge/gt/le/lt`` bounds (unbounded sides are omitted)."""
    out: dict[str, ParamRange] = {}
    for name, field in params.model_fields.items():
        kind = _KINDS.get(field.annotation)  # type: ignore[arg-type]  # non-hashable: no kind
        if kind is None:
            continue
        low, high = None, None
        for m in field.metadata:
            if isinstance(m, at.Ge | at.Gt):
                low = float(m.ge if isinstance(m, at.Ge) else m.gt)  # type: ignore[arg-type]
            if isinstance(m, at.Le | at.Lt):
                high = float(m.le if isinstance(m, at.Le) else m.lt)  # type: ignore[arg-type]
        if kind == "bool":
            low, high = 0.0, 1.0
        if low is not None and high is not None:
            out[name] = ParamRange(name, kind, low, high)
    return out


def parse_ranges(params: type[BaseModel], specs: list[str]) -> list[ParamRange]:
    """``name=low:high[:step]`` items, checked against the declared fields and bounds."""
    declared = declared_bounds(params)
    fields = params.model_fields
    out: list[ParamRange] = []
    for spec in specs:
        name, sep, rest = spec.partition("=")
        name = name.strip()
        if not sep or name not in fields:
            raise ValueError(f"--range must be name=low:high[:step] for a declared parameter "
                             f"({', '.join(fields)}), was {spec!r}")
        kind = _KINDS.get(fields[name].annotation)  # type: ignore[arg-type]  # see above
        if kind is None:
            raise ValueError(f"parameter {name} is not numeric or bool; it cannot be searched")
        parts = rest.split(":")
        try:
            nums = [float(p) for p in parts] if kind != "bool" else [0.0, 1.0]
        except ValueError:
            raise ValueError(f"--range {name}: low:high[:step] must be numbers, was {rest!r}")\
                from None
        if len(nums) not in (2, 3) or nums[0] > nums[1] or (len(nums) == 3 and nums[2] <= 0):
            raise ValueError(f"--range {name}: needs low <= high and step > 0, was {rest!r}")
        bound = declared.get(name)
        if bound and (nums[0] < bound.low or nums[1] > bound.high):
            raise ValueError(f"--range {name}: {nums[0]}:{nums[1]} is outside the declared "
                             f"bounds {bound.low}:{bound.high}")
        out.append(ParamRange(name, kind, nums[0], nums[1], nums[2] if len(nums) == 3 else None))
    return out


def grid_points(ranges: list[ParamRange], fixed: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every combination of the ranges' grids, merged over ``fixed``."""
    names = [r.name for r in ranges]
    for combo in itertools.product(*(r.grid() for r in ranges)):
        yield {**fixed, **dict(zip(names, combo, strict=True))}
