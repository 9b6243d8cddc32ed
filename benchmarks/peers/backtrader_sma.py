"""backtrader on the benchmark (run with benchmarks/.venv-peers/bin/python)."""

from __future__ import annotations

import sys
import time
from datetime import UTC
from pathlib import Path

import backtrader as bt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import FAST, FEE, SLOW, emit, load_frame


class SmaCross(bt.Strategy):
    """Long on fast > slow turning true, flat when it turns false; market orders (next open)."""

    def __init__(self) -> None:
        self.fast = bt.indicators.SMA(self.data.close, period=FAST)
        self.slow = bt.indicators.SMA(self.data.close, period=SLOW)
        self.prev = None
        self.fills: list[tuple[int, float, int]] = []

    def notify_order(self, order: bt.Order) -> None:
        if order.status == order.Completed:
            when = bt.num2date(order.executed.dt).replace(tzinfo=UTC)  # the feed's times are UTC
            ns = round(when.timestamp()) * 1_000_000_000
            self.fills.append((ns, float(order.executed.price), 1 if order.isbuy() else -1))

    def next(self) -> None:
        above = self.fast[0] > self.slow[0]
        prev, self.prev = self.prev, above
        if prev is None or above == prev:
            return
        if above and not self.position:
            self.buy(size=1)
        elif not above and self.position:
            self.close()


def main() -> None:
    n = int(sys.argv[1])
    df = load_frame(n)
    df.index = df.index.tz_localize(None)
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(SmaCross)
    cerebro.broker.setcash(10_000_000)
    cerebro.broker.setcommission(commission=FEE)
    started = time.perf_counter()
    [strategy] = cerebro.run()
    seconds = time.perf_counter() - started
    trades, entry = [], None
    for ns, price, side in strategy.fills:
        if side > 0:
            entry = (ns, price)
        elif entry is not None:
            trades.append([entry[0], entry[1], ns, price])
            entry = None
    emit(seconds, n, trades)


if __name__ == "__main__":
    main()
