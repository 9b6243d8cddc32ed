"""Orders at a ccxt exchange, on the venue's loop thread: send (idempotent by client order id),
cancel, amend, poll their state, and turn what the exchange reports into order events."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import ccxt

from aitrader.core import events as ev
from aitrader.core.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from aitrader.core.money import ZERO
from aitrader.core.ports import Clock, FillReport, OrderReport
from aitrader.venues.ccxt import translate
from aitrader.venues.ccxt.client_ids import venue_client_id
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.error_mapping import is_ambiguous
from aitrader.venues.ccxt.error_mapping import translate as translate_error
from aitrader.venues.ccxt.order_tracker import TrackedOrder

log = logging.getLogger("aitrader.trading")
Emit = Callable[[ev.OrderEvent, Decimal | None], None]
SetHealth = Callable[[bool, str], None]
_CCXT_TYPE = {OrderType.MARKET: "market", OrderType.LIMIT: "limit", OrderType.STOP: "market",
              OrderType.STOP_LIMIT: "limit"}
_RETRYABLE = (ccxt.RateLimitExceeded, ccxt.DDoSProtection)


@dataclass(frozen=True, slots=True)
class OrderSpec:
    """An order's terms copied on the engine's thread (the Order itself stays there)."""

    client_order_id: ClientOrderId
    account_id: AccountId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    price: Decimal | None
    trigger_price: Decimal | None
    time_in_force: TimeInForce
    post_only: bool
    reduce_only: bool


class OrderFlow:
    """Owns the exchange-side record of our orders; runs only on the venue's loop thread."""

    def __init__(self, exchange: Any, config: CcxtVenueConfig, clock: Clock, emit: Emit,
                 set_health: SetHealth) -> None:
        self._ex = exchange
        self._cfg = config
        self._venue = config.name
        self._clock = clock
        self._emit = emit
        self._set_health = set_health
        self._tracked: dict[ClientOrderId, TrackedOrder] = {}
        self._last_raw: dict[ClientOrderId, dict[str, Any]] = {}
        self._in_doubt: dict[ClientOrderId, OrderSpec] = {}
        self._levels: dict[ClientOrderId, Decimal] = {}
        self._levels_lock = threading.Lock()
        self._stopping = asyncio.Event()

    # --- cumulative fill levels (read from the engine's thread) ----------------------------------
    def claim_level(self, client_order_id: ClientOrderId, level: Decimal) -> bool:
        """True if no fill up to ``level`` was delivered yet; records it."""
        with self._levels_lock:
            if level <= self._levels.get(client_order_id, ZERO):
                return False
            self._levels[client_order_id] = level
            return True

    # --- submit ---------------------------------------------------------------------------------
    async def submit(self, spec: OrderSpec) -> None:
        """Send; on a timeout or dropped link look the order up by client id before resending."""
        vcid = venue_client_id(self._cfg.exchange, spec.client_order_id)
        tracked = _tracked(spec, vcid)
        self._tracked[spec.client_order_id] = tracked
        await self._send(spec, tracked)

    async def _send(self, spec: OrderSpec, tracked: TrackedOrder, resend: bool = False) -> None:
        symbol = spec.instrument_id.symbol
        attempt = 1 if resend else 0  # a resend never trusts that the first try failed
        while True:
            try:
                raw = await self._ex.create_order(
                    symbol, _CCXT_TYPE[spec.order_type], spec.side.value.lower(),
                    float(spec.quantity), None if spec.price is None else float(spec.price),
                    self._params(spec, tracked.venue_client_id))
            except Exception as exc:  # every failure is translated below
                ambiguous = is_ambiguous(exc)
                if ambiguous or attempt > 0:  # it may be there: never send it twice
                    found = await self._find_quietly(symbol, tracked.venue_client_id)
                    if found is not None:
                        self._accepted(tracked, found)
                        return
                if not (ambiguous or isinstance(exc, _RETRYABLE)):
                    self._reject(tracked, translate_error(exc, self._cfg.exchange,
                                                          f"placing {spec.client_order_id}"))
                    return
                self._set_health(False, f"order {spec.client_order_id} in doubt: {exc}")
                if attempt >= self._cfg.submit_retries:
                    log.warning("%s: order %s in doubt after %d tries; the poller resolves it",
                                self._venue, spec.client_order_id, attempt + 1)
                    self._in_doubt[spec.client_order_id] = spec
                    return
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            self._set_health(True, "order accepted")
            self._accepted(tracked, raw)
            return

    def _params(self, spec: OrderSpec, vcid: str) -> dict[str, Any]:
        params: dict[str, Any] = {"clientOrderId": vcid}
        if spec.time_in_force is not TimeInForce.GTC:
            params["timeInForce"] = spec.time_in_force.value
        if spec.post_only:
            params["postOnly"] = True
        if spec.reduce_only:
            params["reduceOnly"] = True
        if spec.trigger_price is not None:
            params["triggerPrice"] = float(spec.trigger_price)
        return params

    def _accepted(self, tracked: TrackedOrder, raw: dict[str, Any]) -> None:
        tracked.venue_order_id = str(raw["id"])
        self._emit(ev.OrderAccepted(tracked.client_order_id, self._clock.now_ns(),
                                    VenueOrderId(tracked.venue_order_id)), None)
        if raw.get("symbol") and (raw.get("filled") or raw.get("status")):
            self._apply(tracked, raw)

    def _reject(self, tracked: TrackedOrder, error: Exception) -> None:
        self._tracked.pop(tracked.client_order_id, None)
        self._emit(ev.OrderRejected(tracked.client_order_id, self._clock.now_ns(), str(error)),
                   None)

    # --- cancel / modify ------------------------------------------------------------------------
    async def cancel(self, client_order_id: ClientOrderId) -> None:
        """Cancel at the exchange, then read the order back to learn its final fills."""
        tracked = self._tracked.get(client_order_id)
        now = self._clock.now_ns
        if tracked is None or tracked.venue_order_id is None:
            self._emit(ev.OrderCancelRejected(client_order_id, now(),
                                              "the exchange has not acknowledged the order"), None)
            return
        symbol = tracked.instrument_id.symbol
        try:
            await self._ex.cancel_order(tracked.venue_order_id, symbol)
        except ccxt.OrderNotFound:
            pass  # filled or gone already: the read-back below says which
        except Exception as exc:  # translated into the refusal's reason
            self._emit(ev.OrderCancelRejected(client_order_id, now(), str(translate_error(
                exc, self._cfg.exchange, f"cancelling {client_order_id}"))), None)
            return
        raw = await self._fetch_quietly(tracked)
        if raw is None:
            return  # the poller reads it back later
        if not self._apply(tracked, raw) and translate.order_status(raw).is_open:
            return  # cancellation still pending at the exchange; the poller will see it
        if not tracked.closed:
            self._emit(ev.OrderCancelRejected(client_order_id, now(), "order is not open"), None)

    async def modify(self, client_order_id: ClientOrderId, quantity: Decimal,
                     price: Decimal | None, trigger: Decimal | None) -> None:
        """Amend in place (``edit_order``); refusals come back as OrderModifyRejected."""
        tracked = self._tracked.get(client_order_id)
        now = self._clock.now_ns
        if tracked is None or tracked.venue_order_id is None:
            self._emit(ev.OrderModifyRejected(client_order_id, now(),
                                              "the exchange has not acknowledged the order"), None)
            return
        raw_last = self._last_raw.get(client_order_id, {})
        kind = str(raw_last.get("type") or ("limit" if price is not None else "market"))
        params = {} if trigger is None else {"triggerPrice": float(trigger)}
        try:
            raw = await self._ex.edit_order(
                tracked.venue_order_id, tracked.instrument_id.symbol, kind,
                tracked.side.value.lower(), float(quantity),
                None if price is None else float(price), params)
        except Exception as exc:  # translated into the refusal's reason
            self._emit(ev.OrderModifyRejected(client_order_id, now(), str(translate_error(
                exc, self._cfg.exchange, f"amending {client_order_id}"))), None)
            return
        if raw.get("id"):
            tracked.venue_order_id = str(raw["id"])
        tracked.quantity = quantity
        self._emit(ev.OrderUpdated(client_order_id, now(), quantity, price, trigger), None)

    # --- polling --------------------------------------------------------------------------------
    async def run_poller(self) -> None:
        """Read every open order back every ``poll_interval_s``; back off while unreachable."""
        failures = 0
        while not self._stopping.is_set():
            delay = self._cfg.poll_interval_s if failures == 0 else self._backoff(failures)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                return
            except TimeoutError:
                pass
            try:
                await self.poll_once()
                if failures:
                    self._set_health(True, "order polling recovered")
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the poller must outlive any failure; it backs off
                failures += 1
                self._set_health(False, f"order polling failed: {exc}")
                log.warning("%s: order polling failed (%s): %s", self._venue,
                            type(exc).__name__, exc)

    async def poll_once(self) -> None:
        """Resolve orders in doubt, then read back every tracked open order once."""
        for cid, spec in list(self._in_doubt.items()):
            tracked = self._tracked[cid]
            del self._in_doubt[cid]
            found = await self._find_quietly(spec.instrument_id.symbol, tracked.venue_client_id)
            if found is not None:
                self._accepted(tracked, found)
            else:
                await self._send(spec, tracked, resend=True)
        live = [t for t in self._tracked.values() if t.venue_order_id and not t.closed]
        symbols = sorted({t.instrument_id.symbol for t in live})
        if len(live) > len(symbols) and self._ex.has.get("fetchOpenOrders"):
            # one open-orders read per symbol instead of one read per order (rate limits);
            # orders no longer open are read back one by one to learn how they ended
            still_open: dict[str, dict[str, Any]] = {}
            for symbol in symbols:
                still_open.update({str(o["id"]): o for o in
                                   await self._ex.fetch_open_orders(symbol)})
            for tracked in live:
                raw = still_open.get(str(tracked.venue_order_id))
                if raw is None:
                    raw = await self._ex.fetch_order(tracked.venue_order_id,
                                                     tracked.instrument_id.symbol)
                self._apply(tracked, raw)
            return
        for tracked in live:
            raw = await self._ex.fetch_order(tracked.venue_order_id, tracked.instrument_id.symbol)
            self._apply(tracked, raw)

    def _apply(self, tracked: TrackedOrder, raw: dict[str, Any]) -> bool:
        """Emit the fill and terminal event a report implies; True when the order closed."""
        cid = tracked.client_order_id
        self._last_raw[cid] = raw
        report = translate.order_report(raw, self._venue, cid)
        fee = raw.get("fee") or {}
        fill = tracked.step(report, translate.dec(fee.get("cost")), str(fee.get("currency") or ""),
                            self._clock.now_ns())
        if fill is not None:
            self._emit(_fill_event(fill, tracked), tracked.filled)
        if not tracked.close_if_final(report.status):
            return False
        now = self._clock.now_ns()
        status = report.status
        if status is OrderStatus.FILLED and tracked.filled < tracked.quantity:
            status = OrderStatus.CANCELED  # closed with a remainder (IOC, exchange cancel)
        if status is OrderStatus.CANCELED:
            self._emit(ev.OrderCanceled(cid, now, "canceled at the exchange"), None)
        elif status is OrderStatus.EXPIRED:
            self._emit(ev.OrderExpired(cid, now), None)
        elif status is OrderStatus.REJECTED:
            self._emit(ev.OrderRejected(cid, now, "rejected by the exchange"), None)
        self._tracked.pop(cid, None)
        return True

    # --- reconciliation reads -------------------------------------------------------------------
    async def report_for(self, spec: OrderSpec, venue_order_id: str | None, filled: Decimal,
                         avg_px: Decimal | None, fee: Decimal) -> OrderReport | None:
        """Find one of our orders (by venue id, else by client id) and track it if open."""
        cid = spec.client_order_id
        tracked = self._tracked.get(cid)
        if tracked is None:
            tracked = _tracked(spec, venue_client_id(self._cfg.exchange, cid))
            tracked.venue_order_id = venue_order_id
            tracked.seed(filled, avg_px, fee)
            self.claim_level(cid, filled)
        symbol = spec.instrument_id.symbol
        if tracked.venue_order_id is not None:
            try:
                raw = await self._ex.fetch_order(tracked.venue_order_id, symbol)
            except ccxt.OrderNotFound:
                return None
        else:
            raw = await self._find(symbol, tracked.venue_client_id)
            if raw is None:
                return None
            tracked.venue_order_id = str(raw["id"])
            self._in_doubt.pop(cid, None)  # the caller accepts it from this report
        self._tracked[cid] = tracked
        self._last_raw[cid] = raw
        return translate.order_report(raw, self._venue, cid)

    async def open_order_reports(self) -> list[OrderReport]:
        """Open orders at the exchange; client ids mapped back to ours where we know them."""
        ours = {t.venue_client_id: cid for cid, t in self._tracked.items()}
        raws = await self._ex.fetch_open_orders()
        out = []
        for raw in raws:
            vcid = raw.get("clientOrderId")
            out.append(translate.order_report(raw, self._venue, ours.get(str(vcid), vcid)))
        return out

    async def stop(self) -> None:
        """Stop the poller."""
        self._stopping.set()

    def rebind(self, exchange: Any) -> None:
        """Use a new ccxt client (after a disconnect); the order records stay."""
        self._ex = exchange

    def rearm(self) -> None:
        """Allow a poller to run again (a connect after a disconnect)."""
        self._stopping = asyncio.Event()

    # --- internals ------------------------------------------------------------------------------
    async def _find(self, symbol: str, vcid: str) -> dict[str, Any] | None:
        lookups = [self._ex.fetch_open_orders]
        if self._ex.has.get("fetchClosedOrders"):
            lookups.append(self._ex.fetch_closed_orders)
        for lookup in lookups:
            for raw in await lookup(symbol):
                if str(raw.get("clientOrderId")) == vcid:
                    return dict(raw)
        return None

    async def _find_quietly(self, symbol: str, vcid: str) -> dict[str, Any] | None:
        try:
            return await self._find(symbol, vcid)
        except Exception as exc:  # still unreachable: the caller retries
            log.info("%s: lookup of client id %s failed: %s", self._venue, vcid, exc)
            return None

    async def _fetch_quietly(self, tracked: TrackedOrder) -> dict[str, Any] | None:
        assert tracked.venue_order_id is not None  # noqa: S101 - callers checked
        try:
            raw: dict[str, Any] = await self._ex.fetch_order(tracked.venue_order_id,
                                                             tracked.instrument_id.symbol)
        except Exception as exc:  # the poller reads it back later
            log.info("%s: read-back of %s failed: %s", self._venue, tracked.client_order_id, exc)
            return None
        return raw

    def _backoff(self, attempt: int) -> float:
        return float(min(self._cfg.reconnect_initial_s * 2 ** (attempt - 1),
                         self._cfg.reconnect_max_s))


def _fill_event(fill: FillReport, tracked: TrackedOrder) -> ev.OrderFilled:
    return ev.OrderFilled(
        tracked.client_order_id, fill.ts_ns, VenueOrderId(fill.venue_order_id),
        TradeId(fill.trade_id), tracked.account_id, tracked.strategy_id, fill.instrument_id,
        fill.side, fill.quantity, fill.price, fill.commission, fill.commission_currency,
        fill.liquidity_side)


def _tracked(spec: OrderSpec, vcid: str) -> TrackedOrder:
    return TrackedOrder(spec.client_order_id, vcid, spec.instrument_id, spec.side, spec.quantity,
                        spec.account_id, spec.strategy_id)
