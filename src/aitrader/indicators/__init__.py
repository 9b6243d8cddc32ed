"""Indicators: numba batch kernels and streaming twins that give the same values.

Batch functions take numpy arrays and return float64 arrays of the same length, NaN during the
warm-up (leading NaNs in the input are skipped, as TA-Lib's Python wrapper does). Each has a
``Streaming*`` class whose ``update(...)`` returns the value for the newest bar — bit for bit the
batch value (on inputs without NaNs after their first valid row; market data is validated before
it gets here) — for live use. Conventions follow TA-Lib (EMA seeded by an SMA, Wilder smoothing
for RSI/ATR/ADX); window sums are correctly rounded (``math.fsum``).

May import: core, numpy, numba.
"""

from aitrader.indicators.adx import DMIValue, StreamingDMI, adx, dmi
from aitrader.indicators.atr import StreamingATR, atr, true_range
from aitrader.indicators.bollinger import StreamingBollinger, bollinger
from aitrader.indicators.cci import StreamingCCI, cci
from aitrader.indicators.donchian import ChannelValue, StreamingDonchian, donchian
from aitrader.indicators.ema import StreamingEMA, ema
from aitrader.indicators.keltner import StreamingKeltner, keltner
from aitrader.indicators.macd import MACDValue, StreamingMACD, macd
from aitrader.indicators.obv import StreamingOBV, obv
from aitrader.indicators.realized_volatility import StreamingRealizedVolatility, realized_volatility
from aitrader.indicators.rolling_extremes import StreamingExtreme, rolling_max, rolling_min
from aitrader.indicators.rsi import StreamingRSI, rsi
from aitrader.indicators.sma import StreamingSMA, sma
from aitrader.indicators.stochastic import StochasticValue, StreamingStochastic, stochastic
from aitrader.indicators.vwap import StreamingVWAP, vwap
from aitrader.indicators.wma import StreamingWMA, wma
from aitrader.indicators.zscore import StreamingZScore, zscore

__all__ = [
    "ChannelValue", "DMIValue", "MACDValue", "StochasticValue", "StreamingATR",
    "StreamingBollinger", "StreamingCCI", "StreamingDMI", "StreamingDonchian", "StreamingEMA",
    "StreamingExtreme", "StreamingKeltner", "StreamingMACD", "StreamingOBV",
    "StreamingRSI", "StreamingRealizedVolatility", "StreamingSMA", "StreamingStochastic",
    "StreamingVWAP", "StreamingWMA", "StreamingZScore", "adx", "atr", "bollinger", "cci", "dmi",
    "donchian", "ema", "keltner", "macd", "obv", "realized_volatility", "rolling_max",
    "rolling_min", "rsi", "sma", "stochastic", "true_range", "vwap", "wma", "zscore",
]
