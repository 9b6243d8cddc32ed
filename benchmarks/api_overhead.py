"""CPU per request of the API in-process (ASGI transport, no sockets, engine idle): what our
code costs per call, independent of how busy the machine's network stack and other processes
are. `GET /healthz` (no dependencies) is the floor in the same run.

    .venv/bin/python benchmarks/api_overhead.py [--requests 500] [--orders 300]"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "unit" / "api"))
os.environ.setdefault("AITRADER_TEST_SECONDS_PER_BAR", "1000")  # no bars during the run
from api_harness import make_api  # noqa: E402

ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "order_type": "LIMIT", "price": "1000.00", "quantity": "0.01"}


async def measure(app: object, path: str, n: int, headers: dict[str, str] | None
                  ) -> tuple[float, float]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
                                 base_url="http://bench") as client:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            resp = await client.get(path, headers=headers)
            assert resp.status_code == 200, resp.text
        return ((time.process_time() - cpu) / n * 1e3, (time.perf_counter() - wall) / n * 1e3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--orders", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for api in make_api(Path(d), AITRADER_RATE_LIMIT_IP_PER_MIN=10**9,
                            AITRADER_RATE_LIMIT_USER_PER_MIN=10**9):
            auth = api.headers("trader")
            for _ in range(args.orders):
                api.client.post("/api/orders", json=ORDER, headers=auth)
            print(f"{args.requests} sequential requests each, {args.orders} orders held; "
                  "CPU ms counts every thread of the process (client included)")
            print("| request | CPU ms/request | wall ms/request |")
            print("|---|---:|---:|")
            for path, headers in (("/healthz", None), ("/api/auth/me", auth),
                                  ("/api/orders?limit=50", auth),
                                  ("/api/orders?status=ACCEPTED&limit=10", auth)):
                cpu, wall = asyncio.run(measure(api.client.app, path, args.requests, headers))
                print(f"| GET {path} | {cpu:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    main()
