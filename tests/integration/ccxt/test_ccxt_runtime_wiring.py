"""brokers.yml + environment → ccxt venues with the right keys and live gate; the rate limit
ccxt enforces, measured at the local server."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from aitrader.core.ids import AccountId
from aitrader.engine.clock import LiveClock
from aitrader.runtime.live_venues import build_ccxt_venues, live_gate
from aitrader.runtime.settings import load_settings

TRADING = """
accounts:
  - {id: kraken-main, venue: kraken, base_currency: USDT, starting_balances: {USDT: 1000},
     live: true}
  - {id: paper-only, venue: kraken, base_currency: USDT, starting_balances: {USDT: 1000}}
"""
BROKERS = """
brokers:
  - name: kraken
    kind: ccxt
    exchange: kraken
    account: kraken-main
    sandbox: false
    api_key: ${KRAKEN_KEY_REF}
"""


def _settings(tmp_path: Path, **env: str) -> Any:
    (tmp_path / "trading.yml").write_text(TRADING)
    (tmp_path / "brokers.yml").write_text(BROKERS)
    return load_settings(tmp_path, {"KRAKEN_KEY_REF": "file-key", **env})


def test_a_live_account_opens_the_gate_only_with_both_switches(tmp_path: Path) -> None:
    assert not live_gate(_settings(tmp_path), "kraken-main").allowed  # SIMULATION_MODE default
    assert live_gate(_settings(tmp_path), "kraken-main").reason == "SIMULATION_MODE is on"
    off = _settings(tmp_path, SIMULATION_MODE="false", DISABLE_REAL_TRADING="true")
    assert live_gate(off, "kraken-main").reason == "DISABLE_REAL_TRADING is set"
    on = _settings(tmp_path, SIMULATION_MODE="false")
    assert live_gate(on, "kraken-main").allowed
    assert not live_gate(on, "paper-only").allowed
    assert "not marked live" in live_gate(on, "paper-only").reason


def test_brokers_yml_and_the_environment_supply_the_keys_without_showing_them(
        tmp_path: Path) -> None:
    settings = _settings(tmp_path, SIMULATION_MODE="false")
    env = {"KRAKEN_SECRET": "env-secret", "KRAKEN_PASSPHRASE": "env-pass"}
    venue = build_ccxt_venues(settings, LiveClock(), env)["kraken"]
    assert venue.config.api_key is not None
    assert venue.config.api_key.get_secret_value() == "file-key"  # the file wins over env
    assert venue.config.secret is not None
    assert venue.config.secret.get_secret_value() == "env-secret"
    assert venue.config.live and venue.exchange.secret == "env-secret"
    assert "env-secret" not in repr(venue.config) and "file-key" not in repr(venue.config)


def test_ccxt_spaces_requests_by_the_rate_limit(
        node_factory: Any, server: Any, kraken: Any) -> None:
    node = node_factory(rate_limit_ms=100)
    for _ in range(4):
        node.venue.balances(AccountId("kraken-main"))
    times = [r.received_s for r in server.requests("/0/private/BalanceEx")]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4
    assert min(gaps) >= 0.09, gaps


def test_a_secret_never_reaches_the_log(
        node_factory: Any, server: Any, kraken: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    node = node_factory(api_key="public-key-8f3a")
    node.venue.balances(AccountId("kraken-main"))
    node.venue.disconnect()
    assert "API-Sign" in caplog.text  # ccxt logged the request ...
    assert "kQH5HW" not in caplog.text  # ... with its secret
    assert "public-key-8f3a" not in caplog.text  # ... and key redacted
