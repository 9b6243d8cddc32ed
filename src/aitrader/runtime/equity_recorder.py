"""Records the equity history of the running engine's accounts into the database."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId
from aitrader.engine.trading_engine import TradingEngine
from aitrader.storage.equity_history import EquityHistory, EquitySample

log = logging.getLogger("aitrader.system")


class EquityRecorder:
    """Samples each account's exact equity and cash on the engine thread: after a bar at most
    once per ``interval_s`` of wall time (all accounts at the engine clock's time, the same time
    the websocket's ``pnl`` messages carry), and after every fill (at the fill's time). Samples
    wait in memory and are written in one transaction when the next periodic sample is due, when
    ``max_pending`` are waiting, and at stop, so the bar and order paths never wait on the
    database. A failed write is logged and retried with the next one; beyond ``max_buffer``
    waiting samples the oldest are dropped."""

    def __init__(self, engine: TradingEngine, history: EquityHistory, interval_s: float,
                 max_pending: int = 1_000, max_buffer: int = 100_000,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if interval_s < 0:
            raise ValueError(f"interval_s must be >= 0, was {interval_s}")
        self._engine = engine
        self._history = history
        self._interval_s = interval_s
        self._max_pending = max_pending
        self._max_buffer = max_buffer
        self._monotonic = monotonic
        self._last_sample: float | None = None
        # (account, ts) → sample: a fill and a bar at the same time keep the later state
        self._pending: dict[tuple[str, int], EquitySample] = {}
        self._sampled_at: dict[str, int] = {}  # account → time of its latest sample
        self.written = 0
        engine.bus.subscribe(OrderFilled, self.on_fill)

    @property
    def pending(self) -> int:
        """Samples not yet written."""
        return len(self._pending)

    def on_fill(self, event: OrderFilled) -> None:
        """The portfolio booked the fill before the event was published: sample its account."""
        self._sample(event.account_id, event.ts_event)
        if len(self._pending) >= self._max_pending:
            self.flush()

    def after_bar(self) -> None:
        """Between bars: sample every account and write, if ``interval_s`` has passed."""
        now = self._monotonic()
        if self._last_sample is not None and now - self._last_sample < self._interval_s:
            if len(self._pending) >= self._max_pending:
                self.flush()
            return
        self._last_sample = now
        self.sample_all()
        self.flush()

    def sample_all(self) -> None:
        """Sample every account at the engine clock's time (unless sampled at it already:
        anything that changes an account between bars is a fill, sampled by itself)."""
        ts = self._engine.clock.now_ns()
        for account in self._engine.portfolio.accounts():
            if self._sampled_at.get(account.id) != ts:
                self._sample(account.id, ts)

    def close(self) -> None:
        """A last sample of every account, and write everything waiting."""
        self.sample_all()
        self.flush()

    def flush(self) -> int:
        """Write the waiting samples in one transaction; returns how many were written."""
        if not self._pending:
            return 0
        samples = list(self._pending.values())
        try:
            written = self._history.add(samples)
        except Exception as exc:  # the database being away must not stop trading
            log.warning("equity snapshots not written (%d waiting): %s", len(samples), exc)
            if len(self._pending) > self._max_buffer:
                for key in list(self._pending)[:len(self._pending) - self._max_buffer]:
                    del self._pending[key]
            return 0
        self._pending.clear()
        self.written += written
        return written

    def _sample(self, account_id: AccountId | str, ts_ns: int) -> None:
        pf = self._engine.portfolio
        account = pf.account(AccountId(account_id))
        key = (str(account_id), ts_ns)
        self._pending.pop(key, None)  # re-insert: the later state, in the order taken
        self._sampled_at[str(account_id)] = ts_ns
        self._pending[key] = EquitySample(str(account_id), ts_ns, pf.equity(account.id),
                                          account.cash(account.base_currency))
