"""The SMA's batch kernel and streaming twin agree bit for bit, with correctly rounded sums."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitrader.indicators.exact_sum import fsum_range
from aitrader.indicators.sma import StreamingSMA, sma


@settings(deadline=None)  # the first call compiles the numba kernel
@given(st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=1, max_size=60))
def test_compiled_exact_sum_equals_math_fsum(xs) -> None:
    arr = np.array(xs)
    assert fsum_range(arr, 0, len(arr), np.empty(len(arr) + 1)) == math.fsum(xs)


def test_exact_sum_handles_cancellation_that_plain_sum_gets_wrong() -> None:
    xs = np.array([1e16, 1.0, -1e16, 1.0])
    assert fsum_range(xs, 0, 4, np.empty(5)) == 2.0


@pytest.mark.parametrize("period", [1, 2, 10, 30])
def test_streaming_equals_batch_bit_for_bit(period) -> None:
    rng = np.random.default_rng(period)
    values = np.round(30_000 * np.exp(np.cumsum(rng.normal(0, 0.001, 3_000))), 2)
    batch = sma(values, period)
    stream = StreamingSMA(period)
    got = [stream.update(v) for v in values.tolist()]
    assert all(np.isnan(g) for g in got[: period - 1])
    assert np.array_equal(np.array(got[period - 1:], dtype=np.float64), batch[period - 1:])
    assert np.isnan(batch[: period - 1]).all()


def test_sma_equals_the_mean_of_exact_values() -> None:
    assert sma(np.array([0.1, 0.2, 0.3]), 3)[-1] == math.fsum([0.1, 0.2, 0.3]) / 3


def test_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="period must be >= 1, was 0"):
        StreamingSMA(0)
    with pytest.raises(ValueError, match="period must be >= 1, was 0"):
        sma(np.ones(3), 0)
