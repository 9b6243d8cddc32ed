"""Correctly rounded float sums (Shewchuk's algorithm, as CPython's math.fsum), for numba.

The result equals ``math.fsum`` bit for bit, so batch indicators compiled here and streaming
ones using ``math.fsum`` agree exactly, on every Python version (``sum()`` changed in 3.12).

Rolling window sums (:func:`rolling_fsum_into`) are ``fsum(window)`` too, in O(1) per bar, by
exact schemes tried cheapest first, a cache-sized block of bars at a time (all give the same
bits, so which one ran never shows):

* **fixed point** (prices, and most other market series): in a block of bars whose values are
  all integer multiples of ``2**-k`` for a ``k`` chosen from the block's largest magnitude (a
  value with a full 53-bit mantissa qualifies when it is within ``2**(9 - log2(period))`` of that
  largest value), each value times ``2**k`` is an exact int64 and the window sum is an exact
  integer sum — one integer add and subtract per bar, no rounding at all. Converting the integer
  to float rounds correctly (round half to even), and ``2**-k`` scales back exactly, so this is
  ``fsum(window)``. Windows holding a value that is not such a multiple (or a NaN) are summed on
  an exact expansion instead; a block with many of them switches to the scheme below.
* **cascade** (short windows, up to 8 bars, e.g. the stochastic's smoothing): each window is
  summed afresh by two-sums, its rounding errors added by two-sums too; when that is exact
  (virtually always) ``fl(sum + errors)`` is the correctly rounded sum. All windows of a block
  are done side by side, which the compiler vectorizes.
* **two-float pair**: the window sum is carried as ``s + e`` equal to it exactly, checked each
  bar, rebuilt from the window on an exact expansion when the check fails.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
PARTIALS_CAPACITY = 64  # nonoverlapping partials of any finite double sum fit comfortably


@njit(cache=True, error_model="numpy")
def grow(partials: npt.NDArray[np.float64], n: int, x: float) -> int:
    """Add ``x`` exactly to the expansion ``partials[:n]``; returns its new length."""
    i = 0
    for j in range(n):
        y = partials[j]
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo != 0.0:
            partials[i] = lo
            i += 1
        x = hi
    partials[i] = x
    return i + 1


@njit(cache=True, error_model="numpy")
def round_partials(partials: npt.NDArray[np.float64], n: int) -> float:
    """The expansion ``partials[:n]`` rounded correctly to one float (as math.fsum ends)."""
    if n == 0:
        return 0.0
    n -= 1
    hi = partials[n]
    lo = 0.0
    while n > 0:
        x_ = hi
        n -= 1
        y = partials[n]
        hi = x_ + y
        yr = hi - x_
        lo = y - yr
        if lo != 0.0:
            break
    # half-even rounding across several partials, as CPython does
    if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
        y = lo * 2.0
        x_ = hi + y
        yr = x_ - hi
        if y == yr:
            hi = x_
    return float(hi)


@njit(cache=True, error_model="numpy")
def fsum_range(x: npt.NDArray[np.float64], start: int, stop: int,
               partials: npt.NDArray[np.float64]) -> float:
    """``math.fsum(x[start:stop])``; ``partials`` is scratch space of at least stop-start."""
    n = 0
    for k in range(start, stop):
        n = grow(partials, n, x[k])
    return round_partials(partials, n)


BLOCK = 4096  # outputs per block: its inputs stay in L1/L2 while the schemes below try it
SHORT_WINDOW = 3  # up to this period the cascade is the cheapest scheme ...
CASCADE_WINDOW = 8  # ... and up to this one it beats the rest on values off a fixed-point grid
_FIXED_MAX = 2.0**100  # magnitudes the fixed-point path takes (no over/underflow when scaled)
_FIXED_MIN = 2.0**-900


@njit(cache=True, error_model="numpy")
def rolling_fsum(x: F64, period: int, divisor: float = 1.0) -> F64:
    """:func:`rolling_fsum_into` a new array."""
    out = np.empty(len(x))
    rolling_fsum_into(x, period, divisor, out)
    return out


@njit(cache=True, error_model="numpy")
def rolling_fsum_into(x: F64, period: int, divisor: float, out: F64) -> None:
    """``math.fsum(x[i-period+1:i+1]) / divisor`` for each full window into ``out`` (NaN
    before, and while a non-finite value is inside the window); see the module docstring."""
    n = len(x)
    out[: min(n, period - 1)] = np.nan
    scratch = window_scratch(period, BLOCK)
    for start in range(period - 1, n, BLOCK):
        window_sums(x, period, divisor, start, out[start:start + BLOCK], scratch)


@njit(cache=True, error_model="numpy")
def window_scratch(period: int, block: int) -> tuple[int, I64, F64, F64]:
    """Scratch space for :func:`window_sums` over blocks of up to ``block`` outputs: the
    bit length of ``period``, the block's values in fixed point, an expansion, error terms."""
    bits = 0  # 2**bits > period: a sum of period + 1 values below 2**(62 - bits) fits in int64
    while (1 << bits) <= period:
        bits += 1
    return (bits, np.empty(block + period, dtype=np.int64), np.empty(PARTIALS_CAPACITY),
            np.empty(block))


@njit(cache=True, error_model="numpy")
def window_sums(x: F64, period: int, divisor: float, start: int, out: F64,
                scratch: tuple[int, I64, F64, F64]) -> None:
    """The values of :func:`rolling_fsum_into` for bars ``start, start + 1, ...`` into the block
    ``out`` (``start >= period - 1``; ``len(out)`` at most the ``block`` of ``scratch``). Tries
    the cheapest exact scheme first; all give the same bits."""
    bits, ints, partials, errors = scratch
    if period > SHORT_WINDOW or period == 1:
        # a scale guessed from the block's first value, with room for it to double
        guess = abs(x[start - period + 1])
        if _FIXED_MIN < guess < _FIXED_MAX:
            k = 61 - bits - math.frexp(guess)[1]
            if _clean_block(x, period, divisor, start, out, k, math.ldexp(1.0, 62 - bits),
                            ints):
                return
    if 1 < period <= CASCADE_WINDOW and _cascade_block(x, period, divisor, start, out,
                                                   errors[: len(out)]):
        return
    done = _fixed_block(x, period, divisor, start, out, bits, ints, partials)
    if done < len(out):
        _pair_range(x, period, divisor, start + done, out[done:], partials)


@njit(cache=True, error_model="numpy", boundscheck=False)
def _cascade_block(x: F64, period: int, divisor: float, start: int, out: F64,
                   errors: F64) -> bool:
    """Short windows summed afresh, all windows of the block side by side (the compiler
    vectorizes across windows): a two-sum cascade gives each sum ``s`` and the rounding errors
    ``e``, which are added up with a two-sum too. When that second sum is exact, ``s + e`` is the
    window sum exactly and ``fl(s + e)`` its correct rounding (``+ 0.0`` makes a zero ``+0.0``,
    as fsum's). True when every window's was exact (else ``out`` is to be rewritten)."""
    n = len(out)
    x = x[start + 1 - period:start + n]  # out[i] is the window x[i:i + period]
    inexact = False
    nxt = x[1:1 + n]
    for i in range(n):
        a = x[i]
        b = nxt[i]
        s = a + b
        bb = s - a
        errors[i] = (a - (s - bb)) + (b - bb)
        out[i] = s
    for k in range(2, period):
        nxt = x[k:k + n]
        for i in range(n):
            a = out[i]
            b = nxt[i]
            s = a + b
            bb = s - a
            e = (a - (s - bb)) + (b - bb)
            out[i] = s
            f = errors[i]
            t = f + e
            bb = t - f
            inexact |= ((f - (t - bb)) + (e - bb)) != 0.0  # also NaN: a non-finite value
            errors[i] = t
    for i in range(n):
        out[i] = ((out[i] + errors[i]) + 0.0) / divisor
    return not inexact


@njit(cache=True, error_model="numpy", boundscheck=False)
def _clean_block(x: F64, period: int, divisor: float, start: int, out: F64, k: int,
                 limit: float, ints: I64) -> bool:
    """The fixed-point sums at scale ``2**k`` if every value of the block's windows is a
    multiple of ``2**-k`` below ``limit·2**-k`` (True), else False and ``out`` is to be
    rewritten. Branch-free, unsigned indices (no wraparound code)."""
    scale = math.ldexp(1.0, k)
    unscale = math.ldexp(1.0, -k)
    p = uint64(period)
    x = x[start + 1 - period:start + len(out)]  # the block's inputs: out[i] ends at x[i + p - 1]
    odd = False
    total = 0
    for j in range(p):
        q = x[j] * scale
        c = int(q if abs(q) < limit else 0.0)  # NaN and the too large become 0 ...
        odd |= np.float64(c) != q  # ... and are caught here, with the not-integral
        ints[j] = c
        total += c
    out[0] = (np.float64(total) * unscale) / divisor
    for i in range(uint64(1), uint64(len(out))):
        last = i + p - uint64(1)
        q = x[last] * scale
        c = int(q if abs(q) < limit else 0.0)
        odd |= np.float64(c) != q
        ints[last] = c
        total += c - ints[i - uint64(1)]
        out[i] = (np.float64(total) * unscale) / divisor
    return not odd


@njit(cache=True, error_model="numpy", boundscheck=False)
def _fixed_block(x: F64, period: int, divisor: float, start: int, out: F64, bits: int,
                 ints: I64, partials: F64) -> int:
    """Fixed-point sums at the scale of the block's largest magnitude, with windows holding a
    value off that grid summed on an expansion; returns how many outputs it wrote (``len(out)``
    unless the pair scheme is cheaper for the rest)."""
    x = x[start + 1 - period:start + len(out)]
    top = 0.0
    for j in range(len(x)):
        a = abs(x[j])
        top = a if a > top else top  # NaN is skipped (and summed exactly below)
    if not top < _FIXED_MAX or (0.0 < top < _FIXED_MIN):
        return 0  # inf, or magnitudes the scaling could over/underflow
    k = 62 - bits - (math.frexp(top)[1] if top > 0.0 else 0)  # top < 2**frexp(top)[1]
    scale = math.ldexp(1.0, k)
    unscale = math.ldexp(1.0, -k)
    total = 0  # the exact window sum times 2**k
    last_odd = -1  # latest index whose value is not a multiple of 2**-k (or is NaN)
    slow = 0  # work spent on windows summed on an expansion
    for j in range(len(x)):
        q = x[j] * scale
        c = int(q if q == q else 0.0)
        odd = np.float64(c) != q
        last_odd = j if odd else last_odd
        c = 0 if odd else c
        ints[j] = c
        total += c
        i = j - period + 1  # the output this value completes
        if i < 0:
            continue
        if i > 0:
            total -= ints[i - 1]
        if last_odd < i:
            out[i] = (np.float64(total) * unscale) / divisor
            continue
        slow += period
        if slow > len(out) >> 3:
            return i  # too many: the pair scheme is cheaper for the rest of the block
        m = 0
        for v in x[i:j + 1]:
            if not np.isfinite(v):
                m = -1
                break
            m = grow(partials, m, v)
        out[i] = np.nan if m < 0 else round_partials(partials, m) / divisor
    return len(out)


@njit(cache=True, error_model="numpy")
def _pair_range(x: F64, period: int, divisor: float, start: int, out: F64,
                partials: F64) -> None:
    """Window sums carried as two floats ``s + e`` that equal the window sum *exactly* —
    ``s`` a running sum, ``e`` its exact rounding error (two-sum) — so ``fl(s + e)`` is
    ``fsum(window)``. Each update checks that ``e`` absorbed the new error without rounding;
    when it did not (values of very different magnitudes, or a non-finite value), that bar's
    sum is rebuilt from the window on an exact expansion and the pair is re-seeded from it (as
    it is for the first output)."""
    s = 0.0
    e = 0.0
    exact = False
    for o in range(len(out)):
        i = start + o
        if exact:
            v = x[i]
            hi = s + v
            bb = hi - s
            t = (s - (hi - bb)) + (v - bb)
            s = hi
            e2 = e + t
            bb = e2 - e
            err = (e - (e2 - bb)) + (t - bb)
            e = e2
            v = -x[i - period]
            hi = s + v
            bb = hi - s
            t = (s - (hi - bb)) + (v - bb)
            s = hi
            e2 = e + t
            bb = e2 - e
            err_old = (e - (e2 - bb)) + (t - bb)
            e = e2
            exact = err == 0.0 and err_old == 0.0  # NaN (a non-finite value) is not exact
            if exact:
                out[o] = (s + e) / divisor
                continue
        # rebuild this window exactly and try to re-seed s + e from it
        finite = True
        m = 0
        for k in range(i - period + 1, i + 1):
            v = x[k]
            if not np.isfinite(v):
                finite = False
                break
            m = grow(partials, m, v)
        if not finite:
            out[o] = np.nan
            continue
        s = round_partials(partials, m)
        m = grow(partials, m, -s)
        e = round_partials(partials, m)
        m = grow(partials, m, -e)
        exact = round_partials(partials, m) == 0.0
        out[o] = s / divisor
