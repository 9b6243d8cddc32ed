"""Many SMA(fast, slow) crossovers at once: per-pair signals and simulation in one parallel
numba kernel, with no signal matrix in memory.

The SMAs run as compensated rolling sums (TwoSum error terms); where fast and slow are within
1e-9 of each other the two windows are summed again with correct rounding (``fsum_range``), so every
``fast > slow`` decision equals the exactly rounded SMAs that ``sma_cross`` uses: the running
sums' error is far below that band, so outside it the sign cannot differ.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from aitrader.indicators.exact_sum import fsum_range
from aitrader.research import sim_kernel as k

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_TIE_BAND = 1e-9


@njit(cache=True, nogil=True)
def _add(total: float, comp: float, x: float) -> tuple[float, float]:
    # Knuth's TwoSum: the exact rounding error of total + x, branch-free
    t = total + x
    bp = t - total
    comp += (total - (t - bp)) + (x - bp)
    return t, comp


@njit(cache=True, nogil=True)
def cross_signals(c: F64, fast: int, slow: int, entries: npt.NDArray[np.bool_],
                  exits: npt.NDArray[np.bool_]) -> None:
    """Fill ``entries``/``exits`` with sma_cross's decisions (fast < slow)."""
    n = len(c)
    sf, cf, ss, cs = 0.0, 0.0, 0.0, 0.0
    scratch = np.empty(slow + 1)
    prev = -1
    for i in range(n):
        entries[i] = False
        exits[i] = False
        x = c[i]
        sf, cf = _add(sf, cf, x)
        ss, cs = _add(ss, cs, x)
        if i >= fast:
            sf, cf = _add(sf, cf, -c[i - fast])
        if i >= slow:
            ss, cs = _add(ss, cs, -c[i - slow])
        if i < slow - 1:
            continue
        f = (sf + cf) / fast
        s = (ss + cs) / slow
        if abs(f - s) <= _TIE_BAND * (abs(f) + abs(s)):
            f = fsum_range(c, i - fast + 1, i + 1, scratch) / fast
            s = fsum_range(c, i - slow + 1, i + 1, scratch) / slow
        above = 1 if f > s else 0
        if prev >= 0 and above != prev:
            entries[i] = above == 1
            exits[i] = above == 0
        prev = above


@njit(cache=True, nogil=True, parallel=True)
def sma_grid_kernel(o: F64, h: F64, lo: F64, c: F64, fasts: I64, slows: I64, sl_pct: F64,
                    tp_pct: F64, qty: float, cash0: float, taker: float, maker: float,
                    bps: float, inv_tick: float, day_last: npt.NDArray[np.bool_],
                    metrics: F64, daily: F64) -> None:
    """Row ``p`` of ``metrics``/``daily`` gets the run of pair ``p`` (M_* columns)."""
    n = len(c)
    no_trades = np.zeros((0, k.T_COLS), dtype=np.int64)
    no_equity = np.empty(0)
    for p in prange(len(fasts)):
        entries = np.empty(n, dtype=np.bool_)
        exits = np.empty(n, dtype=np.bool_)
        cross_signals(c, fasts[p], slows[p], entries, exits)
        sl = np.empty(0)
        tp = np.empty(0)
        if sl_pct[p] > 0:
            sl = np.rint(c * (1.0 - sl_pct[p]) * inv_tick) / inv_tick
        if tp_pct[p] > 0:
            tp = np.rint(c * (1.0 + tp_pct[p]) * inv_tick) / inv_tick
        k.simulate(o, h, lo, c, entries, exits, sl, tp, qty, cash0, taker, maker, bps,
                   inv_tick, day_last, no_trades, no_equity, daily[p], metrics[p])
