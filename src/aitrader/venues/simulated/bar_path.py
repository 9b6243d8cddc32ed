"""The documented intra-bar price path and how resting orders fill along it.

A bar is walked as four points: open → first extreme → second extreme → close. The first
extreme is the one nearer the open (high first when ``high - open <= open - low``), the rule
NautilusTrader calls adaptive ordering. Price moves continuously between points, so a level
between two points is touched. Only orders accepted by the bar's open take part, so no order
sees a price from before it existed (no lookahead). Fills:

* market: the open.
* buy limit P: the open if open <= P (the market gapped through), else P if the path reaches P.
* buy stop T: the open if open >= T, else T when the path reaches T.
* stop-limit: triggers like a stop, then works as a limit on the rest of the path.
* trailing stop (sell): level = highest price seen - offset, raised as the path rises; checked
  before each raise, so a bar never triggers on a level set later in the same bar.
Sells mirror buys.
"""

from __future__ import annotations


def path_points(o: float, h: float, lo: float, c: float) -> tuple[float, float, float, float]:
    """Open, nearer extreme, farther extreme, close."""
    if h - o <= o - lo:
        return (o, h, lo, c)
    return (o, lo, h, c)


def touch_limit(path: tuple[float, ...], is_buy: bool, limit: float) -> float | None:
    """Fill price of a resting limit on the path, or None."""
    first = path[0]
    if (first <= limit) if is_buy else (first >= limit):
        return first
    for p in path[1:]:
        if (p <= limit) if is_buy else (p >= limit):
            return limit
    return None


def touch_stop(path: tuple[float, ...], is_buy: bool, trigger: float) -> tuple[int, float] | None:
    """(index of the point reached, trigger fill price) of a stop on the path, or None."""
    first = path[0]
    if (first >= trigger) if is_buy else (first <= trigger):
        return (0, first)
    for i, p in enumerate(path[1:], start=1):
        if (p >= trigger) if is_buy else (p <= trigger):
            return (i, trigger)
    return None


def trail_stop(
    path: tuple[float, ...], is_buy: bool, offset: float, extreme: float
) -> tuple[float | None, float]:
    """Walk a trailing stop along the path: (fill price or None, new extreme seen).

    ``extreme`` is the best price seen so far (highest for a sell stop, lowest for a buy stop).
    """
    for i, p in enumerate(path):
        level = extreme + offset if is_buy else extreme - offset
        hit = (p >= level) if is_buy else (p <= level)
        if hit:
            return ((p if i == 0 else level), extreme)
        extreme = min(extreme, p) if is_buy else max(extreme, p)
    return (None, extreme)
