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
        self.state: list[tuple[float, float, float]] = []

    def on_position_changed(self, _: PositionChanged) -> None:
        self.ts.append(self._clock.now_ns())
        self.state.append(self._portfolio.float_state(self._account_id, self._iid))

    def equity_curve(
        self, bars: BarArrays, start_cash: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Per-bar equity at the close and whether a position was held."""
        n = len(bars)
        cash = np.full(n, start_cash)
        qty = np.zeros(n)
        avg = np.zeros(n)
        if self.ts:
            bar_close_ns = bars.ts_ns + bars.timeframe_ns
            idx = np.searchsorted(bar_close_ns, np.asarray(self.ts, dtype=np.int64), side="left")
            last = np.full(n, -1, dtype=np.int64)
            last[idx] = np.arange(len(idx))  # the last fill of a bar wins
            last = np.maximum.accumulate(last)
            have = last >= 0
            state = np.asarray(self.state, dtype=np.float64)
            cash[have] = state[last[have], 0]
            qty[have] = state[last[have], 1]
            avg[have] = state[last[have], 2]
        equity = cash + (bars.close - avg) * qty
        return equity, qty != 0
