"""The collector pauses for a backtest run and comes back as it was."""

from __future__ import annotations

import gc

import pytest

from aitrader.runtime.gc_tuning import relaxed_gc


@pytest.mark.parametrize("enabled", [True, False])
def test_relaxed_gc_pauses_collection_and_restores_the_previous_state(enabled: bool) -> None:
    before = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with relaxed_gc():
            assert not gc.isenabled()
            assert gc.get_freeze_count() > 0  # the start-up heap is out of the way
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
        with pytest.raises(RuntimeError), relaxed_gc():  # also when the run raises
            raise RuntimeError("boom")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if before else gc.disable)()
