"""Reading a recorded Binance websocket feed (depth diffs, a REST snapshot, bookTicker, trades)
into the domain's book, quote and trade events, with Binance's book synchronisation rules.

Each line is ``<local receive time, ns> <JSON>``; the JSON is a combined-stream message
(``<sym>@depth@...``, ``@bookTicker``, ``@trade``) or a REST depth snapshot
(``{"lastUpdateId": ...}``). The book is rebuilt the way Binance documents it: diffs are
buffered until the snapshot, diffs the snapshot already contains are dropped, and the first
diff applied must straddle it -- spot: ``U <= lastUpdateId + 1 <= u``, then every diff starts
at the previous ``u + 1``; USD-M futures: ``U <= lastUpdateId <= u``, then every diff's ``pu``
is the previous ``u``. A broken chain is a DataError naming the file and line (no silent
resync). The snapshot event carries the buffered diffs already applied.

Both time stamps of every event are the recorder's receive time: the feed's exchange clock
(``E``/``T``) runs about 1.3 s ahead of it, and the simulator compares event stamps with the
engine clock, which follows receive time. Events received before the first snapshot are
dropped (there is no book to read them against).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from aitrader.core.enums import BookSide, OrderSide
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import (
    BookDelta,
    BookLevel,
    MarketData,
    OrderBookDeltas,
    OrderBookSnapshot,
    QuoteTick,
    TradeTick,
)

_decode = msgspec.json.Decoder()


@dataclass
class BookFeed:
    """The events of a recorded feed in receive order, and what the loader did."""

    instrument_id: InstrumentId
    events: list[MarketData] = field(default_factory=list)
    snapshots: int = 0
    diffs_applied: int = 0
    diffs_dropped: int = 0
    trades: int = 0
    quotes: int = 0
    dropped_before_snapshot: int = 0


def load_binance_feed(paths: Sequence[Path | str], instrument_id: InstrumentId, *,
                      quotes: bool = True, trades: bool = True) -> BookFeed:
    """Read files of one contiguous recording (in order) into a :class:`BookFeed`."""
    if not paths:
        raise DataError("load_binance_feed needs at least one file, was given none")
    sync = _BookSync(instrument_id)
    feed = BookFeed(instrument_id)
    for path in paths:
        for lineno, ts, msg in _lines(Path(path)):
            where = f"{path}:{lineno}"
            if "lastUpdateId" in msg:
                feed.events.append(sync.on_snapshot(msg, ts))
                feed.snapshots += 1
                continue
            stream = msg.get("stream", "")
            data = msg.get("data")
            if not isinstance(stream, str) or not isinstance(data, dict):
                raise DataError(f"{where}: expected a combined-stream message, was {list(msg)}")
            if "@depth" in stream:
                delta = sync.on_diff(data, ts, where)
                if delta is not None:
                    feed.events.append(delta)
                    feed.diffs_applied += 1
                elif sync.synced:
                    feed.diffs_dropped += 1
            elif not sync.synced:
                feed.dropped_before_snapshot += 1
            elif stream.endswith("@trade") and trades:
                feed.events.append(_trade(instrument_id, data, ts, where))
                feed.trades += 1
            elif stream.endswith("@bookTicker") and quotes:
                feed.events.append(_quote(instrument_id, data, ts, where))
                feed.quotes += 1
    if not feed.snapshots:
        raise DataError(f"{paths[0]}: no depth snapshot (lastUpdateId) in the feed")
    feed.dropped_before_snapshot += sync.stale_buffered
    return feed


def _lines(path: Path) -> Iterator[tuple[int, int, dict[str, Any]]]:
    if not path.exists():
        raise DataError(f"{path}: no such file")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            head, sep, body = raw.partition(b" ")
            if not sep:
                raise DataError(f"{path}:{lineno}: expected '<ns> <json>', was {raw[:60]!r}")
            try:
                ts = int(head)
                msg = _decode.decode(body)
            except (ValueError, msgspec.DecodeError) as exc:
                raise DataError(f"{path}:{lineno}: unreadable line ({exc})") from None
            if not isinstance(msg, dict):
                raise DataError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, ts, msg


class _BookSync:
    """Binance's diff-depth synchronisation state for one symbol."""

    def __init__(self, iid: InstrumentId) -> None:
        self.iid = iid
        self.synced = False
        self.last_u = 0
        self.stale_buffered = 0  # diffs received before the snapshot and already inside it
        self._buffer: list[tuple[dict[str, Any], int, str]] = []
        self._first = True
        self._snapshot_id = 0

    def on_snapshot(self, msg: dict[str, Any], ts: int) -> OrderBookSnapshot:
        bids = {float(p): float(q) for p, q in msg["bids"]}
        asks = {float(p): float(q) for p, q in msg["asks"]}
        self._snapshot_id = self.last_u = int(msg["lastUpdateId"])
        self.synced, self._first = True, True
        for data, _, where in self._buffer:
            changes = self._accept(data, where)
            if changes is None:
                self.stale_buffered += 1
            for side, price, size in changes or ():
                book = bids if side is BookSide.BID else asks
                if size == 0:
                    book.pop(price, None)
                else:
                    book[price] = size
        self._buffer.clear()
        return OrderBookSnapshot(
            self.iid, ts, ts,
            tuple(BookLevel(p, bids[p]) for p in sorted(bids, reverse=True)),
            tuple(BookLevel(p, asks[p]) for p in sorted(asks)), self.last_u,
        )

    def on_diff(self, data: dict[str, Any], ts: int, where: str) -> OrderBookDeltas | None:
        if not self.synced:
            self._buffer.append((data, ts, where))
            return None
        changes = self._accept(data, where)
        if changes is None:
            return None
        deltas = tuple(BookDelta(side, price, size) for side, price, size in changes)
        return OrderBookDeltas(self.iid, ts, ts, deltas, self.last_u)

    def _accept(self, data: dict[str, Any], where: str
                ) -> list[tuple[BookSide, float, float]] | None:
        first_id, final_id = int(data["U"]), int(data["u"])
        futures = "pu" in data
        snap = self._snapshot_id
        if self._first:
            if (final_id < snap) if futures else (final_id <= snap):
                return None  # already in the snapshot
            ok = first_id <= snap <= final_id if futures else first_id <= snap + 1 <= final_id
            if not ok:
                raise DataError(
                    f"{where}: first diff after snapshot {snap} must straddle it, was "
                    f"U={first_id} u={final_id}"
                )
            self._first = False
        elif futures and int(data["pu"]) != self.last_u:
            raise DataError(
                f"{where}: diff chain broken: pu must be the previous u {self.last_u}, "
                f"was {data['pu']}"
            )
        elif not futures and first_id != self.last_u + 1:
            raise DataError(
                f"{where}: diff chain broken: U must be the previous u + 1 = "
                f"{self.last_u + 1}, was {first_id}"
            )
        self.last_u = final_id
        changes = [(BookSide.BID, float(p), float(q)) for p, q in data["b"]]
        changes += [(BookSide.ASK, float(p), float(q)) for p, q in data["a"]]
        return changes


def _trade(iid: InstrumentId, d: dict[str, Any], ts: int, where: str) -> TradeTick:
    try:
        # m: the buyer is the maker, so the aggressor sold
        side = OrderSide.SELL if d["m"] else OrderSide.BUY
        return TradeTick(iid, ts, ts, float(d["p"]), float(d["q"]), side, str(d["t"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{where}: trade message lacks p/q/m/t ({exc})") from None


def _quote(iid: InstrumentId, d: dict[str, Any], ts: int, where: str) -> QuoteTick:
    try:
        return QuoteTick(iid, ts, ts, float(d["b"]), float(d["a"]), float(d["B"]),
                         float(d["A"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{where}: bookTicker message lacks b/B/a/A ({exc})") from None
