"""Higher-timeframe bars built from lower-timeframe ones, released only once they have closed."""

from __future__ import annotations

from aitrader.core.market_data import Bar


class ClosedBarAggregator:
    """Aggregates bars into UTC buckets of ``timeframe_ns`` (1d buckets start at 00:00 UTC).

    A bucket is released when a bar closing on or after its end arrives (the normal case: the
    last minute of the hour closes the hour) or, after a gap in the data, when the first bar of a
    later bucket arrives. A bucket that is still forming is never visible.
    """

    __slots__ = ("_bar", "_end", "timeframe_ns")

    def __init__(self, timeframe_ns: int) -> None:
        if timeframe_ns <= 0:
            raise ValueError(f"timeframe_ns must be > 0, was {timeframe_ns}")
        self.timeframe_ns = timeframe_ns
        self._bar: Bar | None = None
        self._end = 0

    def update(self, bar: Bar) -> list[Bar]:
        """Add a lower-timeframe bar; return the higher-timeframe bars that closed with it."""
        closed: list[Bar] = []
        tf = self.timeframe_ns
        start = bar.ts_event - bar.ts_event % tf
        cur = self._bar
        if cur is not None and start != cur.ts_event:
            closed.append(cur)  # a gap: the bucket ended without a bar closing on its end
            cur = None
        if cur is None:
            cur = Bar(bar.instrument_id, start, start + tf, bar.open, bar.high, bar.low,
                      bar.close, bar.volume)
        else:
            cur = Bar(cur.instrument_id, cur.ts_event, cur.ts_init, cur.open,
                      max(cur.high, bar.high), min(cur.low, bar.low), bar.close,
                      cur.volume + bar.volume)
        if bar.ts_init >= start + tf:
            closed.append(cur)
            cur = None
        self._bar = cur
        return closed
