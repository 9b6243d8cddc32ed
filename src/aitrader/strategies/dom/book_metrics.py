"""Measures of one L2 book: imbalance, microprice, liquidity near mid, cost of a market order.

Levels are :class:`BookLevel` sequences best first (bids highest first, asks lowest first),
as ``OrderBook.bids()``/``asks()`` return them. Sizes are in base units, prices in quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aitrader.core.errors import StrategyError
from aitrader.core.market_data import BookLevel

BPS = 10_000.0


def imbalance(bids: Sequence[BookLevel], asks: Sequence[BookLevel], levels: int) -> float:
    """``(B - A) / (B + A)`` with B, A the sizes of the best ``levels`` levels of each side.

    +1 means only bids, -1 only asks, 0 balanced (also when both sides are empty).
    """
    if levels < 1:
        raise StrategyError(f"imbalance levels must be >= 1, was {levels}")
    b = sum(lvl.size for lvl in bids[:levels])
    a = sum(lvl.size for lvl in asks[:levels])
    total = b + a
    return 0.0 if total <= 0 else (b - a) / total


def microprice(bid: float, bid_size: float, ask: float, ask_size: float) -> float:
    """Size-weighted mid: ``(bid x ask_size + ask x bid_size) / (bid_size + ask_size)``.

    It leans toward the side with less size (the price more likely to trade next).
    """
    total = bid_size + ask_size
    if total <= 0:
        return (bid + ask) / 2.0
    return (bid * ask_size + ask * bid_size) / total


def book_microprice(bids: Sequence[BookLevel], asks: Sequence[BookLevel]) -> float | None:
    """Microprice of the best levels, None when a side is empty."""
    if not bids or not asks:
        return None
    return microprice(bids[0].price, bids[0].size, asks[0].price, asks[0].size)


@dataclass(frozen=True, slots=True)
class NearLiquidity:
    """Resting size and notional within a band around mid."""

    bid_qty: float
    ask_qty: float
    bid_notional: float
    ask_notional: float


def liquidity_within_bps(bids: Sequence[BookLevel], asks: Sequence[BookLevel], mid: float,
                         bps: float) -> NearLiquidity:
    """Size on bid levels priced >= ``mid x (1 - bps/1e4)`` and ask levels <= ``mid x (1 +
    bps/1e4)`` (band edges included)."""
    if bps < 0:
        raise StrategyError(f"liquidity band must be >= 0 bps, was {bps}")
    lo, hi = mid * (1 - bps / BPS), mid * (1 + bps / BPS)
    bq = bn = aq = an = 0.0
    for lvl in bids:
        if lvl.price < lo:
            break
        bq += lvl.size
        bn += lvl.size * lvl.price
    for lvl in asks:
        if lvl.price > hi:
            break
        aq += lvl.size
        an += lvl.size * lvl.price
    return NearLiquidity(bq, aq, bn, an)


@dataclass(frozen=True, slots=True)
class BookWalk:
    """What a market order of ``requested`` would get by walking the levels."""

    requested: float
    filled: float
    avg_price: float
    worst_price: float
    levels_used: int
    cost_bps: float  # paid vs the reference (mid): (avg - ref) / ref for buys, mirrored for sells

    @property
    def complete(self) -> bool:
        """True when the book held the whole size."""
        return self.filled >= self.requested


def walk_cost(levels: Sequence[BookLevel], size: float, reference: float,
              is_buy: bool) -> BookWalk:
    """Walk ``levels`` (asks for a buy, bids for a sell) for ``size``; cost against
    ``reference`` in bps. An empty book gives ``filled = 0`` and NaN prices."""
    if size <= 0:
        raise StrategyError(f"walk size must be > 0, was {size}")
    if reference <= 0:
        raise StrategyError(f"walk reference price must be > 0, was {reference}")
    left, notional, used, worst = size, 0.0, 0, float("nan")
    for lvl in levels:
        if left <= 0:
            break
        take = min(lvl.size, left)
        if take <= 0:
            continue
        notional += take * lvl.price
        left -= take
        used += 1
        worst = lvl.price
    filled = size - max(left, 0.0)
    if filled <= 0:
        return BookWalk(size, 0.0, float("nan"), worst, 0, float("nan"))
    avg = notional / filled
    cost = (avg - reference) / reference if is_buy else (reference - avg) / reference
    return BookWalk(size, filled, avg, worst, used, cost * BPS)
