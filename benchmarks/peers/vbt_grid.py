"""vectorbt's side of benchmarks/vectorized_grid.py (runs in benchmarks/.venv-vbt).

The same SMA(fast, slow) grid: vbt.MA.run once for every distinct window, the cross state
``fast > slow`` per pair, signals shifted one bar (decided on the close, filled at the next
bar's open), from_signals with price=open, size 1, 0.1% fees. Columns go in chunks so memory
stays bounded. The first chunk runs once untimed (numba compiles vectorbt's kernels on first
use); the time covers the indicator, the signals and the simulation of every chunk, never data
loading.

    .venv-vbt/bin/python peers/vbt_grid.py N_BARS PAIRS_JSON [CHUNK]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import FEE, load_frame


def main() -> None:
    import vectorbt as vbt

    n_bars, pairs = int(sys.argv[1]), json.loads(sys.argv[2])
    chunk = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    df = load_frame(n_bars)
    close, open_ = df["close"].to_numpy(), df["open"].to_numpy()

    def simulate(f: np.ndarray, s: np.ndarray) -> list[int]:
        above = f > s
        valid = ~(np.isnan(f) | np.isnan(s))
        changed = np.zeros_like(above)
        changed[1:] = (above[1:] != above[:-1]) & valid[:-1]
        entries = np.zeros_like(above)
        exits = np.zeros_like(above)
        entries[1:] = (changed & above)[:-1]   # decided on bar i, filled on bar i+1
        exits[1:] = (changed & ~above)[:-1]
        pf = vbt.Portfolio.from_signals(
            close=np.broadcast_to(close[:, None], entries.shape), entries=entries, exits=exits,
            price=np.broadcast_to(open_[:, None], entries.shape), size=1.0, fees=FEE,
            init_cash=1e7, freq="1min")
        return [int(x) for x in np.atleast_1d(np.asarray(pf.trades.closed.count()))]

    def run(timed: bool) -> tuple[float, float, list[int]]:
        started = time.perf_counter()
        windows = sorted({w for p in pairs for w in p})
        ma = vbt.MA.run(close, windows, per_column=False).ma.to_numpy()  # each window once
        col = {w: i for i, w in enumerate(windows)}
        counts: list[int] = []
        sim_s = 0.0
        for lo in range(0, len(pairs) if timed else chunk, chunk):
            part = pairs[lo:lo + chunk]
            f = ma[:, [col[p[0]] for p in part]]
            s = ma[:, [col[p[1]] for p in part]]
            t0 = time.perf_counter()
            counts.extend(simulate(f, s))
            sim_s += time.perf_counter() - t0
            print(f"vectorbt: {lo + len(part)}/{len(pairs)} pairs, {sim_s:.1f}s in from_signals",
                  file=sys.stderr, flush=True)
        return time.perf_counter() - started, sim_s, counts

    run(timed=False)
    elapsed, sim_s, counts = run(timed=True)
    print(json.dumps({"seconds": elapsed, "from_signals_seconds": sim_s, "counts": counts,
                      "version": vbt.__version__}))


if __name__ == "__main__":
    main()
