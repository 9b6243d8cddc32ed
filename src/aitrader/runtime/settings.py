"""Load and validate all settings once at start-up: YAML files, then environment overrides."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from aitrader.core.errors import ConfigError
from aitrader.observability.config import LoggingConfig
from aitrader.runtime.config_errors import describe
from aitrader.runtime.config_models import BrokersConfig, StrategiesConfig, TradingConfig
from aitrader.runtime.env_settings import EnvSettings

M = TypeVar("M", bound=BaseModel)
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# environment variable → trading.yml risk field it overrides
_RISK_ENV = {
    "default_risk_percent": "per_trade_risk",
    "max_portfolio_risk": "max_portfolio_risk",
    "max_drawdown": "max_drawdown",
    "daily_loss_limit": "daily_loss_limit",
    "max_positions": "max_positions",
}


class AppSettings(BaseModel):
    """Everything the runtime needs, validated."""

    model_config = ConfigDict(frozen=True)
    env: EnvSettings
    trading: TradingConfig
    brokers: BrokersConfig
    strategies: StrategiesConfig
    logging: LoggingConfig

    def live_trading_allowed(self, account_id: str) -> bool:
        """True only for a ``live: true`` account with SIMULATION_MODE off and trading enabled."""
        account = next((a for a in self.trading.accounts if a.id == account_id), None)
        return (account is not None and account.live and not self.env.simulation_mode
                and not self.env.disable_real_trading)

    def safety_warnings(self) -> list[str]:
        """Accounts marked live that will trade on paper, and why."""
        out = []
        for acc in self.trading.accounts:
            if acc.live and not self.live_trading_allowed(acc.id):
                why = ("SIMULATION_MODE is on" if self.env.simulation_mode
                       else "DISABLE_REAL_TRADING is set")
                out.append(f"account {acc.id} is marked live but trades on paper: {why}")
        return out

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """JSON Schema of each YAML file (for the API and the dashboard's forms)."""
        return {
            "trading.yml": TradingConfig.model_json_schema(),
            "brokers.yml": BrokersConfig.model_json_schema(),
            "strategies.yml": StrategiesConfig.model_json_schema(),
            "logging.yml": LoggingConfig.model_json_schema(),
        }


def load_settings(
    config_dir: Path | None = None, environ: Mapping[str, str] | None = None
) -> AppSettings:
    """Read ``config_dir`` (missing files use the defaults) and the environment; ConfigError on
    any wrong value, naming the file, the key and what is allowed."""
    env_map = dict(os.environ if environ is None else environ)
    try:
        if environ is None:
            env = EnvSettings()  # the process environment and ./.env
        else:  # exactly the mapping given (tests, embedding)
            env = EnvSettings.model_validate({k: v for k, v in env_map.items() if k in _ENV_NAMES})
    except ValidationError as exc:
        raise ConfigError(describe("environment", EnvSettings, exc)) from None
    folder = config_dir or env.config_dir
    trading_raw = _read_yaml(folder / "trading.yml")
    if env.model_fields_set:
        risk = dict(trading_raw.get("risk") or {})
        for env_field, risk_field in _RISK_ENV.items():
            if env_field in env.model_fields_set:
                risk[risk_field] = getattr(env, env_field)
        if risk:
            trading_raw["risk"] = risk
    logging_raw = _read_yaml(folder / "logging.yml")
    brokers_path = folder / "brokers.yml"
    brokers_raw = _read_yaml(brokers_path)
    if env.log_level is not None:
        logging_raw["level"] = env.log_level
    return AppSettings(
        env=env,
        trading=_validate(TradingConfig, trading_raw, folder / "trading.yml"),
        brokers=_validate(BrokersConfig, _interpolate(brokers_raw, env_map, brokers_path),
                          brokers_path),
        strategies=_validate(StrategiesConfig, _read_yaml(folder / "strategies.yml"),
                             folder / "strategies.yml"),
        logging=_validate(LoggingConfig, logging_raw, folder / "logging.yml"),
    )


_ENV_NAMES = frozenset((f.alias or name) for name, f in EnvSettings.model_fields.items())


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}:{where}: malformed YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ConfigError(f"{path}: the top level must be a mapping of keys, was a {kind}")
    return data


def _validate(model: type[M], raw: dict[str, Any], path: Path) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe(str(path), model, exc)) from None


def _interpolate(value: Any, env: Mapping[str, str], path: Path) -> Any:
    """Replace ``${VAR}`` in strings with the environment's value (missing → ConfigError)."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env, path) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env, path) for v in value]
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in env:
                raise ConfigError(f"{path}: ${{{name}}} is used but the environment has no {name}")
            return env[name]
        return _VAR.sub(sub, value)
    return value
