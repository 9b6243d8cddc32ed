"""Files around a backtest: loading its bars and writing trades, equity and a summary."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestResult


def _to_ns(text: str, name: str) -> int:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise DataError(f"--{name} must be an ISO date or date-time, was {text!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # naive means UTC at this edge
    return int(dt.timestamp() * 1_000_000_000)


def load_backtest_bars(
    path: Path, timeframe: str | None, start: str | None, end: str | None
) -> BarArrays:
    """Load and validate bars (strictly: bad data is an error, not a silent repair)."""
    from aitrader.storage.bar_files import load_bars  # pandas I/O only when loading files

    if not path.exists():
        raise DataError(f"data path {path} does not exist")
    loaded = load_bars(path, timeframe=timeframe)
    bars = loaded.bars.between(
        None if not start else _to_ns(start, "start"), None if not end else _to_ns(end, "end")
    )
    if len(bars) == 0:
        raise DataError(f"{path}: no bars between {start or 'the start'} and {end or 'the end'}")
    return bars


def write_backtest_outputs(result: BacktestResult, out: Path) -> None:
    """trades.csv, equity.csv and summary.json in ``out`` (each written atomically)."""
    out.mkdir(parents=True, exist_ok=True)

    def atomic(name: str, write: Callable[[TextIO], None]) -> None:
        tmp = out / f".{name}.tmp"
        with tmp.open("w", newline="") as fh:
            write(fh)
        os.replace(tmp, out / name)

    def trades(fh: TextIO) -> None:
        w = csv.writer(fh)
        w.writerow(["entry_ts_ns", "exit_ts_ns", "side", "quantity", "entry_price",
                    "exit_price", "pnl", "fees", "net_pnl"])
        for t in result.trades:
            w.writerow([t.entry_ts_ns, t.exit_ts_ns, t.side.value, t.quantity, t.entry_price,
                        t.exit_price, t.pnl, t.fees, t.net_pnl])

    def equity(fh: TextIO) -> None:
        w = csv.writer(fh)
        w.writerow(["ts_ns", "equity"])
        w.writerows(zip(result.ts_ns.tolist(), result.equity.tolist(), strict=True))

    def summary(fh: TextIO) -> None:
        data = {**result.stats.as_dict(), "final_equity": str(result.final_equity),
                "final_cash": str(result.final_cash), "orders": result.orders,
                "fills": result.fills, "bars": result.bars_processed,
                "risk": result.risk_summary()}
        json.dump(data, fh, indent=2, default=str)

    atomic("trades.csv", trades)
    atomic("equity.csv", equity)
    atomic("summary.json", summary)
