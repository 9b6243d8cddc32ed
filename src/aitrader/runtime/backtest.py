"""Backtests: compose the one engine with a simulated clock, a bar replay and the simulator."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.account import Account
from aitrader.core.enums import DENIED, REJECTED, AccountType, AssetClass
from aitrader.core.events import CircuitBreakerTripped, OrderFilled, PositionChanged
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.ports import PreTradeCheck
from aitrader.data.bar_arrays import BarArrays
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.fill_snapshots import FillSnapshots
from aitrader.portfolio.portfolio import Portfolio
from aitrader.portfolio.statistics import PerformanceStats, compute_stats
from aitrader.portfolio.trade_log import TradeLog
from aitrader.risk.config import RiskConfig
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.risk.risk_engine import RiskEngine
from aitrader.risk.risk_metrics import RiskReport
from aitrader.runtime.gc_tuning import relaxed_gc
from aitrader.strategies.registry import StrategyRegistry
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel, FixedBpsSlippage, NoSlippage

ACCOUNT = AccountId("backtest")


@dataclass
class BacktestRequest:
    """Everything a backtest needs; identical requests give identical results."""

    bars: BarArrays
    symbol: str
    strategy: str
    venue: str = "SIM"
    params: dict[str, Any] = field(default_factory=dict)
    fee_rate: Decimal = Decimal("0.001")
    maker_fee_rate: Decimal | None = None
    slippage_bps: Decimal = Decimal(0)
    starting_cash: Decimal = Decimal(100_000)
    quote_currency: str = "USDT"
    base_currency: str = "BTC"
    tick_size: Decimal | None = None
    lot_size: Decimal = Decimal("0.00000001")
    min_notional: Decimal = Decimal(0)
    account_type: AccountType = AccountType.CASH
    leverage: Decimal = Decimal(1)
    max_positions: int = 10
    risk: RiskConfig | None = None  # None: only the position count (risk off)
    periods_per_year: int = 365
    registry: StrategyRegistry | None = None
    batch_indicators: bool | None = None  # None: batch-compute indicators on long runs only


@dataclass
class BacktestResult:
    """Trades, equity curve and statistics of one run."""

    trades: list[ClosedTrade]
    stats: PerformanceStats
    ts_ns: npt.NDArray[np.int64]
    equity: npt.NDArray[np.float64]
    bars_processed: int
    elapsed_s: float
    orders: int
    fills: int
    denied: int
    rejected: int
    final_cash: Decimal
    final_equity: Decimal
    open_position: Decimal
    engine: TradingEngine = field(repr=False)
    risk: RiskReport | None = None
    denials: dict[str, int] = field(default_factory=dict)
    halts: list[CircuitBreakerTripped] = field(default_factory=list)

    def risk_summary(self) -> dict[str, Any]:
        """VaR/CVaR, rolling Sharpe, denials by rule and circuit-breaker trips, for reports."""
        return {
            "metrics": None if self.risk is None else self.risk.as_dict(),
            "denials": dict(self.denials),
            "halts": [{"breaker": h.breaker, "scope": h.scope, "reason": h.reason,
                       "ts_ns": h.ts_event} for h in self.halts],
        }


def infer_tick_size(prices: npt.NDArray[np.float64], max_decimals: int = 8) -> Decimal:
    """Smallest power-of-ten tick that every sampled price sits on (up to ``max_decimals``)."""
    sample = prices[:: max(1, len(prices) // 5000)]
    for decimals in range(max_decimals + 1):
        scaled = sample * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return Decimal(1).scaleb(-decimals)
    return Decimal(1).scaleb(-max_decimals)


def run_backtest(req: BacktestRequest) -> BacktestResult:
    """Run one strategy on one instrument's bars through the event engine."""
    bars = req.bars
    if len(bars) == 0:
        raise ValueError("a backtest needs at least one bar")
    iid = InstrumentId(req.symbol, req.venue)
    inst = Instrument(
        iid, AssetClass.CRYPTO, req.base_currency, req.quote_currency,
        tick_size=req.tick_size or infer_tick_size(bars.close), lot_size=req.lot_size,
        min_notional=req.min_notional,
    )
    clock = SimClock(int(bars.ts_ns[0]))
    portfolio = Portfolio()
    portfolio.add_account(Account(
        ACCOUNT, req.venue, req.quote_currency, {req.quote_currency: req.starting_cash},
        req.account_type, req.leverage,
    ))
    maker = req.fee_rate if req.maker_fee_rate is None else req.maker_fee_rate
    slippage = FixedBpsSlippage(req.slippage_bps) if req.slippage_bps else NoSlippage()
    venue = SimulatedExchange(req.venue, [inst], clock, portfolio, FeeModel(maker, req.fee_rate),
                              slippage)
    risk: PreTradeCheck = PreTradeRisk(portfolio, max_positions=req.max_positions)
    if req.risk is not None:
        risk = RiskEngine(portfolio, clock, req.risk)
    engine = TradingEngine(clock, {req.venue: venue}, portfolio, risk)
    log = TradeLog({iid: inst.multiplier})
    engine.bus.subscribe(OrderFilled, log.on_fill)
    registry = req.registry or StrategyRegistry.default()
    strategy = registry.get(req.strategy)("bt", ACCOUNT, [iid], req.params)
    engine.add_strategy(strategy)

    halts: list[CircuitBreakerTripped] = []
    engine.bus.subscribe(CircuitBreakerTripped, halts.append)
    n = len(bars)
    snapshots = FillSnapshots(clock, portfolio, ACCOUNT, iid)
    engine.bus.subscribe(PositionChanged, snapshots.on_position_changed)
    with relaxed_gc():
        started = time.perf_counter()
        engine.start()
        engine.run_bar_arrays(bars, iid, req.batch_indicators)
        engine.stop()
        elapsed = time.perf_counter() - started
    equity, in_market = snapshots.equity_curve(bars, float(req.starting_cash))

    orders = engine.orders.orders()
    statuses = Counter(o.status for o in orders)
    account = portfolio.account(ACCOUNT)
    fees = account.fees.get(req.quote_currency, Decimal(0))
    stats = compute_stats(bars.ts_ns, equity, in_market, log.closed, fees, req.periods_per_year)
    return BacktestResult(
        trades=log.closed, stats=stats, ts_ns=bars.ts_ns, equity=equity, bars_processed=n,
        elapsed_s=elapsed, orders=len(orders), fills=portfolio.fill_count,
        denied=statuses[DENIED], rejected=statuses[REJECTED],
        final_cash=account.cash(req.quote_currency),
        final_equity=portfolio.equity(ACCOUNT, req.quote_currency),
        open_position=portfolio.net_quantity(ACCOUNT, iid), engine=engine,
        risk=RiskReport.from_equity(bars.ts_ns, equity, req.periods_per_year),
        denials=dict(risk.denials) if isinstance(risk, RiskEngine) else {}, halts=halts,
    )


def risk_on_off(req: BacktestRequest, risk: RiskConfig) -> dict[str, Any]:
    """The same backtest without and with the risk engine: drawdown, return and trades of
    each, and how much the risk engine cut the max drawdown (percentage points)."""
    off = run_backtest(replace(req, risk=None))
    on = run_backtest(replace(req, risk=risk))

    def figures(r: BacktestResult) -> dict[str, Any]:
        return {"max_drawdown": r.stats.max_drawdown, "total_return": r.stats.total_return,
                "trades": r.stats.trades, "orders": r.orders, "denied": r.denied,
                "final_equity": str(r.final_equity), "halts": len(r.halts)}

    return {"risk_off": figures(off), "risk_on": figures(on),
            "max_drawdown_cut": off.stats.max_drawdown - on.stats.max_drawdown}
