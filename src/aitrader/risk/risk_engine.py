"""The risk engine: every order in every mode passes it; it also runs the circuit breakers."""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import BUY, OrderSide
from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped, PositionChanged
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.market_data import Bar
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.ports import Clock, RiskHooks
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.account_watch import AccountWatch
from aitrader.risk.circuit_breakers import (
    ALL,
    CircuitBreakers,
    account_scope,
    instrument_scope,
    venue_scope,
)
from aitrader.risk.config import RiskConfig, StrategyLimits
from aitrader.risk.duplicate_guard import DuplicateGuard
from aitrader.risk.market_state import MarketState
from aitrader.risk.order_checks import OrderChecks
from aitrader.risk.position_sizer import PositionSizer
from aitrader.risk.protective_levels import ProtectiveLevels
from aitrader.risk.risk_metrics import RiskReport

log = logging.getLogger("aitrader.risk")
_NS = 1_000_000_000


class RiskEngine:
    """Pre-trade checks (implements PreTradeCheck and RiskMonitor) and circuit breakers.

    Orders that only reduce a position always pass, even while halted; everything else passes
    the halts, the duplicate guard and the limits of its account and strategy. Each denial is
    counted by rule and kept (newest 1000) with its reason.
    """

    wants_bars = True

    def __init__(
        self,
        portfolio: Portfolio,
        clock: Clock,
        config: RiskConfig | None = None,
        accounts: Mapping[AccountId, RiskConfig] | None = None,
        strategies: Mapping[StrategyId, StrategyLimits] | None = None,
    ) -> None:
        self.config = config or RiskConfig()
        self._pf = portfolio
        self._clock = clock
        self._accounts = dict(accounts or {})
        self._strategies = dict(strategies or {})
        cfg = self.config
        track = any(c.max_correlation is not None or c.max_correlated_exposure is not None
                    for c in (cfg, *self._accounts.values()))
        self.market = MarketState(cfg.correlation_window, cfg.breakers.volatility_window, track)
        self._vol_limit = cfg.breakers.volatility_multiple
        self._stale_ns = 0 if cfg.breakers.stale_data_s is None \
            else int(cfg.breakers.stale_data_s * _NS)
        self._watch_list: list[tuple[AccountId, AccountWatch, deque[tuple[int, float]]]] = []
        self.breakers = CircuitBreakers()
        self.protection = ProtectiveLevels(self.market)
        self.sizer = PositionSizer(portfolio, self.market, cfg.per_trade_risk)
        self._checks = OrderChecks(portfolio, self.market)
        self._dups = DuplicateGuard(cfg.duplicate_window_ms)
        self._hooks: RiskHooks | None = None
        self._watches: dict[AccountId, AccountWatch] = {}
        self._positions: dict[tuple[AccountId, InstrumentId], tuple[float, float]] = {}
        self._last_heartbeat = 0
        self._silent: set[InstrumentId] = set()  # stale episodes already tripped
        self._samples: dict[AccountId, deque[tuple[int, float]]] = {}
        self.denials: Counter[str] = Counter()
        self.denial_log: deque[tuple[int, str, str]] = deque(maxlen=1000)

    # --- wiring -------------------------------------------------------------------------------
    def attach(self, hooks: RiskHooks) -> None:
        """Bind to the engine that owns the orders (its bus gets every trip and reset)."""
        self._hooks = hooks
        self.breakers.listeners.append(hooks.publish)

    def update_limits(self, config: RiskConfig) -> None:
        """Put new default limits in force; the fields they set override every account's own."""
        changed = {k: v for k, v in config.model_dump().items()
                   if getattr(self.config, k) != getattr(config, k)}
        self.config = config
        self._accounts = {aid: RiskConfig.model_validate({**cfg.model_dump(), **changed})
                          for aid, cfg in self._accounts.items()}

    def account_config(self, account_id: AccountId) -> RiskConfig:
        """The limits in force for one account."""
        return self._accounts.get(account_id, self.config)

    # --- the order path -----------------------------------------------------------------------
    def prepare(self, cmd: SubmitOrder) -> SubmitOrder:
        """Attach protective levels to an entry that has none, if the account's config says so."""
        protection = self.account_config(cmd.account_id).protection
        if protection.mode == "none" or cmd.reduce_only:
            return cmd
        return self.protection.attach(cmd, protection, self._pf.mark_decimal(cmd.instrument_id),
                                      self._pf.instrument(cmd.instrument_id))

    def check(self, cmd: SubmitOrder) -> str | None:
        """The reason to deny ``cmd``, or None to let it through."""
        reason = self._reason(cmd)
        if reason is not None:
            self.denials[reason.split(":", 1)[0]] += 1
            self.denial_log.append((self._clock.now_ns(), str(cmd.client_order_id), reason))
            log.info("denied %s: %s", cmd.client_order_id, reason)
        return reason

    def _reason(self, cmd: SubmitOrder) -> str | None:
        held = self._pf.net_quantity(cmd.account_id, cmd.instrument_id)
        buy = cmd.side is BUY
        if held != ZERO and (held > ZERO) != buy:
            if cmd.reduce_only:
                return None  # reduces (a larger reduce-only order is capped by the venue)
            if cmd.quantity <= abs(held) and \
                    cmd.quantity + self._working(cmd, cmd.side) <= abs(held):
                return self._open_orders_cap(cmd)  # reduces, even if every working order fills
        if cmd.reduce_only:
            return f"reduce_only: the order would not reduce the position (held {held})"
        halted = self.breakers.blocking(cmd.account_id, cmd.instrument_id)
        if halted is not None:
            return f"halted: {halted}"
        cfg = self.account_config(cmd.account_id)
        now = self._clock.now_ns()
        stale = cfg.breakers.stale_data_s
        if stale is not None:
            m = self.market.get(cmd.instrument_id)
            if m is None or now - m.last_ts > stale * _NS:
                self.heartbeat(now)
                return f"stale_data: no market data for {cmd.instrument_id} within {stale} s"
        dup = self._dups.reason(cmd, now)
        if dup is not None:
            return dup
        if not cfg.enabled:
            if held == ZERO and len(self._pf.positions(cmd.account_id)) >= cfg.max_positions:
                return f"max_positions: limit {cfg.max_positions} reached"
            return None
        working: Sequence[Order] = () if self._hooks is None else self._hooks.open_orders()
        return self._checks.reason(cmd, cfg, self._strategies.get(cmd.strategy_id), working, held)

    def _open_orders_cap(self, cmd: SubmitOrder) -> str | None:
        cap = self.account_config(cmd.account_id).max_open_orders
        if self._hooks is None:
            return None
        n = sum(1 for o in self._hooks.open_orders()
                if o.account_id == cmd.account_id and not o.reduce_only)
        if n >= cap:
            return f"max_open_orders: {n} working orders on account {cmd.account_id}, limit {cap}"
        return None

    def _working(self, cmd: SubmitOrder, side: OrderSide) -> Decimal:
        """Working quantity of the account on the order's instrument and ``side``."""
        if self._hooks is None:
            return ZERO
        return sum((o.quantity - o.filled_qty for o in self._hooks.open_orders()
                    if o.side is side and o.account_id == cmd.account_id
                    and o.instrument_id == cmd.instrument_id and not o.reduce_only), ZERO)

    # --- market data and fills ----------------------------------------------------------------
    def on_bar(self, bar: Bar) -> None:
        """Update the market state and run the per-bar breakers (volatility, stale data,
        daily loss, drawdown); O(1) per bar plus one equity reading per account."""
        market = self.market
        ratio = market.on_bar(bar)
        now = bar.ts_init
        breakers = self.breakers
        if breakers.next_expiry_ns and now >= breakers.next_expiry_ns:
            breakers.expire(now)
        vol = self._vol_limit
        if vol is not None and ratio > vol and market.warmed_up(bar.instrument_id):
            cfg = self.config.breakers
            self._trip("volatility", instrument_scope(bar.instrument_id),
                       f"bar true range {ratio:.1f}x its {cfg.volatility_window}-bar norm "
                       f"(limit {vol}x)", now, cfg.volatility_cooldown_s)
        if self._stale_ns:
            self._on_bar_stale(bar.instrument_id, market.last_gap_ns, now)
        self._watch_equity(now)

    def _on_bar_stale(self, iid: InstrumentId, gap_ns: int, now: int) -> None:
        self._silent.discard(iid)
        cfg = self.config.breakers
        if gap_ns > self._stale_ns:
            self._trip("stale_data", instrument_scope(iid),
                       f"no market data for {gap_ns / _NS:.0f} s (limit {cfg.stale_data_s} s)",
                       now, cfg.stale_cooldown_s)
        if now != self._last_heartbeat:
            self.heartbeat(now)

    def heartbeat(self, now_ns: int) -> None:
        """Trip stale-data halts for instruments silent longer than the limit (call it from a
        timer when live; bars call it too) and let cool-downs expire."""
        self._last_heartbeat = now_ns
        self.breakers.expire(now_ns)
        limit = self.config.breakers.stale_data_s
        if limit is None:
            return
        for iid, seen in self.market.last_seen_ns().items():
            # one trip per silent episode; the pre-trade check keeps denying entries on the
            # instrument while its data stays stale, after the cool-down too
            if now_ns - seen > limit * _NS and iid not in self._silent:
                self._silent.add(iid)
                self._trip("stale_data", instrument_scope(iid),
                           f"no market data for {(now_ns - seen) / _NS:.0f} s "
                           f"(limit {limit} s)", now_ns, self.config.breakers.stale_cooldown_s)

    def on_position_changed(self, event: PositionChanged) -> None:
        """Count closed trades for the consecutive-loss breaker; re-check equity after fills."""
        key = (event.account_id, event.instrument_id)
        qty = float(event.quantity)
        realized = float(event.realized_pnl)
        prev_qty, at_open = self._positions.get(key, (0.0, realized))
        closed = prev_qty != 0.0 and (qty == 0.0 or (qty > 0.0) != (prev_qty > 0.0))
        if prev_qty == 0.0:
            at_open = realized
        watch = self._watch(event.account_id, event.ts_event)
        if closed:
            losses = watch.on_trade_closed(realized - at_open)
            at_open = realized
            limit = self.account_config(event.account_id).breakers.max_consecutive_losses
            if limit is not None and losses >= limit:
                self._trip("consecutive_losses", account_scope(event.account_id),
                           f"{losses} losing trades in a row (limit {limit})", event.ts_event,
                           self.account_config(event.account_id).breakers.losses_cooldown_s)
        self._positions[key] = (qty, at_open)
        self._watch_equity(self._clock.now_ns())

    def _watch(self, account_id: AccountId, now_ns: int) -> AccountWatch:
        watch = self._watches.get(account_id)
        if watch is None:
            cfg = self.account_config(account_id)
            watch = AccountWatch(self._pf.equity_float(account_id), now_ns,
                                 cfg.reset_offset_ns(), float(cfg.daily_loss_limit),
                                 float(cfg.max_drawdown))
            self._watches[account_id] = watch
            samples: deque[tuple[int, float]] = deque(maxlen=100_000)
            self._samples[account_id] = samples
            self._watch_list.append((account_id, watch, samples))
        return watch

    def metrics(self, account_id: AccountId, periods_per_year: int = 365) -> RiskReport:
        """VaR/CVaR, rolling Sharpe and exposures of the live account (recent equity samples)."""
        samples = self._samples.get(account_id) or deque([(self._clock.now_ns(),
                                                            self._pf.equity_float(account_id))])
        ts = np.fromiter((t for t, _ in samples), dtype=np.int64, count=len(samples))
        eq = np.fromiter((e for _, e in samples), dtype=np.float64, count=len(samples))
        report = RiskReport.from_equity(ts, eq, periods_per_year)
        return report.with_exposure(self._pf, account_id)

    def _watch_equity(self, now: int) -> None:
        if not self._watch_list:  # the first reading: watch every account from here on
            for account in self._pf.accounts():
                self._watch(account.id, now)
        equity_of = self._pf.equity_float
        for account_id, watch, samples in self._watch_list:
            equity = equity_of(account_id)
            samples.append((now, equity))
            if now >= watch.next_reset_ns or equity > watch.peak:
                watch.on_equity(equity, now)
            start, peak = watch.day_start, watch.peak
            if (start > 0.0 and (start - equity) / start >= watch.daily_limit) or \
                    (peak > 0.0 and (peak - equity) / peak >= watch.drawdown_limit):
                self._limit_hit(account_id, watch, equity, now)

    def _limit_hit(self, account_id: AccountId, watch: AccountWatch, equity: float, now: int
                   ) -> None:
        cfg = self.account_config(account_id)
        scope = account_scope(account_id)
        loss = watch.daily_loss(equity)
        if loss >= watch.daily_limit and not self.breakers.is_active("daily_loss", scope):
            self._trip("daily_loss", scope, f"down {loss:.2%} since the day started (limit "
                       f"{cfg.daily_loss_limit:%})", now, None, until_ns=watch.next_reset_ns)
        dd = watch.drawdown(equity)
        if dd >= watch.drawdown_limit and not self.breakers.is_active("max_drawdown", scope):
            self._trip("max_drawdown", scope, f"{dd:.2%} below the peak equity {watch.peak:.2f} "
                       f"(limit {cfg.max_drawdown:%})", now, cfg.breakers.drawdown_cooldown_s)

    # --- breakers -----------------------------------------------------------------------------
    def on_venue_down(self, venue: str, reason: str) -> None:
        """A venue connection failed: halt new entries on it."""
        self._trip("venue_down", venue_scope(venue), reason, self._clock.now_ns(),
                   self.config.breakers.venue_cooldown_s)

    def halt(self, reason: str, scope: str = ALL) -> CircuitBreakerTripped | None:
        """A manual halt (e.g. the kill switch): explicit reset only."""
        return self._trip("manual", scope, reason, self._clock.now_ns(), None)

    def reset(self, breaker: str | None = None, scope: str | None = None,
              reason: str = "explicit reset") -> list[CircuitBreakerReset]:
        """Lift halts; the equity baselines restart from now so the same loss does not re-trip."""
        now = self._clock.now_ns()
        lifted = self.breakers.reset(now, breaker, scope, reason)
        for event in lifted:
            for account_id, watch in self._watches.items():
                if event.scope in (ALL, account_scope(account_id)):
                    equity = self._pf.equity_float(account_id)
                    if event.breaker == "daily_loss":
                        watch.day_start = equity
                    elif event.breaker == "max_drawdown":
                        watch.peak = equity
                    elif event.breaker == "consecutive_losses":
                        watch.losses = 0
        return lifted

    def _trip(self, breaker: str, scope: str, reason: str, now: int, cooldown_s: float | None,
              until_ns: int | None = None) -> CircuitBreakerTripped | None:
        flatten = breaker in self.config.breakers.flatten_on
        event = self.breakers.trip(breaker, scope, reason, now, cooldown_s, flatten, until_ns)
        if event is not None:
            log.warning("circuit breaker %s tripped (%s): %s", breaker, scope, reason)
            if flatten and self._hooks is not None:
                self._hooks.flatten(scope, f"{breaker}: {reason}")
        return event
