"""Strategies, backtests, risk, broker credentials and market data through the API."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from api_harness import Api, make_api
from sqlalchemy import select

from aitrader.storage.auth_models import BrokerCredentialRow

SMA = {"id": "sma-fast", "type": "sma_cross", "account_id": "paper",
       "instruments": ["BTC/USDT@SIM"], "params": {"fast": 3, "slow": 8, "quantity": "0.01"}}


def test_strategy_types_expose_the_json_schema_of_their_params(api: Api) -> None:
    types = api.client.get("/api/strategies/types", headers=api.headers("viewer")).json()
    sma = next(t for t in types if t["name"] == "sma_cross")
    assert sma["params_schema"]["properties"]["fast"]["type"] == "integer"
    assert sma["params_schema"]["additionalProperties"] is False


def test_a_strategy_is_created_validated_started_updated_and_stopped(api: Api) -> None:
    trader = api.headers("trader")
    bad = api.client.post("/api/strategies", json={**SMA, "params": {"fast": 0}}, headers=trader)
    assert bad.status_code == 422 and "fast" in bad.json()["detail"]
    unknown = api.client.post("/api/strategies", json={**SMA, "type": "nope"}, headers=trader)
    assert unknown.status_code == 422 and "unknown strategy 'nope'" in unknown.json()["detail"]
    created = api.client.post("/api/strategies", json=SMA, headers=trader)
    assert created.status_code == 201 and created.json()["status"] == "stopped"
    dup = api.client.post("/api/strategies", json=SMA, headers=trader)
    assert dup.status_code == 409
    started = api.client.post("/api/strategies/sma-fast/start", headers=trader).json()
    assert started["status"] == "running"
    updated = api.client.put("/api/strategies/sma-fast", json={"params": {"fast": 4, "slow": 9}},
                             headers=trader).json()
    assert updated["params"]["fast"] == 4 and updated["status"] == "running"
    stopped = api.client.post("/api/strategies/sma-fast/stop", headers=trader).json()
    assert stopped["status"] == "stopped"
    assert api.client.get("/api/strategies/ghost", headers=trader).status_code == 404


def test_a_strategy_created_through_the_api_survives_a_restart(tmp_path: Path) -> None:
    for api in make_api(tmp_path):
        trader = api.headers("trader")
        assert api.client.post("/api/strategies", json={**SMA, "start": True},
                               headers=trader).status_code == 201
    for api in make_api(tmp_path, create_users=False):  # a new process on the same database
        got = api.client.get("/api/strategies/sma-fast", headers=api.headers("viewer")).json()
        assert got["status"] == "running" and got["params"]["slow"] == 8


def test_a_backtest_runs_as_a_task_and_its_result_is_fetched(api: Api) -> None:
    trader = api.headers("trader")
    spec = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20, "quantity": "0.1"},
            "data": {"kind": "random_walk", "bars": 2000, "seed": 3}}
    submitted = api.client.post("/api/backtests", json=spec, headers=trader)
    assert submitted.status_code == 202 and submitted.json()["backend"] == "inprocess"
    run_id = submitted.json()["id"]
    status = _poll(api, run_id)
    assert status["status"] == "done", status
    result = api.client.get(f"/api/backtests/{run_id}/result", headers=trader).json()["result"]
    assert result["bars"] == 2000 and result["fills"] > 0
    again = api.client.post("/api/backtests", json=spec, headers=trader).json()["id"]
    _poll(api, again)
    same = api.client.get(f"/api/backtests/{again}/result", headers=trader).json()["result"]
    assert same["final_equity"] == result["final_equity"]  # same spec, same figures


def test_bad_backtests_are_refused_before_they_are_queued(api: Api) -> None:
    trader = api.headers("trader")
    unknown = api.client.post("/api/backtests", json={"strategy": "nope"}, headers=trader)
    assert unknown.status_code == 422
    escape = api.client.post("/api/backtests", json={
        "strategy": "sma_cross", "data": {"kind": "file", "path": "../../etc/passwd"}},
        headers=trader)
    assert escape.status_code == 422 and "without '..'" in escape.json()["detail"]
    missing = api.client.get("/api/backtests/none/result", headers=trader)
    assert missing.status_code == 404


def _poll(api: Api, run_id: str, timeout_s: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        status: dict[str, Any] = api.client.get(f"/api/backtests/{run_id}",
                                                headers=api.headers("viewer")).json()
        if status["status"] in ("done", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_the_kill_switch_denies_new_orders_until_an_admin_releases_it(api: Api) -> None:
    trader, admin = api.headers("trader"), api.headers("admin")
    order = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
             "order_type": "LIMIT", "price": "1000.00", "quantity": "0.01"}
    resting = api.client.post("/api/orders", json=order, headers=trader).json()
    state = api.client.post("/api/risk/kill-switch", json={"reason": "test"},
                            headers=trader).json()
    assert state["kill_switch"]["engaged"] is True and state["kill_switch"]["orders_cancelled"] >= 1
    denied = api.client.post("/api/orders", json=order, headers=trader).json()
    assert denied["status"] == "DENIED" and "kill switch: test (by trader)" in denied["reason"]
    detail = api.client.get(f"/api/orders/{resting['client_order_id']}", headers=trader).json()
    assert detail["status"] in ("PENDING_CANCEL", "CANCELED")
    released = api.client.delete("/api/risk/kill-switch", headers=admin).json()
    assert released["kill_switch"]["engaged"] is False
    assert api.client.post("/api/orders", json=order, headers=trader).json()["status"] != "DENIED"


def test_broker_credentials_are_stored_encrypted_and_never_returned(api: Api) -> None:
    admin = api.headers("admin")
    resp = api.client.post("/api/broker-credentials", headers=admin, json={
        "name": "binance-main", "broker": "binance", "api_key": "AKIA-visible-key",
        "secret": "s3cr3t-value"})
    assert resp.status_code == 201
    assert "s3cr3t" not in resp.text and "AKIA" not in resp.text
    listed = api.client.get("/api/broker-credentials", headers=admin)
    assert "s3cr3t" not in listed.text and listed.json()[0]["name"] == "binance-main"
    with api.parts.store.sessions() as s:
        row = s.scalar(select(BrokerCredentialRow))
    assert row is not None and b"s3cr3t" not in row.ciphertext
    assert api.ctx.vault.open(row.ciphertext)["secret"] == "s3cr3t-value"
    assert api.client.get("/api/broker-credentials",
                          headers=api.headers("trader")).status_code == 403


def test_market_data_history_and_depth_answer_for_a_symbol_in_any_spelling(api: Api) -> None:
    viewer = api.headers("viewer")
    time.sleep(0.3)  # a few bars at 0.01 s each
    for spelling in ("BTC/USDT@SIM", "BTC/USDT", "btcusdt"):
        snap = api.client.get(f"/api/market-data/{spelling}", headers=viewer).json()
        assert snap["instrument_id"] == "BTC/USDT@SIM" and snap["last"] is not None
    hist = api.client.get("/api/historical/BTCUSDT", params={"limit": 5}, headers=viewer).json()
    assert len(hist["bars"]) == 5
    ts = [b["ts_event"] for b in hist["bars"]]
    assert ts == sorted(ts)
    depth = api.client.get("/api/depth/BTCUSDT", headers=viewer).json()
    assert depth["available"] is False and depth["bids"] == []
    missing = api.client.get("/api/market-data/DOGE", headers=viewer)
    assert missing.status_code == 404 and "known: BTC/USDT@SIM" in missing.json()["detail"]


def test_the_websocket_streams_a_snapshot_then_prices_and_order_events(api: Api) -> None:
    token = api.tokens["trader"]["access_token"]
    with api.client.websocket_connect(f"/ws?token={token}&topics=price,order") as ws:
        first = ws.receive_json()
        assert first["topic"] == "snapshot" and first["data"]["accounts"][0]["id"] == "paper"
        api.client.post("/api/orders", json={"account_id": "paper",
                                             "instrument_id": "BTC/USDT@SIM", "side": "BUY",
                                             "quantity": "0.01"},
                        headers=api.headers("trader"))
        topics = set()
        for _ in range(200):
            msg = ws.receive_json()
            topics.add(msg["topic"])
            if {"price", "order"} <= topics:
                break
        assert {"price", "order"} <= topics
        assert topics <= {"price", "order"}


def test_health_reports_the_engine_and_the_database(api: Api) -> None:
    body = api.client.get("/api/health", headers=api.headers("viewer")).json()
    assert body["status"] == "ok" and body["engine_running"] and body["database"]
    assert api.client.get("/healthz").json() == {"status": "ok"}


def test_the_built_dashboard_is_served_with_client_side_routes_and_api_404s_stay_json(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    for api in make_api(tmp_path, AITRADER_FRONTEND_DIST=str(dist)):
        assert "id=root" in api.client.get("/").text
        assert "id=root" in api.client.get("/orders/history").text  # a client-side route
        assert api.client.get("/assets/app.js").text == "console.log(1)"
        assert "default-src 'self'" in api.client.get("/").headers["content-security-policy"]
        missing = api.client.get("/api/nothing-here", headers=api.headers("viewer"))
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
        assert api.client.get("/../../etc/passwd").text.startswith("<!doctype html>")


def test_positions_and_balances_come_back_after_a_restart(tmp_path: Path) -> None:
    order = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
             "quantity": "0.5"}
    for api in make_api(tmp_path):
        placed = api.client.post("/api/orders", json=order, headers=api.headers("trader")).json()
        api.client.post("/api/strategies/sma-btc/stop", headers=api.headers("trader"))
        deadline = time.monotonic() + 10
        while api.client.get(f"/api/orders/{placed['client_order_id']}",
                             headers=api.headers("viewer")).json()["status"] != "FILLED":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.1)
        before = api.client.get("/api/accounts/paper/balance", headers=api.headers("viewer"))
        held = api.client.get("/api/accounts/paper/positions", headers=api.headers("viewer"))
    for api in make_api(tmp_path, create_users=False):
        after = api.client.get("/api/accounts/paper/balance", headers=api.headers("viewer"))
        again = api.client.get("/api/accounts/paper/positions", headers=api.headers("viewer"))
        assert _exact(after.json()["balances"]) == _exact(before.json()["balances"])
        assert _exact(again.json(), ("instrument_id", "quantity", "avg_price",
                                     "realized_pnl")) == \
            _exact(held.json(), ("instrument_id", "quantity", "avg_price", "realized_pnl"))
        assert Decimal(again.json()[0]["quantity"]) >= Decimal("0.5")
        listed = api.client.get("/api/orders", params={"strategy_id": "api"},
                                headers=api.headers("viewer")).json()["items"]
        assert [o["client_order_id"] for o in listed] == [placed["client_order_id"]]


def _exact(rows: list[dict[str, Any]], keys: tuple[str, ...] | None = None) -> list[Any]:
    """Rows with decimal strings as Decimals (0.50 == 0.5), optionally only some keys."""
    def value(v: Any) -> Any:
        try:
            return Decimal(v) if isinstance(v, str) else v
        except ArithmeticError:
            return v
    return [{k: value(v) for k, v in r.items() if keys is None or k in keys} for r in rows]


def test_settings_expose_their_json_schema_and_never_a_secret(api: Api) -> None:
    schema = api.client.get("/api/settings/schema", headers=api.headers("viewer")).json()
    assert "risk" in schema["trading.yml"]["properties"]
    assert api.client.get("/api/settings", headers=api.headers("trader")).status_code == 403
    current = api.client.get("/api/settings", headers=api.headers("admin")).json()
    assert current["trading.yml"]["accounts"][0]["id"] == "paper"
    assert current["brokers.yml"] == {"brokers": []}
