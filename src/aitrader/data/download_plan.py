"""Downloading history in resumable pages, against the HistorySource port (no HTTP here).

The plan covers ``[start, end)`` in pages of ``page_bars`` bars, skipping what the store already
holds, so a run that was interrupted starts again where the stored data ends (holes inside the
stored range are asked for again only with ``fill_holes``). Pages are handed to a sink in order
and flushed every ``flush_pages`` pages, so at most that many pages are fetched twice after a
crash. Retryable venue errors (RateLimited, VenueUnavailable) back off exponentially; after the
run the stored range is checked for gaps the venue itself has (no bars there), which are
reported, not filled.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError, RateLimited, VenueUnavailable
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar
from aitrader.core.ports import HistorySource
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.timeframes import parse_timeframe
from aitrader.data.validation import Gap, find_gaps

log = logging.getLogger("aitrader.market_data")
I64 = npt.NDArray[np.int64]


def missing_ranges(stored_ts: I64, start_ns: int, end_ns: int, timeframe_ns: int,
                   fill_holes: bool = False) -> list[tuple[int, int]]:
    """``[a, b)`` ranges of bar open times in ``[start, end)`` that the store lacks: before
    the first and after the last stored bar, and with ``fill_holes`` also the holes between
    (usually gaps the exchange itself has, so asking again rarely helps)."""
    if start_ns >= end_ns:
        raise DataError(f"start must be before end, were {start_ns} and {end_ns}")
    first = -(-start_ns // timeframe_ns) * timeframe_ns  # the first bar boundary
    have = stored_ts[(stored_ts >= first) & (stored_ts < end_ns)]
    if not fill_holes and len(have):
        have = np.arange(int(have[0]), int(have[-1]) + 1, timeframe_ns, dtype=np.int64)
    out: list[tuple[int, int]] = []
    cursor = first
    for ts in have.tolist():
        if ts > cursor:
            out.append((cursor, ts))
        cursor = max(cursor, ts + timeframe_ns)
    if cursor < end_ns:
        out.append((cursor, end_ns))
    return out


def pages(ranges: Sequence[tuple[int, int]], timeframe_ns: int, page_bars: int
          ) -> list[tuple[int, int]]:
    """The ranges cut into requests of at most ``page_bars`` bars."""
    if page_bars < 1:
        raise DataError(f"page_bars must be >= 1, was {page_bars}")
    span = page_bars * timeframe_ns
    return [(a, min(a + span, b)) for lo, b in ranges for a in range(lo, b, span)]


def to_arrays(bars: Sequence[Bar], timeframe_ns: int) -> BarArrays:
    """Bars as columns (sorted, duplicates by open time dropped keeping the first)."""
    ts = np.array([b.ts_event for b in bars], dtype=np.int64)
    order = np.argsort(ts, kind="stable")
    ts = ts[order]
    keep = np.ones(len(ts), dtype=np.bool_)
    keep[1:] = ts[1:] != ts[:-1]
    sel = order[keep]

    def col(name: str) -> npt.NDArray[np.float64]:
        return np.array([getattr(bars[i], name) for i in sel.tolist()], dtype=np.float64)

    return BarArrays(ts[keep], col("open"), col("high"), col("low"), col("close"),
                     col("volume"), timeframe_ns)


@dataclass
class DownloadReport:
    """What a download did."""

    requested: tuple[int, int]
    pages: int = 0
    bars: int = 0
    skipped_pages: int = 0
    retries: int = 0
    empty_pages: int = 0
    gaps: list[Gap] = field(default_factory=list)

    @property
    def missing_bars(self) -> int:
        """Bars missing inside the stored range after the run."""
        return sum(g.missing_bars for g in self.gaps)


@dataclass
class HistoryDownloader:
    """Fetch pages from a HistorySource into a sink, resumably.

    ``sink(bars)`` merges a batch into the store; ``stored()`` returns the open times held.
    """

    source: HistorySource
    sink: Callable[[BarArrays], None]
    stored: Callable[[], I64]
    page_bars: int = 1000
    flush_pages: int = 10
    max_retries: int = 5
    backoff_s: float = 1.0
    fill_holes: bool = False
    sleep: Callable[[float], None] = time.sleep
    on_page: Callable[[int, int], None] | None = None

    def run(self, instrument_id: InstrumentId, timeframe: str, start_ns: int, end_ns: int
            ) -> DownloadReport:
        """Download what is missing in ``[start, end)``; returns the report with gaps."""
        tf = parse_timeframe(timeframe)
        report = DownloadReport((start_ns, end_ns))
        todo = pages(missing_ranges(self.stored(), start_ns, end_ns, tf, self.fill_holes), tf,
                     self.page_bars)
        full = pages([(start_ns, end_ns)], tf, self.page_bars)
        report.skipped_pages = max(0, len(full) - len(todo))
        batch: list[Bar] = []
        for i, (a, b) in enumerate(todo):
            got = [x for x in self._fetch(instrument_id, timeframe, a, b, report)
                   if a <= x.ts_event < b]
            report.pages += 1
            report.empty_pages += not got
            batch.extend(got)
            if batch and ((i + 1) % self.flush_pages == 0 or i == len(todo) - 1):
                self._flush(batch, tf, report)
                batch = []
            if self.on_page is not None:
                self.on_page(i + 1, len(todo))
        if batch:
            self._flush(batch, tf, report)
        ts = self.stored()
        held = ts[(ts >= start_ns) & (ts < end_ns)]
        if len(held) > 1:
            z = np.zeros(len(held))
            report.gaps = find_gaps(BarArrays(held, z, z, z, z, z, tf))
        return report

    def _flush(self, batch: list[Bar], tf: int, report: DownloadReport) -> None:
        arrays = to_arrays(batch, tf)
        self.sink(arrays)
        report.bars += len(arrays)

    def _fetch(self, iid: InstrumentId, timeframe: str, a: int, b: int,
               report: DownloadReport) -> Sequence[Bar]:
        for attempt in range(self.max_retries + 1):
            try:
                return self.source.load_bars(iid, timeframe, a, b)
            except (RateLimited, VenueUnavailable) as exc:
                if attempt == self.max_retries:
                    raise
                wait = self.backoff_s * 2**attempt
                report.retries += 1
                log.warning("history page %s..%s: %s; retrying in %.1fs", a, b, exc, wait)
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
