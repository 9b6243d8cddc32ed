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
* IOC/FOK: only the open takes part (the first price after submission); otherwise they expire.
Sells mirror buys. Orders fill in the order the path reaches them (then by submission), so of a
stop-loss and a take-profit touched in one bar the one on the earlier leg fills first. Each
function reports the index of the point where the order fills (0 = the open). Fills at the
open are stamped with the bar's open time, later ones with its close time.

Liquidity: market, stop and trailing fills are taker. A limit is taker only when it meets the
market on arrival (marketable when accepted and filled at the open, or a stop-limit filled at
its trigger); a limit reached later on the path, or gapped through while resting, is maker.
"""

from __future__ import annotations


def path_points(o: float, h: float, lo: float, c: float) -> tuple[float, float, float, float]:
    """Open, nearer extreme, farther extreme, close."""
    if h - o <= o - lo:
        return (o, h, lo, c)
    return (o, lo, h, c)


def touch_limit(
    path: tuple[float, ...], is_buy: bool, limit: float
) -> tuple[int, float] | None:
    """(index of the point reached, fill price) of a resting limit on the path, or None."""
    first = path[0]
    if (first <= limit) if is_buy else (first >= limit):
        return (0, first)
    for i, p in enumerate(path[1:], start=1):
        if (p <= limit) if is_buy else (p >= limit):
            return (i, limit)
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
) -> tuple[tuple[int, float] | None, float]:
    """Walk a trailing stop along the path: ((index, fill price) or None, new extreme seen).

    ``extreme`` is the best price seen so far (highest for a sell stop, lowest for a buy stop).
    """
    for i, p in enumerate(path):
        level = extreme + offset if is_buy else extreme - offset
        hit = (p >= level) if is_buy else (p <= level)
        if hit:
            return ((i, p if i == 0 else level), extreme)
        extreme = min(extreme, p) if is_buy else max(extreme, p)
    return (None, extreme)
