"""Fixtures of the risk tests."""

from __future__ import annotations

import pytest
from risk_harness import MakeHarness, build_harness


@pytest.fixture
def make_harness() -> MakeHarness:
    """``make_harness(cash=..., strategies={...}, **risk_config_fields)``."""
    return build_harness
