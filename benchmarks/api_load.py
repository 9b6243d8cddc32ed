"""REST API load: requests/s and latency percentiles of GET /api/orders and POST /api/orders
against `aitrader up` on loopback with PostgreSQL, driven by wrk (Debian's package). The floor
in the same run is GET /healthz on the same server (no auth, no database): what uvicorn and the
middleware cost by themselves.

    .venv/bin/python benchmarks/api_load.py --pg-url postgresql://... [--redis-url redis://...]
      [--duration 10] [--connections 16] [--seed-orders 2000]

Bounded: each scenario runs --duration seconds; the whole run takes about a minute."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration" / "api"))
from live_server import LiveServer, live_server  # noqa: E402

ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "order_type": "LIMIT", "price": "1000.00", "quantity": "0.01"}
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (every thread)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, duration_s: int, connections: int, script: Path | None = None,
        headers: dict[str, str] | None = None, pid: int = 0) -> dict[str, float]:
    """Run wrk once; requests/s, latency p50/p90/p99 in ms, non-2xx count, and the server's
    CPU per request (load-independent, unlike req/s on a shared machine)."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", "--latency", "--timeout", "5s"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if script is not None:
        cmd += ["-s", str(script)]
    cpu0 = cpu_s(pid) if pid else 0.0
    load0 = os.getloadavg()[0]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_s(pid) - cpu0 if pid else float("nan")
    res = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        res[f"p{pct}_ms"] = float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    res["non_2xx"] = float(bad.group(1)) if bad else 0.0
    total = re.search(r"(\d+) requests in", out)
    res["requests"] = float(total.group(1)) if total else 0.0
    res["cpu_ms"] = cpu / res["requests"] * 1e3 if res["requests"] else float("nan")
    res["load"] = (load0 + os.getloadavg()[0]) / 2
    return res


def post_script(tmp: Path, token: str, idempotent: bool) -> Path:
    body = json.dumps(ORDER).replace("\\", "\\\\").replace('"', '\\"')
    lines = ['wrk.method = "POST"', f'wrk.body = "{body}"',
             'wrk.headers["Content-Type"] = "application/json"',
             f'wrk.headers["Authorization"] = "Bearer {token}"']
    if idempotent:  # a fresh key per request: every request places an order
        lines += ["counter = 0", "request = function()", "  counter = counter + 1",
                  '  wrk.headers["Idempotency-Key"] = "bench-" .. os.time() .. "-" .. counter',
                  "  return wrk.format()", "end"]
    path = tmp / ("post_idem.lua" if idempotent else "post.lua")
    path.write_text("\n".join(lines) + "\n")
    return path


def seed(server: LiveServer, token: str, n: int) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        for _ in range(n):
            client.post("/api/orders", json=ORDER).raise_for_status()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("AITRADER_TEST_POSTGRES_URL"))
    ap.add_argument("--redis-url", default=os.environ.get("AITRADER_TEST_REDIS_URL"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seed-orders", type=int, default=2000)
    ap.add_argument("--limit", type=int, default=50, help="page size of the GET")
    args = ap.parse_args()
    if not args.pg_url or not args.redis_url:
        raise SystemExit("needs --pg-url and --redis-url (or AITRADER_TEST_POSTGRES_URL/"
                         "AITRADER_TEST_REDIS_URL)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        # a slow feed: the strategies barely trade, so the load is the API's own
        with live_server(args.pg_url, args.redis_url, tmp, worker=False,
                         seconds_per_bar=5.0) as server:
            token = server.token()
            started = time.perf_counter()
            seed(server, token, args.seed_orders)
            seeded_s = time.perf_counter() - started
            auth = {"Authorization": f"Bearer {token}"}
            pid = server.pid
            rows = [
                ("GET /healthz (floor: no auth, no database)",
                 wrk(f"{server.url}/healthz", args.duration, args.connections, pid=pid)),
                (f"GET /api/orders?limit={args.limit}",
                 wrk(f"{server.url}/api/orders?limit={args.limit}", args.duration,
                     args.connections, headers=auth, pid=pid)),
                ("GET /api/orders?status=ACCEPTED&limit=10 (filtered)",
                 wrk(f"{server.url}/api/orders?status=ACCEPTED&limit=10", args.duration,
                     args.connections, headers=auth, pid=pid)),
                ("POST /api/orders", wrk(f"{server.url}/api/orders", args.duration,
                                         args.connections, post_script(tmp, token, False),
                                         pid=pid)),
                ("POST /api/orders with Idempotency-Key",
                 wrk(f"{server.url}/api/orders", args.duration, args.connections,
                     post_script(tmp, token, True), pid=pid)),
            ]
    print(f"seeded {args.seed_orders} orders in {seeded_s:.1f} s (sequential client); "
          f"wrk -t1 -c{args.connections} -d{args.duration}s per row")
    print("| request | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx | server CPU "
          "ms/request | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | "
              f"{r['p99_ms']:.2f} | {r['requests']:,.0f} | {r['non_2xx']:,.0f} | "
              f"{r['cpu_ms']:.2f} | {r['load']:.1f} |")


if __name__ == "__main__":
    main()
