"""Indicator kernels against TA-Lib on the same 1,000,000 real bars, in the same run, and the
cost of one streaming update.

    .venv/bin/python benchmarks/indicators_vs_talib.py --bars 1000000 --repeat 7

Batch times are the best of ``--repeat`` runs after a warm-up call (numba compiles or loads its
cache there, outside the timing); TA-Lib runs the same way, interleaved, so machine noise hits
both. Times are CPU time of this process (``time.process_time``): on a shared machine wall time
mostly measures the other tenants. Streaming times are a plain Python loop of ``update`` calls
over ``--stream`` bars, loop included, divided by the bar count.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version

import numpy as np
import talib

import aitrader.indicators as ind
from common import REPO, load_frame


def _times(fns: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """CPU seconds of each function, interleaved run by run (machine noise hits all alike)."""
    for fn in fns:
        fn()  # warm-up: numba compiles (or loads its cache) here
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, out, strict=True):
            gc.collect()
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
    return out


def batch_cases(o, h, lo, c, v) -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    """(name, ours, TA-Lib) with TA-Lib's conventional parameters."""
    return [
        ("SMA(30)", lambda: ind.sma(c, 30), lambda: talib.SMA(c, 30)),
        ("EMA(20)", lambda: ind.ema(c, 20), lambda: talib.EMA(c, 20)),
        ("WMA(20)", lambda: ind.wma(c, 20), lambda: talib.WMA(c, 20)),
        ("RSI(14)", lambda: ind.rsi(c, 14), lambda: talib.RSI(c, 14)),
        ("MACD(12,26,9)", lambda: ind.macd(c, 12, 26, 9), lambda: talib.MACD(c, 12, 26, 9)),
        ("Bollinger(20,2)", lambda: ind.bollinger(c, 20, 2.0, 2.0),
         lambda: talib.BBANDS(c, 20, 2.0, 2.0, 0)),
        ("ATR(14)", lambda: ind.atr(h, lo, c, 14), lambda: talib.ATR(h, lo, c, 14)),
        ("ADX/DMI(14) (ours: +DI,-DI,ADX in one pass; TA-Lib: 3 calls)",
         lambda: ind.dmi(h, lo, c, 14),
         lambda: (talib.PLUS_DI(h, lo, c, 14), talib.MINUS_DI(h, lo, c, 14),
                  talib.ADX(h, lo, c, 14))),
        ("ADX(14)", lambda: ind.adx(h, lo, c, 14), lambda: talib.ADX(h, lo, c, 14)),
        ("Stochastic(14,3,3)", lambda: ind.stochastic(h, lo, c, 14, 3, 3),
         lambda: talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)),
        ("CCI(20)", lambda: ind.cci(h, lo, c, 20), lambda: talib.CCI(h, lo, c, 20)),
        ("OBV", lambda: ind.obv(c, v), lambda: talib.OBV(c, v)),
        ("Donchian(20) (TA-Lib: MAX+MIN)", lambda: ind.donchian(h, lo, 20),
         lambda: (talib.MAX(h, 20), talib.MIN(lo, 20))),
        ("Keltner(20,10,2) (TA-Lib: EMA+ATR)", lambda: ind.keltner(h, lo, c, 20, 10, 2.0),
         lambda: (talib.EMA(c, 20), talib.ATR(h, lo, c, 10))),
        ("z-score(20) (TA-Lib: SMA+STDDEV)", lambda: ind.zscore(c, 20),
         lambda: (talib.SMA(c, 20), talib.STDDEV(c, 20, 1.0))),
        ("VWAP(20) (no TA-Lib)", lambda: ind.vwap(h, lo, c, v, 20), None),
        ("realized vol(20) (no TA-Lib)", lambda: ind.realized_volatility(c, 20), None),
    ]


def stream_cases() -> list[tuple[str, Callable[[], object], str]]:
    """(name, factory, which inputs update takes)."""
    return [
        ("SMA(30)", lambda: ind.StreamingSMA(30), "c"),
        ("EMA(20)", lambda: ind.StreamingEMA(20), "c"),
        ("WMA(20)", lambda: ind.StreamingWMA(20), "c"),
        ("RSI(14)", lambda: ind.StreamingRSI(14), "c"),
        ("MACD(12,26,9)", lambda: ind.StreamingMACD(12, 26, 9), "c"),
        ("Bollinger(20,2)", lambda: ind.StreamingBollinger(20, 2.0, 2.0), "c"),
        ("ATR(14)", lambda: ind.StreamingATR(14), "hlc"),
        ("ADX/DMI(14)", lambda: ind.StreamingDMI(14), "hlc"),
        ("Stochastic(14,3,3)", lambda: ind.StreamingStochastic(14, 3, 3), "hlc"),
        ("CCI(20)", lambda: ind.StreamingCCI(20), "hlc"),
        ("OBV", lambda: ind.StreamingOBV(), "cv"),
        ("VWAP(20)", lambda: ind.StreamingVWAP(20), "hlcv"),
        ("Donchian(20)", lambda: ind.StreamingDonchian(20), "hl"),
        ("Keltner(20,10,2)", lambda: ind.StreamingKeltner(20, 10, 2.0), "hlc"),
        ("realized vol(20)", lambda: ind.StreamingRealizedVolatility(20), "c"),
        ("z-score(20)", lambda: ind.StreamingZScore(20), "c"),
    ]


def _stream_time(make: Callable[[], object], cols: dict[str, list[float]], kinds: str,
                 repeat: int) -> float:
    args = list(zip(*(cols[k] for k in kinds), strict=True))
    best = float("inf")
    for _ in range(repeat):
        s = make()
        update = s.update  # type: ignore[attr-defined]
        gc.collect()
        t0 = time.process_time()
        for a in args:
            update(*a)
        best = min(best, time.process_time() - t0)
    return best / len(args)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bars", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--stream", type=int, default=100_000, help="bars fed to each streaming twin")
    ap.add_argument("--write", action="store_true", help="append the section to RESULTS.md")
    args = ap.parse_args()

    df = load_frame(args.bars)
    o, h, lo, c, v = (np.ascontiguousarray(df[k].to_numpy(np.float64))
                      for k in ("open", "high", "low", "close", "volume"))
    rows = []
    for name, ours, theirs in batch_cases(o, h, lo, c, v):
        timed = _times([ours] if theirs is None else [ours, theirs], args.repeat)
        t_ours, t_ta = timed[0], (timed[1] if theirs else None)
        rows.append((name, t_ours, t_ta))
        ratio = f"{min(t_ours) / min(t_ta):.2f}×" if t_ta else "—"
        print(f"{name:58} ours {min(t_ours) * 1e3:8.2f} ms  talib "
              f"{(min(t_ta) * 1e3 if t_ta else float('nan')):8.2f} ms  {ratio}")

    n = min(args.stream, len(c))
    cols = {"o": o[:n].tolist(), "h": h[:n].tolist(), "l": lo[:n].tolist(),
            "c": c[:n].tolist(), "v": v[:n].tolist()}
    srows = []
    for name, make, kinds in stream_cases():
        us = _stream_time(make, cols, kinds, 3) * 1e6
        srows.append((name, us))
        print(f"streaming {name:24} {us:6.2f} µs/update")
    section = _section(args, len(c), rows, srows, n)
    print(section)
    if args.write:
        path = REPO / "benchmarks" / "RESULTS.md"
        path.write_text(path.read_text().rstrip("\n") + "\n\n" + section)


def _section(args: argparse.Namespace, n_bars: int, rows: list, srows: list, n: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Indicators against TA-Lib (issue #4)",
        f"Measured {now} on {platform.machine()} ({_cores()} cores, shared), Python "
        f"{platform.python_version()}, numba {version('numba')}, TA-Lib (Python) "
        f"{version('ta-lib')}.",
        f"Command: `.venv/bin/python benchmarks/indicators_vs_talib.py --bars {args.bars} "
        f"--repeat {args.repeat}`.",
        "",
        f"{n_bars:,} BTCUSDT 1-minute bars (2024-01-01 onwards). Best of {args.repeat} runs each "
        "after a warm-up call (numba's compile/cache load is outside the timing), ours and "
        "TA-Lib measured in the same run. The target is ours ≤ 1.5× TA-Lib.",
        "",
        "| indicator | ours ms CPU (best / median) | TA-Lib ms CPU (best / median) "
        "| ours / TA-Lib | ≤ 1.5× |",
        "|---|---:|---:|---:|:---:|",
    ]
    for name, t_ours, t_ta in rows:
        ta = (f"{min(t_ta) * 1e3:.2f} / {statistics.median(t_ta) * 1e3:.2f}" if t_ta else "—")
        ratio = f"{min(t_ours) / min(t_ta):.2f}×" if t_ta else "—"
        ok = ("yes" if min(t_ours) <= 1.5 * min(t_ta) else "**no**") if t_ta else "—"
        lines.append(f"| {name} | {min(t_ours) * 1e3:.2f} / "
                     f"{statistics.median(t_ours) * 1e3:.2f} | {ta} | {ratio} | {ok} |")
    lines += ["", f"Streaming twins: a Python loop calling `update` on {n:,} bars (best of 3), "
              "loop and call overhead included. Target < 5 µs per update.", "",
              "| streaming indicator | µs per update (CPU) | < 5 µs |", "|---|---:|:---:|"]
    lines += [f"| {name} | {us:.2f} | {'yes' if us < 5 else '**no**'} |" for name, us in srows]
    return "\n".join(lines) + "\n"


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
