"""What risk remembers about each instrument's market, updated in O(1) per bar."""

from __future__ import annotations

import math

from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar

_ATR_ALPHA = 1.0 / 14.0  # Wilder's 14-bar average true range


class InstrumentMarket:
    """Last price and time, ATR, the rolling norm of the relative true range, recent returns."""

    __slots__ = ("atr", "bars", "last_close", "last_ts", "pos", "returns", "tr_norm", "window")

    def __init__(self, window: int) -> None:
        self.window = window
        self.last_close = 0.0
        self.last_ts = 0
        self.atr = 0.0
        self.tr_norm = 0.0  # EWMA of true range / previous close
        self.bars = 0
        self.returns = [0.0] * window  # ring of log returns
        self.pos = 0

    def ordered_returns(self) -> list[float]:
        """The recorded log returns, oldest first."""
        n = min(self.bars - 1, self.window)
        if n <= 0:
            return []
        ring = self.returns
        if self.bars - 1 < self.window:
            return ring[:n]
        return ring[self.pos:] + ring[: self.pos]


class MarketState:
    """Per-instrument market memory fed by every bar the engine sees."""

    def __init__(self, correlation_window: int = 60, volatility_window: int = 120,
                 track_returns: bool = True) -> None:
        self._window = correlation_window
        self._track_returns = track_returns
        self.last_gap_ns = 0  # the last bar's open minus the previous bar's close time
        self._vol_alpha = 2.0 / (volatility_window + 1.0)
        self.volatility_warmup = volatility_window
        self._markets: dict[InstrumentId, InstrumentMarket] = {}
        # (a, b) -> (bars of a, bars of b, correlation): recomputed only after a new bar
        self._corr: dict[tuple[InstrumentId, InstrumentId], tuple[int, int, float | None]] = {}

    def on_bar(self, bar: Bar) -> float:
        """Update the instrument's state; returns this bar's true range over its prior norm
        (0.0 while there is no norm yet)."""
        m = self._markets.get(bar.instrument_id)
        if m is None:
            m = self._markets[bar.instrument_id] = InstrumentMarket(self._window)
        prev = m.last_close
        self.last_gap_ns = bar.ts_event - m.last_ts if m.last_ts else 0
        ratio = 0.0
        if prev > 0.0:
            tr = max(bar.high, prev) - min(bar.low, prev)
            rel = tr / prev
            if m.bars > 1:
                if m.tr_norm > 0.0:
                    ratio = rel / m.tr_norm
                m.tr_norm += self._vol_alpha * (rel - m.tr_norm)
                m.atr += _ATR_ALPHA * (tr - m.atr)
            else:
                m.tr_norm = rel
                m.atr = tr
            if self._track_returns and bar.close > 0.0:
                m.returns[m.pos] = math.log(bar.close / prev)
                m.pos = (m.pos + 1) % m.window
        m.last_close = bar.close
        m.last_ts = bar.ts_init
        m.bars += 1
        return ratio

    def get(self, instrument_id: InstrumentId) -> InstrumentMarket | None:
        """The instrument's state, or None before its first bar."""
        return self._markets.get(instrument_id)

    def warmed_up(self, instrument_id: InstrumentId) -> bool:
        """True once the volatility norm has seen a full window."""
        m = self._markets.get(instrument_id)
        return m is not None and m.bars > self.volatility_warmup

    def atr(self, instrument_id: InstrumentId) -> float | None:
        """Wilder ATR of the instrument, or None before two bars."""
        m = self._markets.get(instrument_id)
        return None if m is None or m.bars < 2 else m.atr

    def last_seen_ns(self) -> dict[InstrumentId, int]:
        """When each instrument's last bar arrived (its ``ts_init``)."""
        return {iid: m.last_ts for iid, m in self._markets.items()}

    def correlation(self, a: InstrumentId, b: InstrumentId) -> float | None:
        """Pearson correlation of the two instruments' recent log returns (None: too few)."""
        ma, mb = self._markets.get(a), self._markets.get(b)
        if ma is None or mb is None:
            return None
        cached = self._corr.get((a, b))
        if cached is not None and cached[0] == ma.bars and cached[1] == mb.bars:
            return cached[2]
        ra, rb = ma.ordered_returns(), mb.ordered_returns()
        n = min(len(ra), len(rb))
        value = None
        if n >= 10:
            x, y = ra[-n:], rb[-n:]
            mx, my = math.fsum(x) / n, math.fsum(y) / n
            sxy = sxx = syy = 0.0
            for u, v in zip(x, y, strict=True):
                du, dv = u - mx, v - my
                sxy += du * dv
                sxx += du * du
                syy += dv * dv
            den = math.sqrt(sxx * syy)
            value = None if den == 0.0 else sxy / den
        self._corr[(a, b)] = (ma.bars, mb.bars, value)
        return value
