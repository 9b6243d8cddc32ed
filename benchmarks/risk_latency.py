"""Risk engine latency: p50/p99 of one pre-trade check with every rule on, of the per-bar breaker
update, and backtest throughput with the risk engine off and on (real BTCUSDT 1m bars).

    .venv/bin/python benchmarks/risk_latency.py [--orders 20000] [--bars 200000] [--write]

The check is timed on entries that pass (the slowest path: every rule runs, including the
return correlation against an open position and the open-risk sum over working orders).
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from aitrader.core.account import Account  # noqa: E402
from aitrader.core.commands import SubmitOrder  # noqa: E402
from aitrader.core.enums import AccountType, AssetClass, OrderSide, OrderType  # noqa: E402
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId  # noqa: E402
from aitrader.core.instrument import Instrument  # noqa: E402
from aitrader.core.market_data import Bar  # noqa: E402
from aitrader.engine.clock import SimClock  # noqa: E402
from aitrader.engine.trading_engine import TradingEngine  # noqa: E402
from aitrader.portfolio.portfolio import Portfolio  # noqa: E402
from aitrader.risk.config import BreakerConfig, RiskConfig, StrategyLimits  # noqa: E402
from aitrader.risk.risk_engine import RiskEngine  # noqa: E402
from aitrader.venues.simulated.exchange import SimulatedExchange  # noqa: E402
from aitrader.venues.simulated.fill_models import FeeModel, NoSlippage  # noqa: E402
from common import DEFAULT_DATA, FAST, SLOW, load_frame, ts_ns  # noqa: E402
from peers.plain_loop import run as plain_loop  # noqa: E402

MIN = 60_000_000_000
ROUNDS = 5
QUIET_FLOOR = 3_447_832  # plain-loop bars/s of the engine benchmark on an idle machine
BTC, ETH = InstrumentId("BTC/USDT", "SIM"), InstrumentId("ETH/USDT", "SIM")
ALL_ON = RiskConfig(
    max_position_qty=Decimal(50), max_position_notional=Decimal(2_000_000),
    max_leverage=Decimal(3), max_net_exposure=Decimal(2), max_order_notional=Decimal(500_000),
    min_order_notional=Decimal(10), price_collar=Decimal("0.05"), duplicate_window_ms=500,
    max_correlation=0.99, correlation_window=60, max_open_orders=100,
    breakers=BreakerConfig(stale_data_s=600),
)


def _setup() -> tuple[RiskEngine, TradingEngine, SimClock]:
    insts = [Instrument(i, AssetClass.CRYPTO, i.symbol[:3], "USDT", Decimal("0.01"),
                        Decimal("0.00001"), min_notional=Decimal(5)) for i in (BTC, ETH)]
    clock = SimClock(1_700_000_000 * 10**9 // MIN * MIN)
    pf = Portfolio()
    acc = AccountId("bench")
    pf.add_account(Account(acc, "SIM", "USDT", {"USDT": Decimal(1_000_000)}, AccountType.MARGIN,
                           Decimal(3)))
    venue = SimulatedExchange("SIM", insts, clock, pf, FeeModel(Decimal(0), Decimal(0)),
                              NoSlippage())
    risk = RiskEngine(pf, clock, ALL_ON, strategies={StrategyId("s"): StrategyLimits(
        max_open_orders=90, per_trade_risk=Decimal("0.02"))})
    engine = TradingEngine(clock, {"SIM": venue}, pf, risk)
    rng = np.random.default_rng(1)
    btc, eth = 30_000.0, 2_000.0
    for _ in range(200):  # returns for the correlation check, ATR for the norms
        t = clock.now_ns()
        r = rng.normal(0, 0.001)
        btc *= 1 + r
        eth *= 1 + 0.5 * r + rng.normal(0, 0.001)
        engine.on_bar(Bar(BTC, t, t + MIN, btc, btc * 1.001, btc * 0.999, btc, 1.0))
        engine.on_bar(Bar(ETH, t, t + MIN, eth, eth * 1.001, eth * 0.999, eth, 1.0))
    sid = StrategyId("s")
    orders = engine.orders
    orders.submit(SubmitOrder(orders.next_order_id(sid), sid, acc, ETH, OrderSide.BUY,
                              OrderType.MARKET, Decimal(20)))
    t = clock.now_ns()
    engine.on_bar(Bar(ETH, t, t + MIN, eth, eth, eth, eth, 1.0))
    engine.on_bar(Bar(BTC, t, t + MIN, btc, btc, btc, btc, 1.0))
    for k in range(10):  # working entries with stops: the open-risk sum walks them
        px = Decimal(str(round(btc * (0.97 - k * 0.001), 2)))
        orders.submit(SubmitOrder(orders.next_order_id(sid), sid, acc, BTC, OrderSide.BUY,
                                  OrderType.LIMIT, Decimal("0.1"), price=px,
                                  stop_loss=px - Decimal(300)))
    return risk, engine, clock


def bench_check(n: int, perf: Callable[[], int] = time.perf_counter_ns) -> tuple[list[int], int]:
    """Nanoseconds per check() of ``n`` passing limit entries with stops (wall clock, or the
    thread's CPU time, which leaves out the time other processes held the core)."""
    risk, engine, clock = _setup()
    mark = engine.portfolio.mark_decimal(BTC)
    assert mark is not None
    acc, sid = AccountId("bench"), StrategyId("s")
    cmds = []
    for i in range(n):
        px = (mark * Decimal("0.99") - Decimal(i % 500) / 100).quantize(Decimal("0.01"))
        cmds.append(SubmitOrder(ClientOrderId(f"b-{i}"), sid, acc, BTC, OrderSide.BUY,
                                OrderType.LIMIT, Decimal("0.01"), price=px,
                                stop_loss=px - Decimal(200)))
    check = risk.check
    out = []
    denied = 0
    gc.disable()
    for i, cmd in enumerate(cmds):
        if i % 500 == 0:
            clock.advance_to(clock.now_ns() + 1_000_000_000)  # past the duplicate window
        t0 = perf()
        reason = check(cmd)
        out.append(perf() - t0)
        denied += reason is not None
    gc.enable()
    return out, denied


def bench_bars(n: int, perf: Callable[[], int] = time.perf_counter_ns) -> list[int]:
    """Nanoseconds per RiskEngine.on_bar (every breaker on, one open position)."""
    risk, _, clock = _setup()
    rng = np.random.default_rng(2)
    price = 30_000.0
    bars = []
    t = clock.now_ns()
    for _ in range(n):
        price *= 1 + rng.normal(0, 0.001)
        bars.append(Bar(BTC, t, t + MIN, price, price * 1.001, price * 0.999, price, 1.0))
        t += MIN
    on_bar = risk.on_bar
    out = []
    gc.disable()
    for bar in bars:
        t0 = perf()
        on_bar(bar)
        out.append(perf() - t0)
    gc.enable()
    return out


def bench_backtest(bars_n: int) -> dict[str, float]:
    """Bars/s of the SMA crossover backtest with the risk engine off and on."""
    from aitrader.data.bar_arrays import BarArrays
    from aitrader.runtime.backtest import BacktestRequest, run_backtest

    df = load_frame(bars_n, DEFAULT_DATA)
    bars = BarArrays(ts_ns(df), *(df[c].to_numpy(dtype=np.float64)
                                  for c in ("open", "high", "low", "close", "volume")),
                     timeframe_ns=MIN)
    floor_s = min(plain_loop(df["open"].to_numpy(), df["close"].to_numpy(), ts_ns(df), FAST,
                             SLOW)[0] for _ in range(3))
    out = {"floor": len(bars) / floor_s}
    for label, risk in (("off", None), ("on", RiskConfig(duplicate_window_ms=0))):
        best = min(run_backtest(BacktestRequest(
            bars=bars, symbol="BTC/USDT", strategy="sma_cross",
            params={"fast": 10, "slow": 30, "quantity": "1"}, fee_rate=Decimal("0.001"),
            starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01"), risk=risk,
        )).elapsed_s for _ in range(2))
        out[label] = len(bars) / best
    return out


def _pct(xs: list[int], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q)) / 1000.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=20_000)
    ap.add_argument("--bars", type=int, default=200_000)
    ap.add_argument("--write", action="store_true", help="append the table to RESULTS.md")
    args = ap.parse_args()
    rows = ["| what | samples | p50 µs | p99 µs | mean µs |", "|---|---|---:|---:|---:|"]
    # the same orders and bars, replayed ROUNDS times on fresh engines: the first round as
    # measured, and each sample's minimum over the rounds (what is left when the other
    # processes on this shared machine did not take the core in the middle of a sample)
    check_rounds = [bench_check(args.orders) for _ in range(ROUNDS)]
    denied = check_rounds[0][1]
    bar_rounds = [bench_bars(min(args.bars, 100_000)) for _ in range(ROUNDS)]
    for label, checks, per_bar in (
            ("first round", check_rounds[0][0], bar_rounds[0]),
            (f"min of {ROUNDS} rounds", [min(x) for x in zip(*(c for c, _ in check_rounds),
                                                             strict=True)],
             [min(x) for x in zip(*bar_rounds, strict=True)])):
        rows += [
            f"| pre-trade check, every rule on ({args.orders:,} passing entries) | {label} | "
            f"{_pct(checks, 50):.1f} | {_pct(checks, 99):.1f} | "
            f"{statistics.fmean(checks) / 1000:.1f} |",
            f"| per-bar breaker update ({len(per_bar):,} bars) | {label} | "
            f"{_pct(per_bar, 50):.2f} | {_pct(per_bar, 99):.2f} | "
            f"{statistics.fmean(per_bar) / 1000:.2f} |",
        ]
    throughput = bench_backtest(args.bars)
    bt = (f"SMA-cross backtest, {args.bars:,} BTCUSDT 1m bars, best of 2: risk off "
          f"{throughput['off']:,.0f} bars/s, risk on {throughput['on']:,.0f} bars/s "
          f"({throughput['on'] / throughput['off'] - 1:+.1%}); plain-loop floor "
          f"{throughput['floor']:,.0f} bars/s, i.e. this run's machine was "
          f"{QUIET_FLOOR / throughput['floor']:.1f}x slower than the quiet engine run in "
          f"RESULTS.md ({QUIET_FLOOR:,} bars/s)")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").exists() else "n/a"
    text = "\n".join(rows) + f"\n\n{bt}\n\nload average during the run: {load}\n"
    print(text)
    print(f"(denied during the check benchmark: {denied})")
    if args.write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = (f"\n## Risk engine latency ({stamp}, Python {platform.python_version()}, "
                   f"{platform.machine()})\n\n`.venv/bin/python benchmarks/risk_latency.py "
                   f"--orders {args.orders} --bars {args.bars}`\n\n{text}")
        with (HERE / "RESULTS.md").open("a") as fh:
            fh.write(section)


if __name__ == "__main__":
    main()
