"""A backtest on the vectorized path: the strategy's signal arrays through the compiled
simulation, with the trade list rebuilt in exact Decimals by the simulator's own price and fee
models, so it equals the event engine's trade for trade."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from aitrader.core.enums import AccountType, AssetClass, LiquiditySide, OrderSide
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.statistics import PerformanceStats, compute_stats
from aitrader.research import sim_kernel as k
from aitrader.runtime.backtest import BacktestRequest, infer_tick_size
from aitrader.strategies.base import StrategyParams
from aitrader.strategies.registry import StrategyRegistry
from aitrader.strategies.signal_arrays import SignalArrays
from aitrader.venues.simulated.fill_models import FeeModel, FixedBpsSlippage, NoSlippage

_DAY_NS = 86_400 * 1_000_000_000
STRATEGY_ID = StrategyId("bt")


class VectorizedStrategy(Protocol):
    """A strategy class with a vectorized form (``Strategy.vectorized`` classmethod)."""

    name: str

    @classmethod
    def parse_params(cls, params: Any) -> Any:
        """Validated parameters."""
        ...

    @classmethod
    def vectorized(cls, close: npt.NDArray[np.float64], params: Any) -> SignalArrays:
        """Signal arrays for every bar."""
        ...


@dataclass
class VectorResult:
    """Trades, equity and statistics of one vectorized run."""

    trades: list[ClosedTrade]
    stats: PerformanceStats
    ts_ns: npt.NDArray[np.int64]
    equity: npt.NDArray[np.float64]
    elapsed_s: float
    params: StrategyParams


def vectorized_class(name: str, registry: StrategyRegistry | None = None) -> VectorizedStrategy:
    """The registered strategy ``name``; ValueError when it has no vectorized form."""
    cls = (registry or StrategyRegistry.default()).get(name)
    if not callable(getattr(cls, "vectorized", None)):
        raise ValueError(f"strategy {name!r} has no vectorized form (no `vectorized` classmethod)")
    return cls  # type: ignore[return-value]  # checked above: it has the classmethod


def instrument_for(req: BacktestRequest) -> Instrument:
    """The instrument the event engine would build for this request."""
    return Instrument(
        InstrumentId(req.symbol, req.venue), AssetClass.CRYPTO, req.base_currency,
        req.quote_currency, tick_size=req.tick_size or infer_tick_size(req.bars.close),
        lot_size=req.lot_size, min_notional=req.min_notional,
    )


def check_supported(req: BacktestRequest) -> None:
    """The vectorized path models a CASH account, long-only, one instrument."""
    if req.account_type is not AccountType.CASH or req.leverage != 1:
        raise ValueError(f"the vectorized path models CASH accounts with leverage 1, was "
                         f"{req.account_type.value} x{req.leverage}")
    if len(req.bars) == 0:
        raise ValueError("a backtest needs at least one bar")


def day_last_flags(ts_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """True on the last bar of each UTC day (what ``daily_closes`` samples)."""
    day = ts_ns // _DAY_NS
    flags = np.zeros(len(ts_ns), dtype=np.bool_)
    if len(ts_ns):
        flags[np.flatnonzero(np.diff(day))] = True
        flags[-1] = True
    return flags


def inv_tick_of(inst: Instrument) -> float:
    """1 / tick as a float (ticks must be powers of ten on the vectorized path)."""
    tick = inst.tick_size.normalize()
    exp = int(tick.as_tuple().exponent)
    if tick != Decimal(1).scaleb(exp):
        raise ValueError(f"the vectorized path needs a power-of-ten tick, was {inst.tick_size}")
    return float(Decimal(1).scaleb(-exp))


def rounded_levels(levels: npt.NDArray[np.float64], entries: npt.NDArray[np.bool_],
                   inst: Instrument) -> npt.NDArray[np.float64]:
    """Protective levels on the tick grid exactly as ``make_price`` rounds them, at entries."""
    if len(levels) == 0:
        return levels
    out = np.full(len(levels), np.nan)
    for i in np.flatnonzero(entries & ~np.isnan(levels)).tolist():
        out[i] = float(inst.make_price(float(levels[i])))
    return out


def run_vectorized(req: BacktestRequest, registry: StrategyRegistry | None = None,
                   warmup: int = 0) -> VectorResult:
    """Run ``req`` on the vectorized path (same request type as the event engine).

    The first ``warmup`` bars only feed the strategy's indicators: trading starts flat on the
    bar after them (a walk-forward test window with its history).
    """
    check_supported(req)
    if not 0 <= warmup < len(req.bars):
        raise ValueError(f"warmup must be >= 0 and < the {len(req.bars)} bars, was {warmup}")
    cls = vectorized_class(req.strategy, registry or req.registry)
    params = cls.parse_params(req.params)
    inst = instrument_for(req)
    started = time.perf_counter()
    signals = cls.vectorized(req.bars.close, params)
    if warmup:
        cut = slice(warmup, len(req.bars))
        signals = SignalArrays(
            signals.entries[cut], signals.exits[cut],
            signals.stop_loss[cut] if len(signals.stop_loss) else signals.stop_loss,
            signals.take_profit[cut] if len(signals.take_profit) else signals.take_profit)
        req = replace(req, bars=req.bars.slice(warmup, len(req.bars)))
    bars = req.bars
    sl = rounded_levels(signals.stop_loss, signals.entries, inst)
    tp = rounded_levels(signals.take_profit, signals.entries, inst)
    qty = inst.make_qty(getattr(params, "quantity", Decimal(1)))
    maker = req.fee_rate if req.maker_fee_rate is None else req.maker_fee_rate
    n = len(bars)
    flags = day_last_flags(bars.ts_ns)
    trades_out = np.zeros((int(signals.entries.sum()) + 1, k.T_COLS), dtype=np.int64)
    equity = np.empty(n)
    metrics = np.zeros(k.M_COLS)
    n_tr = k.simulate(
        bars.open, bars.high, bars.low, bars.close, signals.entries, signals.exits, sl, tp,
        float(qty), float(req.starting_cash), float(req.fee_rate), float(maker),
        float(req.slippage_bps), inv_tick_of(inst), flags, trades_out, equity,
        np.empty(int(flags.sum())), metrics,
    )
    trades = _decimal_trades(req, inst, qty, trades_out[:n_tr], sl, tp)
    held = np.zeros(n, dtype=np.bool_)
    for row in trades_out[:n_tr]:
        held[row[k.T_ENTRY]:row[k.T_EXIT]] = True
    open_entry = int(metrics[k.M_OPEN])
    if open_entry >= 0:
        held[open_entry:] = True
    fees = sum((t.fees for t in trades), Decimal(0)) + _open_entry_fee(req, inst, qty, open_entry)
    stats = compute_stats(bars.ts_ns, equity, held, trades, fees, req.periods_per_year)
    return VectorResult(trades, stats, bars.ts_ns, equity, time.perf_counter() - started, params)


def _open_entry_fee(req: BacktestRequest, inst: Instrument, qty: Decimal, entry: int
                    ) -> Decimal:
    """The fee of an entry whose trade is still open at the end (no closed trade carries it)."""
    if entry < 0:
        return Decimal(0)
    price = _slippage(req).apply(inst, OrderSide.BUY, float(req.bars.open[entry]))
    return FeeModel(Decimal(0), req.fee_rate).commission(inst, qty, price, LiquiditySide.TAKER)


def _slippage(req: BacktestRequest) -> FixedBpsSlippage | NoSlippage:
    return FixedBpsSlippage(req.slippage_bps) if req.slippage_bps else NoSlippage()


def _decimal_trades(req: BacktestRequest, inst: Instrument, qty: Decimal,
                    rows: npt.NDArray[np.int64], sl: npt.NDArray[np.float64],
                    tp: npt.NDArray[np.float64]) -> list[ClosedTrade]:
    """Closed trades priced by the simulator's own slippage and fee models (exact)."""
    bars = req.bars
    slip = _slippage(req)
    maker = req.fee_rate if req.maker_fee_rate is None else req.maker_fee_rate
    fees = FeeModel(maker, req.fee_rate)
    tf = bars.timeframe_ns
    out: list[ClosedTrade] = []
    for e, x, point, kind, d, taker in rows.tolist():
        entry_px = slip.apply(inst, OrderSide.BUY, float(bars.open[e]))
        entry_fee = fees.commission(inst, qty, entry_px, LiquiditySide.TAKER)
        if kind == k.KIND_SIGNAL:
            exit_px = slip.apply(inst, OrderSide.SELL, float(bars.open[x]))
        elif kind == k.KIND_STOP:
            ref = float(bars.open[x]) if point == 0 else float(inst.make_price(float(sl[d])))
            exit_px = slip.apply(inst, OrderSide.SELL, ref)
        else:
            limit = inst.make_price(float(tp[d]))
            exit_px = inst.make_price(float(bars.open[x])) if point == 0 else limit
        liq = LiquiditySide.TAKER if taker else LiquiditySide.MAKER
        exit_fee = fees.commission(inst, qty, exit_px, liq)
        exit_ts = int(bars.ts_ns[x]) + (0 if point == 0 else tf)
        out.append(ClosedTrade(
            STRATEGY_ID, inst.id, OrderSide.BUY, qty, int(bars.ts_ns[e]), entry_px, exit_ts,
            exit_px, (exit_px - entry_px) * qty * inst.multiplier, entry_fee + exit_fee,
        ))
    return out
