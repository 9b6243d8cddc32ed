"""Reading a recorded Binance depth feed: the documented sync rules and clear errors.

Lines follow the recorder's real format (see ../shared/data/README.md 3a): ``<ns> <json>`` with
combined-stream messages and one REST snapshot."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot, QuoteTick, TradeTick
from aitrader.storage.book_files import load_binance_feed

BTC = InstrumentId("BTC/USDT", "BINANCE")


def _diff(first: int, last: int, bids: list[list[str]], asks: list[list[str]],
          pu: int | None = None) -> dict:
    data = {"e": "depthUpdate", "E": 1, "s": "BTCUSDT", "U": first, "u": last, "b": bids,
            "a": asks}
    if pu is not None:
        data["pu"] = pu
    return {"stream": "btcusdt@depth@100ms", "data": data}


def _write(tmp_path: Path, msgs: list[dict]) -> Path:
    p = tmp_path / "feed.gz"
    with gzip.open(p, "wt") as fh:
        for i, m in enumerate(msgs):
            fh.write(f"{1000 + i} {json.dumps(m)}\n")
    return p


SNAP = {"lastUpdateId": 10, "bids": [["100.0", "1.0"], ["99.0", "2.0"]],
        "asks": [["101.0", "1.5"]]}
TRADE = {"stream": "btcusdt@trade", "data": {"e": "trade", "p": "100.5", "q": "0.2",
                                              "T": 1, "m": True, "t": 77}}
TICKER = {"stream": "btcusdt@bookTicker", "data": {"u": 12, "b": "100.0", "B": "1.0",
                                                   "a": "101.0", "A": "1.5"}}


def test_diffs_buffered_before_the_snapshot_are_applied_into_it(tmp_path: Path) -> None:
    msgs = [TRADE, _diff(5, 9, [["98.0", "1.0"]], []), _diff(10, 11, [["99.0", "0"]], []),
            SNAP, _diff(12, 12, [], [["101.0", "0.5"]]), TRADE, TICKER]
    feed = load_binance_feed([_write(tmp_path, msgs)], BTC)
    snap, delta, trade, quote = feed.events
    assert isinstance(snap, OrderBookSnapshot) and isinstance(delta, OrderBookDeltas)
    # diff 5-9 is older than the snapshot (dropped); 10-11 straddles 10+1 and removes 99.0
    assert [(lvl.price, lvl.size) for lvl in snap.bids] == [(100.0, 1.0)]
    assert (snap.sequence, snap.ts_init) == (11, 1003)
    assert delta.deltas[0].side is BookSide.ASK and delta.deltas[0].size == 0.5
    assert isinstance(trade, TradeTick) and trade.aggressor is OrderSide.SELL  # buyer was maker
    assert isinstance(quote, QuoteTick) and (quote.bid, quote.ask_size) == (100.0, 1.5)
    assert feed.dropped_before_snapshot == 2  # the first trade and the stale diff


def test_a_gap_in_the_spot_diff_chain_is_an_error_naming_the_line(tmp_path: Path) -> None:
    msgs = [SNAP, _diff(11, 12, [], []), _diff(14, 15, [], [])]
    with pytest.raises(DataError, match=r"feed.gz:3: diff chain broken: U must be the previous "
                                        r"u \+ 1 = 13, was 14"):
        load_binance_feed([_write(tmp_path, msgs)], BTC)


def test_futures_diffs_chain_on_pu(tmp_path: Path) -> None:
    snap = {**SNAP, "lastUpdateId": 100}
    good = [snap, _diff(90, 105, [], [], pu=89), _diff(106, 110, [], [], pu=105)]
    assert load_binance_feed([_write(tmp_path, good)], BTC).diffs_applied == 2
    bad = [snap, _diff(90, 105, [], [], pu=89), _diff(106, 110, [], [], pu=104)]
    with pytest.raises(DataError, match=r"pu must be the previous u 105, was 104"):
        load_binance_feed([_write(tmp_path, bad)], BTC)


def test_a_feed_without_a_snapshot_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"no depth snapshot \(lastUpdateId\)"):
        load_binance_feed([_write(tmp_path, [_diff(1, 2, [], [])])], BTC)
    with pytest.raises(DataError, match=r"no such file"):
        load_binance_feed([tmp_path / "missing.gz"], BTC)
