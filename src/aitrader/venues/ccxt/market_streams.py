"""Public market data from a ccxt exchange: trades, bars and L2 books, over websockets
(``watch_*``) or REST polling (``fetch_*``), with reconnect-and-resubscribe on failure.

A stream keeps a cursor (the last trade or bar delivered) so that a reconnect never delivers
an item twice; ccxt resubscribes a websocket channel whenever ``watch_*`` is called again on a
new connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aitrader.core.market_data import MarketData
from aitrader.core.ports import Clock, MarketDataHandler, Subscription
from aitrader.venues.ccxt import translate
from aitrader.venues.ccxt.config import CcxtVenueConfig

log = logging.getLogger("aitrader.market_data")
Deliver = Callable[[MarketDataHandler, object], None]
SetHealth = Callable[[bool, str], None]
_WS = {"trades": "watchTrades", "bars": "watchOHLCV", "book": "watchOrderBook"}


@dataclass
class _Cursor:
    """What a stream already delivered."""

    last_ts_ms: int | None = None
    seen_ids: set[str] = field(default_factory=set)  # trade ids at ``last_ts_ms``
    polls: int = 0


class MarketStreams:
    """Runs one task per subscription on the venue's loop thread."""

    def __init__(self, exchange: Any, config: CcxtVenueConfig, clock: Clock, deliver: Deliver,
                 set_health: SetHealth) -> None:
        self._ex = exchange
        self._cfg = config
        self._clock = clock
        self._deliver = deliver
        self._set_health = set_health
        self._tasks: dict[Subscription, asyncio.Task[None]] = {}

    def rebind(self, exchange: Any) -> None:
        """Use a new ccxt client (after a disconnect)."""
        self._ex = exchange

    def uses_websocket(self, kind: str) -> bool:
        """``market_data`` = ws/poll, or (auto) websockets when the exchange has them."""
        if self._cfg.market_data == "poll":
            return False
        return self._cfg.market_data == "ws" or bool(self._ex.has.get(_WS[kind]))

    async def start(self, sub: Subscription, handler: MarketDataHandler) -> None:
        """Start (or restart) the stream of ``sub``."""
        await self.cancel(sub)
        self._tasks[sub] = asyncio.create_task(self._run(sub, handler),
                                               name=f"{self._cfg.name}-{sub.kind}")

    async def cancel(self, sub: Subscription) -> None:
        """Stop one stream."""
        task = self._tasks.pop(sub, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def stop(self) -> None:
        """Stop every stream."""
        for sub in list(self._tasks):
            await self.cancel(sub)

    async def _run(self, sub: Subscription, handler: MarketDataHandler) -> None:
        cursor = _Cursor()
        failures = 0
        ws = self.uses_websocket(sub.kind)
        while True:
            try:
                if not ws and cursor.polls:
                    await asyncio.sleep(self._cfg.poll_interval_s)
                items = await self._next(sub, cursor, ws)
                cursor.polls += 1
                if failures:
                    self._set_health(True, f"{sub.kind} stream of {sub.instrument_id} resumed")
                    log.info("%s: %s stream resumed after %d failures", self._cfg.name,
                             sub.kind, failures)
                failures = 0
                for item in items:
                    self._deliver(handler, item)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a stream outlives any failure: it backs off and resubscribes
                failures += 1
                delay = min(self._cfg.reconnect_initial_s * 2 ** (failures - 1),
                            self._cfg.reconnect_max_s)
                self._set_health(False, f"{sub.kind} stream of {sub.instrument_id}: {exc}")
                log.warning("%s: %s stream failed (%s); retrying in %.2fs", self._cfg.name,
                            sub.kind, exc, delay)
                await asyncio.sleep(delay)

    async def _next(self, sub: Subscription, cursor: _Cursor, ws: bool) -> list[MarketData]:
        symbol = sub.instrument_id.symbol
        now = self._clock.now_ns()
        if sub.kind == "trades":
            since = None if cursor.last_ts_ms is None else cursor.last_ts_ms
            raw = (await self._ex.watch_trades(symbol) if ws
                   else await self._ex.fetch_trades(symbol, since))
            return _new_trades(raw, cursor, sub)
        if sub.kind == "bars":
            tf = sub.timeframe or "1m"
            raw = (await self._ex.watch_ohlcv(symbol, tf) if ws
                   else await self._ex.fetch_ohlcv(symbol, tf, cursor.last_ts_ms))
            return self._closed_bars(raw, cursor, sub, now)
        depth = sub.depth or None
        raw = (await self._ex.watch_order_book(symbol, depth) if ws
               else await self._ex.fetch_order_book(symbol, depth))
        return [translate.book(raw, sub.instrument_id, now)]

    def _closed_bars(self, rows: list[list[Any]], cursor: _Cursor, sub: Subscription,
                     now_ns: int) -> list[MarketData]:
        tf_ns = int(self._ex.parse_timeframe(sub.timeframe or "1m")) * 1_000_000_000
        out: list[MarketData] = []
        for row in sorted(rows, key=lambda r: int(r[0])):
            ts_ms = int(row[0])
            if cursor.last_ts_ms is not None and ts_ms <= cursor.last_ts_ms:
                continue
            bar = translate.bar(row, sub.instrument_id, tf_ns)
            if bar.ts_init > now_ns:
                break  # still forming: delivered once it closed
            out.append(bar)
            cursor.last_ts_ms = ts_ms
        return out


def _new_trades(raw: list[dict[str, Any]], cursor: _Cursor,
                sub: Subscription) -> list[MarketData]:
    out: list[MarketData] = []
    for trade in sorted(raw, key=lambda t: int(t.get("timestamp") or 0)):
        ts_ms = int(trade.get("timestamp") or 0)
        trade_id = str(trade.get("id") or f"{ts_ms}:{trade.get('price')}:{trade.get('amount')}")
        if cursor.last_ts_ms is not None and (
                ts_ms < cursor.last_ts_ms or (ts_ms == cursor.last_ts_ms
                                              and trade_id in cursor.seen_ids)):
            continue
        if ts_ms != cursor.last_ts_ms:
            cursor.seen_ids = set()
        cursor.last_ts_ms = ts_ms
        cursor.seen_ids.add(trade_id)
        out.append(translate.trade_tick(trade, sub.instrument_id))
    return out
