"""Directional movement (+DI, -DI) and ADX with Wilder smoothing, exactly as TA-Lib orders it.

+DM/-DM and TR are summed over the first ``period - 1`` bar pairs, then smoothed with
``s = s - s/period + new``; DIs start at bar ``period``; ADX is the mean of the first ``period``
DX values (at bar ``2·period - 1``), then ``adx = (adx·(period-1) + dx) / period``. When TR or
+DI + -DI is (near) zero the DIs are 0 and ADX keeps its previous value, as in TA-Lib.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.atr import true_range_of
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]
ZERO = 1e-14  # TA-Lib's TA_IS_ZERO threshold


class DMIValue(NamedTuple):
    """+DI, -DI and ADX of one bar (NaN while warming up)."""

    plus_di: float
    minus_di: float
    adx: float


def dmi(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike,
        period: int = 14) -> tuple[F64, F64, F64]:
    """(+DI, -DI, ADX); DIs NaN before bar ``period``, ADX before ``2·period - 1``."""
    check_period("period", period, 2)
    h, lo, c = as_series(high=high, low=low, close=close)
    n = len(h)
    pdi, mdi, adx_ = np.empty(n), np.empty(n), np.empty(n)
    b = first_valid(h, lo, c)
    pdi[:b] = mdi[:b] = adx_[:b] = np.nan
    _dmi_into(h[b:], lo[b:], c[b:], period, pdi[b:], mdi[b:], adx_[b:])
    return pdi, mdi, adx_


def adx(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, period: int = 14) -> F64:
    """ADX alone (see :func:`dmi`)."""
    return dmi(high, low, close, period)[2]


@njit(cache=True, error_model="numpy")
def _dm(high: float, low: float, prev_high: float, prev_low: float) -> tuple[float, float]:
    diff_p = high - prev_high
    diff_m = prev_low - low
    if diff_m > 0 and diff_p < diff_m:
        return 0.0, diff_m
    if diff_p > 0 and diff_p > diff_m:
        return diff_p, 0.0
    return 0.0, 0.0


@njit(cache=True, error_model="numpy")
def _dmi_into(h: F64, lo: F64, c: F64, period: int,
              pdi: F64, mdi: F64, adx_: F64) -> None:
    n = len(h)
    pdi[: min(n, period)] = np.nan
    mdi[: min(n, period)] = np.nan
    adx_[: min(n, 2 * period - 1)] = np.nan
    plus_dm = 0.0
    minus_dm = 0.0
    tr = 0.0
    for i in range(1, min(period, n)):
        p, m = _dm(h[i], lo[i], h[i - 1], lo[i - 1])
        plus_dm += p
        minus_dm += m
        tr += true_range_of(h[i], lo[i], c[i - 1])
    sum_dx = 0.0
    prev_adx = 0.0
    keep = float(period - 1)
    for i in range(period, n):
        p, m = _dm(h[i], lo[i], h[i - 1], lo[i - 1])
        minus_dm -= minus_dm / period
        plus_dm -= plus_dm / period
        minus_dm += m
        plus_dm += p
        tr = tr - (tr / period) + true_range_of(h[i], lo[i], c[i - 1])
        dx = math.nan
        if -ZERO < tr < ZERO:
            pdi[i] = 0.0
            mdi[i] = 0.0
        else:
            minus = 100.0 * (minus_dm / tr)
            plus = 100.0 * (plus_dm / tr)
            pdi[i] = plus
            mdi[i] = minus
            total = minus + plus
            if not -ZERO < total < ZERO:
                dx = 100.0 * (abs(minus - plus) / total)
        if i < 2 * period - 1:
            if dx == dx:
                sum_dx += dx
        elif i == 2 * period - 1:
            if dx == dx:
                sum_dx += dx
            prev_adx = sum_dx / period
            adx_[i] = prev_adx
        else:
            if dx == dx:
                prev_adx = ((prev_adx * keep) + dx) / period
            adx_[i] = prev_adx


class StreamingDMI:
    """One bar at a time; equals :func:`dmi` bit for bit."""

    __slots__ = ("_count", "_keep", "_minus_dm", "_plus_dm", "_prev", "_sum_dx", "_tr",
                 "period", "value")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period, 2)
        self._keep = float(period - 1)
        self._count = 0  # bars seen
        self._prev = (math.nan, math.nan, math.nan)
        self._plus_dm = 0.0
        self._minus_dm = 0.0
        self._tr = 0.0
        self._sum_dx = 0.0
        self.value = DMIValue(math.nan, math.nan, math.nan)

    def update(self, high: float, low: float, close: float) -> DMIValue:
        """Add a bar; return (+DI, -DI, ADX), NaN where still warming up."""
        i = self._count
        if i == 0:
            if high == high and low == low and close == close:
                self._prev = (high, low, close)
                self._count = 1
            return self.value
        ph, pl, pc = self._prev
        self._prev = (high, low, close)
        self._count = i + 1
        diff_p = high - ph
        diff_m = pl - low
        p_dm = m_dm = 0.0
        if diff_m > 0 and diff_p < diff_m:
            m_dm = diff_m
        elif diff_p > 0 and diff_p > diff_m:
            p_dm = diff_p
        tr = high - low
        a = abs(high - pc)
        if a > tr:
            tr = a
        b = abs(low - pc)
        if b > tr:
            tr = b
        period = self.period
        if i < period:
            self._plus_dm += p_dm
            self._minus_dm += m_dm
            self._tr += tr
            return self.value
        minus_dm = self._minus_dm
        plus_dm = self._plus_dm
        minus_dm -= minus_dm / period
        plus_dm -= plus_dm / period
        minus_dm += m_dm
        plus_dm += p_dm
        self._minus_dm = minus_dm
        self._plus_dm = plus_dm
        s_tr = self._tr
        s_tr = s_tr - (s_tr / period) + tr
        self._tr = s_tr
        dx = math.nan
        if -ZERO < s_tr < ZERO:
            plus = minus = 0.0
        else:
            minus = 100.0 * (minus_dm / s_tr)
            plus = 100.0 * (plus_dm / s_tr)
            total = minus + plus
            if not -ZERO < total < ZERO:
                dx = 100.0 * (abs(minus - plus) / total)
        adx_ = self.value.adx
        if i < 2 * period - 1:
            if dx == dx:
                self._sum_dx += dx
        elif i == 2 * period - 1:
            if dx == dx:
                self._sum_dx += dx
            adx_ = self._sum_dx / period
        elif dx == dx:
            adx_ = ((adx_ * self._keep) + dx) / period
        self.value = DMIValue(plus, minus, adx_)
        return self.value

    @property
    def ready(self) -> bool:
        """True once the ADX has its first value."""
        return self._count >= 2 * self.period
