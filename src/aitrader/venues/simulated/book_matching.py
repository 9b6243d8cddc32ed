"""Walking an L2 book side for an aggressive order, in exact lot quantities."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from aitrader.core.enums import ASK, BID, BUY, OrderSide
from aitrader.core.market_data import BookDelta, BookLevel, OrderBookDeltas
from aitrader.core.money import ZERO, to_decimal
from aitrader.core.order_book import OrderBook


def walk_book(
    levels: list[BookLevel], qty: Decimal, limit: float | None, is_buy: bool,
    make_qty: Callable[[Decimal], Decimal],
) -> list[tuple[float, Decimal]]:
    """Fills (price, size) taking ``levels`` best first up to ``qty`` and the limit.

    Sizes are Decimal and rounded down to whole lots by ``make_qty`` level by level, so float
    level sizes never lose a lot to binary rounding. The simulator takes what it fills out of
    its copy of the book, so two orders never consume the same liquidity.
    """
    fills: list[tuple[float, Decimal]] = []
    remaining = qty
    for lvl in levels:
        if remaining <= ZERO:
            break
        if limit is not None and ((lvl.price > limit) if is_buy else (lvl.price < limit)):
            break
        take = min(make_qty(to_decimal(lvl.size)), remaining)
        if take <= ZERO:
            continue
        fills.append((lvl.price, take))
        remaining -= take
    return fills


def take_liquidity(book: OrderBook, side: OrderSide, px: float, qty: Decimal) -> None:
    """Take a fill of an order on ``side`` out of the simulator's book copy at level ``px``."""
    size = next((lvl.size for lvl in book.levels_for(side) if lvl.price == px), 0.0)
    left = max(to_decimal(size) - qty, ZERO)
    book_side = ASK if side is BUY else BID
    book.apply_deltas(OrderBookDeltas(book.instrument_id, book.ts_event, book.ts_event,
                                      (BookDelta(book_side, px, float(left)),), book.sequence))
