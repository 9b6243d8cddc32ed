"""Settings: defaults, shipped files, environment overrides, and errors naming file, key, rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aitrader.core.errors import ConfigError
from aitrader.runtime.settings import AppSettings, load_settings

REPO_CONFIG = Path(__file__).resolve().parents[3] / "config"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def test_defaults_load_with_no_files_and_no_environment(tmp_path) -> None:
    s = load_settings(tmp_path, environ={})
    assert s.env.database_url == "sqlite:///./var/aitrader.db"
    assert s.env.simulation_mode is True
    assert s.trading.risk.per_trade_risk == Decimal("0.02")
    assert s.trading.risk.max_drawdown == Decimal("0.15")
    assert [a.id for a in s.trading.accounts] == ["paper"]
    assert s.strategies.strategies[0].type == "sma_cross"


def test_the_shipped_config_files_load_and_match_the_documented_defaults() -> None:
    s = load_settings(REPO_CONFIG, environ={})
    assert s.trading.risk.daily_loss_limit == Decimal("0.05")
    assert s.trading.risk.max_portfolio_risk == Decimal("0.10")
    assert s.trading.instruments[0].build().tick_size == Decimal("0.01")
    assert s.brokers.brokers == []
    assert s.logging.loggers["aitrader.market_data"] == "WARNING"


def test_environment_overrides_yaml_risk_values(tmp_path) -> None:
    _write(tmp_path, "trading.yml", "risk:\n  max_drawdown: 0.1\n  max_positions: 3\n")
    s = load_settings(tmp_path, environ={"MAX_DRAWDOWN": "0.25", "DEFAULT_RISK_PERCENT": "0.01"})
    assert s.trading.risk.max_drawdown == Decimal("0.25")
    assert s.trading.risk.per_trade_risk == Decimal("0.01")
    assert s.trading.risk.max_positions == 3  # not in the environment: YAML stays


@pytest.mark.parametrize(("text", "expected"), [
    ("risk:\n  max_drawdown: 1.5\n",
     r"trading.yml: risk.max_drawdown: Input should be less than or equal to 1, was 1.5"),
    ("risk:\n  max_drawdwn: 0.1\n",
     r"trading.yml: risk: unknown key 'max_drawdwn' \(allowed: per_trade_risk, .*max_drawdown"),
    ("accounts:\n  - id: a\n    type: CASH\n    leverage: 3\n",
     r"trading.yml: accounts\[0\]: a CASH account has leverage 1, was 3"),
    ("instruments:\n  - {symbol: X/Y, base: X, quote: Y, tick_size: 0, lot_size: 1}\n",
     r"trading.yml: instruments\[0\].tick_size: Input should be greater than 0, was 0"),
    ("instruments:\n  - {symbol: X/Y, venue: NOPE, base: X, quote: Y, tick_size: 1, lot_size: 1}\n",
     r"trading.yml: <top level>: instrument X/Y names venue 'NOPE', which is not in venues"),
])
def test_a_wrong_value_names_the_file_the_key_and_what_is_allowed(tmp_path, text, expected) -> None:
    _write(tmp_path, "trading.yml", text)
    with pytest.raises(ConfigError, match=expected):
        load_settings(tmp_path, environ={})


def test_unknown_strategy_keys_are_refused_with_the_allowed_ones(tmp_path) -> None:
    _write(tmp_path, "strategies.yml",
           "strategies:\n  - {id: s, type: sma_cross, account: paper, instruments: [X@SIM],"
           " fast: 5}\n")
    with pytest.raises(ConfigError, match=r"strategies.yml: strategies\[0\]: unknown key 'fast' "
                                          r"\(allowed: id, type, account, instruments"):
        load_settings(tmp_path, environ={})


def test_malformed_yaml_names_the_line(tmp_path) -> None:
    _write(tmp_path, "trading.yml", "risk:\n  max_drawdown: [0.1\n")
    with pytest.raises(ConfigError, match=r"trading.yml: line \d+, column \d+: malformed YAML"):
        load_settings(tmp_path, environ={})


def test_a_wrong_environment_value_names_the_variable(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"environment: PORT: Input should be less than or equal"):
        load_settings(tmp_path, environ={"PORT": "70000"})


def test_broker_keys_come_from_the_environment_and_never_render(tmp_path) -> None:
    _write(tmp_path, "brokers.yml",
           "brokers:\n  - {name: b, kind: ccxt, exchange: binance,"
           " api_key: '${BINANCE_API_KEY}'}\n")
    s = load_settings(tmp_path, environ={"BINANCE_API_KEY": "k-123-secret"})
    key = s.brokers.brokers[0].api_key
    assert key is not None and key.get_secret_value() == "k-123-secret"
    assert "k-123-secret" not in repr(s) and "k-123-secret" not in str(s.brokers)
    with pytest.raises(ConfigError, match=r"brokers.yml: \$\{BINANCE_API_KEY\} is used but"):
        load_settings(tmp_path, environ={})


@pytest.mark.parametrize(("live", "env", "allowed"), [
    (False, {"SIMULATION_MODE": "false"}, False),
    (True, {}, False),  # SIMULATION_MODE defaults to on
    (True, {"SIMULATION_MODE": "false", "DISABLE_REAL_TRADING": "true"}, False),
    (True, {"SIMULATION_MODE": "false"}, True),
])
def test_live_orders_need_the_account_opt_in_and_both_switches(
    tmp_path, live, env, allowed
) -> None:
    _write(tmp_path, "trading.yml", f"accounts:\n  - id: acc\n    live: {str(live).lower()}\n")
    s = load_settings(tmp_path, environ=env)
    assert s.live_trading_allowed("acc") is allowed
    assert bool(s.safety_warnings()) is (live and not allowed)


def test_missing_or_placeholder_secrets_are_refused(tmp_path) -> None:
    s = load_settings(tmp_path, environ={"SECRET_KEY": "changeme", "JWT_SECRET_KEY": "x" * 40})
    with pytest.raises(ConfigError, match="SECRET_KEY must be set to a random value"):
        s.env.require_secrets()
    ok = load_settings(tmp_path, environ={"SECRET_KEY": "a" * 40, "JWT_SECRET_KEY": "b" * 40})
    ok.env.require_secrets()


def test_json_schema_describes_every_file() -> None:
    schema = AppSettings.json_schema()
    assert set(schema) == {"trading.yml", "brokers.yml", "strategies.yml", "logging.yml"}
    assert "max_drawdown" in str(schema["trading.yml"])
