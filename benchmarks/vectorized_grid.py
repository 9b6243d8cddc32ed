"""SMA(fast, slow) grid of 1,000 pairs on 1,000,000 BTCUSDT 1-minute bars: aitrader's vectorized
path against vectorbt's from_signals on the same grid, in the same run, with the closed-trade
count of every pair compared. Long-only, 1 BTC, decided on the close and filled at the next
bar's open, 0.1% fee, cash large enough that no entry is refused.

    bash benchmarks/setup_vbt.sh            # once: vectorbt in benchmarks/.venv-vbt
    .venv/bin/python benchmarks/vectorized_grid.py [--bars 1000000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import load_frame, ts_ns  # noqa: E402

VBT_PY = HERE / ".venv-vbt" / "bin" / "python"
FASTS = list(range(2, 52))            # 50 fast windows
SLOWS = list(range(55, 255, 10))      # 20 slow windows → 1,000 pairs, all fast < slow


def pairs() -> list[tuple[int, int]]:
    """The grid, fast-major."""
    return [(f, s) for f in FASTS for s in SLOWS]


def run_aitrader(df, grid, repeat: int, threads: int) -> dict[str, object]:
    """Best-of-``repeat`` seconds of scoring every pair (signals, simulation and statistics)."""
    import numba

    from aitrader.data.bar_arrays import BarArrays
    from aitrader.research.evaluator import Evaluator

    bars = BarArrays(ts_ns(df), *(df[c].to_numpy(dtype=np.float64)
                                  for c in ("open", "high", "low", "close", "volume")),
                     timeframe_ns=60_000_000_000)
    ev = Evaluator(bars, "sma_cross", fee_rate=Decimal("0.001"), starting_cash=Decimal(10**7))
    sets = [{"fast": f, "slow": s, "quantity": "1"} for f, s in grid]
    ev.with_bars(bars.slice(0, 2000)).score_many(sets[:4])  # compile (numba cache) outside
    numba.set_num_threads(threads)
    times, scores = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        scores = ev.score_many(sets)
        times.append(time.perf_counter() - t0)
    return {"seconds": min(times), "all": times, "counts": [s.trades for s in scores]}


def run_vbt(n_bars: int, grid) -> dict[str, object]:
    if not VBT_PY.exists():
        return {"error": "vectorbt venv missing: run bash benchmarks/setup_vbt.sh"}
    proc = subprocess.run([str(VBT_PY), str(HERE / "peers" / "vbt_grid.py"), str(n_bars),
                           json.dumps(grid)], stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        return {"error": f"vectorbt exited with {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bars", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=1000, help="every k-th pair of the grid")
    args = ap.parse_args()
    grid = pairs()[:: max(1, 1000 // args.pairs)][: args.pairs]
    df = load_frame(args.bars)
    cores = os.cpu_count() or 1
    ours = run_aitrader(df, grid, args.repeat, cores)
    ours_1 = run_aitrader(df, grid, 1, 1)
    print(json.dumps({"aitrader_s": ours["seconds"], "aitrader_1_thread_s": ours_1["seconds"],
                      "trades": int(sum(ours["counts"]))}), file=sys.stderr, flush=True)
    peer = run_vbt(args.bars, grid)
    same = None
    if "counts" in peer:
        diff = [i for i, (a, b) in enumerate(zip(ours["counts"], peer["counts"], strict=True))
                if a != b]
        same = {"pairs": len(grid), "equal": len(grid) - len(diff),
                "first_differences": [(grid[i], ours["counts"][i], peer["counts"][i])
                                      for i in diff[:5]]}
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "bars": args.bars,
        "pairs": len(grid), "python": platform.python_version(), "cores": cores,
        "aitrader_s": ours["seconds"], "aitrader_runs_s": ours["all"],
        "aitrader_1_thread_s": ours_1["seconds"],
        "vectorbt_s": peer.get("seconds"), "vectorbt_from_signals_s":
        peer.get("from_signals_seconds"), "vectorbt_version": peer.get("version"),
        "vectorbt_error": peer.get("error"), "trade_counts": same,
        "total_trades": int(sum(ours["counts"])),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
