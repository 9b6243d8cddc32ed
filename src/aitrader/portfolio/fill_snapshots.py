"""The equity curve of a one-instrument backtest, rebuilt from the fills after the run."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aitrader.core.events import PositionChanged
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.ports import Clock
from aitrader.data.bar_arrays import BarArrays
from aitrader.portfolio.curve_kernels import equity_from_fills
from aitrader.portfolio.portfolio import Portfolio


class FillSnapshots:
    """Equity between fills is cash + qty x (close - avg): record the state at each fill and
    rebuild the per-bar curve afterwards, in one compiled pass, instead of paying for it on
    every bar."""

    def __init__(self, clock: Clock, portfolio: Portfolio, account_id: AccountId,
                 iid: InstrumentId) -> None:
        self._clock = clock
        self._portfolio = portfolio
        self._account_id = account_id
        self._iid = iid
        self.ts: list[int] = []
        self.cash: list[float] = []
        self.qty: list[float] = []  # quantity x multiplier
        self.avg: list[float] = []

    def on_position_changed(self, _: PositionChanged) -> None:
        self.ts.append(self._clock.now_ns())
        cash, qty, avg = self._portfolio.float_state(self._account_id, self._iid)
        self.cash.append(cash)
        self.qty.append(qty)
        self.avg.append(avg)

    def equity_curve(
        self, bars: BarArrays, start_cash: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Per-bar equity at the close and whether a position was held."""
        return equity_from_fills(
            bars.ts_ns, bars.close, bars.timeframe_ns, np.asarray(self.ts, dtype=np.int64),
            np.asarray(self.cash, dtype=np.float64), np.asarray(self.qty, dtype=np.float64),
            np.asarray(self.avg, dtype=np.float64), start_cash)
