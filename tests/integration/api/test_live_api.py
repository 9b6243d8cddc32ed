"""The API over HTTP against a running `aitrader up` with PostgreSQL and Redis, and a backtest
executed by a real Celery worker process."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
import redis
import websockets
from live_server import LiveServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "quantity": "0.01"}


@pytest.fixture(scope="module")
def client(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=30,
                        headers={"Authorization": f"Bearer {server.token()}"})


def test_the_server_runs_the_engine_with_celery_tasks_and_the_redis_cache(
    client: httpx.Client,
) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["engine_running"]
    assert health["tasks_backend"] == "celery" and health["cache"] == "RedisBarCache"


def test_an_order_placed_twice_with_one_key_exists_once_in_postgresql(
    client: httpx.Client, server: LiveServer,
) -> None:
    headers = {"Idempotency-Key": "live-1"}
    first = client.post("/api/orders", json=ORDER, headers=headers)
    second = client.post("/api/orders", json=ORDER, headers=headers)
    assert first.status_code == second.status_code == 201
    coid = first.json()["client_order_id"]
    assert second.json()["client_order_id"] == coid
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server.database_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username,
                         password=url.password, dbname=url.database) as conn:
        count = conn.execute("SELECT count(*) FROM orders WHERE client_order_id = %s",
                             (coid,)).fetchone()
    assert count == (1,)
    deadline = time.monotonic() + 10
    while client.get(f"/api/orders/{coid}").json()["status"] != "FILLED":
        assert time.monotonic() < deadline, "the market order did not fill"
        time.sleep(0.1)


def test_a_backtest_is_executed_by_the_celery_worker(client: httpx.Client) -> None:
    spec = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20, "quantity": "0.1"},
            "data": {"kind": "random_walk", "bars": 5000, "seed": 11}}
    submitted = client.post("/api/backtests", json=spec)
    assert submitted.status_code == 202
    body = submitted.json()
    assert body["backend"] == "celery" and body["task_id"]
    status = _poll(client, body["id"])
    assert status["status"] == "done", status
    result = client.get(f"/api/backtests/{body['id']}/result").json()["result"]
    assert result["bars"] == 5000 and result["orders"] > 0


def test_a_failing_backtest_is_reported_by_the_worker_with_its_reason(
    client: httpx.Client, server: LiveServer,
) -> None:
    (server.log_dir / "broken.csv").write_text("ts,open,high,low,close,volume\nyesterday,1,2,3\n")
    spec = {"strategy": "sma_cross", "data": {"kind": "file", "path": "broken.csv"}}
    submitted = client.post("/api/backtests", json=spec)
    assert submitted.status_code == 202, submitted.text
    status = _poll(client, submitted.json()["id"])
    assert status["status"] == "failed" and "broken.csv" in status["error"]
    resp = client.get(f"/api/backtests/{submitted.json()['id']}/result")
    assert resp.status_code == 409 and "failed" in resp.json()["detail"]


def _poll(client: httpx.Client, run_id: str, timeout_s: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        status: dict[str, Any] = client.get(f"/api/backtests/{run_id}").json()
        if status["status"] in ("done", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.25)


def test_recent_bars_are_served_from_the_redis_cache(
    client: httpx.Client, server: LiveServer,
) -> None:
    time.sleep(0.5)
    hist = client.get("/api/historical/BTC/USDT@SIM", params={"limit": 3}).json()
    assert len(hist["bars"]) == 3
    r = redis.Redis.from_url(server.redis_url)
    cached = [json.loads(x) for x in r.lrange("aitrader:bars:BTC/USDT@SIM", 0, 50)]
    assert hist["bars"][-1]["ts_event"] in {b["ts_event"] for b in cached}


def test_the_websocket_streams_to_an_authenticated_client(server: LiveServer) -> None:
    token = server.token()
    ws_url = server.url.replace("http", "ws") + f"/ws?token={token}&topics=price,pnl"

    async def first_messages() -> list[dict[str, Any]]:
        async with websockets.connect(ws_url) as ws:
            return [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(3)]

    messages = asyncio.run(first_messages())
    assert messages[0]["topic"] == "snapshot"
    assert {m["topic"] for m in messages[1:]} <= {"price", "pnl"}

    async def refused() -> None:
        async with websockets.connect(server.url.replace("http", "ws") + "/ws?token=x"):
            pass

    with pytest.raises(websockets.exceptions.InvalidStatus):
        asyncio.run(refused())


def test_anonymous_calls_over_http_are_refused(server: LiveServer) -> None:
    for path in ("/api/accounts", "/api/orders", "/api/strategies", "/api/risk/state"):
        assert httpx.get(server.url + path).status_code == 401
