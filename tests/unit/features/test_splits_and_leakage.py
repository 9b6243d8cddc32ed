"""No leakage: purged/embargoed folds never train on the test span; lookahead is caught."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.core.errors import DataError
from aitrader.features.bar_columns import bar_columns
from aitrader.features.feature_set import FeatureSet
from aitrader.features.leakage import LeakageError, check_lookahead, require_no_lookahead
from aitrader.features.spec import FeatureSetSpec
from aitrader.features.splits import (
    SplitSpec,
    assert_no_overlap,
    make_folds,
    purged_kfold,
    walk_forward,
)


def _spans(n: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    start = np.arange(n, dtype=np.int64)
    return start, np.minimum(start + horizon, n - 1)


def test_purged_kfold_drops_training_rows_whose_labels_reach_the_test_block() -> None:
    start, end = _spans(100, 5)
    folds = purged_kfold(start, end, n_splits=5, embargo_bars=3)
    assert len(folds) == 5
    middle = folds[2]  # test rows 40..59
    assert middle.test.tolist() == list(range(40, 60))
    assert 34 in middle.train and 35 not in middle.train  # 35's label ends at 40
    assert 59 + 5 + 3 not in middle.train and 68 in middle.train  # purge then embargo 3
    for fold in folds:
        assert_no_overlap(fold, start, end)
        assert not set(fold.train) & set(fold.test)


def test_walk_forward_trains_on_the_past_only() -> None:
    start, end = _spans(200, 4)
    folds = walk_forward(start, end, n_splits=4, min_train_fraction=0.4, max_train_rows=50)
    for fold in folds:
        assert fold.train.max() < fold.test.min()
        assert end[fold.train].max() < start[fold.test].min()
        assert len(fold.train) <= 50
    tests = np.concatenate([f.test for f in folds])
    assert tests.tolist() == list(range(80, 200))


def test_make_folds_follows_the_spec_and_refuses_too_few_samples() -> None:
    start, end = _spans(60, 2)
    assert len(make_folds(SplitSpec(method="purged_kfold", n_splits=3), start, end)) == 3
    with pytest.raises(DataError, match="at least 20 samples for 10 splits"):
        make_folds(SplitSpec(n_splits=10), start[:15], end[:15])


def test_a_clean_feature_set_passes_the_lookahead_check(bars) -> None:
    fs = FeatureSet(FeatureSetSpec.model_validate({"features": [
        {"kind": "returns", "horizons": [1, 3]}, {"kind": "volatility", "windows": [10]},
        {"kind": "indicator", "name": "rsi", "periods": [14]}]}))
    assert require_no_lookahead(fs, bar_columns(bars)).ok


def test_a_feature_that_peeks_at_the_next_bar_is_caught(bars) -> None:
    def next_return(cols):  # the classic bug: shift(-1)
        c = cols["close"]
        out = np.full(len(c), np.nan)
        out[:-1] = np.log(c[1:] / c[:-1])
        return out

    fs = FeatureSet(
        FeatureSetSpec.model_validate({"features": [
            {"kind": "returns", "horizons": [1]},
            {"kind": "custom", "name": "next_return"}]}),
        custom={"next_return": next_return},
    )
    report = check_lookahead(fs, bar_columns(bars))
    assert report.leaking == ["next_return"]
    with pytest.raises(LeakageError, match=r"features \['next_return'\]"):
        require_no_lookahead(fs, bar_columns(bars))


def test_a_feature_normalised_with_full_sample_statistics_is_caught(bars) -> None:
    def zscore_full_sample(cols):  # subtle: the mean of the whole series includes the future
        c = cols["close"]
        return (c - c.mean()) / c.std()

    fs = FeatureSet(FeatureSetSpec.model_validate(
        {"features": [{"kind": "custom", "name": "z"}]}), custom={"z": zscore_full_sample})
    assert check_lookahead(fs, bar_columns(bars)).leaking == ["z"]
