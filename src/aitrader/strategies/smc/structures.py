"""The structures Smart Money Concepts talks about, as plain values indexed by bar number.

Every index is a position in the analyzed bar sequence (0 = first bar). ``index`` is where the
structure sits on the chart; ``confirmed_index`` (or the index of a break) is the bar whose
close made it known -- a strategy may act on a structure only from that bar on.
Trackable structures (order blocks, gaps, zones) carry the bar where price first came back
(``touched_index``/``mitigated_index``) and where it was used up (``filled_index`` /
``invalidated_index``); only their tracker sets these, once, when that bar closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Direction(IntEnum):
    """Bullish (+1) or bearish (-1)."""

    BULLISH = 1
    BEARISH = -1


class BreakKind(Enum):
    """Break of Structure continues the trend; Change of Character reverses it."""

    BOS = "BOS"
    CHOCH = "CHoCH"


@dataclass(frozen=True, slots=True)
class Swing:
    """A swing high (``is_high``) or low at bar ``index``, known at ``confirmed_index``."""

    index: int
    confirmed_index: int
    price: float
    is_high: bool


@dataclass(frozen=True, slots=True)
class StructureBreak:
    """A close beyond the latest swing: ``index`` is the breaking bar, ``swing`` the level."""

    index: int
    kind: BreakKind
    direction: Direction
    swing: Swing

    @property
    def level(self) -> float:
        """The price of the broken swing."""
        return self.swing.price


@dataclass(slots=True)
class OrderBlock:
    """The last opposite candle (``index``) before the displacement that made ``break_index``.

    Bullish: the last bearish candle before the up-move that broke a swing high; the zone is
    that candle's full range ``[bottom, top]``. Mitigated when price trades back into the zone
    (a later low <= top for a bullish block), invalidated when a later close is beyond the far
    side (close < bottom for a bullish block).
    """

    index: int
    break_index: int
    direction: Direction
    top: float
    bottom: float
    mitigated_index: int | None = None
    invalidated_index: int | None = None


@dataclass(slots=True)
class FairValueGap:
    """A three-candle imbalance confirmed at ``index`` (the third candle).

    Bullish: ``low[index] > high[index-2]``, gap ``[high[index-2], low[index]]``; bearish the
    mirror image. Touched when a later bar trades into the gap, filled when one trades through
    its far side (a later low <= bottom for a bullish gap).
    """

    index: int
    direction: Direction
    top: float
    bottom: float
    touched_index: int | None = None
    filled_index: int | None = None


@dataclass(slots=True)
class SupplyDemandZone:
    """A base of small-bodied candles ``[base_start, base_end]`` left by a strong candle.

    ``index`` is the leg-out candle that confirmed it; ``direction`` BULLISH is a demand zone
    (the leg-out went up), BEARISH a supply zone. The zone spans the base's full range.
    Touched on the first later bar that trades into it, invalidated by a later close beyond
    the far side (close < bottom for demand).
    """

    index: int
    base_start: int
    base_end: int
    direction: Direction
    top: float
    bottom: float
    touched_index: int | None = None
    invalidated_index: int | None = None

    @property
    def is_demand(self) -> bool:
        """True for a demand zone."""
        return self.direction is Direction.BULLISH


@dataclass(frozen=True, slots=True)
class LiquiditySweep:
    """Bar ``index`` traded beyond a resting swing and closed back inside.

    BEARISH: the high went above a swing high (buy stops taken) and the close is below it;
    BULLISH: the low went below a swing low and the close is above it.
    """

    index: int
    direction: Direction
    swing: Swing


@dataclass(frozen=True, slots=True)
class DealingRange:
    """The range between the latest swing low and high, stretched to any extreme since."""

    low: float
    high: float

    @property
    def equilibrium(self) -> float:
        """The midpoint: above it is premium, below it discount."""
        return (self.low + self.high) / 2.0

    def position(self, price: float) -> float:
        """Where ``price`` sits: 0 at the low, 1 at the high (outside the range beyond)."""
        width = self.high - self.low
        return 0.5 if width <= 0 else (price - self.low) / width

    def is_premium(self, price: float) -> bool:
        """True above the equilibrium."""
        return price > self.equilibrium

    def is_discount(self, price: float) -> bool:
        """True below the equilibrium."""
        return price < self.equilibrium
