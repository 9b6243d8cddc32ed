"""Checks on indicator inputs, with errors that name the rule and the value received."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]


def check_period(name: str, value: int, minimum: int = 1) -> int:
    """An integer period of at least ``minimum``; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, was {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, was {value}")
    return int(value)


def as_series(**columns: npt.ArrayLike) -> list[F64]:
    """Contiguous float64 1-D arrays of one common length; ValueError naming the odd one."""
    out: list[F64] = []
    length: int | None = None
    first = ""
    for name, values in columns.items():
        arr = np.ascontiguousarray(values, dtype=np.float64)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, had shape {arr.shape}")
        if length is None:
            length, first = len(arr), name
        elif len(arr) != length:
            raise ValueError(
                f"inputs must have the same length: {first} has {length}, {name} has {len(arr)}"
            )
        out.append(arr)
    return out


def first_valid(*arrays: F64) -> int:
    """Index of the first row where every input is non-NaN (len when there is none).

    Leading NaNs (e.g. an indicator's own warm-up when indicators are chained) are skipped,
    as TA-Lib's Python wrapper does; a NaN after that point propagates.
    """
    if not arrays or len(arrays[0]) == 0:
        return 0
    first = 0
    n = len(arrays[0])
    while first < n:  # each array's first non-NaN, until all agree (usually one step)
        moved = first
        for arr in arrays:
            moved = max(moved, first + _first_non_nan(arr[first:]))
        if moved == first:
            return first
        first = moved
    return n


@njit(cache=True, error_model="numpy")
def _first_non_nan(x: F64) -> int:
    for i in range(len(x)):
        if x[i] == x[i]:
            return i
    return len(x)

