"""All SMC trackers run together, one closed bar at a time; ``analyze`` does it over arrays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.dealing_range import DealingRangeTracker
from aitrader.strategies.smc.fair_value_gaps import FairValueGapTracker
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structure import StructureTracker
from aitrader.strategies.smc.structures import (
    DealingRange,
    FairValueGap,
    LiquiditySweep,
    OrderBlock,
    StructureBreak,
    SupplyDemandZone,
    Swing,
)
from aitrader.strategies.smc.supply_demand import SupplyDemandTracker
from aitrader.strategies.smc.sweeps import SweepTracker
from aitrader.strategies.smc.swings import SwingDetector

Column = Sequence[float] | npt.NDArray[np.float64]


@dataclass(frozen=True)
class SmcSettings:
    """Definitions' knobs (see each tracker for what they mean)."""

    swing_lookback: int = 5
    fvg_min_size_frac: float = 0.0
    zone_leg_atr_mult: float = 1.5
    zone_base_body_ratio: float = 0.5
    zone_max_base: int = 3
    atr_period: int = 14
    max_age: int = 1000  # bars a structure stays tracked (bounds the per-bar work)


@dataclass
class BarStructures:
    """What the close of one bar revealed."""

    index: int
    swings: list[Swing] = field(default_factory=list)
    breaks: list[StructureBreak] = field(default_factory=list)
    order_blocks: list[OrderBlock] = field(default_factory=list)
    gaps: list[FairValueGap] = field(default_factory=list)
    zones: list[SupplyDemandZone] = field(default_factory=list)
    sweeps: list[LiquiditySweep] = field(default_factory=list)
    dealing_range: DealingRange | None = None


class SmcAnalyzer:
    """Feed closed bars with :meth:`update`; every structure found so far stays readable.

    Order within a bar: old order blocks, gaps, zones and resting liquidity are checked
    against the new bar first, then the bar's close may break structure, then swings that the
    bar confirms are added (they take effect from the next bar), then the dealing range.
    """

    def __init__(self, settings: SmcSettings | None = None) -> None:
        s = settings or SmcSettings()
        self.settings = s
        self.bars = BarHistory()
        self.swing_detector = SwingDetector(s.swing_lookback)
        self.structure = StructureTracker(s.max_age)
        self.gaps = FairValueGapTracker(s.fvg_min_size_frac, s.max_age)
        self.zones = SupplyDemandTracker(s.zone_leg_atr_mult, s.zone_base_body_ratio,
                                         s.zone_max_base, s.atr_period, s.max_age)
        self.liquidity = SweepTracker(s.max_age)
        self.ranges = DealingRangeTracker()
        self.swings: list[Swing] = []

    def update(self, o: float, h: float, lo: float, c: float) -> BarStructures:
        """Add one closed bar and return what it revealed."""
        bars = self.bars
        t = bars.append(o, h, lo, c)
        out = BarStructures(t)
        out.sweeps = self.liquidity.on_bar(bars, t)
        out.breaks, out.order_blocks = self.structure.on_bar(bars, t)
        out.gaps = self.gaps.on_bar(bars, t)
        out.zones = self.zones.on_bar(bars, t)
        self.ranges.on_bar(h, lo)
        swings = self.swing_detector.on_bar(bars, t)
        if swings:
            self.swings.extend(swings)
            self.structure.on_swings(swings)
            self.liquidity.on_swings(swings)
            self.ranges.on_swings(swings, bars.high, bars.low)
        out.swings = swings
        out.dealing_range = self.ranges.current()
        return out


@dataclass
class SmcResult:
    """Every structure found in a bar sequence, plus the dealing range after each bar."""

    swings: list[Swing]
    breaks: list[StructureBreak]
    order_blocks: list[OrderBlock]
    gaps: list[FairValueGap]
    zones: list[SupplyDemandZone]
    sweeps: list[LiquiditySweep]
    ranges: list[DealingRange | None]


def analyze(open_: Column, high: Column, low: Column, close: Column,
            settings: SmcSettings | None = None) -> SmcResult:
    """Run :class:`SmcAnalyzer` over whole columns (the same code a live strategy runs)."""
    n = len(close)
    if not len(open_) == len(high) == len(low) == n:
        raise StrategyError(
            f"open/high/low/close must have equal lengths, were "
            f"{len(open_)}/{len(high)}/{len(low)}/{n}"
        )
    an = SmcAnalyzer(settings)
    ranges: list[DealingRange | None] = []
    for o, h, lo, c in zip(_floats(open_), _floats(high), _floats(low), _floats(close),
                           strict=True):
        ranges.append(an.update(o, h, lo, c).dealing_range)
    return SmcResult(an.swings, an.structure.breaks, an.structure.order_blocks, an.gaps.gaps,
                     an.zones.zones, an.liquidity.sweeps, ranges)


def _floats(col: Column) -> list[float]:
    tolist = getattr(col, "tolist", None)
    return list(tolist()) if callable(tolist) else [float(x) for x in col]

