"""Download planning: what is missing, pages, resume and retries against a fake history port."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.core.errors import DataError, RateLimited
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.download_plan import HistoryDownloader, missing_ranges, pages

M = 60_000_000_000
IID = InstrumentId("BTC/USDT", "TEST")


def test_missing_ranges_cover_the_head_and_tail_and_holes_only_when_asked():
    stored = np.array([10, 11, 12, 15, 16], dtype=np.int64) * M
    assert missing_ranges(stored, 5 * M, 20 * M, M) == [(5 * M, 10 * M), (17 * M, 20 * M)]
    assert missing_ranges(stored, 5 * M, 20 * M, M, fill_holes=True) == [
        (5 * M, 10 * M), (13 * M, 15 * M), (17 * M, 20 * M)]
    assert missing_ranges(np.empty(0, dtype=np.int64), 5 * M + 1, 8 * M, M) == [(6 * M, 8 * M)]
    with pytest.raises(DataError, match="start must be before end"):
        missing_ranges(stored, 9, 9, M)


def test_pages_split_each_range_by_the_page_size():
    assert pages([(0, 25 * M)], M, 10) == [(0, 10 * M), (10 * M, 20 * M), (20 * M, 25 * M)]
    with pytest.raises(DataError, match="page_bars must be >= 1, was 0"):
        pages([(0, M)], M, 0)


class FlakySource:
    """A history source with bars every minute except 30..33, rate-limited on chosen calls."""

    def __init__(self, limited_calls: set[int]) -> None:
        self.calls = 0
        self.limited = limited_calls

    def load_bars(self, instrument_id, timeframe, start_ns, end_ns):
        self.calls += 1
        if self.calls in self.limited:
            raise RateLimited("slow down")
        return [Bar(instrument_id, t, t + M, 1.0, 2.0, 0.5, 1.5, 3.0)
                for t in range(start_ns, end_ns, M) if not 30 * M <= t < 34 * M]


class MemoryStore:
    def __init__(self) -> None:
        self.ts = np.empty(0, dtype=np.int64)
        self.flushes = 0

    def sink(self, bars: BarArrays) -> None:
        self.ts = np.union1d(self.ts, bars.ts_ns)
        self.flushes += 1

    def stored(self):
        return self.ts


def test_a_download_retries_rate_limits_with_backoff_and_reports_the_source_gap():
    store, waits = MemoryStore(), []
    dl = HistoryDownloader(FlakySource({2, 3}), store.sink, store.stored, page_bars=10,
                           flush_pages=2, backoff_s=0.5, sleep=waits.append)
    report = dl.run(IID, "1m", 0, 60 * M)
    assert waits == [0.5, 1.0]
    assert report.retries == 2 and report.pages == 6 and store.flushes == 3
    assert len(store.ts) == 56 and report.bars == 56
    assert [(g.after_ns, g.missing_bars) for g in report.gaps] == [(29 * M, 4)]


def test_a_second_run_asks_only_for_what_came_after_the_stored_bars():
    store = MemoryStore()
    HistoryDownloader(FlakySource(set()), store.sink, store.stored, page_bars=10).run(
        IID, "1m", 0, 40 * M)
    source = FlakySource(set())
    report = HistoryDownloader(source, store.sink, store.stored, page_bars=10).run(
        IID, "1m", 0, 60 * M)
    assert source.calls == 2 and report.skipped_pages == 4 and len(store.ts) == 56


def test_rate_limits_beyond_the_retry_budget_propagate():
    store = MemoryStore()
    dl = HistoryDownloader(FlakySource({1, 2}), store.sink, store.stored, max_retries=1,
                           sleep=lambda _: None)
    with pytest.raises(RateLimited):
        dl.run(IID, "1m", 0, 10 * M)
