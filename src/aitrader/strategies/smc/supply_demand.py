"""Supply and demand zones: a base of small candles that a strong candle left behind."""

from __future__ import annotations

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.average_range import WilderAtr
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structures import Direction, SupplyDemandZone


class SupplyDemandTracker:
    """Finds zones when the leg-out candle closes, then tracks touches and invalidation.

    A **leg-out** candle has a body ``|close - open|`` of at least ``leg_atr_mult`` x the ATR
    known before it (Wilder, ``atr_period``, from the bars up to the previous one). Its
    **base** is the run of consecutive candles right before it whose body is at most
    ``base_body_ratio`` x their range (a zero-range candle counts), at most ``max_base`` of
    them, at least one. The zone spans the base's lowest low to highest high; an up leg-out
    makes a demand zone, a down one a supply zone. Zones older than ``max_age`` bars are no
    longer tracked.
    """

    def __init__(self, leg_atr_mult: float = 1.5, base_body_ratio: float = 0.5,
                 max_base: int = 3, atr_period: int = 14, max_age: int = 1000) -> None:
        if max_age < 1:
            raise StrategyError(f"zone max_age must be >= 1, was {max_age}")
        self.max_age = max_age
        if leg_atr_mult <= 0:
            raise StrategyError(f"zone leg_atr_mult must be > 0, was {leg_atr_mult}")
        if not 0 < base_body_ratio <= 1:
            raise StrategyError(f"zone base_body_ratio must be in (0, 1], was {base_body_ratio}")
        if max_base < 1:
            raise StrategyError(f"zone max_base must be >= 1, was {max_base}")
        self.leg_atr_mult = leg_atr_mult
        self.base_body_ratio = base_body_ratio
        self.max_base = max_base
        self._atr = WilderAtr(atr_period)
        self.zones: list[SupplyDemandZone] = []
        self._active: list[SupplyDemandZone] = []

    def on_bar(self, bars: BarHistory, t: int) -> list[SupplyDemandZone]:
        """Track zones on bar ``t``; return the zone bar ``t`` confirms (if any)."""
        o, h, lo, c = bars.open[t], bars.high[t], bars.low[t], bars.close[t]
        keep: list[SupplyDemandZone] = []
        oldest = t - self.max_age
        for z in self._active:
            if z.index < oldest:
                continue
            if z.touched_index is None and (lo <= z.top if z.is_demand else h >= z.bottom):
                z.touched_index = t
            if c < z.bottom if z.is_demand else c > z.top:
                z.invalidated_index = t
            else:
                keep.append(z)
        self._active = keep
        atr_before = self._atr.value
        self._atr.update(h, lo, c)
        if atr_before is None or abs(c - o) < self.leg_atr_mult * atr_before:
            return []
        base: list[int] = []
        j = t - 1
        while j >= 0 and len(base) < self.max_base and self._is_base(bars, j):
            base.append(j)
            j -= 1
        if not base:
            return []
        first, last = base[-1], base[0]
        top = max(bars.high[first:last + 1])
        bottom = min(bars.low[first:last + 1])
        direction = Direction.BULLISH if c > o else Direction.BEARISH
        zone = SupplyDemandZone(t, first, last, direction, top, bottom)
        self.zones.append(zone)
        self._active.append(zone)
        return [zone]

    @property
    def atr(self) -> float | None:
        """The ATR after the latest bar (None during warm-up)."""
        return self._atr.value

    def active_zones(self) -> list[SupplyDemandZone]:
        """Zones not invalidated yet, oldest first."""
        return list(self._active)

    def _is_base(self, bars: BarHistory, j: int) -> bool:
        body = abs(bars.close[j] - bars.open[j])
        return body <= self.base_body_ratio * (bars.high[j] - bars.low[j])
