"""Walking an L2 book side for an aggressive order, sharing liquidity between orders."""

from __future__ import annotations

from aitrader.core.market_data import BookLevel


def walk_book(
    levels: list[BookLevel], qty: float, limit: float | None, is_buy: bool,
    used: dict[float, float],
) -> list[tuple[float, float]]:
    """Fills (price, size) taking ``levels`` best first up to ``qty`` and the limit.

    ``used`` holds size already taken at each price in this matching pass, so two orders never
    consume the same liquidity; it is updated in place.
    """
    fills: list[tuple[float, float]] = []
    remaining = qty
    for lvl in levels:
        if remaining <= 0:
            break
        if limit is not None and ((lvl.price > limit) if is_buy else (lvl.price < limit)):
            break
        available = lvl.size - used.get(lvl.price, 0.0)
        if available <= 0:
            continue
        take = min(available, remaining)
        fills.append((lvl.price, take))
        used[lvl.price] = used.get(lvl.price, 0.0) + take
        remaining -= take
    return fills
