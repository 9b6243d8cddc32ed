"""Strategy registry and typed parameters: clear errors for unknown names and bad values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core.errors import StrategyError
from aitrader.core.ids import InstrumentId
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.strategies.registry import StrategyRegistry

BTC = InstrumentId("BTC/USDT", "SIM")


def test_default_registry_lists_sma_cross() -> None:
    assert "sma_cross" in StrategyRegistry.default().names()


def test_unknown_strategy_name_lists_the_known_ones() -> None:
    with pytest.raises(StrategyError, match=r"unknown strategy 'nope' \(known: .*sma_cross"):
        StrategyRegistry.default().get("nope")


def test_parameters_are_validated_with_the_key_and_the_rule() -> None:
    with pytest.raises(StrategyError, match=r"fast: Input should be greater than or equal to 1"):
        SmaCross("s", "acc", [BTC], {"fast": 0, "slow": 30})
    with pytest.raises(StrategyError, match=r"fast must be < slow, was fast=30 slow=10"):
        SmaCross("s", "acc", [BTC], {"fast": 30, "slow": 10})
    with pytest.raises(StrategyError, match=r"fsat: Extra inputs are not permitted"):
        SmaCross("s", "acc", [BTC], {"fsat": 5})


def test_parameters_parse_strings_from_config_and_cli() -> None:
    s = SmaCross("s", "acc", [BTC], {"fast": "5", "slow": "20", "quantity": "0.25"})
    assert (s.params.fast, s.params.slow, s.params.quantity) == (5, 20, Decimal("0.25"))


def test_param_schema_carries_defaults_bounds_and_descriptions() -> None:
    schema = SmaCross.param_schema()["properties"]
    assert schema["fast"]["default"] == 10
    assert schema["fast"]["minimum"] == 1
    assert "fast SMA period" in schema["fast"]["description"]


def test_a_strategy_needs_an_instrument() -> None:
    with pytest.raises(StrategyError, match="at least one instrument"):
        SmaCross("s", "acc", [], {})


def test_two_classes_cannot_share_a_name() -> None:
    class Other(SmaCross):
        name = "sma_cross"

    reg = StrategyRegistry([SmaCross])
    with pytest.raises(StrategyError, match="is taken by"):
        reg.register(Other)
