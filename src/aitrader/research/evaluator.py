"""Score many parameter sets of one strategy on one bar series with the compiled simulation.

An :class:`Evaluator` is plain data (bars, costs, strategy name), so it pickles into worker
processes. ``sma_cross`` batches go through the parallel SMA grid kernel; other strategies
with a vectorized form evaluate one set at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import StrategyError
from aitrader.data.bar_arrays import BarArrays
from aitrader.research import sim_kernel as k
from aitrader.research.objectives import RunScore, score_run
from aitrader.research.sma_grid import sma_grid_kernel
from aitrader.research.vector_backtest import (
    day_last_flags,
    instrument_for,
    inv_tick_of,
    vectorized_class,
)
from aitrader.runtime.backtest import BacktestRequest

_YEAR_NS = 365.25 * 86_400 * 1_000_000_000


@dataclass
class Evaluator:
    """Costs and data of a search; ``score``/``score_many`` run parameter sets."""

    bars: BarArrays
    strategy: str
    symbol: str = "BTC/USDT"
    fee_rate: Decimal = Decimal("0.001")
    maker_fee_rate: Decimal | None = None
    slippage_bps: Decimal = Decimal(0)
    starting_cash: Decimal = Decimal(100_000)
    periods_per_year: int = 365

    def request(self, params: dict[str, Any], bars: BarArrays | None = None) -> BacktestRequest:
        """The equivalent event-engine request (for a full run of the chosen parameters)."""
        return BacktestRequest(
            bars=self.bars if bars is None else bars, symbol=self.symbol, strategy=self.strategy,
            params=params, fee_rate=self.fee_rate, maker_fee_rate=self.maker_fee_rate,
            slippage_bps=self.slippage_bps, starting_cash=self.starting_cash,
            periods_per_year=self.periods_per_year,
        )

    def with_bars(self, bars: BarArrays) -> Evaluator:
        """The same costs on other bars (a walk-forward window)."""
        return Evaluator(bars, self.strategy, self.symbol, self.fee_rate, self.maker_fee_rate,
                         self.slippage_bps, self.starting_cash, self.periods_per_year)

    def _costs(self) -> tuple[float, float, float, float, float, float]:
        inst = instrument_for(self.request({}))
        maker = self.fee_rate if self.maker_fee_rate is None else self.maker_fee_rate
        return (float(self.starting_cash), float(self.fee_rate), float(maker),
                float(self.slippage_bps), inv_tick_of(inst), 0.0)

    def _years(self) -> float:
        ts = self.bars.ts_ns
        return (int(ts[-1]) - int(ts[0])) / _YEAR_NS if len(ts) > 1 else 1e-12

    def score(self, params: dict[str, Any]) -> RunScore | None:
        """One parameter set; None when the strategy refuses the parameters."""
        return self.score_many([params])[0]

    def score_many(self, sets: Sequence[dict[str, Any]]) -> list[RunScore | None]:
        """Several parameter sets (None for each the strategy refuses)."""
        flags = day_last_flags(self.bars.ts_ns)
        years = self._years()
        runs = self.run_many(sets, flags)
        return [None if r is None else score_run(r[0], r[1], float(self.starting_cash), years,
                                                 self.periods_per_year) for r in runs]

    def period_equity(self, sets: Sequence[dict[str, Any]], period_ns: int
                      ) -> npt.NDArray[np.float64]:
        """Equity at the last bar of each ``period_ns`` period, one column per (valid) set."""
        ts = self.bars.ts_ns
        flags = np.zeros(len(ts), dtype=np.bool_)
        if len(ts):
            flags[np.flatnonzero(np.diff(ts // period_ns))] = True
            flags[-1] = True
        runs = [r for r in self.run_many(sets, flags) if r is not None]
        return np.column_stack([r[1][: int(r[0][k.M_DAYS])] for r in runs])

    def run_many(self, sets: Sequence[dict[str, Any]], flags: npt.NDArray[np.bool_]
                 ) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None]:
        """(metrics row, equity at each flagged bar) per set; None where refused."""
        cls = vectorized_class(self.strategy)
        parsed: list[Any] = []
        for params in sets:
            try:
                parsed.append(cls.parse_params(params))
            except StrategyError:
                parsed.append(None)
        good = [p for p in parsed if p is not None]
        if not good:
            return [None] * len(sets)
        if self.strategy == "sma_cross" and not any(p.allow_short for p in good):
            runs = iter(self._sma_batch(good, flags))
        else:
            runs = iter([self._one(cls, p, flags) for p in good])
        return [None if p is None else next(runs) for p in parsed]

    def _one(self, cls: Any, params: Any, flags: npt.NDArray[np.bool_]
             ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        b = self.bars
        inst = instrument_for(self.request({}))
        cash0, taker, maker, bps, inv, _ = self._costs()
        sig = cls.vectorized(b.close, params)
        daily = np.empty(int(flags.sum()))
        metrics = np.zeros(k.M_COLS)
        sl = np.rint(sig.stop_loss * inv) / inv if len(sig.stop_loss) else sig.stop_loss
        tp = np.rint(sig.take_profit * inv) / inv if len(sig.take_profit) else sig.take_profit
        qty = float(inst.make_qty(getattr(params, "quantity", Decimal(1))))
        k.simulate(b.open, b.high, b.low, b.close, sig.entries, sig.exits, sl, tp, qty, cash0,
                   taker, maker, bps, inv, flags, np.zeros((0, k.T_COLS), dtype=np.int64),
                   np.empty(0), daily, metrics)
        return metrics, daily

    def _sma_batch(self, sets: list[Any], flags: npt.NDArray[np.bool_]
                   ) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
        b = self.bars
        inst = instrument_for(self.request({}))
        cash0, taker, maker, bps, inv, _ = self._costs()
        qtys = {inst.make_qty(p.quantity) for p in sets}
        if len(qtys) != 1:
            return [self._one(vectorized_class(self.strategy), p, flags) for p in sets]
        metrics = np.zeros((len(sets), k.M_COLS))
        daily = np.empty((len(sets), int(flags.sum())))
        sma_grid_kernel(
            b.open, b.high, b.low, b.close,
            np.array([p.fast for p in sets], dtype=np.int64),
            np.array([p.slow for p in sets], dtype=np.int64),
            np.array([p.stop_loss_pct for p in sets], dtype=np.float64),
            np.array([p.take_profit_pct for p in sets], dtype=np.float64),
            float(qtys.pop()), cash0, taker, maker, bps, inv, flags, metrics, daily,
        )
        return [(metrics[i], daily[i]) for i in range(len(sets))]
