"""An account's equity history over HTTP, recorded by the running paper engine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from api_harness import Api, make_api

from aitrader.storage.equity_history import EquityHistory, EquitySample

URL = "/api/accounts/paper/equity"
S = 1_000_000_000


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The API over a running paper engine that records a snapshot after every bar."""
    yield from make_api(tmp_path, environ={"AITRADER_EQUITY_SNAPSHOT_S": "0"})


def _wait_for_points(api: Api, n: int, timeout_s: float = 20.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while True:
        resp = api.client.get(URL, headers=api.headers("viewer"))
        assert resp.status_code == 200, resp.text
        points: list[dict[str, Any]] = resp.json()
        if len(points) >= n or time.monotonic() > deadline:
            return points
        time.sleep(0.05)


def test_the_running_engine_records_equity_that_a_viewer_reads_back(api: Api) -> None:
    trader = api.headers("trader")
    placed = api.client.post("/api/orders", json={
        "account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
        "order_type": "MARKET", "quantity": "0.5"}, headers=trader)
    assert placed.status_code == 201, placed.text
    coid = placed.json()["client_order_id"]
    deadline = time.monotonic() + 20
    while api.client.get(f"/api/orders/{coid}", headers=trader).json()["status"] != "FILLED":
        assert time.monotonic() < deadline, "the market order did not fill"
        time.sleep(0.05)
    points = _wait_for_points(api, 20)
    assert len(points) >= 20
    times = [p["ts"] for p in points]
    assert times == sorted(set(times))  # time order, one point per time
    for p in points:
        equity, cash = Decimal(p["equity"]), Decimal(p["cash"])
        assert Decimal(p["unrealized_pnl"]) == equity - cash
    assert len({p["equity"] for p in points}) > 1  # the held position moves the equity
    assert any(Decimal(p["cash"]) < Decimal(100_000) for p in points)  # the buy paid cash
    fill_ts = api.client.get(f"/api/orders/{coid}", headers=trader).json()["ts_last"]
    assert any(p["ts"] == fill_ts for p in points)  # a snapshot at the fill
    account = api.client.get("/api/accounts", headers=api.headers("viewer")).json()[0]
    assert Decimal(points[-1]["equity"]) > 0 and account["id"] == "paper"


def test_the_range_and_the_limit_select_and_thin_the_points(api: Api) -> None:
    viewer = api.headers("viewer")
    points = _wait_for_points(api, 30)
    first, last = points[0]["ts"], points[-1]["ts"]
    mid = points[len(points) // 2]["ts"]
    ms = (mid + 999_999) // 1_000_000  # the first whole millisecond at or after mid
    got = api.client.get(URL, params={"start": ms}, headers=viewer).json()
    assert got and all(p["ts"] >= ms * 1_000_000 for p in got)
    got = api.client.get(URL, params={"end": first // 1_000_000}, headers=viewer).json()
    assert all(p["ts"] <= first for p in got)
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(last // S + 3600))
    resp = api.client.get(URL, params={"start": iso}, headers=viewer)
    assert resp.status_code == 200 and resp.json() == []  # nothing an hour after the last
    thin = api.client.get(URL, params={"limit": 5}, headers=viewer)
    assert thin.status_code == 200 and 1 <= len(thin.json()) <= 5
    assert int(thin.headers["X-Total-Points"]) >= 30


def test_a_long_history_is_thinned_to_at_most_the_limit(api: Api) -> None:
    history = EquityHistory(api.parts.store.sessions)
    t0 = 1_000_000_000 * S  # long before the running engine's clock
    history.add([EquitySample("paper", t0 + i * S, Decimal(100_000 + i), Decimal(100_000))
                 for i in range(25_000)])
    viewer = api.headers("viewer")
    end_ms = (t0 + 25_000 * S) // 1_000_000
    full = api.client.get(URL, params={"end": end_ms}, headers=viewer)
    assert full.status_code == 200
    assert len(full.json()) == 10_000  # the default and largest budget
    assert full.headers["X-Total-Points"] == "25000"
    assert full.json()[-1] == {"ts": t0 + 24_999 * S, "equity": "124999", "cash": "100000",
                               "unrealized_pnl": "24999"}  # the newest point is kept exactly
    small = api.client.get(URL, params={"end": end_ms, "limit": 100}, headers=viewer).json()
    assert len(small) == 100
    assert [p["ts"] for p in small] == sorted(p["ts"] for p in small)


def test_anonymous_callers_are_refused_and_an_unknown_account_is_404(api: Api) -> None:
    anonymous = api.client.get(URL)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorized"
    bad_token = api.client.get(URL, headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401
    missing = api.client.get("/api/accounts/ghost/equity", headers=api.headers("viewer"))
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "detail": "unknown account ghost"}


@pytest.mark.parametrize(("params", "message"), [
    ({"start": "yesterday"}, "must be milliseconds since the epoch or an ISO 8601 time"),
    ({"end": "2026-01-02T03:04:05"}, "needs a timezone"),
    ({"start": "-5"}, "between 0 and"),
    ({"start": "99999999999999999"}, "between 0 and"),
    ({"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"},
     "start must not be after end"),
    ({"start": "1767312000000", "end": "1767225600000"}, "start must not be after end"),
    ({"limit": "0"}, "limit"),
    ({"limit": "10001"}, "limit"),
    ({"limit": "many"}, "limit"),
])
def test_bad_ranges_and_limits_are_422_with_the_rule(api: Api, params: dict[str, str],
                                                     message: str) -> None:
    resp = api.client.get(URL, params=params, headers=api.headers("viewer"))
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["code"] == "validation_error"
    assert message in body["detail"], body


def test_iso_times_with_an_offset_and_ms_select_the_same_points(api: Api) -> None:
    t0 = 1_767_225_600 * S  # 2026-01-01T00:00:00Z, before the running engine's clock
    EquityHistory(api.parts.store.sessions).add([
        EquitySample("paper", t0 + i * 60 * S, Decimal(100_000 + i), Decimal(100_000))
        for i in range(10)])
    viewer = api.headers("viewer")
    iso = api.client.get(URL, params={"start": "2026-01-01T01:02:00+01:00",
                                      "end": "2026-01-01T00:05:00.000Z"}, headers=viewer)
    ms = api.client.get(URL, params={"start": 1_767_225_720_000, "end": 1_767_225_900_000},
                        headers=viewer)
    assert iso.status_code == ms.status_code == 200
    assert iso.json() == ms.json()
    assert [p["ts"] for p in iso.json()] == [t0 + m * 60 * S for m in range(2, 6)]


def test_the_history_stays_in_time_order_across_a_restart(tmp_path: Path) -> None:
    env = {"AITRADER_EQUITY_SNAPSHOT_S": "0"}
    for api in make_api(tmp_path, environ=env):
        before = _wait_for_points(api, 10)
    for api in make_api(tmp_path, create_users=False, environ=env):  # a new process
        points = _wait_for_points(api, len(before) + 10)
        total = api.client.get(URL, headers=api.headers("viewer")).headers["X-Total-Points"]
        points = api.client.get(URL, headers=api.headers("viewer")).json()
    assert int(total) <= len(points)  # no time recorded twice (no run wrote over another)
    times = [p["ts"] for p in points]
    assert times == sorted(set(times))
    assert {p["ts"] for p in before} <= set(times) and points[0] == before[0]
    earlier = {p["ts"] for p in before}
    later = [p["ts"] for p in points if p["ts"] not in earlier]
    assert len(later) >= 10
    assert min(later) >= before[-1]["ts"]  # the new run's points come after the earlier run's
