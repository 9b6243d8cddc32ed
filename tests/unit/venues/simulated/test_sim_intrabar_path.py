"""The documented intra-bar path: open → nearer extreme → farther extreme → close."""

from __future__ import annotations

import pytest

from aitrader.venues.simulated.bar_path import path_points, touch_limit, touch_stop, trail_stop


@pytest.mark.parametrize(("ohlc", "path"), [
    ((100, 102, 95, 99), (100, 102, 95, 99)),  # high 2 away, low 5 away: high first
    ((100, 108, 97, 99), (100, 97, 108, 99)),  # low nearer: low first
    ((100, 103, 97, 101), (100, 103, 97, 101)),  # equal distance: high first
    ((100, 100, 90, 95), (100, 100, 90, 95)),  # open at the high
])
def test_the_nearer_extreme_comes_first(ohlc: tuple[float, ...], path: tuple[float, ...]) -> None:
    assert path_points(*ohlc) == path


def test_a_buy_limit_below_the_open_fills_at_its_price_at_the_point_that_reaches_it() -> None:
    assert touch_limit((100, 102, 95, 99), True, 97.0) == (2, 97.0)


def test_a_limit_the_open_is_already_through_fills_at_the_open() -> None:
    assert touch_limit((96, 98, 95, 97), True, 97.0) == (0, 96)
    assert touch_limit((104, 105, 101, 102), False, 103.0) == (0, 104)


def test_a_limit_the_path_never_reaches_gives_nothing() -> None:
    assert touch_limit((100, 102, 95, 99), True, 94.99) is None
    assert touch_limit((100, 102, 95, 99), False, 102.01) is None


def test_a_stop_fills_at_its_trigger_inside_the_path_or_at_a_gapped_open() -> None:
    assert touch_stop((100, 97, 108, 99), True, 105.0) == (2, 105.0)
    assert touch_stop((106, 107, 104, 105), True, 105.0) == (0, 106)
    assert touch_stop((100, 102, 95, 99), False, 96.0) == (2, 96.0)
    assert touch_stop((100, 102, 96.5, 99), False, 96.0) is None


def test_a_sell_trailing_stop_uses_the_level_from_before_each_new_high() -> None:
    # extreme 100, offset 5: the dip to 96 comes before the high of 110 raises the level to 105
    hit, extreme = trail_stop((100, 96, 110, 108), False, 5.0, 100.0)
    assert (hit, extreme) == (None, 110)
    hit, extreme = trail_stop((107, 107.5, 104, 106), False, 5.0, extreme)
    assert (hit, extreme) == ((2, 105.0), 110)


def test_a_trailing_stop_gapped_through_at_the_open_fills_at_the_open() -> None:
    assert trail_stop((103, 104, 102, 103), False, 5.0, 110.0) == ((0, 103), 110.0)
    assert trail_stop((97, 98, 96, 97), True, 3.0, 90.0) == ((0, 97), 90.0)


def test_a_buy_trailing_stop_follows_the_lowest_price() -> None:
    assert trail_stop((99, 99.5, 90, 91), True, 3.0, 100.0) == (None, 90)
    assert trail_stop((92, 91.5, 94, 93.5), True, 3.0, 90.0) == ((2, 93.0), 90.0)
