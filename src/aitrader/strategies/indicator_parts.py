"""Indicators with several outputs as one spec per output: bands, MACD, stochastic, DMI.

Each output is a spec of its own (``Bollinger(20, band="lower")``), so a strategy reads it like
any other handle: ``self.lower.value``. The batch side picks one array of the batch function;
the streaming side one field of the twin's tuple — the same bits, as the indicators package
guarantees for the whole tuple. Two outputs of one indicator are computed separately.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from aitrader.indicators.adx import StreamingDMI, dmi
from aitrader.indicators.bollinger import StreamingBollinger, bollinger
from aitrader.indicators.donchian import StreamingDonchian, donchian
from aitrader.indicators.keltner import StreamingKeltner, keltner
from aitrader.indicators.macd import StreamingMACD, macd
from aitrader.indicators.stochastic import StreamingStochastic, stochastic
from aitrader.indicators.validation import F64
from aitrader.strategies.bar_indicators import (
    BarField,
    IndicatorSpec,
    StreamingTwin,
    check_field,
)

BANDS = ("upper", "middle", "lower")


class _Part:
    """The streaming twin of one output of a twin that returns a tuple."""

    __slots__ = ("_index", "_twin")

    def __init__(self, twin: Any, index: int) -> None:
        self._twin = twin
        self._index = index

    def update(self, *fields: float) -> float:
        """Feed the whole twin; return this output."""
        value: float = self._twin.update(*fields)[self._index]
        return value


def _pick(batch: Callable[..., Sequence[F64]], index: int, *columns: F64) -> F64:
    return batch(*columns)[index]


def _index(name: str, value: str, allowed: tuple[str, ...]) -> int:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, was {value!r}")
    return allowed.index(value)


def _part_spec(key: tuple[Any, ...], fields: tuple[BarField, ...], batch: Callable[..., Any],
               twin: Callable[[], Any], index: int) -> IndicatorSpec:
    twin()  # the twin validates the parameters now, not on the first bar
    make: Callable[[], StreamingTwin] = partial(_part_twin, twin, index)
    return IndicatorSpec(key, fields, partial(_pick, batch, index), make)


def _part_twin(twin: Callable[[], Any], index: int) -> _Part:
    return _Part(twin(), index)


def Bollinger(period: int = 20, k: float = 2.0, band: str = "middle",  # noqa: N802 - a type
              source: BarField = "close") -> IndicatorSpec:
    """One band of the Bollinger bands: the SMA of ``source`` (middle) ± ``k`` population
    standard deviations of the window (upper/lower)."""
    src = check_field("source", source)
    i = _index("band", band, BANDS)
    return _part_spec(("bollinger", src, period, float(k), band), (src,),
                      partial(bollinger, period=period, k_up=k, k_down=k),
                      partial(StreamingBollinger, period, k, k), i)


def MACD(fast: int = 12, slow: int = 26, signal: int = 9,  # noqa: N802 - reads as a type
         line: str = "macd", source: BarField = "close") -> IndicatorSpec:
    """One line of the MACD: ``macd`` (fast EMA - slow EMA), ``signal`` (its EMA) or
    ``histogram`` (their difference)."""
    src = check_field("source", source)
    i = _index("line", line, ("macd", "signal", "histogram"))
    return _part_spec(("macd", src, fast, slow, signal, line), (src,),
                      partial(macd, fast=fast, slow=slow, signal=signal),
                      partial(StreamingMACD, fast, slow, signal), i)


def Donchian(period: int = 20, band: str = "upper") -> IndicatorSpec:  # noqa: N802 - a type
    """One band of the Donchian channel: highest high, their midpoint, lowest low."""
    i = _index("band", band, BANDS)
    return _part_spec(("donchian", period, band), ("high", "low"),
                      partial(donchian, period=period), partial(StreamingDonchian, period), i)


def Keltner(period: int = 20, atr_period: int = 10, multiplier: float = 2.0,  # noqa: N802
            band: str = "upper") -> IndicatorSpec:
    """One band of the Keltner channel: EMA of the close ± ``multiplier`` ATRs."""
    i = _index("band", band, BANDS)
    if not math.isfinite(multiplier):
        raise ValueError(f"multiplier must be a finite number, was {multiplier!r}")
    return _part_spec(("keltner", period, atr_period, float(multiplier), band),
                      ("high", "low", "close"),
                      partial(keltner, period=period, atr_period=atr_period,
                              multiplier=multiplier),
                      partial(StreamingKeltner, period, atr_period, multiplier), i)


def Stochastic(k_period: int = 5, k_slowing: int = 3, d_period: int = 3,  # noqa: N802
               line: str = "k") -> IndicatorSpec:
    """One line of the slow stochastic oscillator: ``k`` (%K) or ``d`` (%D)."""
    i = _index("line", line, ("k", "d"))
    return _part_spec(("stochastic", k_period, k_slowing, d_period, line),
                      ("high", "low", "close"),
                      partial(stochastic, k_period=k_period, k_slowing=k_slowing,
                              d_period=d_period),
                      partial(StreamingStochastic, k_period, k_slowing, d_period), i)


def DMI(period: int = 14, line: str = "adx") -> IndicatorSpec:  # noqa: N802 - reads as a type
    """One line of the directional movement index: ``plus_di``, ``minus_di`` or ``adx``
    (Wilder smoothing)."""
    i = _index("line", line, ("plus_di", "minus_di", "adx"))
    return _part_spec(("dmi", period, line), ("high", "low", "close"),
                      partial(dmi, period=period), partial(StreamingDMI, period), i)
