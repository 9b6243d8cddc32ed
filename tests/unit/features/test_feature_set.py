"""Feature sets: declared once, computed from past bars only, identical in batch and live."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.core.errors import DataError
from aitrader.features.bar_columns import bar_columns
from aitrader.features.bar_flow import BarFlowAccumulator, book_top_columns, trade_flow_columns
from aitrader.features.external_series import ExternalSeries
from aitrader.features.feature_set import FeatureSet
from aitrader.features.live_window import LiveFeatureWindow
from aitrader.features.spec import FeatureSetSpec

FULL = {
    "name": "t",
    "features": [
        {"kind": "returns", "horizons": [1, 5, 15]},
        {"kind": "volatility", "windows": [10, 30]},
        {"kind": "indicator", "name": "sma_ratio", "periods": [10, 40]},
        {"kind": "indicator", "name": "rsi", "periods": [14]},
        {"kind": "indicator", "name": "volume_z", "periods": [20]},
        {"kind": "bar_shape"},
        {"kind": "calendar"},
    ],
}


def test_a_declared_feature_set_names_its_columns_in_order(bars) -> None:
    fs = FeatureSet(FeatureSetSpec.model_validate(FULL))
    assert fs.names[:3] == ["ret_1", "ret_5", "ret_15"]
    assert "sma_ratio_40" in fs.names and fs.names[-1] == "dow_cos"
    assert fs.warmup == 40  # sma_ratio_40 needs 40 bars
    x = fs.compute(bars_cols := bar_columns(bars))
    assert x.shape == (len(bars), len(fs.names))
    assert np.all(np.isfinite(x[fs.warmup - 1:]))
    assert np.isnan(x[0, fs.names.index("ret_1")])
    np.testing.assert_allclose(x[5, 1], np.log(bars_cols["close"][5] / bars_cols["close"][0]))


def test_the_live_window_gives_the_batch_rows_bit_for_bit(bars) -> None:
    fs = FeatureSet(FeatureSetSpec.model_validate(FULL))
    batch = fs.compute(bar_columns(bars))
    live = LiveFeatureWindow(fs)
    tf = bars.timeframe_ns
    for i in range(len(bars)):
        live.push(int(bars.ts_ns[i]) + tf, bars.open[i], bars.high[i], bars.low[i],
                  bars.close[i], bars.volume[i])
        row = live.latest()
        if i < fs.warmup - 1:
            assert row is None
        else:
            assert row is not None
            assert np.array_equal(row, batch[i]), f"row {i} differs"


def test_calendar_features_read_the_bar_close_time(bars) -> None:
    fs = FeatureSet(FeatureSetSpec.model_validate(
        {"features": [{"kind": "calendar", "weekday": False}]}))
    x = fs.compute(bar_columns(bars))
    # the first bar closes at 00:01 UTC: angle 2π/1440
    np.testing.assert_allclose(x[0], [np.sin(2 * np.pi / 1440), np.cos(2 * np.pi / 1440)])


def test_microstructure_features_come_from_book_tops_and_trade_flow(bars) -> None:
    close_ts = bars.ts_ns + bars.timeframe_ns
    trades = trade_flow_columns(close_ts, close_ts[:3] - 1, np.array([2.0, 1.0, 3.0]),
                                np.array([True, False, False]))
    assert trades["buy_volume"][:3].tolist() == [2.0, 0.0, 0.0]
    assert trades["sell_volume"][:3].tolist() == [0.0, 1.0, 3.0]
    book = book_top_columns(close_ts, close_ts[:1] - 5, np.array([99.0]), np.array([101.0]),
                            np.array([3.0]), np.array([1.0]))
    fs = FeatureSet(FeatureSetSpec.model_validate({"features": [{"kind": "microstructure"}]}))
    x = fs.compute(bar_columns(bars, {**trades, **book}))
    imbalance, spread_bps, micro_dev, flow = x[0]
    assert imbalance == pytest.approx(0.5)
    assert spread_bps == pytest.approx(200.0)
    assert micro_dev == pytest.approx((100.5 - 100) / 100 * 1e4)
    assert flow == 1.0 and x[1, 3] == -1.0


def test_the_live_flow_accumulator_matches_the_batch_columns() -> None:
    acc = BarFlowAccumulator()
    acc.on_trade(2.0, True)
    acc.on_trade(0.5, False)
    acc.on_top(99.0, 3.0, 101.0, 1.0)
    row = acc.close_bar()
    assert row == {"bid_px": 99.0, "ask_px": 101.0, "bid_sz": 3.0, "ask_sz": 1.0,
                   "buy_volume": 2.0, "sell_volume": 0.5}
    assert acc.close_bar()["buy_volume"] == 0.0


def test_a_missing_microstructure_column_is_named(bars) -> None:
    fs = FeatureSet(FeatureSetSpec.model_validate({"features": [{"kind": "microstructure"}]}))
    with pytest.raises(DataError, match=r"needs columns .*ask_px"):
        fs.compute(bar_columns(bars))


def test_external_columns_join_only_values_known_by_the_bar_close(tmp_path, bars) -> None:
    close_ts = bars.ts_ns + bars.timeframe_ns
    path = tmp_path / "sentiment.csv"
    stamps = [int(close_ts[0]), int(close_ts[2]) + 1]  # second value arrives after bar 2 closed
    path.write_text(f"ts,score\n{stamps[0]},0.25\n{stamps[1]},-0.5\n")
    ext = ExternalSeries.from_file(path).asof(close_ts)
    assert ext["ext_score"][:4].tolist() == [0.25, 0.25, 0.25, -0.5]
    fs = FeatureSet(FeatureSetSpec.model_validate(
        {"features": [{"kind": "external", "columns": ["score"]}]}))
    assert fs.compute(bar_columns(bars, ext))[3, 0] == -0.5
    lagged = ExternalSeries.from_file(path).asof(close_ts, lag_ns=10 * bars.timeframe_ns)
    assert np.isnan(lagged["ext_score"][5])


def test_unknown_indicators_and_duplicate_names_are_refused() -> None:
    with pytest.raises(DataError, match="unknown indicator 'macd'"):
        FeatureSet(FeatureSetSpec.model_validate(
            {"features": [{"kind": "indicator", "name": "macd", "periods": [12]}]}))
    with pytest.raises(DataError, match="unique"):
        FeatureSet(FeatureSetSpec.model_validate(
            {"features": [{"kind": "returns", "horizons": [1]},
                          {"kind": "returns", "horizons": [1]}]}))


def test_an_indicator_library_kernel_plugs_into_the_hook(bars) -> None:
    from aitrader.features import indicator_hook
    from aitrader.indicators.sma import sma

    hook = indicator_hook.per_period(sma)
    out = hook(bar_columns(bars), np.array([5, 10]))
    np.testing.assert_array_equal(out[:, 1], sma(bars.close, 10))
