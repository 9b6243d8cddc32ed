"""Validation names the first bad row; repairs are reported; resampling aggregates exactly."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.resample import resample
from aitrader.data.timeframes import format_timeframe, parse_timeframe
from aitrader.data.validation import validate_bars

MIN = 60_000_000_000
T0 = 1_704_067_200_000_000_000  # 2024-01-01T00:00:00Z


def _cols(n=5, **edits):
    ts = T0 + np.arange(n, dtype=np.int64) * MIN
    o = np.full(n, 100.0)
    h = np.full(n, 101.0)
    lo = np.full(n, 99.0)
    c = np.full(n, 100.5)
    v = np.ones(n)
    cols = {"ts": ts, "o": o, "h": h, "lo": lo, "c": c, "v": v}
    for key, (i, value) in edits.items():
        cols[key][i] = value
    return cols


def _validate(cols, repair=False):
    return validate_bars(cols["ts"], cols["o"], cols["h"], cols["lo"], cols["c"], cols["v"],
                         MIN, repair=repair, source="f.csv")


@pytest.mark.parametrize(("edit", "message"), [
    ({"c": (2, np.nan)}, r"f.csv: row 2 \(2024-01-01T00:02:00Z\): NaN or infinite value"),
    ({"lo": (1, -1.0)}, r"row 1 .*price <= 0"),
    ({"v": (3, -5.0)}, r"row 3 .*negative volume"),
    ({"h": (4, 98.0)}, r"row 4 .*high < low"),
    ({"h": (0, 100.2)}, r"row 0 .*high/low do not contain open/close"),
])
def test_bad_rows_are_errors_naming_the_row_and_rule(edit, message) -> None:
    with pytest.raises(DataError, match=message):
        _validate(_cols(**edit))


def test_unsorted_and_duplicate_rows_are_errors_or_reported_repairs() -> None:
    cols = _cols()
    cols["ts"] = cols["ts"][[0, 2, 1, 3, 4]]
    with pytest.raises(DataError, match=r"row 2 .*timestamps go backwards"):
        _validate(cols)
    bars, report = _validate(cols, repair=True)
    assert list(bars.ts_ns) == sorted(cols["ts"])
    assert report.repairs == ["sorted rows by time"]

    dup = _cols()
    dup["ts"][3] = dup["ts"][2]
    with pytest.raises(DataError, match="duplicate timestamp"):
        _validate(dup)
    bars, report = _validate(dup, repair=True)
    assert len(bars) == 4 and report.repairs == ["dropped 1 rows: duplicate timestamp"]


def test_conflicting_duplicates_are_always_an_error() -> None:
    dup = _cols()
    dup["ts"][3] = dup["ts"][2]
    dup["c"][3] = 100.7
    with pytest.raises(DataError, match="two different bars share one timestamp"):
        _validate(dup, repair=True)


def test_repair_widens_high_low_and_drops_nan_rows_and_reports_both() -> None:
    bars, report = _validate(_cols(h=(0, 100.2), c=(2, np.nan)), repair=True)
    assert len(bars) == 4 and bars.high[0] == 100.5
    assert report.repairs == ["dropped 1 rows: NaN or infinite value",
                              "widened high/low to contain open/close on 1 rows"]


def test_gaps_are_reported_never_filled() -> None:
    cols = _cols(n=6)
    keep = np.array([0, 1, 4, 5])
    cols = {k: v[keep] for k, v in cols.items()}
    bars, report = _validate(cols)
    assert len(bars) == 4
    assert [(g.after_ns, g.missing_bars) for g in report.gaps] == [(T0 + MIN, 2)]
    assert "1 gaps, 2 bars missing" in report.summary()


def test_resample_aggregates_ohlcv_on_utc_boundaries_and_drops_a_partial_last_bucket() -> None:
    n = 130  # 2h10m of 1m bars
    ts = T0 + np.arange(n, dtype=np.int64) * MIN
    price = np.arange(n, dtype=np.float64) + 100
    bars = BarArrays(ts, price, price + 1, price - 1, price + 0.5, np.ones(n), MIN)
    out = resample(bars, 60 * MIN)
    assert list(out.ts_ns) == [T0, T0 + 60 * MIN]
    assert list(out.open) == [100.0, 160.0]
    assert list(out.high) == [160.0, 220.0]
    assert list(out.low) == [99.0, 159.0]
    assert list(out.close) == [159.5, 219.5]
    assert list(out.volume) == [60.0, 60.0]
    assert len(resample(bars, 60 * MIN, include_partial=True)) == 3


def test_resample_refuses_a_timeframe_that_is_not_a_multiple() -> None:
    bars = BarArrays(np.array([T0], dtype=np.int64), *(np.ones(1) for _ in range(5)), 2 * MIN)
    with pytest.raises(DataError, match="must be a multiple"):
        resample(bars, 3 * MIN)


def test_timeframes_parse_and_format() -> None:
    assert parse_timeframe("15m") == 15 * MIN
    assert format_timeframe(parse_timeframe("4h")) == "4h"
    assert format_timeframe(parse_timeframe("1d")) == "1d"
    with pytest.raises(DataError, match="timeframe must look like"):
        parse_timeframe("7x")
