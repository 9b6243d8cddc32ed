"""Every indicator spec's batch values equal its streaming twin, fed bar by bar, bit for bit."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from aitrader.core.ids import InstrumentId
from aitrader.data.bar_arrays import BarArrays
from aitrader.strategies.bar_indicators import (
    ATR,
    CCI,
    EMA,
    OBV,
    RSI,
    SMA,
    WMA,
    BarIndicator,
    Highest,
    IndicatorSpec,
    Lowest,
    RealizedVolatility,
    ZScore,
)
from aitrader.strategies.indicator_parts import (
    DMI,
    MACD,
    Bollinger,
    Donchian,
    Keltner,
    Stochastic,
)
from aitrader.testkit.bar_factory import random_walk_bars

IID = InstrumentId("BTC/USDT", "SIM")

SPECS: dict[str, IndicatorSpec] = {
    "sma": SMA(10), "sma_of_open": SMA(7, "open"), "ema": EMA(12), "wma": WMA(9),
    "rsi": RSI(14), "zscore": ZScore(20), "realized_volatility": RealizedVolatility(15, 525_600),
    "atr": ATR(14), "cci": CCI(20), "obv": OBV(), "highest": Highest(20), "lowest": Lowest(20),
    "highest_close": Highest(5, "close"), "lowest_volume": Lowest(8, "volume"),
    **{f"bollinger_{b}": Bollinger(20, 2.0, b) for b in ("upper", "middle", "lower")},
    "bollinger_of_open": Bollinger(10, 1.5, "lower", "open"),
    **{f"macd_{x}": MACD(12, 26, 9, x) for x in ("macd", "signal", "histogram")},
    **{f"donchian_{b}": Donchian(20, b) for b in ("upper", "middle", "lower")},
    **{f"keltner_{b}": Keltner(20, 10, 2.0, b) for b in ("upper", "middle", "lower")},
    **{f"stochastic_{x}": Stochastic(5, 3, 3, x) for x in ("k", "d")},
    **{f"dmi_{x}": DMI(14, x) for x in ("plus_di", "minus_di", "adx")},
}


def streamed(spec: IndicatorSpec, bars: BarArrays) -> np.ndarray:
    """The values a handle's twin gives, fed one Bar at a time as the engine feeds it."""
    handle = BarIndicator(spec)
    return np.array([handle.feed(bar) for bar in bars.iter_bars(IID)], dtype=np.float64)


def batch(spec: IndicatorSpec, bars: BarArrays) -> np.ndarray:
    return spec.compute(*(getattr(bars, name) for name in spec.fields))


def assert_bit_identical(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape
    nan = np.isnan(a)
    assert np.array_equal(nan, np.isnan(b))
    assert np.array_equal(a[~nan].view(np.uint64), b[~nan].view(np.uint64))


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("tick", [0.01, None], ids=["on_a_tick_grid", "full_precision"])
def test_batch_values_equal_the_streaming_twin_bit_for_bit_on_a_random_walk(name, tick) -> None:
    spec = SPECS[name]
    bars = random_walk_bars(3_000, tick=tick)
    values = batch(spec, bars)
    assert_bit_identical(values, streamed(spec, bars))
    assert np.isfinite(values[-100:]).all()  # past the warm-up: real values were compared


@pytest.mark.parametrize("name", SPECS)
def test_batch_values_equal_the_twin_with_fewer_bars_than_the_period_and_exactly_the_period(
        name) -> None:
    spec = SPECS[name]
    period = next((k for k in spec.key if type(k) is int), 1)
    for n in sorted({1, period - 1, period, period + 1} - {0}):
        bars = random_walk_bars(n, seed=n)
        assert_bit_identical(batch(spec, bars), streamed(spec, bars))


def test_a_handle_starts_at_nan_and_reads_the_fields_its_spec_names() -> None:
    atr, obv = BarIndicator(ATR(1)), BarIndicator(OBV())
    assert math.isnan(atr.value) and math.isnan(obv.value)
    first, second = random_walk_bars(2).iter_bars(IID)
    assert math.isnan(atr.feed(first))  # a true range needs the previous close
    assert atr.feed(second) == max(second.high - second.low, abs(second.high - first.close),
                                   abs(second.low - first.close))
    assert obv.feed(first) == first.volume
    assert ATR(1).fields == ("high", "low", "close")
    assert OBV().fields == ("close", "volume")


def test_specs_with_the_same_parameters_are_equal_and_keyed_by_their_parameters() -> None:
    assert SMA(10) == SMA(10)
    assert hash(SMA(10)) == hash(SMA(10))
    assert SMA(10) != SMA(11)
    assert SMA(10) != SMA(10, "open")
    assert SMA(10).key == ("sma", "close", 10)
    assert SMA(np.int64(10)).key == ("sma", "close", 10)
    assert RealizedVolatility(20, 365).key == ("realized_volatility", "close", 20, 365.0)
    assert Highest(5).key != Lowest(5).key


@pytest.mark.parametrize(("make", "message"), [
    (lambda: SMA(0), "period must be >= 1, was 0"),
    (lambda: EMA(2.5), "period must be an integer, was 2.5"),  # type: ignore[arg-type]
    (lambda: RSI(1), "period must be >= 2, was 1"),
    (lambda: ZScore(1), "period must be >= 2, was 1"),
    (lambda: CCI(1), "period must be >= 2, was 1"),
    (lambda: ATR(-3), "period must be >= 1, was -3"),
    (lambda: Highest(True), "period must be an integer, was True"),  # type: ignore[arg-type]
    (lambda: SMA(10, "vwap"),  # type: ignore[arg-type]
     "source must be one of open, high, low, close, volume, was 'vwap'"),
    (lambda: RealizedVolatility(20, 0.0),
     "periods_per_year must be a finite number > 0, was 0.0"),
    (lambda: RealizedVolatility(20, math.inf),
     "periods_per_year must be a finite number > 0, was inf"),
    (lambda: Bollinger(20, 2.0, "top"), "band must be one of upper, middle, lower, was 'top'"),
    (lambda: Bollinger(20, -1.0), "k_up must be a finite number >= 0, was -1.0"),
    (lambda: MACD(line="hist"), "line must be one of macd, signal, histogram, was 'hist'"),
    (lambda: Donchian(0), "period must be >= 1, was 0"),
    (lambda: Keltner(multiplier=math.nan), "multiplier must be a finite number, was nan"),
    (lambda: Stochastic(line="j"), "line must be one of k, d, was 'j'"),
    (lambda: DMI(1), "period must be >= 2, was 1"),
])
def test_a_bad_parameter_is_refused_with_an_error_naming_the_value(make, message) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        make()


def test_a_custom_spec_must_read_known_bar_fields() -> None:
    with pytest.raises(ValueError, match=r"fields must be one of .* was 'mid'"):
        IndicatorSpec(("mid",), ("mid",), lambda x: x, OBV().twin)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fields must name at least one bar field"):
        IndicatorSpec(("none",), (), lambda: np.empty(0), OBV().twin)
