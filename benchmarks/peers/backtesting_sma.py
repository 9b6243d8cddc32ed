"""backtesting.py on the benchmark (run with benchmarks/.venv-peers/bin/python)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from backtesting import Backtest, Strategy

from common import FAST, FEE, SLOW, emit, load_frame


def rolling_mean(values: object, n: int) -> pd.Series:
    """What backtesting.py users write: pandas' rolling mean."""
    return pd.Series(values).rolling(n).mean()


class SmaCross(Strategy):
    """Long on fast > slow turning true, flat when it turns false; market orders."""

    def init(self) -> None:
        self.fast = self.I(rolling_mean, self.data.Close, FAST)
        self.slow = self.I(rolling_mean, self.data.Close, SLOW)
        self.prev = None

    def next(self) -> None:
        f, s = self.fast[-1], self.slow[-1]
        if f != f or s != s:  # NaN warm-up
            return
        above = f > s
        prev, self.prev = self.prev, above
        if prev is None or above == prev:
            return
        if above and not self.position:
            self.buy(size=1)
        elif not above and self.position:
            self.position.close()


def main() -> None:
    n = int(sys.argv[1])
    df = load_frame(n).rename(columns=str.capitalize)
    df.index = df.index.tz_localize(None)  # backtesting.py wants naive (UTC) times
    kwargs = {"cash": 10_000_000, "commission": FEE, "trade_on_close": False,
              "exclusive_orders": False}
    try:
        bt = Backtest(df, SmaCross, finalize_trades=False, **kwargs)
    except TypeError:  # older versions have no finalize_trades
        bt = Backtest(df, SmaCross, **kwargs)
    started = time.perf_counter()
    stats = bt.run()
    seconds = time.perf_counter() - started
    t = stats["_trades"]
    trades = [[int(pd.Timestamp(a).tz_localize("UTC").value), float(b),
               int(pd.Timestamp(c).tz_localize("UTC").value), float(d)]
              for a, b, c, d in zip(t["EntryTime"], t["EntryPrice"], t["ExitTime"],
                                    t["ExitPrice"], strict=True)]
    emit(seconds, n, trades)


if __name__ == "__main__":
    main()
