"""A read model of orders for the API: every order of the runtime as a snapshot in memory,
loaded from the journal at start and updated on the engine thread after each journaled event,
so listing orders costs no database round trip. When the journal holds more orders than the
view keeps, the view says so (``complete`` is False) and readers go to the database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from aitrader.core import events as ev
from aitrader.core.order import Order
from aitrader.runtime.service_ops import order_snapshot


class OrderView:
    """Order snapshots in creation order; thread-safe (written by the engine thread)."""

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._by_id: dict[str, dict[str, Any]] = {}
        self._json: dict[str, bytes] = {}  # encoded snapshots, dropped when the order changes
        self._order: list[str] = []  # client order ids, oldest first
        self._lock = threading.Lock()
        self.complete = True

    def load(self, rows: Iterable[dict[str, Any]], more_in_store: bool) -> None:
        """Orders from the journal, oldest first."""
        with self._lock:
            for row in rows:
                coid = row["client_order_id"]
                if coid not in self._by_id:
                    self._order.append(coid)
                self._by_id[coid] = row
            self.complete = not more_in_store

    def on_event(self, order: Order, event: ev.OrderEvent) -> None:
        """Called on the engine thread after the order manager applied and journaled it."""
        snap = order_snapshot(order)
        with self._lock:
            if snap["client_order_id"] not in self._by_id:
                self._order.append(snap["client_order_id"])
                if len(self._order) > self.capacity:
                    dropped = self._order.pop(0)
                    self._by_id.pop(dropped, None)
                    self._json.pop(dropped, None)
                    self.complete = False
            self._by_id[snap["client_order_id"]] = snap
            self._json.pop(snap["client_order_id"], None)

    def encoded(self, rows: list[dict[str, Any]], encode: Callable[[dict[str, Any]], bytes],
                ) -> list[bytes]:
        """Each row as JSON bytes from ``encode``, cached until its order changes (a page of
        orders is then a join of cached fragments)."""
        out = []
        with self._lock:
            for row in rows:
                coid = row["client_order_id"]
                data = self._json.get(coid)
                if data is None:
                    data = encode(row)
                    if self._by_id.get(coid) is row:  # still the current snapshot
                        self._json[coid] = data
                out.append(data)
        return out

    def get(self, client_order_id: str) -> dict[str, Any] | None:
        """One snapshot."""
        with self._lock:
            return self._by_id.get(client_order_id)

    def list(self, *, status: list[str] | None = None, account_id: str | None = None,
             strategy_id: str | None = None, instrument_id: str | None = None,
             side: str | None = None, since_ns: int | None = None,
             until_ns: int | None = None, limit: int = 100, offset: int = 0,
             ) -> tuple[list[dict[str, Any]], bool]:
        """Newest first, the same filters and paging as the database query."""
        wanted = None if not status else frozenset(status)
        out: list[dict[str, Any]] = []
        skipped = 0
        with self._lock:
            for coid in reversed(self._order):
                o = self._by_id[coid]
                if (wanted is not None and o["status"] not in wanted) or \
                        (account_id is not None and o["account_id"] != account_id) or \
                        (strategy_id is not None and o["strategy_id"] != strategy_id) or \
                        (instrument_id is not None and o["instrument_id"] != instrument_id) or \
                        (side is not None and o["side"] != side) or \
                        (since_ns is not None and o["ts_init"] < since_ns) or \
                        (until_ns is not None and o["ts_init"] >= until_ns):
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                if len(out) == limit:
                    return out, True
                out.append(o)
        return out, False

    def __len__(self) -> int:
        with self._lock:
            return len(self._order)
