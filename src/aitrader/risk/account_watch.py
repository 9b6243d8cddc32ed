"""Per-account equity watch: the day's starting equity, the peak, and the run of losing trades."""

from __future__ import annotations

DAY_NS = 86_400 * 1_000_000_000


class AccountWatch:
    """Tracks what the daily-loss, drawdown and consecutive-loss breakers look at."""

    __slots__ = ("daily_limit", "day_start", "drawdown_limit", "losses", "next_reset_ns",
                 "offset_ns", "peak")

    def __init__(self, equity: float, now_ns: int, reset_offset_ns: int,
                 daily_limit: float = 1.0, drawdown_limit: float = 1.0) -> None:
        self.offset_ns = reset_offset_ns
        self.daily_limit = daily_limit
        self.drawdown_limit = drawdown_limit
        self.day_start = equity
        self.peak = equity
        self.losses = 0
        self.next_reset_ns = self.reset_after(now_ns)

    def reset_after(self, now_ns: int) -> int:
        """The first daily reset strictly after ``now_ns``."""
        day = (now_ns - self.offset_ns) // DAY_NS
        return (day + 1) * DAY_NS + self.offset_ns

    def on_equity(self, equity: float, now_ns: int) -> bool:
        """Record an equity reading; True when a new trading day started with it."""
        new_day = now_ns >= self.next_reset_ns
        if new_day:
            self.day_start = equity
            self.next_reset_ns = self.reset_after(now_ns)
        if equity > self.peak:
            self.peak = equity
        return new_day

    def daily_loss(self, equity: float) -> float:
        """Loss since the day's start, as a fraction of the starting equity (gain = negative)."""
        return 0.0 if self.day_start <= 0.0 else (self.day_start - equity) / self.day_start

    def drawdown(self, equity: float) -> float:
        """Fall from the peak, as a fraction of the peak."""
        return 0.0 if self.peak <= 0.0 else (self.peak - equity) / self.peak

    def on_trade_closed(self, pnl: float) -> int:
        """Count a closed trade; returns the current run of losses."""
        self.losses = self.losses + 1 if pnl < 0.0 else 0
        return self.losses
