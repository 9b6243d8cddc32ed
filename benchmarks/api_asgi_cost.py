"""CPU per request of the API's own code: the ASGI app called directly (no sockets, no HTTP
client, no uvicorn), the engine idle, SQLite behind it. What the middleware, routing,
dependencies, auth and serialization cost per request, measured in microseconds, so a change
shows up without wrk and without the machine's load. ``--profile`` prints cProfile's top
functions for one path.

    .venv/bin/python benchmarks/api_asgi_cost.py [--requests 3000] [--orders 300]
      [--profile /api/orders?limit=50]"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "unit" / "api"))
os.environ.setdefault("AITRADER_TEST_SECONDS_PER_BAR", "1000")  # no bars during the run
from api_harness import make_api  # noqa: E402

ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "order_type": "LIMIT", "price": "1000.00", "quantity": "0.01"}


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    raw_path, _, query = path.partition("?")
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1", "method": "GET", "scheme": "http", "path": raw_path,
            "raw_path": raw_path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in
                        {"host": "bench", **headers}.items()],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8100), "state": {}}


async def _call(app: Any, path: str, headers: dict[str, str]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(path, headers), receive, send)
    return status


async def measure(app: Any, path: str, n: int, headers: dict[str, str]) -> float:
    """Microseconds of CPU per request (every thread of the process)."""
    for _ in range(50):  # warm the caches
        assert await _call(app, path, headers) == 200
    cpu = time.process_time()
    for _ in range(n):
        await _call(app, path, headers)
    return (time.process_time() - cpu) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--profile", default=None, help="a path to profile instead")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for api in make_api(Path(d), AITRADER_RATE_LIMIT_IP_PER_MIN=10**9,
                            AITRADER_RATE_LIMIT_USER_PER_MIN=10**9):
            auth = api.headers("trader")
            for _ in range(args.orders):
                api.client.post("/api/orders", json=ORDER, headers=auth)
            app = api.client.app
            if args.profile:
                prof = cProfile.Profile()
                asyncio.run(measure(app, args.profile, 100, auth))
                prof.enable()
                asyncio.run(measure(app, args.profile, args.requests, auth))
                prof.disable()
                pstats.Stats(prof).sort_stats("tottime").print_stats(35)
                return
            print(f"{args.requests} requests each, ASGI called directly, {args.orders} orders "
                  "held, load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
            print("| request | CPU µs/request |")
            print("|---|---:|")
            for path, headers in (("/healthz", {}), ("/api/auth/me", auth),
                                  ("/api/orders?limit=50", auth),
                                  ("/api/orders?status=ACCEPTED&limit=10", auth)):
                us = asyncio.run(measure(app, path, args.requests, headers))
                print(f"| GET {path} | {us:,.0f} |")


if __name__ == "__main__":
    main()
