"""Fixtures of the API tests (the harness is in api_harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_harness import Api, make_api


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The API over a running paper engine."""
    yield from make_api(tmp_path)
