"""Risk limits come from trading.yml and the environment, per account and per strategy, and a
wrong value stops start-up naming the file, the key and the rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aitrader.core.errors import ConfigError
from aitrader.core.ids import AccountId, StrategyId
from aitrader.risk.risk_engine import RiskEngine
from aitrader.runtime.paper_from_settings import build_paper_from_settings
from aitrader.runtime.settings import load_settings


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text)


def test_account_overrides_merge_over_the_global_limits_and_the_environment(
        tmp_path: Path) -> None:
    _write(tmp_path, "trading.yml", """
risk:
  max_positions: 4
  breakers: {max_consecutive_losses: 3}
accounts:
  - id: a
  - id: b
    risk: {max_positions: 2, breakers: {volatility_multiple: 9}}
""")
    s = load_settings(tmp_path, {"MAX_DRAWDOWN": "0.2", "DAILY_LOSS_LIMIT": "0.03"})
    per = s.trading.account_risk()
    a, b = per[AccountId("a")], per[AccountId("b")]
    assert (a.max_positions, b.max_positions) == (4, 2)
    assert a.max_drawdown == b.max_drawdown == Decimal("0.2")
    assert b.daily_loss_limit == Decimal("0.03")
    assert b.breakers.max_consecutive_losses == 3  # kept from the global breakers
    assert b.breakers.volatility_multiple == 9.0


def test_a_wrong_limit_stops_start_up_with_the_file_key_and_rule(tmp_path: Path) -> None:
    _write(tmp_path, "trading.yml", "risk:\n  price_collar: -1\n")
    with pytest.raises(ConfigError, match=r"trading.yml: risk.price_collar: .*greater than 0"):
        load_settings(tmp_path, {})
    _write(tmp_path, "trading.yml", "risk:\n  breakers: {flatten_on: [everything]}\n")
    with pytest.raises(ConfigError, match=r"risk.breakers.flatten_on"):
        load_settings(tmp_path, {})
    _write(tmp_path, "trading.yml", "")
    with pytest.raises(ConfigError, match="MAX_POSITIONS"):
        load_settings(tmp_path, {"MAX_POSITIONS": "0"})


def test_the_paper_node_runs_the_risk_engine_with_per_strategy_limits(tmp_path: Path) -> None:
    _write(tmp_path, "strategies.yml", """
strategies:
  - id: s1
    type: sma_cross
    account: paper
    instruments: ["BTC/USDT@SIM"]
    params: {fast: 2, slow: 3, quantity: 0.5}
    risk: {max_position_qty: 0.1}
""")
    node = build_paper_from_settings(load_settings(tmp_path, {}), seconds_per_bar=0, now_ns=0)
    node.run(max_bars=300)
    risk = node.engine.risk_monitor
    assert isinstance(risk, RiskEngine)
    orders = node.engine.orders.orders()
    assert orders and all(o.status.value == "DENIED" for o in orders)
    assert risk.denials["max_position_qty"] == len(orders)
    assert StrategyId("s1") in {o.strategy_id for o in orders}
