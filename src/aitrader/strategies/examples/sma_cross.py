"""SMA crossover: long when the fast SMA closes above the slow one, flat when it closes below."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from aitrader.core.market_data import Bar
from aitrader.indicators.sma import StreamingSMA
from aitrader.strategies.base import Strategy, StrategyParams


class SmaCrossParams(StrategyParams):
    """Parameters of the SMA crossover."""

    fast: int = Field(10, ge=1, le=10_000, description="fast SMA period in bars")
    slow: int = Field(30, ge=2, le=10_000, description="slow SMA period in bars")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")
    allow_short: bool = Field(False, description="go short on a cross below instead of flat")

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
        self._fast = StreamingSMA(p.fast)
        self._slow = StreamingSMA(p.slow)
        self._above: bool | None = None
        self._qty = p.quantity
        self._short = p.allow_short
        self._pos = Decimal(0)

    def on_bar(self, bar: Bar) -> None:
        """Update the SMAs and act on a cross."""
        fast = self._fast.update(bar.close)
        slow = self._slow.update(bar.close)
        if fast != fast or slow != slow:  # NaN while the windows fill
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
                self.buy(self._qty)
        elif pos > 0:
            self.sell(pos, reduce_only=True)
            if self._short:
                self.sell(self._qty)
        elif pos == 0 and self._short:
            self.sell(self._qty)

    def get_state(self) -> dict[str, Any]:
        """The cross state survives a restart (the SMA windows are re-warmed from history)."""
        return {"above": self._above}
