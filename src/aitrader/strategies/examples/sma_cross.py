"""SMA crossover: long when the fast SMA closes above the slow one, flat when it closes below."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from aitrader.core.market_data import Bar
from aitrader.indicators.sma import sma
from aitrader.strategies.bar_indicators import SMA, BarIndicator
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.signal_arrays import SignalArrays
from aitrader.strategies.wake import Crossed


class SmaCrossParams(StrategyParams):
    """Parameters of the SMA crossover."""

    fast: int = Field(10, ge=1, le=10_000, description="fast SMA period in bars")
    slow: int = Field(30, ge=2, le=10_000, description="slow SMA period in bars")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")
    allow_short: bool = Field(False, description="go short on a cross below instead of flat")
    stop_loss_pct: float = Field(0.0, ge=0, lt=1, description="long stop-loss below the entry "
                                 "decision close, as a fraction (0 = none)")
    take_profit_pct: float = Field(0.0, ge=0, le=10, description="long take-profit above the "
                                   "entry decision close, as a fraction (0 = none)")

    @model_validator(mode="after")
    def _fast_below_slow(self) -> SmaCrossParams:
        if self.fast >= self.slow:
            raise ValueError(f"fast must be < slow, was fast={self.fast} slow={self.slow}")
        return self


class SmaCross(Strategy):
    """Decides on each bar's close; market orders fill at the next bar's open.

    ``above = fast > slow`` (strict). The first bar where both SMAs exist only records ``above``;
    afterwards a change of ``above`` is a cross: up → buy when flat (or cover a short first),
    down → sell the long (and go short when ``allow_short``).
    """

    name = "sma_cross"
    Params = SmaCrossParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p: SmaCrossParams = self.params
        self._fast: BarIndicator  # the engine's SMA handles, from on_start
        self._slow: BarIndicator
        self._above: bool | None = None
        self._qty = p.quantity
        self._short = p.allow_short
        self._sl = p.stop_loss_pct
        self._tp = p.take_profit_pct

    def on_start(self) -> None:
        """Ask the engine for the two SMAs of the close (batch in a backtest, streamed live)
        and to wake this strategy only on the bars where they cross."""
        p: SmaCrossParams = self.params
        self._fast = self.indicator(SMA(p.fast))
        self._slow = self.indicator(SMA(p.slow))
        # on_bar has something to decide only where the side changes (or is first known)
        self.wake_on(Crossed(self._fast, self._slow))

    def on_bar(self, bar: Bar) -> None:
        """Read the SMAs and act on a cross."""
        fast = self._fast.value
        slow = self._slow.value
        if fast != fast or slow != slow:  # warming up, or a NaN close inside a window
            return
        above = fast > slow
        prev = self._above
        self._above = above
        if prev is None or above == prev:
            return
        pos = self.position()
        if above:
            if pos < 0:
                self.buy(-pos, reduce_only=True)
            if pos <= 0:
                self._enter_long(bar.close)
        elif pos > 0:
            if self._sl or self._tp:
                self.cancel_all()  # the brackets protect a position that is being closed
            self.sell(pos, reduce_only=True)
            if self._short:
                self.sell(self._qty)
        elif pos == 0 and self._short:
            self.sell(self._qty)

    def _enter_long(self, close: float) -> None:
        if not (self._sl or self._tp):
            self.buy(self._qty)
            return
        self.buy(self._qty, stop_loss=close * (1.0 - self._sl) if self._sl else None,
                 take_profit=close * (1.0 + self._tp) if self._tp else None)

    @classmethod
    def vectorized(cls, close: npt.NDArray[np.float64], params: SmaCrossParams) -> SignalArrays:
        """The same decisions as :meth:`on_bar`, for every bar at once (long-only)."""
        if params.allow_short:
            raise ValueError("sma_cross has a vectorized form only for allow_short=False")
        above, valid = cross_state(close, params.fast, params.slow)
        first = int(np.argmax(valid)) if valid.any() else len(close)
        changed = np.zeros(len(close), dtype=np.bool_)
        changed[first + 1:] = above[first + 1:] != above[first:-1]
        entries = changed & above
        exits = changed & ~above
        empty = np.empty(0)
        sl = close * (1.0 - params.stop_loss_pct) if params.stop_loss_pct else empty
        tp = close * (1.0 + params.take_profit_pct) if params.take_profit_pct else empty
        return SignalArrays(entries, exits, sl, tp)

    def get_state(self) -> dict[str, Any]:
        """The cross state survives a restart (the SMA windows are re-warmed from history)."""
        return {"above": self._above}


def cross_state(close: npt.NDArray[np.float64], fast: int, slow: int
                ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(fast SMA > slow SMA, both SMAs exist) on each bar."""
    f = sma(close, fast)
    s = sma(close, slow)
    valid = ~(np.isnan(f) | np.isnan(s))
    return np.where(valid, f > s, False), valid
