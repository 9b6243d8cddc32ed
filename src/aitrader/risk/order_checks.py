"""The per-order limits: notional, collars, open orders, position size, exposure, risk to stop,
portfolio open risk and correlation. Each denial starts with the rule's name."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import (
    BUY,
    LIMIT,
    SELL,
    STOP,
    STOP_LIMIT,
    TRAILING_STOP,
)
from aitrader.core.ids import InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.config import RiskConfig, StrategyLimits
from aitrader.risk.market_state import MarketState

_COLLARED = frozenset({LIMIT, STOP_LIMIT})
_STOPS = frozenset({STOP, STOP_LIMIT, TRAILING_STOP})
_NO_LIMITS = StrategyLimits()


class _Working:
    """One pass over the working orders: counts (reduce-only orders aside), same-instrument
    entry quantities, open risk."""

    __slots__ = ("_cache", "_orders", "_pf", "account_orders", "buys", "entering", "reducing_buys",
                 "reducing_sells", "sells", "strategy_orders")

    def __init__(self, cmd: SubmitOrder, orders: Sequence[Order], pf: Portfolio,
                 cache: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]) -> None:
        self._cache = cache
        self.account_orders = 0
        self.strategy_orders = 0
        self.buys = ZERO  # working entry quantity on the order's instrument, by side
        self.sells = ZERO
        self.entering: set[InstrumentId] = set()  # instruments with working entries
        self.reducing_buys = ZERO  # reduce-only working quantity on the instrument, by side
        self.reducing_sells = ZERO
        acc, sid, iid = cmd.account_id, cmd.strategy_id, cmd.instrument_id
        mine = [o for o in orders if o.account_id == acc]
        self._orders = mine
        self._pf = pf
        buy = BUY
        for o in mine:
            if o.reduce_only:  # protective and closing orders: not counted against the caps
                if o.instrument_id == iid:
                    if o.side is buy:
                        self.reducing_buys += o.quantity - o.filled_qty
                    else:
                        self.reducing_sells += o.quantity - o.filled_qty
                continue
            self.account_orders += 1
            self.entering.add(o.instrument_id)
            if o.strategy_id == sid:
                self.strategy_orders += 1
            if o.instrument_id == iid:
                if o.side is buy:
                    self.buys += o.quantity - o.filled_qty
                else:
                    self.sells += o.quantity - o.filled_qty

    def open_risk(self) -> Decimal:
        """Loss if every working entry and every position hit its stop (computed on demand)."""
        pf = self._pf
        cache = self._cache
        total = ZERO
        for o in self._orders:
            if o.reduce_only:
                if o.order_type in _STOPS:
                    total += _stop_risk(o, o.quantity - o.filled_qty, pf)
            elif o.stop_loss is not None:
                if o.price is not None:  # a priced entry's risk changes only with its terms
                    hit = cache.get(o.client_order_id)
                    if hit is not None and hit[0] == o.filled_qty and hit[1] == o.quantity \
                            and hit[2] == o.price:
                        total += hit[3]
                        continue
                ref = o.price or o.trigger_price or pf.mark_decimal(o.instrument_id)
                inst = pf.instrument(o.instrument_id)
                if ref is not None and inst is not None:
                    risk = (o.quantity - o.filled_qty) * abs(ref - o.stop_loss) * inst.multiplier
                    if o.price is not None:
                        if len(cache) > 10_000:
                            cache.clear()
                        cache[o.client_order_id] = (o.filled_qty, o.quantity, o.price, risk)
                    total += risk
        return total


def _stop_risk(stop: Order, leaves: Decimal, pf: Portfolio) -> Decimal:
    """What a working protective stop would lose from the current mark."""
    inst = pf.instrument(stop.instrument_id)
    mark = pf.mark_decimal(stop.instrument_id)
    if inst is None or mark is None:
        return ZERO
    if stop.trigger_price is None:  # a trailing stop not yet placed: its offset is the risk
        return leaves * (stop.trailing_offset or ZERO) * inst.multiplier
    direction = 1 if stop.side is SELL else -1  # a sell stop protects a long
    return max(ZERO, (mark - stop.trigger_price) * direction) * leaves * inst.multiplier


class OrderChecks:
    """Evaluates an entry (an order that adds exposure) against its account's limits."""

    def __init__(self, portfolio: Portfolio, market: MarketState) -> None:
        self._pf = portfolio
        self._market = market
        self._risk_cache: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]] = {}

    def reason(self, cmd: SubmitOrder, cfg: RiskConfig, limits: StrategyLimits | None,
               working: Sequence[Order], held: Decimal) -> str | None:
        """Why the entry breaks a limit, or None."""
        pf = self._pf
        lim = limits or _NO_LIMITS
        inst = pf.instrument(cmd.instrument_id)
        mark = pf.mark_decimal(cmd.instrument_id)
        if inst is None:
            return f"unknown_instrument: {cmd.instrument_id} is not known to risk"
        ref = cmd.price or cmd.trigger_price or mark
        notional = None if ref is None else inst.notional(cmd.quantity, ref)
        why = self._order_size(cmd, cfg, lim, notional, ref, mark)
        if why is not None:
            return why
        w = _Working(cmd, working, pf, self._risk_cache)
        if w.account_orders >= cfg.max_open_orders:
            return (f"max_open_orders: {w.account_orders} working orders on account "
                    f"{cmd.account_id}, limit {cfg.max_open_orders}")
        if lim.max_open_orders is not None and w.strategy_orders >= lim.max_open_orders:
            return (f"max_open_orders: {w.strategy_orders} working orders of strategy "
                    f"{cmd.strategy_id}, limit {lim.max_open_orders}")
        if held == ZERO and cmd.instrument_id not in w.entering:
            # positions held, and those that working entries may still open
            held_in = {p.instrument_id for p in pf.positions(cmd.account_id)} | w.entering
            if len(held_in) >= cfg.max_positions:
                return (f"max_positions: {len(held_in)} open or being opened, "
                        f"limit {cfg.max_positions}")
        # worst case: every working order fills; reduce-only ones at most flatten the position
        if cmd.side is BUY:
            projected = held + w.buys + min(w.reducing_buys, max(-held, ZERO)) + cmd.quantity
        else:
            projected = held - w.sells - min(w.reducing_sells, max(held, ZERO)) - cmd.quantity
        why = self._position_size(cmd, cfg, lim, inst, projected, ref)
        if why is not None:
            return why
        equity, gross, net = self._account_state(cmd)
        if equity <= ZERO:
            return f"equity: account {cmd.account_id} has no equity ({equity})"
        if notional is not None:
            why = self._exposure(cmd, cfg, notional, equity, gross, net)
            if why is not None:
                return why
        why = self._risk_to_stop(cmd, cfg, lim, inst, ref, equity, w)
        if why is not None:
            return why
        correlated = cfg.max_correlation is not None or cfg.max_correlated_exposure is not None
        if correlated and held == ZERO and notional is not None:
            return self._correlation(cmd, cfg, notional, equity)
        return None

    def _order_size(self, cmd: SubmitOrder, cfg: RiskConfig, lim: StrategyLimits,
                    notional: Decimal | None, ref: Decimal | None, mark: Decimal | None
                    ) -> str | None:
        if notional is not None:
            cap = lim.max_order_notional or cfg.max_order_notional
            if cap is not None and notional > cap:
                return f"max_order_notional: order notional {notional} exceeds {cap}"
            if cfg.min_order_notional is not None and notional < cfg.min_order_notional:
                return (f"min_order_notional: order notional {notional} is below "
                        f"{cfg.min_order_notional}")
        if cfg.price_collar is not None and cmd.order_type in _COLLARED and mark is not None \
                and cmd.price is not None and mark > ZERO:
            off = abs(cmd.price - mark) / mark
            if off > cfg.price_collar:
                return (f"price_collar: limit {cmd.price} is {off:.2%} from the last price "
                        f"{mark}, limit {cfg.price_collar:%}")
        return None

    def _position_size(self, cmd: SubmitOrder, cfg: RiskConfig, lim: StrategyLimits,
                       inst: Instrument, projected: Decimal, ref: Decimal | None) -> str | None:
        size = abs(projected)
        for cap in (lim.max_position_qty, cfg.max_position_qty):
            if cap is not None and size > cap:
                return (f"max_position_qty: position in {cmd.instrument_id} would reach {size} "
                        f"(with working orders), limit {cap}")
        if ref is not None:
            value = inst.notional(size, ref)
            for ncap in (lim.max_position_notional, cfg.max_position_notional):
                if ncap is not None and value > ncap:
                    return (f"max_position_notional: position in {cmd.instrument_id} would be "
                            f"worth {value}, limit {ncap}")
        return None

    def _account_state(self, cmd: SubmitOrder) -> tuple[Decimal, Decimal, Decimal]:
        """(equity in the base currency, gross and net exposure) in one pass over positions."""
        pf = self._pf
        account = pf.account(cmd.account_id)
        base = account.base_currency
        equity = account.cash(base)
        gross = net = ZERO
        for pos in pf.positions(cmd.account_id):
            iid = pos.instrument_id
            mark = pf.mark_decimal(iid) or pos.avg_price
            value = pos.quantity * mark * pos.multiplier
            gross += abs(value)
            net += value
            inst = pf.instrument(iid)
            if inst is not None and inst.quote_currency == base:
                equity += (mark - pos.avg_price) * pos.quantity * pos.multiplier
        return equity, gross, net

    def _exposure(self, cmd: SubmitOrder, cfg: RiskConfig, notional: Decimal, equity: Decimal,
                  gross: Decimal, net: Decimal) -> str | None:
        pf = self._pf
        signed = notional if cmd.side is BUY else -notional
        leverage = cfg.max_leverage or pf.account(cmd.account_id).leverage
        gross_after = gross + notional
        if gross_after > leverage * equity:
            return (f"max_leverage: gross exposure would be {gross_after / equity:.4f}x equity, "
                    f"limit {leverage}x")
        if cfg.max_net_exposure is not None and abs(net + signed) > cfg.max_net_exposure * equity:
            return (f"max_net_exposure: net exposure would be {abs(net + signed) / equity:.4f}x "
                    f"equity, limit {cfg.max_net_exposure}x")
        return None

    def _risk_to_stop(self, cmd: SubmitOrder, cfg: RiskConfig, lim: StrategyLimits,
                      inst: Instrument, ref: Decimal | None, equity: Decimal,
                      working: _Working) -> str | None:
        stop = cmd.stop_loss
        if stop is None:
            if cfg.stop_required:
                return "stop_required: entries must carry a stop_loss"
            return None
        if ref is None:
            return f"per_trade_risk: no price for {cmd.instrument_id} to measure the risk"
        wrong_side = stop >= ref if cmd.side is BUY else stop <= ref
        if wrong_side:
            return f"per_trade_risk: stop {stop} is on the wrong side of the entry {ref}"
        risk = cmd.quantity * abs(ref - stop) * inst.multiplier
        per_trade = lim.per_trade_risk or cfg.per_trade_risk
        if risk > per_trade * equity:
            return (f"per_trade_risk: {risk} to the stop is {risk / equity:.2%} of equity, "
                    f"limit {per_trade:%}")
        total = working.open_risk() + risk
        if total > cfg.max_portfolio_risk * equity:
            return (f"max_portfolio_risk: open risk would be {total / equity:.2%} of equity, "
                    f"limit {cfg.max_portfolio_risk:%}")
        return None

    def _correlation(self, cmd: SubmitOrder, cfg: RiskConfig, notional: Decimal,
                     equity: Decimal) -> str | None:
        pf = self._pf
        limit = cfg.max_correlation
        group = notional  # the new position, plus the open ones moving with it
        for pos in pf.positions(cmd.account_id):
            if pos.instrument_id == cmd.instrument_id:
                continue
            corr = self._market.correlation(cmd.instrument_id, pos.instrument_id)
            if corr is None:
                continue
            same_way = (pos.quantity > ZERO) == (cmd.side is BUY)
            exposure_corr = corr if same_way else -corr
            if limit is not None and exposure_corr > limit:
                return (f"max_correlation: returns of {cmd.instrument_id} correlate "
                        f"{corr:.2f} with the open {pos.instrument_id} position, limit {limit}")
            if exposure_corr > cfg.correlation_group:
                mark = pf.mark_decimal(pos.instrument_id) or pos.avg_price
                group += abs(pos.quantity) * mark * pos.multiplier
        cap = cfg.max_correlated_exposure
        if cap is not None and group > cap * equity:
            return (f"max_correlated_exposure: positions correlated above "
                    f"{cfg.correlation_group} would be worth {group / equity:.4f}x equity, "
                    f"limit {cap}x")
        return None
