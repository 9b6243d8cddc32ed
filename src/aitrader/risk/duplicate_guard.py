"""Duplicate-order guard: the same client order id twice, or the same order within N ms."""

from __future__ import annotations

from aitrader.core.commands import SubmitOrder

_MS = 1_000_000
_PRUNE_AT = 4096


class DuplicateGuard:
    """Remembers client order ids and each order's terms with the time they were last seen."""

    def __init__(self, window_ms: int) -> None:
        self._window_ns = window_ms * _MS
        self._ids: set[str] = set()
        self._last: dict[tuple[object, ...], int] = {}

    def reason(self, cmd: SubmitOrder, now_ns: int) -> str | None:
        """Why ``cmd`` is a duplicate, or None (then it is remembered)."""
        coid = cmd.client_order_id
        if coid in self._ids:
            return f"duplicate_order: client order id {coid} was already used"
        if self._window_ns:
            key = (cmd.account_id, cmd.strategy_id, cmd.instrument_id, cmd.side, cmd.order_type,
                   cmd.quantity, cmd.price, cmd.trigger_price)
            seen = self._last.get(key)
            if seen is not None and now_ns - seen < self._window_ns:
                ms = (now_ns - seen) / _MS
                return (f"duplicate_order: the same order was sent {ms:.0f} ms ago "
                        f"(window {self._window_ns // _MS} ms)")
            if len(self._last) >= _PRUNE_AT:
                cutoff = now_ns - self._window_ns
                self._last = {k: t for k, t in self._last.items() if t >= cutoff}
            self._last[key] = now_ns
        self._ids.add(coid)
        return None
