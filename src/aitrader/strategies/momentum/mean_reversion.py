"""Mean reversion: buy a close below the lower Bollinger band while RSI is oversold; take
profit at the middle band; stop out when the z-score says the move kept going."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from aitrader.core.market_data import Bar
from aitrader.strategies.bar_indicators import RSI, ZScore
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.indicator_parts import Bollinger


class MeanReversionParams(StrategyParams):
    """Parameters of the Bollinger/RSI/z-score mean reversion."""

    period: int = Field(20, ge=2, le=10_000, description="Bollinger and z-score window in bars")
    band_k: float = Field(2.0, gt=0, le=10, description="band width in standard deviations")
    rsi_period: int = Field(14, ge=2, le=1_000, description="RSI period in bars")
    rsi_oversold: float = Field(30.0, ge=0, le=100, description="enter only when RSI <= this")
    stop_z: float = Field(3.5, gt=0, le=20, description="exit when z-score <= -stop_z")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")

    @model_validator(mode="after")
    def _stop_beyond_band(self) -> MeanReversionParams:
        if self.stop_z <= self.band_k:
            raise ValueError(f"stop_z must be > band_k, was stop_z={self.stop_z} "
                             f"band_k={self.band_k}")
        return self


class MeanReversion(Strategy):
    """Buys stretched closes below the lower band with RSI oversold (long-only).

    On each close, when flat: buy if ``close < lower band`` and ``RSI <=
    rsi_oversold``. When long: sell if ``close >= middle band`` (reverted) or ``z <= -stop_z``
    (stopped). One signal per close; nothing happens until all three indicators exist.
    """

    name = "mean_reversion"
    Params = MeanReversionParams

    def on_start(self) -> None:
        """Ask the engine for the bands, RSI and z-score of the close."""
        p: MeanReversionParams = self.params
        self._middle = self.indicator(Bollinger(p.period, p.band_k, "middle"))
        self._lower = self.indicator(Bollinger(p.period, p.band_k, "lower"))
        self._rsi = self.indicator(RSI(p.rsi_period))
        self._z = self.indicator(ZScore(p.period))

    def on_bar(self, bar: Bar) -> None:
        """Enter or exit on the indicators' values at this close."""
        p: MeanReversionParams = self.params
        close = bar.close
        middle, lower = self._middle.value, self._lower.value
        rsi, z = self._rsi.value, self._z.value
        if middle != middle or rsi != rsi:
            return
        pos = self.position()
        if pos == 0:
            if close < lower and rsi <= p.rsi_oversold:
                self.buy(p.quantity, tag="mr-entry")
        elif pos > 0 and (close >= middle or z <= -p.stop_z):
            self.sell(pos, reduce_only=True, tag="mr-exit")
