"""Fair value gaps (three-candle imbalances) and how price later fills them."""

from __future__ import annotations

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structures import Direction, FairValueGap


class FairValueGapTracker:
    """Finds gaps when their third candle closes and tracks touches and fills afterwards.

    A gap smaller than ``min_size_frac`` x the third candle's close is ignored. A gap is
    touched by the first later bar that trades into it and filled by the first later bar that
    trades through its far side; filled gaps are no longer tracked.
    """

    def __init__(self, min_size_frac: float = 0.0, max_age: int = 1000) -> None:
        if max_age < 1:
            raise StrategyError(f"fair value gap max_age must be >= 1, was {max_age}")
        self.max_age = max_age
        if min_size_frac < 0:
            raise StrategyError(f"fair value gap min_size_frac must be >= 0, was {min_size_frac}")
        self.min_size_frac = min_size_frac
        self.gaps: list[FairValueGap] = []
        self._open: list[FairValueGap] = []

    def on_bar(self, bars: BarHistory, t: int) -> list[FairValueGap]:
        """Track open gaps on bar ``t``, then return the gap bar ``t`` completes (if any)."""
        lo, hi = bars.low[t], bars.high[t]
        still: list[FairValueGap] = []
        oldest = t - self.max_age
        for g in self._open:
            if g.index < oldest:
                continue
            bullish = g.direction is Direction.BULLISH
            if g.touched_index is None and (lo < g.top if bullish else hi > g.bottom):
                g.touched_index = t
            if lo <= g.bottom if bullish else hi >= g.top:
                g.filled_index = t
            else:
                still.append(g)
        self._open = still
        if t < 2:
            return []
        min_size = self.min_size_frac * bars.close[t]
        gap: FairValueGap | None = None
        if lo > bars.high[t - 2] and lo - bars.high[t - 2] > min_size:
            gap = FairValueGap(t, Direction.BULLISH, lo, bars.high[t - 2])
        elif hi < bars.low[t - 2] and bars.low[t - 2] - hi > min_size:
            gap = FairValueGap(t, Direction.BEARISH, bars.low[t - 2], hi)
        if gap is None:
            return []
        self.gaps.append(gap)
        self._open.append(gap)
        return [gap]

    def open_gaps(self) -> list[FairValueGap]:
        """Gaps not filled yet, oldest first."""
        return list(self._open)
