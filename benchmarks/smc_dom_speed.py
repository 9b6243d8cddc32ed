"""SMC and DOM speed: aitrader's streaming SMC analyzer against smartmoneyconcepts (batch,
pandas) on the same BTCUSDT 1m bars, and the depth-of-market path on the real Binance feed
(loading, per-update measures, the book-replay backtest).

    bash benchmarks/setup_peers.sh        # once (installs smartmoneyconcepts among the peers)
    .venv/bin/python benchmarks/smc_dom_speed.py [--bars 200000] [--lookback 10]

The SMC definitions differ: aitrader confirms a swing ``lookback`` bars later on closed bars
(one pass, every bar could drive a live strategy); smartmoneyconcepts marks swings with a
centred window over the whole history and keeps alternating highs/lows, so the counts differ.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import REPO, load_frame  # noqa: E402

PEERS_PY = HERE / ".venv-peers" / "bin" / "python"
FEED = REPO.parent / "shared" / "data" / "orderbook" / "hftbacktest"


def smc_aitrader(bars: int, lookback: int, repeat: int) -> dict[str, object]:
    from aitrader.strategies.smc.analyzer import SmcSettings, analyze

    df = load_frame(bars)
    cols = [df[c].to_numpy() for c in ("open", "high", "low", "close")]
    best, res = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        res = analyze(*cols, SmcSettings(swing_lookback=lookback))
        best = min(best, time.perf_counter() - started)
    assert res is not None
    return {"seconds": best, "swings": len(res.swings), "breaks": len(res.breaks),
            "order_blocks": len(res.order_blocks), "gaps": len(res.gaps),
            "zones": len(res.zones), "sweeps": len(res.sweeps)}


def smc_peer(bars: int, lookback: int) -> dict[str, object]:
    if not PEERS_PY.exists():
        return {"error": "peers' venv missing: run bash benchmarks/setup_peers.sh"}
    proc = subprocess.run([str(PEERS_PY), str(HERE / "peers" / "smartmoneyconcepts_smc.py"),
                           str(bars), str(lookback)], capture_output=True, text=True,
                          check=False)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    out: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def dom(repeat: int) -> dict[str, float]:
    from decimal import Decimal

    from aitrader.core.ids import InstrumentId
    from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot
    from aitrader.core.order_book import OrderBook
    from aitrader.runtime.book_backtest import BookBacktestRequest, run_book_backtest
    from aitrader.storage.book_files import load_binance_feed
    from aitrader.strategies.dom.book_metrics import book_microprice, imbalance

    iid = InstrumentId("BTC/USDT", "BINANCE")
    started = time.perf_counter()
    feed = load_binance_feed([FEED / "binance_usdm_btcusdt_20240808.gz"], iid)
    load_s = time.perf_counter() - started
    updates = [e for e in feed.events if isinstance(e, OrderBookSnapshot | OrderBookDeltas)]
    book = OrderBook(iid)
    apply_s = measure_s = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for e in updates:
            if isinstance(e, OrderBookSnapshot):
                book.apply_snapshot(e)
            else:
                book.apply_deltas(e)
        t1 = time.perf_counter()
        for _e in updates:
            bids, asks = book.bids(10), book.asks(10)
            imbalance(bids, asks, 10)
            book_microprice(bids, asks)
        t2 = time.perf_counter()
        apply_s, measure_s = min(apply_s, t1 - t0), min(measure_s, t2 - t1)
    bt_s = float("inf")
    for _ in range(repeat):
        res = run_book_backtest(BookBacktestRequest(
            events=feed.events, strategy="dom_imbalance", params={"quantity": "0.01"},
            fee_rate=Decimal("0.0002"), lot_size=Decimal("0.001")))
        bt_s = min(bt_s, res.elapsed_s)
    return {"lines": len(feed.events) + feed.dropped_before_snapshot, "load_s": load_s,
            "updates": len(updates), "apply_us": apply_s / len(updates) * 1e6,
            "measure_us": measure_s / len(updates) * 1e6, "events": len(feed.events),
            "backtest_s": bt_s, "round_trips": len(res.trades)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bars", type=int, default=200_000)
    ap.add_argument("--lookback", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    ours = smc_aitrader(a.bars, a.lookback, a.repeat)
    peer = smc_peer(a.bars, a.lookback)
    d = dom(a.repeat)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"## SMC and DOM speed (issue #4, smc/dom)\nMeasured {now}, Python "
          f"{platform.python_version()}, `.venv/bin/python benchmarks/smc_dom_speed.py "
          f"--bars {a.bars} --lookback {a.lookback} --repeat {a.repeat}`.\n")
    print("| SMC on BTCUSDT 1m | seconds | bars/s | swings | BOS+CHoCH | order blocks | FVGs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in (("aitrader (streaming, closed bars)", ours), ("smartmoneyconcepts", peer)):
        if "error" in r:
            print(f"| {name} | {r['error']} | | | | | |")
            continue
        secs = float(str(r["seconds"]))
        print(f"| {name} | {secs:.2f} | {a.bars / secs:,.0f} | {r['swings']} | {r['breaks']} | "
              f"{r['order_blocks']} | {r['gaps']} |")
    print(f"\nDOM on binance_usdm_btcusdt_20240808.gz ({d['updates']:,} book updates, "
          f"{d['events']:,} events): load {d['load_s']:.2f} s; apply an update "
          f"{d['apply_us']:.1f} µs; 10-level imbalance + microprice {d['measure_us']:.1f} µs; "
          f"dom_imbalance book-replay backtest {d['backtest_s']:.2f} s "
          f"({d['events'] / d['backtest_s']:,.0f} events/s, {d['round_trips']} round trips).")


if __name__ == "__main__":
    main()
