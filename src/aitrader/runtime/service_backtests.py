"""Backtests submitted through the API: the request model, its market data, and the run that
turns it into a JSON-safe result. The task runner (in-process or Celery) calls :func:`execute`."""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from aitrader.core.errors import ConfigError, DataError
from aitrader.core.ids import InstrumentId
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.simulated_feed import RandomWalkBars
from aitrader.data.timeframes import parse_timeframe
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.storage.db import make_engine, session_factory
from aitrader.storage.repositories import BacktestRunRepository
from aitrader.strategies.registry import StrategyRegistry

_STRICT = ConfigDict(frozen=True, extra="forbid")
_START_NS = 1_704_067_200_000_000_000  # 2024-01-01 UTC: synthetic bars start here


class RandomWalkData(BaseModel):
    """Seeded random-walk bars (reproducible, offline)."""

    model_config = _STRICT
    kind: Literal["random_walk"] = "random_walk"
    bars: int = Field(2_000, ge=10, le=500_000, description="how many bars")
    seed: int = Field(7, ge=0, le=2**31 - 1)
    start_price: float = Field(60_000.0, gt=0, le=1e9)
    volatility_per_bar: float = Field(0.002, gt=0, lt=0.5)
    timeframe: str = Field("1m", pattern=r"^\d{1,4}[smhdw]$")


class FileData(BaseModel):
    """A bar file (CSV, parquet, feather) inside one of the server's data folders."""

    model_config = _STRICT
    kind: Literal["file"] = "file"
    path: str = Field(..., min_length=1, max_length=500,
                      description="relative to a configured data folder")
    timeframe: str | None = Field(None, pattern=r"^\d{1,4}[smhdw]$")
    start_ns: int | None = Field(None, ge=0)
    end_ns: int | None = Field(None, ge=0)


class BacktestSpec(BaseModel):
    """One strategy on one instrument's bars; identical specs give identical results."""

    model_config = _STRICT
    strategy: str = Field(..., min_length=1, max_length=64, description="registered name")
    params: dict[str, Any] = Field(default_factory=dict)
    symbol: str = Field("BTC/USDT", min_length=1, max_length=64, pattern=r"^[^@]+$")
    data: Annotated[RandomWalkData | FileData, Field(discriminator="kind")] = Field(
        default_factory=RandomWalkData)
    fee_rate: Decimal = Field(Decimal("0.001"), ge=0, le=Decimal("0.1"))
    slippage_bps: Decimal = Field(Decimal(0), ge=0, le=1000)
    starting_cash: Decimal = Field(Decimal(100_000), gt=0, le=Decimal(10) ** 15)
    quote_currency: str = Field("USDT", min_length=1, max_length=16)
    base_currency: str = Field("BTC", min_length=1, max_length=16)
    lot_size: Decimal = Field(Decimal("0.00001"), gt=0)


def check_spec(spec: BacktestSpec, registry: StrategyRegistry, data_roots: list[Path]) -> None:
    """Refuse a spec before it is queued: unknown strategy, bad params, file outside the roots."""
    cls = registry.get(spec.strategy)
    cls.parse_params(spec.params)
    if isinstance(spec.data, FileData):
        resolve_data_path(spec.data.path, data_roots)


def resolve_data_path(relative: str, roots: list[Path]) -> Path:
    """The file under one of ``roots``; a path escaping them is refused."""
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise ConfigError(f"data.path must be relative to a data folder, without '..', "
                          f"was {relative!r}")
    for root in roots:
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root.resolve()) and candidate.exists():
            return candidate
    raise DataError(f"data.path {relative!r} was not found in the data folders")


def build_bars(spec: BacktestSpec, roots: list[Path]) -> BarArrays:
    """The spec's bars."""
    data = spec.data
    if isinstance(data, RandomWalkData):
        tf = parse_timeframe(data.timeframe)
        walk = RandomWalkBars(InstrumentId(spec.symbol, "SIM"), data.start_price, tf, _START_NS,
                              seed=data.seed, volatility_per_bar=data.volatility_per_bar)
        rows = [next(walk) for _ in range(data.bars)]
        return BarArrays(
            np.array([b.ts_event for b in rows], dtype=np.int64),
            np.array([b.open for b in rows]), np.array([b.high for b in rows]),
            np.array([b.low for b in rows]), np.array([b.close for b in rows]),
            np.array([b.volume for b in rows]), tf)
    from aitrader.storage.bar_files import load_bars  # pandas only for files

    loaded = load_bars(resolve_data_path(data.path, roots), timeframe=data.timeframe)
    return loaded.bars.between(data.start_ns, data.end_ns)


def run_spec(spec: BacktestSpec, roots: list[Path],
             registry: StrategyRegistry | None = None) -> dict[str, Any]:
    """Run and summarise: statistics, counts, final equity and the last trades."""
    bars = build_bars(spec, roots)
    result = run_backtest(BacktestRequest(
        bars=bars, symbol=spec.symbol, strategy=spec.strategy, params=dict(spec.params),
        fee_rate=spec.fee_rate, slippage_bps=spec.slippage_bps,
        starting_cash=spec.starting_cash, quote_currency=spec.quote_currency,
        base_currency=spec.base_currency, lot_size=spec.lot_size, registry=registry))
    stats = {k: (v if math.isfinite(v) else None) if isinstance(v, float) else v
             for k, v in result.stats.as_dict().items()}
    trades = [{"side": t.side.value, "quantity": str(t.quantity), "entry_ts_ns": t.entry_ts_ns,
               "entry_price": str(t.entry_price), "exit_ts_ns": t.exit_ts_ns,
               "exit_price": str(t.exit_price), "pnl": str(t.pnl), "fees": str(t.fees)}
              for t in result.trades[-100:]]
    step = max(1, len(result.equity) // 500)
    return {
        "stats": stats, "bars": result.bars_processed, "orders": result.orders,
        "fills": result.fills, "denied": result.denied, "rejected": result.rejected,
        "final_cash": str(result.final_cash), "final_equity": str(result.final_equity),
        "open_position": str(result.open_position), "elapsed_s": round(result.elapsed_s, 6),
        "trades": trades, "trade_count": len(result.trades),
        "equity_curve": [[int(t), float(e)] for t, e in
                         zip(result.ts_ns[::step].tolist(), result.equity[::step].tolist(),
                             strict=True)],
    }


def execute(database_url: str, run_id: str, roots: list[Path]) -> str:
    """The task: queued → running → done | failed, stored in ``backtest_runs``. Returns the
    final status. Errors in the spec or data fail the run with the message, never the worker."""
    engine = make_engine(database_url)
    try:
        runs = BacktestRunRepository(session_factory(engine))
        row = runs.get(run_id)
        if row is None:
            raise DataError(f"unknown backtest run {run_id}")
        runs.mark_running(run_id)
        try:
            summary = run_spec(BacktestSpec.model_validate(row.request), roots)
        except Exception as exc:  # the run fails with the reason; the worker goes on
            runs.mark_failed(run_id, f"{type(exc).__name__}: {exc}")
            return "failed"
        runs.mark_done(run_id, summary)
        return "done"
    finally:
        engine.dispose()


def data_roots(data_dir: Path, extra: str | None = None) -> list[Path]:
    """Folders a backtest may read bar files from: the data folder, plus ``extra``
    (AITRADER_BACKTEST_DATA, separated like PATH)."""
    roots = [data_dir]
    if extra:
        roots += [Path(p) for p in extra.split(os.pathsep) if p]
    return roots


TASK_BACKTEST = "aitrader.backtest"  # the task name, shared by the API and the runners
