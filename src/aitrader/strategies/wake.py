"""Wake conditions: a strategy says on which bars its ``on_bar`` has anything to decide.

A strategy whose decisions only change when something specific happens (two averages cross,
say) declares it in ``on_start``::

    self.fast = self.indicator(SMA(10))
    self.slow = self.indicator(SMA(30))
    self.wake_on(Crossed(self.fast, self.slow))

From then on the engine calls its ``on_bar`` only on bars where the condition holds, in every
mode: live and on paper the engine steps the condition on each bar (after the indicator handles
moved); in a backtest over columns it evaluates the condition once over the batch values and
skips the bars on which no strategy wakes and no order works, which is most of them. The two
evaluations agree bar for bar (tested), so the same strategy makes the same decisions either way.

A condition reads indicator handles only, never the strategy's own state, so it must hold on
every bar where ``on_bar`` could act: a strategy that also reacts to its position or to time
should not declare one (or should declare one that covers those bars).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from aitrader.strategies.bar_indicators import BarIndicator

F64 = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


class WakeCondition(Protocol):
    """When a strategy's ``on_bar`` runs: ``step`` bar by bar, ``batch`` over whole columns."""

    @property
    def handles(self) -> tuple[BarIndicator, ...]:
        """The indicator handles the condition reads."""
        ...

    def step(self) -> bool:
        """The handles moved to a new bar: does the strategy wake on it?"""
        ...

    def batch(self, values: Callable[[BarIndicator], F64]) -> Mask:
        """Whether the strategy wakes on each bar of a run, from each handle's values over the
        run; leaves the condition in the state ``step`` would have after the run's last bar."""
        ...


class Crossed:
    """Wakes when ``a > b`` turns true or false: on the first bar where both values exist
    (there is no previous side to compare with), then on every bar where the side differs
    from the side on the last bar where both existed. Bars where either is NaN (warm-up, a
    gap) never wake and do not count as a side."""

    __slots__ = ("_above", "a", "b")

    def __init__(self, a: BarIndicator, b: BarIndicator) -> None:
        self.a = a
        self.b = b
        self._above: bool | None = None  # the side on the last bar where both existed

    @property
    def handles(self) -> tuple[BarIndicator, ...]:
        return (self.a, self.b)

    def step(self) -> bool:
        a = self.a.value
        b = self.b.value
        if a != a or b != b:  # NaN
            return False
        above = a > b
        prev = self._above
        self._above = above
        return prev is None or above != prev

    def batch(self, values: Callable[[BarIndicator], F64]) -> Mask:
        a = values(self.a)
        b = values(self.b)
        if len(a) != len(b):
            raise ValueError(f"Crossed: {len(a)} values of {self.a.spec.key} against "
                             f"{len(b)} of {self.b.spec.key}")
        wake = np.zeros(len(a), dtype=np.bool_)
        known = ~(np.isnan(a) | np.isnan(b))
        first = int(np.argmax(known)) if len(known) else 0
        if len(known) == 0 or not known[first]:
            return wake
        # usually NaN only while warming up: no gaps, no need to gather the known bars
        valid = None if known[first:].all() else np.flatnonzero(known)
        side = a[valid] > b[valid] if valid is not None else a[first:] > b[first:]
        at = np.empty(len(side), dtype=np.bool_)  # wakes on each known bar
        at[0] = self._above is None or bool(side[0]) != self._above
        np.not_equal(side[1:], side[:-1], out=at[1:])
        if valid is not None:
            wake[valid] = at
        else:
            wake[first:] = at
        self._above = bool(side[-1])
        return wake
