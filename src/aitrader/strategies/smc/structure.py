"""Break of Structure / Change of Character on closes, and the order blocks they leave."""

from __future__ import annotations

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structures import (
    BreakKind,
    Direction,
    OrderBlock,
    StructureBreak,
    Swing,
)


class StructureTracker:
    """Market structure from confirmed swings, judged on closed bars only.

    The reference high is the most recent confirmed swing high that no close has broken yet
    (a newer confirmed swing high replaces it); likewise the reference low. A close strictly
    above the reference high is a bullish break, strictly below the reference low a bearish
    one; each swing is broken at most once. The break is a **CHoCH** when it goes against the
    current trend and a **BOS** otherwise (the first break of all is a BOS); the trend then
    takes the break's direction.

    Each break leaves an order block: for a bullish break of swing ``s`` at bar ``t``, the
    displacement starts at the lowest low of the bars after the swing, ``s+1..t`` (the first
    such bar), and the block is the last bearish candle (close < open) from that bar back to
    ``s``; no such candle, no block. Bearish breaks mirror this (highest high, last bullish
    candle). Blocks are tracked for ``max_age`` bars after their break.
    """

    def __init__(self, max_age: int = 1000) -> None:
        if max_age < 1:
            raise StrategyError(f"order block max_age must be >= 1, was {max_age}")
        self.max_age = max_age
        self.trend: Direction | None = None
        self.ref_high: Swing | None = None
        self.ref_low: Swing | None = None
        self.breaks: list[StructureBreak] = []
        self.order_blocks: list[OrderBlock] = []
        self._active_blocks: list[OrderBlock] = []

    def on_swings(self, swings: list[Swing]) -> None:
        """Newly confirmed swings become the references."""
        for s in swings:
            if s.is_high:
                self.ref_high = s
            else:
                self.ref_low = s

    def on_bar(self, bars: BarHistory, t: int) -> tuple[list[StructureBreak], list[OrderBlock]]:
        """Track old blocks on bar ``t``, then look for breaks its close makes."""
        self._track_blocks(bars, t)
        close = bars.close[t]
        new_breaks: list[StructureBreak] = []
        new_blocks: list[OrderBlock] = []
        if self.ref_high is not None and close > self.ref_high.price:
            new_breaks.append(self._break(self.ref_high, Direction.BULLISH, t))
            self.ref_high = None
        if self.ref_low is not None and close < self.ref_low.price:
            new_breaks.append(self._break(self.ref_low, Direction.BEARISH, t))
            self.ref_low = None
        for brk in new_breaks:
            block = _order_block(bars, brk)
            if block is not None:
                new_blocks.append(block)
                self.order_blocks.append(block)
                self._active_blocks.append(block)
        return new_breaks, new_blocks

    def active_blocks(self) -> list[OrderBlock]:
        """Blocks not invalidated yet (mitigated ones included), oldest first."""
        return list(self._active_blocks)

    def _break(self, swing: Swing, direction: Direction, t: int) -> StructureBreak:
        kind = BreakKind.CHOCH if self.trend is not None and self.trend != direction \
            else BreakKind.BOS
        self.trend = direction
        brk = StructureBreak(t, kind, direction, swing)
        self.breaks.append(brk)
        return brk

    def _track_blocks(self, bars: BarHistory, t: int) -> None:
        lo, hi, cl = bars.low[t], bars.high[t], bars.close[t]
        keep: list[OrderBlock] = []
        oldest = t - self.max_age
        for ob in self._active_blocks:
            if ob.break_index < oldest:
                continue
            bullish = ob.direction is Direction.BULLISH
            if ob.mitigated_index is None and (lo <= ob.top if bullish else hi >= ob.bottom):
                ob.mitigated_index = t
            if cl < ob.bottom if bullish else cl > ob.top:
                ob.invalidated_index = t
            else:
                keep.append(ob)
        self._active_blocks = keep


def _order_block(bars: BarHistory, brk: StructureBreak) -> OrderBlock | None:
    s, t = brk.swing.index, brk.index
    o, c = bars.open, bars.close
    if brk.direction is Direction.BULLISH:
        lows = bars.low[s + 1:t + 1]
        origin = s + 1 + lows.index(min(lows))
        for j in range(origin, s - 1, -1):
            if c[j] < o[j]:
                return OrderBlock(j, t, Direction.BULLISH, bars.high[j], bars.low[j])
        return None
    highs = bars.high[s + 1:t + 1]
    origin = s + 1 + highs.index(max(highs))
    for j in range(origin, s - 1, -1):
        if c[j] > o[j]:
            return OrderBlock(j, t, Direction.BEARISH, bars.high[j], bars.low[j])
    return None
