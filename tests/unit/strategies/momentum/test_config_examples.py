"""The commented momentum examples in config/strategies.yml are valid configuration, and
``aitrader strategies`` lists every momentum strategy with its bounds."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.runtime.config_models import StrategiesConfig
from aitrader.strategies.registry import StrategyRegistry

CONFIG = Path(__file__).resolve().parents[4] / "config" / "strategies.yml"
MOMENTUM = {"trend_ema_adx", "mean_reversion", "donchian_breakout", "mtf_trend"}


def _commented_examples() -> list[dict]:
    lines = CONFIG.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if "Momentum family" in line)
    body = [line.replace("  # ", "  ", 1) for line in lines[start:] if line.startswith("  # ")]
    block = [line for line in body if not line.lstrip().startswith(("Momentum", "parameter"))]
    return yaml.safe_load("\n".join(block))


def test_each_commented_momentum_example_validates_once_uncommented() -> None:
    examples = _commented_examples()
    assert {e["type"] for e in examples} == MOMENTUM
    StrategiesConfig.model_validate({"strategies": examples})
    registry = StrategyRegistry.default()
    for e in examples:
        params = registry.get(e["type"]).parse_params(e["params"])
        assert str(params.quantity) == "0.01"


def test_the_listing_shows_every_momentum_strategy_with_bounds() -> None:
    out = CliRunner().invoke(app, ["strategies"]).output
    for name in MOMENTUM:
        assert f"\n{name}  " in f"\n{out}"
    assert "adx_min: number = 25.0  >=0 <=100  enter only when ADX >= this" in out
    assert "higher_timeframe: string = 1h" in out
