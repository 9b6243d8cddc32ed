"""Orders through the API: placed on the running engine, journaled, listed, cancelled; a retried
POST with the same Idempotency-Key never places a second order."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from api_harness import Api

ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "quantity": "0.01"}


def _wait_status(api: Api, coid: str, wanted: set[str], timeout_s: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = api.client.get(f"/api/orders/{coid}",
                                              headers=api.headers("viewer")).json()
        if body.get("status") in wanted or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


def test_a_market_order_is_placed_filled_and_shows_in_positions(api: Api) -> None:
    resp = api.client.post("/api/orders", json=ORDER, headers=api.headers("trader"))
    assert resp.status_code == 201
    order = resp.json()
    assert order["strategy_id"] == "api" and order["quantity"] == "0.01"
    filled = _wait_status(api, order["client_order_id"], {"FILLED"})
    assert filled["status"] == "FILLED" and filled["filled_qty"] == "0.01"
    assert [e["kind"] for e in filled["events"]][:2] == ["OrderSubmitted", "OrderAccepted"]
    positions = api.client.get("/api/accounts/paper/positions",
                               headers=api.headers("viewer")).json()
    mine = [p for p in positions if p["instrument_id"] == "BTC/USDT@SIM"]
    assert mine and mine[0]["quantity"] != "0"


def test_a_retried_post_with_the_same_key_returns_the_first_order(api: Api) -> None:
    headers = {**api.headers("trader"), "Idempotency-Key": "retry-1"}
    first = api.client.post("/api/orders", json=ORDER, headers=headers)
    second = api.client.post("/api/orders", json=ORDER, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["client_order_id"] == second.json()["client_order_id"]
    other = api.client.post("/api/orders", json={**ORDER, "quantity": "0.02"}, headers=headers)
    assert other.status_code == 409
    listed = api.client.get("/api/orders", params={"strategy_id": "api"},
                            headers=api.headers("viewer")).json()["items"]
    assert len(listed) == 1


def test_concurrent_retries_with_one_key_place_exactly_one_order(api: Api) -> None:
    headers = {**api.headers("trader"), "Idempotency-Key": "storm"}
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: api.client.post("/api/orders", json=ORDER,
                                                          headers=headers), range(8)))
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["client_order_id"] for r in results}) == 1
    listed = api.client.get("/api/orders", params={"strategy_id": "api"},
                            headers=api.headers("viewer")).json()["items"]
    assert len(listed) == 1


def test_orders_are_filtered_and_paginated_newest_first(api: Api) -> None:
    trader = api.headers("trader")
    for price in ("1000.00", "1001.00", "1002.00"):
        body = {**ORDER, "order_type": "LIMIT", "price": price}
        assert api.client.post("/api/orders", json=body, headers=trader).status_code == 201
    viewer = api.headers("viewer")
    page = api.client.get("/api/orders", params={"strategy_id": "api", "limit": 2},
                          headers=viewer).json()
    assert [Decimal(o["price"]) for o in page["items"]] == [1002, 1001]
    assert page["next_offset"] == 2
    rest = api.client.get("/api/orders", params={"strategy_id": "api", "limit": 2,
                                                 "offset": 2}, headers=viewer).json()
    assert [Decimal(o["price"]) for o in rest["items"]] == [1000]
    assert rest["next_offset"] is None
    working = api.client.get("/api/orders", params={"status": "ACCEPTED", "side": "BUY",
                                                    "strategy_id": "api"}, headers=viewer)
    assert len(working.json()["items"]) == 3
    none = api.client.get("/api/orders", params={"status": "FILLED", "strategy_id": "api"},
                          headers=viewer)
    assert none.json()["items"] == []


def test_a_working_order_is_cancelled_and_a_closed_one_cannot_be(api: Api) -> None:
    trader = api.headers("trader")
    order = api.client.post("/api/orders", json={**ORDER, "order_type": "LIMIT",
                                                 "price": "1000.00"}, headers=trader).json()
    resp = api.client.delete(f"/api/orders/{order['client_order_id']}", headers=trader)
    assert resp.status_code == 202
    done = _wait_status(api, order["client_order_id"], {"CANCELED"})
    assert done["status"] == "CANCELED"
    again = api.client.delete(f"/api/orders/{order['client_order_id']}", headers=trader)
    assert again.status_code == 409
    assert "nothing to cancel" in again.json()["detail"]
    unknown = api.client.delete("/api/orders/nope-1", headers=trader)
    assert unknown.status_code == 404


def test_bad_orders_get_a_json_error_naming_the_rule_and_the_value(api: Api) -> None:
    trader = api.headers("trader")
    cases = [
        ({**ORDER, "quantity": "-1"}, 422, "quantity"),
        ({**ORDER, "quantity": "0.000001"}, 422, "lot size 0.00001"),
        ({**ORDER, "order_type": "LIMIT"}, 422, "needs a price"),
        ({**ORDER, "order_type": "LIMIT", "price": "1000.001"}, 422, "tick size 0.01"),
        ({**ORDER, "account_id": "ghost"}, 404, "unknown account ghost"),
        ({**ORDER, "instrument_id": "ETH/USDT@SIM"}, 404, "unknown instrument"),
        ({**ORDER, "side": "HOLD"}, 422, "side"),
        ({**ORDER, "surprise": 1}, 422, "surprise"),
    ]
    for body, status, words in cases:
        resp = api.client.post("/api/orders", json=body, headers=trader)
        assert resp.status_code == status, (body, resp.text)
        err = resp.json()
        assert set(err) >= {"code", "detail"} and words in err["detail"], (body, err)


def test_an_order_over_the_risk_limit_is_denied_with_the_reason(api: Api) -> None:
    resp = api.client.put("/api/risk/limits", json={"max_order_notional": "10"},
                          headers=api.headers("admin"))
    assert resp.status_code == 200
    order = api.client.post("/api/orders", json=ORDER, headers=api.headers("trader")).json()
    assert order["status"] == "DENIED"
    assert order["reason"].startswith("max_order_notional:") and "exceeds 10" in order["reason"]


def test_the_order_list_served_from_memory_matches_the_journal(api: Api) -> None:
    trader = api.headers("trader")
    for price in ("1000.00", "1001.00"):
        api.client.post("/api/orders", json={**ORDER, "order_type": "LIMIT", "price": price},
                        headers=trader)
    api.client.post("/api/orders", json={**ORDER, "side": "SELL", "order_type": "LIMIT",
                                         "price": "999999.00"}, headers=trader)
    time.sleep(0.2)  # the strategy trades too
    for filters in ({}, {"strategy_id": "api"}, {"side": "SELL"}, {"status": ["ACCEPTED"]},
                    {"limit": 2, "offset": 1}):
        memory, more_m = api.ctx.service.call(lambda _e, f=filters: api.ctx.service.orders.list(
            **{"limit": 100, **f}))
        stored, more_s = api.ctx.orders.list(**{"limit": 100, **filters})
        assert [o["client_order_id"] for o in memory] == \
            [o["client_order_id"] for o in stored], filters
        assert [o["status"] for o in memory] == [o["status"] for o in stored]
        assert [Decimal(o["filled_qty"]) for o in memory] == [o["filled_qty"] for o in stored]
        assert more_m == more_s


def test_the_order_list_query_is_validated_with_errors_naming_the_parameter(api: Api) -> None:
    viewer = api.headers("viewer")
    for query, loc, kind in (({"limit": 0}, ["query", "limit"], "greater_than_equal"),
                             ({"limit": "x"}, ["query", "limit"], "int_parsing"),
                             ({"status": "BOGUS"}, ["query", "status", 0], "enum"),
                             ({"side": "UP"}, ["query", "side"], "enum"),
                             ({"offset": -1}, ["query", "offset"], "greater_than_equal")):
        resp = api.client.get("/api/orders", params=query, headers=viewer)
        assert resp.status_code == 422, query
        body = resp.json()
        assert body["code"] == "validation_error"
        assert body["errors"][0]["loc"] == loc and body["errors"][0]["type"] == kind, body


def test_several_statuses_are_combined_and_unknown_parameters_ignored(api: Api) -> None:
    trader = api.headers("trader")
    for price in ("1000.00", "1001.00"):
        api.client.post("/api/orders", json={**ORDER, "order_type": "LIMIT", "price": price},
                        headers=trader)
    resp = api.client.get("/api/orders?status=ACCEPTED&status=FILLED&strategy_id=api"
                          "&limit=1&limit=5&colour=blue", headers=api.headers("viewer"))
    assert resp.status_code == 200
    body = resp.json()
    assert body["limit"] == 5  # the last value of a repeated key, as FastAPI takes it
    assert len(body["items"]) == 2


def test_the_order_list_documents_the_parameters_fastapi_would(api: Api) -> None:
    params = api.client.get("/openapi.json").json()["paths"]["/api/orders"]["get"]["parameters"]
    by_name = {p["name"]: p for p in params}
    assert list(by_name) == ["status", "account_id", "strategy_id", "instrument_id", "side",
                             "since_ns", "until_ns", "limit", "offset"]
    assert all(p["in"] == "query" and p["required"] is False for p in params)
    assert by_name["limit"]["schema"] == {"default": 100, "maximum": 500, "minimum": 1,
                                          "title": "Limit", "type": "integer"}
    assert by_name["status"]["schema"]["anyOf"][0] == {
        "items": {"$ref": "#/components/schemas/OrderStatus"}, "type": "array"}


def test_the_served_order_list_answers_exactly_like_the_documented_route(api: Api) -> None:
    trader = api.headers("trader")
    for price in ("1000.00", "1001.00", "1002.00"):
        api.client.post("/api/orders", json={**ORDER, "order_type": "LIMIT", "price": price},
                        headers=trader)
    key = api.client.post("/api/auth/api-keys", json={"name": "ro", "scopes": ["trade"]},
                          headers=trader).json()["key"]  # no read scope: refused
    cases = [("?limit=2", api.headers("viewer")), ("?status=ACCEPTED&limit=1&offset=1", trader),
             ("?side=SELL", trader), ("?limit=0", trader), ("?status=NOPE", trader),
             ("", {}), ("", {"Authorization": "Bearer nonsense"}), ("", {"X-API-Key": key}),
             ("", {"Authorization": "Basic abc"}), ("", {"X-API-Key": ""})]
    app = api.client.app
    plain = app.router.routes[0]  # type: ignore[attr-defined]
    assert plain.endpoint.__name__ == "list_orders_plain"

    def answers() -> list[tuple[int, bytes, str | None]]:
        out = []
        for query, headers in cases:
            resp = api.client.get(f"/api/orders{query}", headers=headers)
            out.append((resp.status_code, resp.content, resp.headers.get("content-type")))
        return out

    served = answers()
    app.router.routes.remove(plain)  # type: ignore[attr-defined]
    try:
        documented = answers()
    finally:
        app.router.routes.insert(0, plain)  # type: ignore[attr-defined]
    assert served == documented
    assert [s for s, _, _ in served] == [200, 200, 200, 422, 422, 401, 401, 403, 401, 401]
    assert api.client.head("/api/orders", headers=trader).status_code == 405
