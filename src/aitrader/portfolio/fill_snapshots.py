"""The equity curve of a one-instrument backtest, rebuilt from the fills after the run."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aitrader.core.events import PositionChanged
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.ports import Clock
from aitrader.data.bar_arrays import BarArrays
from aitrader.portfolio.portfolio import Portfolio


class FillSnapshots:
    """Equity between fills is cash + qty x (close - avg): record the state at each fill and
    rebuild the per-bar curve with numpy afterwards instead of paying for it on every bar."""

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
        n = len(bars)
        cash = np.full(n, start_cash)
        qty = np.zeros(n)
        avg = np.zeros(n)
        if self.ts:
            # the bar whose close is the first at or after each fill
            idx = np.searchsorted(bars.ts_ns, np.asarray(self.ts, dtype=np.int64)
                                  - bars.timeframe_ns, side="left")
            idx = idx[idx < n]  # fills after the last close (none in a run) change no bar
            if len(idx):
                last = np.full(n, -1, dtype=np.int64)
                last[idx] = np.arange(len(idx))  # the last fill of a bar wins
                np.maximum.accumulate(last, out=last)
                first = int(idx[0])  # from here on every bar has a fill at or before it
                at = last[first:]
                cash[first:] = np.take(np.asarray(self.cash, dtype=np.float64), at)
                qty[first:] = np.take(np.asarray(self.qty, dtype=np.float64), at)
                avg[first:] = np.take(np.asarray(self.avg, dtype=np.float64), at)
        equity = cash + (bars.close - avg) * qty
        return equity, qty != 0
