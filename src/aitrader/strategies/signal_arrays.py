"""The vectorized form of a strategy: per-bar decisions as arrays, for the research path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class SignalArrays:
    """What a strategy decides on each bar's close, as the event engine would run it.

    ``entries[i]``: open a long at the next bar's open when flat after bar ``i``.
    ``exits[i]``: close the long at the next bar's open when long after bar ``i``.
    ``stop_loss[i]`` / ``take_profit[i]``: the protective levels an entry decided on bar ``i``
    carries (as floats, before tick rounding; NaN = none); empty arrays when never used.
    """

    entries: npt.NDArray[np.bool_]
    exits: npt.NDArray[np.bool_]
    stop_loss: npt.NDArray[np.float64]
    take_profit: npt.NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.entries)
        if len(self.exits) != n:
            raise ValueError(f"exits must have {n} rows like entries, had {len(self.exits)}")
        for name in ("stop_loss", "take_profit"):
            got = len(getattr(self, name))
            if got not in (0, n):
                raise ValueError(f"{name} must be empty or have {n} rows, had {got}")
