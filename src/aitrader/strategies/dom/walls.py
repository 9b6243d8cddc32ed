"""Large resting orders ("walls") against a rolling distribution of level sizes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from aitrader.core.enums import ASK, BID, BookSide
from aitrader.core.errors import StrategyError
from aitrader.core.market_data import BookLevel


class WallChange(Enum):
    """What happened to a wall between two looks at the book."""

    APPEARED = "appeared"
    PULLED = "pulled"  # it shrank below the threshold or left while price stayed away
    CONSUMED = "consumed"  # price traded through it


@dataclass(frozen=True, slots=True)
class Wall:
    """A level whose size is at or above the rolling threshold."""

    side: BookSide
    price: float
    size: float


@dataclass(frozen=True, slots=True)
class WallEvent:
    """A wall appeared or vanished at ``ts_ns``."""

    ts_ns: int
    change: WallChange
    wall: Wall
    threshold: float


class WallDetector:
    """Compares the best ``depth`` levels of each side with the sizes seen before.

    The distribution is the level sizes (both sides, best ``depth`` each) of the last
    ``window`` looks at the book, **not** including the current one; the threshold is its
    ``quantile`` or ``min_multiple`` x its median, whichever is larger. Until
    ``min_samples`` looks were seen there is no threshold and no wall. A wall that is gone
    from the next look was CONSUMED when price reached it (best bid <= a bid wall's price,
    best ask >= an ask wall's) and PULLED otherwise; a wall that only drifted out of the
    watched depth (price moved away) is still tracked while its level is among the levels
    passed and holds the size, so pass deeper sides than ``depth`` (e.g. 5x); only the best
    ``depth`` levels are searched for new walls.
    """

    def __init__(self, depth: int = 20, window: int = 300, quantile: float = 0.99,
                 min_multiple: float = 3.0, min_samples: int = 20) -> None:
        if depth < 1:
            raise StrategyError(f"wall depth must be >= 1, was {depth}")
        if window < 1 or min_samples < 1 or min_samples > window:
            raise StrategyError(
                f"wall window must be >= 1 and 1 <= min_samples <= window, was window={window} "
                f"min_samples={min_samples}")
        if not 0 < quantile < 1:
            raise StrategyError(f"wall quantile must be in (0, 1), was {quantile}")
        if min_multiple < 0:
            raise StrategyError(f"wall min_multiple must be >= 0, was {min_multiple}")
        self.depth, self.quantile, self.min_multiple = depth, quantile, min_multiple
        self.min_samples = min_samples
        # ring buffer of looks x (bid sizes, ask sizes); NaN where a side had fewer levels
        self._buf = np.full((window, 2 * depth), np.nan)
        self._looks = 0
        self._padded = 0  # rows holding NaN padding, to skip the NaN-aware path when none
        self.walls: dict[tuple[BookSide, float], Wall] = {}
        self.threshold: float | None = None

    def update(self, ts_ns: int, bids: Sequence[BookLevel], asks: Sequence[BookLevel]
               ) -> list[WallEvent]:
        """Look at the book once; returns walls that appeared or vanished since the last look."""
        top_b, top_a = bids[:self.depth], asks[:self.depth]
        threshold = self._threshold()
        events: list[WallEvent] = []
        now: dict[tuple[BookSide, float], Wall] = {}
        if threshold is not None:
            for side, levels in ((BID, top_b), (ASK, top_a)):
                for lvl in levels:
                    if lvl.size >= threshold:
                        now[(side, lvl.price)] = Wall(side, lvl.price, lvl.size)
            best_bid = bids[0].price if bids else None
            best_ask = asks[0].price if asks else None
            for key, wall in self.walls.items():
                if key in now:
                    continue
                kept = _still_resting(wall, bids if wall.side is BID else asks,
                                      threshold)
                if kept is not None:  # outside the watched depth now, but still there
                    now[key] = kept
                    continue
                if wall.side is BID:
                    reached = best_bid is None or best_bid <= wall.price
                else:
                    reached = best_ask is None or best_ask >= wall.price
                change = WallChange.CONSUMED if reached else WallChange.PULLED
                events.append(WallEvent(ts_ns, change, wall, threshold))
            events.extend(WallEvent(ts_ns, WallChange.APPEARED, w, threshold)
                          for k, w in now.items() if k not in self.walls)
            self.walls = now
        self._record(top_b, top_a)
        self.threshold = threshold
        return events

    def _record(self, top_b: Sequence[BookLevel], top_a: Sequence[BookLevel]) -> None:
        window, d = self._buf.shape[0], self.depth
        row = self._buf[self._looks % window]
        if self._looks >= window and np.isnan(row).any():
            self._padded -= 1
        row[:] = np.nan
        row[:len(top_b)] = [lvl.size for lvl in top_b]
        row[d:d + len(top_a)] = [lvl.size for lvl in top_a]
        if len(top_b) < d or len(top_a) < d:
            self._padded += 1
        self._looks += 1

    def _threshold(self) -> float | None:
        n = min(self._looks, self._buf.shape[0])
        if n < self.min_samples:
            return None
        sizes = self._buf[:n].ravel()
        if self._padded:
            sizes = sizes[~np.isnan(sizes)]
            if sizes.size == 0:
                return None
        q, med = np.quantile(sizes, [self.quantile, 0.5])
        return max(float(q), self.min_multiple * float(med))


def _still_resting(wall: Wall, levels: Sequence[BookLevel], threshold: float) -> Wall | None:
    """The wall's level if it is still on the book at or above the threshold."""
    for lvl in levels:
        if lvl.price == wall.price:
            return Wall(wall.side, lvl.price, lvl.size) if lvl.size >= threshold else None
    return None
