"""Crossed decides the same bars whether stepped bar by bar or evaluated over whole columns."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aitrader.strategies.bar_indicators import SMA, BarIndicator
from aitrader.strategies.wake import Crossed

# few distinct values so that ties (a == b, not above) and NaN gaps are common
values = st.lists(st.sampled_from([math.nan, 1.0, 2.0, 3.0]), min_size=0, max_size=60)


def stepped(cond: Crossed, a: list[float], b: list[float]) -> list[bool]:
    out = []
    for x, y in zip(a, b, strict=True):
        cond.a.value, cond.b.value = x, y
        out.append(cond.step())
    return out


def crossed() -> Crossed:
    return Crossed(BarIndicator(SMA(2)), BarIndicator(SMA(3)))


@given(st.data(), values, st.lists(st.sampled_from([math.nan, 1.0, 2.0, 3.0]), max_size=20))
def test_batch_wakes_on_the_bars_step_wakes_on_and_leaves_the_same_state(data, a, warm) -> None:
    b = data.draw(st.lists(st.sampled_from([math.nan, 1.0, 2.0, 3.0]),
                           min_size=len(a), max_size=len(a)))
    warm_b = data.draw(st.lists(st.sampled_from([math.nan, 2.0]),
                                min_size=len(warm), max_size=len(warm)))
    by_step, by_batch = crossed(), crossed()
    stepped(by_step, warm, warm_b)  # both start from the same earlier bars
    stepped(by_batch, warm, warm_b)
    expected = stepped(by_step, a, b)
    handles = {by_batch.a: np.array(a, dtype=np.float64), by_batch.b: np.array(b, dtype=np.float64)}
    mask = by_batch.batch(handles.__getitem__)
    assert mask.tolist() == expected
    # the next bars decide alike: the batch left the condition where stepping did
    assert stepped(by_batch, [1.0, 3.0, 1.0], [2.0, 2.0, 2.0]) == \
        stepped(by_step, [1.0, 3.0, 1.0], [2.0, 2.0, 2.0])


def test_crossed_wakes_on_the_first_known_side_and_on_each_change_only() -> None:
    nan = math.nan
    a = [nan, 1.0, 3.0, 3.0, nan, 3.0, 1.0, 2.0]
    b = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    # bar 1: first side known (below); 2: above; 4: gap; 5: still above; 6: below;
    # 7: equal is not above, so still below
    assert stepped(crossed(), a, b) == [False, True, True, False, False, False, True, False]
