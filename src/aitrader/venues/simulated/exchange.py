"""The simulated exchange: the venue of every backtest and the broker of every paper account."""

from __future__ import annotations

import logging
from collections.abc import Sequence, Sized
from decimal import Decimal
from operator import attrgetter
from typing import Final

from aitrader.core import enums as en
from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderType, TimeInForce
from aitrader.core.ids import InstrumentId, TradeId, VenueOrderId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar, OrderBookDeltas, OrderBookSnapshot, TradeTick
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.order_book import OrderBook
from aitrader.core.ports import Clock, VenueCapabilities, VenueEventHandler
from aitrader.portfolio.portfolio import Portfolio
from aitrader.venues.simulated import bar_path
from aitrader.venues.simulated.account_views import SimulatedAccountViews
from aitrader.venues.simulated.book_matching import take_liquidity, walk_book
from aitrader.venues.simulated.fill_models import FeeModel, NoSlippage, SlippageModel
from aitrader.venues.simulated.funds import FundsCheck
from aitrader.venues.simulated.order_rules import check_order_rules
from aitrader.venues.simulated.working_order import WorkingOrder

log = logging.getLogger("aitrader.trading")
_QUICK: Final = (en.IOC, en.FOK)
_NOTHING: tuple[()] = ()
_by_seq = attrgetter("seq")  # working orders in arrival order

SIM_CAPABILITIES = VenueCapabilities(
    order_types=frozenset(OrderType), time_in_force=frozenset(TimeInForce),
    reduce_only=True, post_only=True, oco=True, modify=True,
)


class SimulatedExchange(SimulatedAccountViews):
    """Matches orders on bars (documented path), trade ticks and L2 books; fees and slippage."""

    capabilities = SIM_CAPABILITIES

    def __init__(
        self,
        name: str,
        instruments: Sequence[Instrument],
        clock: Clock,
        portfolio: Portfolio,
        fees: FeeModel | None = None,
        slippage: SlippageModel | None = None,
        check_funds: bool = True,
        session: str = "",
    ) -> None:
        # ids are "<name>-<n>"; a paper runtime adds a session so ids never repeat across restarts
        self.name = name
        self._id_prefix = f"{name}-{session}-" if session else f"{name}-"
        self._instruments = {i.id: i for i in instruments}
        self._clock = clock
        self._portfolio = portfolio
        self._fees = fees or FeeModel()
        self._slippage = slippage or NoSlippage()
        self._funds = FundsCheck(portfolio) if check_funds else None
        # events go straight to the engine's handler once bound (no hop per event)
        self._emit: VenueEventHandler = self._unbound
        # one dict per instrument for the exchange's lifetime: pending_for() hands out live views
        self._working: dict[InstrumentId, dict[str, WorkingOrder]] = {
            i.id: {} for i in instruments}
        self._books: dict[InstrumentId, OrderBook] = {}
        # the last price is the portfolio's mark (set by the engine, or by this venue's on_*)
        self._marks = portfolio.mark_store()
        self._seq = 0
        self._trade_seq = 0
        self._book_busy: set[InstrumentId] = set()  # a book pass is running (no re-entry)
        self._book_again: set[InstrumentId] = set()  # orders arrived during it: pass again

    # --- Venue port -----------------------------------------------------------------------------
    def bind(self, handler: VenueEventHandler) -> None:
        """Set the engine's event callback."""
        self._emit = handler

    def instruments(self) -> Sequence[Instrument]:
        """Instruments this venue trades."""
        return list(self._instruments.values())

    def pending_for(self, instrument_id: InstrumentId) -> Sized:
        """A live view of the orders working on an instrument (see the Venue port)."""
        return self._working.get(instrument_id, _NOTHING)

    def submit_order(self, order: Order) -> None:
        """Accept or reject at once; fills come with later market data."""
        now = self._clock.now_ns()
        inst = self._instruments.get(order.instrument_id)
        if inst is None:
            self._emit(ev.OrderRejected(order.client_order_id, now,
                                        f"unknown instrument {order.instrument_id}"))
            return
        last = self._marks.get(inst.id)
        # the last price on the tick grid values a priceless order for the minimum notional
        last_px = None
        if last is not None and inst.min_notional and order.price is None \
                and order.trigger_price is None:
            last_px = inst.make_price(last)
        reason = check_order_rules(order, inst, last_px)
        reason = reason or self._refusal(order, inst, last)
        if reason is not None:
            self._emit(ev.OrderRejected(order.client_order_id, now, reason))
            return
        self._seq += 1
        vid = f"{self._id_prefix}{self._seq}"
        work = WorkingOrder(order, self._seq, vid, now, self._is_marketable(order, last), last)
        self._working[inst.id][order.client_order_id] = work
        self._emit(ev.OrderAccepted(order.client_order_id, now, VenueOrderId(vid)))
        book = self._books.get(inst.id)
        if book is not None and order.order_type in (en.MARKET, en.LIMIT):
            self._match_book(inst, book)

    def cancel_order(self, order: Order) -> None:
        """Cancel a working order, or refuse if it is no longer working."""
        now = self._clock.now_ns()
        work = self._working.get(order.instrument_id, {}).pop(order.client_order_id, None)
        if work is None:
            self._emit(ev.OrderCancelRejected(order.client_order_id, now, "order is not working"))
            return
        self._emit(ev.OrderCanceled(order.client_order_id, now, "canceled by request"))

    def modify_order(
        self, order: Order, quantity: Decimal, price: Decimal | None, trigger: Decimal | None
    ) -> None:
        """Apply new terms (checked like a new order) or refuse."""
        now = self._clock.now_ns()
        inst = self._instruments[order.instrument_id]
        work = self._working.get(order.instrument_id, {}).get(order.client_order_id)
        if work is None:
            self._emit(ev.OrderModifyRejected(order.client_order_id, now, "order is not working"))
            return
        bad = [f"{name} {v} is not on the tick grid {inst.tick_size}"
               for name, v in (("price", price), ("trigger", trigger))
               if v is not None and not inst.is_on_tick(v)]
        if not inst.is_on_lot(quantity):
            bad.append(f"quantity {quantity} is not a multiple of the lot {inst.lot_size}")
        if bad:
            self._emit(ev.OrderModifyRejected(order.client_order_id, now, "; ".join(bad)))
            return
        work.eligible_from_ns = now  # a changed order queues again
        self._emit(ev.OrderUpdated(order.client_order_id, now, quantity, price, trigger))
        # a new price may cross the market: then it takes liquidity like a new order
        work.aggressive = self._is_marketable(order, self._marks.get(inst.id))
        book = self._books.get(inst.id)
        if book is not None and order.order_type is en.LIMIT:
            self._match_book(inst, book)

    # --- market data ----------------------------------------------------------------------------
    def on_bar(self, bar: Bar) -> None:
        """Match working orders accepted by the bar's open along the bar's path.

        An order whose time in force ran out by the bar's open expires before the bar; one that
        runs out by the bar's close expires after it.
        """
        iid = bar.instrument_id
        working = self._working.get(iid)
        if working:
            inst = self._instruments[iid]
            self._expire(inst, working, bar.ts_event)
            path = bar_path.path_points(bar.open, bar.high, bar.low, bar.close)
            self._match_path(inst, path, bar.ts_event, bar.ts_init, working, through=False)
            self._expire(inst, working, bar.ts_init)
        self._marks[iid] = bar.close

    def on_trade(self, tick: TradeTick) -> None:
        """Match working orders against a printed trade.

        A resting limit needs a trade through its price and then fills at its own price (the
        aggressor reached it on the way); a marketable one takes the printed price.
        """
        iid = tick.instrument_id
        working = self._working.get(iid)
        if working:
            inst = self._instruments[iid]
            self._expire(inst, working, tick.ts_event)
            self._match_path(inst, (tick.price,), tick.ts_event, tick.ts_event, working,
                             through=True)
        self._marks[iid] = tick.price

    def on_book(self, book: OrderBookSnapshot | OrderBookDeltas) -> None:
        """Keep a copy of the book and match market and limit orders against it."""
        iid = book.instrument_id
        local = self._books.get(iid)
        if local is None:
            local = self._books[iid] = OrderBook(iid)
        if isinstance(book, OrderBookSnapshot):
            local.apply_snapshot(book)
        else:
            local.apply_deltas(book)
        mid = local.mid()
        if mid is not None:
            self._marks[iid] = mid
        working = self._working.get(iid)
        if working:
            inst = self._instruments[iid]
            self._expire(inst, working, book.ts_event)
            self._match_book(inst, local)

    # --- matching -------------------------------------------------------------------------------
    def _match_path(self, inst: Instrument, path: tuple[float, ...], start_ns: int, end_ns: int,
                    working: dict[str, WorkingOrder], through: bool) -> None:
        """Fill in path order; fills at the first point are stamped ``start_ns``, others ``end_ns``.
        """
        hits: list[tuple[int, int, WorkingOrder, Decimal, LiquiditySide]] = []
        works = list(working.values())
        if len(works) > 1:
            works.sort(key=_by_seq)
        for work in works:
            if work.eligible_from_ns > start_ns:
                continue
            quick = work.order.time_in_force in _QUICK
            hit = self._path_fill(inst, work, path[:1] if quick else path, through)
            if hit is None:
                if quick:
                    self._remove(inst, work, "IOC/FOK found no price", expired=True)
                continue
            hits.append((hit[0], work.seq, work, hit[1], hit[2]))
        if len(hits) > 1:
            hits.sort(key=lambda h: (h[0], h[1]))
        for at, _, work, price, liq in hits:
            if work.order.client_order_id in working:  # an earlier fill may have cancelled it
                self._fill(inst, work, work.leaves, price, liq, start_ns if at == 0 else end_ns)

    def _path_fill(self, inst: Instrument, work: WorkingOrder, path: tuple[float, ...],
                   through: bool) -> tuple[int, Decimal, LiquiditySide] | None:
        """(index of the path point, fill price, liquidity) of one order, or None."""
        order = work.order
        is_buy = order.side is en.BUY
        kind = order.order_type
        if kind is en.MARKET:
            return 0, self._slippage.apply(inst, order.side, path[0]), en.TAKER
        if kind is en.TRAILING_STOP:
            assert order.trailing_offset is not None  # noqa: S101 - validated on submit
            extreme = path[0] if work.extreme is None else work.extreme
            hit, work.extreme = bar_path.trail_stop(path, is_buy, float(order.trailing_offset),
                                                    extreme)
            if hit is None:
                return None
            return hit[0], self._slippage.apply(inst, order.side, hit[1]), en.TAKER
        at, rest, resting = 0, path, not work.aggressive
        if kind in (en.STOP, en.STOP_LIMIT) and not work.triggered:
            assert order.trigger_price is not None  # noqa: S101 - validated on submit
            touched = bar_path.touch_stop(path, is_buy, float(order.trigger_price))
            if touched is None:
                return None
            at, trigger_px = touched
            if kind is en.STOP:
                return at, self._slippage.apply(inst, order.side, trigger_px), en.TAKER
            work.triggered = True
            self._emit(ev.OrderTriggered(order.client_order_id, self._clock.now_ns()))
            rest = (trigger_px, *path[at + 1:])
            resting = False  # at its trigger the limit meets the market like a new order
        assert order.price is not None  # noqa: S101 - limit and stop-limit carry a price
        limit = float(order.price)
        if through and resting and ((rest[0] >= limit) if is_buy else (rest[0] <= limit)):
            return None  # a trade at our price does not prove our queue place filled
        touched = bar_path.touch_limit(rest, is_buy, limit)
        if touched is None:
            return None
        j, px = touched
        # taker only when it meets the market on arrival; a limit reached later was resting
        liq = en.TAKER if j == 0 and not resting else en.MAKER
        fill_px = order.price if px == limit or (through and resting) else inst.make_price(px)
        return at + j, fill_px, liq

    def _match_book(self, inst: Instrument, book: OrderBook) -> None:
        """Run book passes until no order arrived during one (fills may submit children)."""
        if inst.id in self._book_busy:
            self._book_again.add(inst.id)
            return
        self._book_busy.add(inst.id)
        try:
            again = True
            while again:
                self._book_again.discard(inst.id)
                self._book_pass(inst, book)
                again = inst.id in self._book_again
        finally:
            self._book_busy.discard(inst.id)

    def _book_pass(self, inst: Instrument, book: OrderBook) -> None:
        working = self._working.get(inst.id, {})
        for work in sorted(working.values(), key=lambda w: w.seq):
            order = work.order
            cid = order.client_order_id
            if order.order_type not in (en.MARKET, en.LIMIT) or cid not in working:
                continue
            limit = None if order.price is None else float(order.price)
            fills = walk_book(book.levels_for(order.side), work.leaves, limit,
                              order.side is en.BUY, inst.make_qty)
            tif = order.time_in_force
            if tif is en.FOK and sum(q for _, q in fills) < work.leaves:
                self._remove(inst, work, "FOK could not fill completely", expired=True)
                continue
            resting = limit is not None and not work.aggressive
            for px, qty in fills:
                if cid not in working:
                    break
                price = order.price if resting and order.price is not None else \
                    inst.make_price(px)
                self._fill(inst, work, min(qty, work.leaves), price,
                           en.MAKER if resting else en.TAKER, book_px=px)
            if cid not in working:
                continue
            if tif in _QUICK:
                self._remove(inst, work, "IOC remainder", expired=True)
            elif order.order_type is en.MARKET:
                self._remove(inst, work, "book exhausted for the market order", expired=False)
            else:
                work.aggressive = False  # what is left rests on the book

    def _fill(self, inst: Instrument, work: WorkingOrder, qty: Decimal, price: Decimal,
              liq: LiquiditySide, ts_ns: int | None = None, book_px: float | None = None) -> None:
        order = work.order
        if order.reduce_only:
            held = self._portfolio.net_quantity(order.account_id, order.instrument_id)
            reducible = held if order.side is en.SELL else -held  # > 0 when it reduces
            if reducible <= ZERO:
                self._remove(inst, work, "reduce-only order has no position to reduce", False)
                return
            if reducible < qty:
                if order.time_in_force is en.FOK:
                    self._remove(inst, work, "FOK could not fill completely", expired=True)
                    return
                qty = reducible
        self._trade_seq += 1
        fee = self._fees.commission(inst, qty, price, liq)
        done = qty >= work.leaves
        if done:
            self._working[inst.id].pop(order.client_order_id, None)
        if book_px is not None:
            take_liquidity(self._books[inst.id], order.side, book_px, qty)
        self._emit(ev.OrderFilled(
            order.client_order_id, self._clock.now_ns() if ts_ns is None else ts_ns,
            VenueOrderId(work.venue_order_id),
            TradeId(f"{self._id_prefix}T{self._trade_seq}"), order.account_id, order.strategy_id,
            order.instrument_id, order.side, qty, price, fee, inst.quote_currency, liq,
        ))
        if not done and order.reduce_only and order.time_in_force is not en.GTC:
            self._remove(inst, work, "reduce-only remainder", expired=True)

    def _expire(self, inst: Instrument, working: dict[str, WorkingOrder], now_ns: int) -> None:
        for work in [w for w in working.values() if w.deadline_ns and now_ns >= w.deadline_ns]:
            self._remove(inst, work, "time in force ran out", expired=True)

    def _remove(self, inst: Instrument, work: WorkingOrder, reason: str, expired: bool) -> None:
        self._working[inst.id].pop(work.order.client_order_id, None)
        now = self._clock.now_ns()
        cid = work.order.client_order_id
        self._emit(ev.OrderExpired(cid, now) if expired else ev.OrderCanceled(cid, now, reason))

    # --- checks ---------------------------------------------------------------------------------
    def _refusal(self, order: Order, inst: Instrument, last: float | None) -> str | None:
        if order.post_only and self._is_marketable(order, last):
            return (f"post-only limit {order.price} would take liquidity "
                    f"(market {last if last is None else inst.make_price(last)})")
        if order.reduce_only:
            held = self._portfolio.net_quantity(order.account_id, inst.id)
            if held == ZERO or (held > ZERO) == (order.side is en.BUY):
                return f"reduce-only {order.side.value} would not reduce the position {held}"
        if self._funds is None:
            return None
        return self._funds.refusal(order, inst, last, self._fees.taker,
                                   self._working.get(inst.id) or {})

    def _is_marketable(self, order: Order, last: float | None) -> bool:
        if order.order_type is en.MARKET:
            return True
        if order.order_type is not en.LIMIT or order.price is None:
            return False
        book = self._books.get(order.instrument_id)
        if book is not None:
            best = book.best_ask() if order.side is en.BUY else book.best_bid()
            last = best if best is not None else last
        if last is None:
            return False
        price = float(order.price)
        return price >= last if order.side is en.BUY else price <= last

    def _unbound(self, event: ev.OrderEvent) -> None:
        raise RuntimeError(f"venue {self.name} is not bound to an engine")
