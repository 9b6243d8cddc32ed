"""Trade statistics and calendar returns of a run, for reports and JSON summaries."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from aitrader.portfolio.closed_trade import ClosedTrade


@dataclass(frozen=True)
class TradeStats:
    """What the closed trades did (net of fees)."""

    trades: int
    wins: int
    losses: int
    win_rate: float
    avg_win: float
    avg_loss: float
    best: float
    worst: float
    expectancy: float
    profit_factor: float
    avg_holding_min: float
    total_fees: float
    net_pnl: float

    def as_dict(self) -> dict[str, float]:
        """Plain dict for JSON (infinite profit factor as a large number)."""
        d = asdict(self)
        if not math.isfinite(d["profit_factor"]):
            d["profit_factor"] = 1e9
        return d


def trade_stats(trades: Sequence[ClosedTrade]) -> TradeStats:
    """Counts, averages and extremes of the trades' net P&L."""
    nets = np.array([float(t.net_pnl) for t in trades])
    hold = np.array([(t.exit_ts_ns - t.entry_ts_ns) / 6e10 for t in trades])
    wins, losses = nets[nets > 0], nets[nets < 0]
    n = len(nets)
    gross_loss = float(-losses.sum())
    pf = float(wins.sum()) / gross_loss if gross_loss > 0 else (math.inf if len(wins) else 0.0)
    return TradeStats(
        n, len(wins), len(losses), len(wins) / n if n else 0.0,
        float(wins.mean()) if len(wins) else 0.0, float(losses.mean()) if len(losses) else 0.0,
        float(nets.max()) if n else 0.0, float(nets.min()) if n else 0.0,
        float(nets.mean()) if n else 0.0, pf, float(hold.mean()) if n else 0.0,
        float(sum(float(t.fees) for t in trades)), float(nets.sum()) if n else 0.0,
    )


def monthly_returns(ts_ns: npt.NDArray[np.int64], equity: npt.NDArray[np.float64]
                    ) -> pd.DataFrame:
    """Return of each calendar month (UTC): rows years, columns 1..12 (NaN: no data)."""
    when = pd.DatetimeIndex(pd.to_datetime(ts_ns, utc=True))
    s = pd.Series(equity, index=when)
    month_end = s.groupby([when.year, when.month]).last()
    prev = month_end.shift(1)
    prev.iloc[0] = float(equity[0])
    rets = month_end / prev - 1.0
    table = rets.unstack()
    table.index.name, table.columns.name = "year", "month"
    return table.reindex(columns=range(1, 13))
