"""The report's charts as plotly figures (drawn offline; the page embeds plotly.js itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aitrader.data.bar_arrays import BarArrays
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.research.search import SearchResult

MAX_POINTS = 4_000
MAX_CANDLES = 2_500
MAX_MARKERS = 3_000
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_LAYOUT: dict[str, Any] = {"template": "plotly_white", "margin": {"l": 60, "r": 20, "t": 40,
                                                                  "b": 40}}


def _times(ts_ns: npt.NDArray[np.int64]) -> pd.DatetimeIndex:
    return pd.to_datetime(ts_ns, utc=True)


def equity_drawdown(ts_ns: npt.NDArray[np.int64], equity: npt.NDArray[np.float64]) -> go.Figure:
    """Equity on top, drawdown below (at most MAX_POINTS samples; the worst point kept)."""
    peaks = np.maximum.accumulate(equity)
    dd = np.where(peaks > 0, equity / peaks - 1.0, 0.0)
    step = max(1, len(equity) // MAX_POINTS)
    idx = np.arange(0, len(equity), step)
    idx = np.unique(np.append(idx, [int(np.argmin(dd)), len(equity) - 1]))
    t = _times(ts_ns[idx])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3],
                        vertical_spacing=0.05, subplot_titles=("Equity", "Drawdown"))
    fig.add_trace(go.Scatter(x=t, y=equity[idx], name="equity", line={"color": "#1f77b4"}),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=t, y=dd[idx] * 100, name="drawdown %", fill="tozeroy",
                             line={"color": "#d62728"}), row=2, col=1)
    fig.update_yaxes(title_text="%", row=2, col=1)
    fig.update_layout(height=520, showlegend=False, **_LAYOUT)
    return fig


def _coarse_candles(bars: BarArrays) -> pd.DataFrame:
    """OHLC, resampled to whole minutes/hours/days until at most MAX_CANDLES remain."""
    df = pd.DataFrame({"open": bars.open, "high": bars.high, "low": bars.low,
                       "close": bars.close}, index=_times(bars.ts_ns))
    if len(df) <= MAX_CANDLES:
        return df
    span_min = (int(bars.ts_ns[-1]) - int(bars.ts_ns[0])) / 6e10
    rules = (("5min", 5), ("15min", 15), ("1h", 60), ("4h", 240), ("1D", 1440), ("1W", 10080))
    rule = next((r for r, minutes in rules if span_min / minutes <= MAX_CANDLES), "1W")
    agg = df.resample(rule).agg({"open": "first", "high": "max", "low": "min",
                                 "close": "last"})
    return agg.dropna()


def candles_with_trades(bars: BarArrays, trades: Sequence[ClosedTrade]) -> go.Figure:
    """Candles (resampled when long) with each trade's entry ▲ and exit ▼."""
    df = _coarse_candles(bars)
    fig = go.Figure(go.Candlestick(x=df.index, open=df["open"], high=df["high"],
                                   low=df["low"], close=df["close"], name="price"))
    shown = list(trades)[-MAX_MARKERS:]
    if shown:
        fig.add_trace(go.Scatter(
            x=_times(np.array([t.entry_ts_ns for t in shown], dtype=np.int64)),
            y=[float(t.entry_price) for t in shown], mode="markers", name="entry",
            marker={"symbol": "triangle-up", "size": 9, "color": "#2ca02c"}))
        fig.add_trace(go.Scatter(
            x=_times(np.array([t.exit_ts_ns for t in shown], dtype=np.int64)),
            y=[float(t.exit_price) for t in shown], mode="markers", name="exit",
            marker={"symbol": "triangle-down", "size": 9, "color": "#d62728"},
            text=[f"net {float(t.net_pnl):,.2f}" for t in shown]))
    title = "Price and trades" + (f" (the last {len(shown)} trades)"
                                  if len(shown) < len(trades) else "")
    fig.update_layout(height=520, title=title, xaxis_rangeslider_visible=False, **_LAYOUT)
    return fig


def monthly_heatmap(table: pd.DataFrame) -> go.Figure:
    """Monthly returns, years down, months across, in percent."""
    z = table.to_numpy(dtype=np.float64) * 100
    text = [["" if np.isnan(v) else f"{v:.1f}%" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=_MONTHS, y=[str(y) for y in table.index], text=text,
                               texttemplate="%{text}", colorscale="RdYlGn", zmid=0,
                               colorbar={"title": "%"}))
    fig.update_layout(height=140 + 40 * len(table), title="Monthly returns",
                      yaxis={"autorange": "reversed", "type": "category"}, **_LAYOUT)
    return fig


def parameter_heatmap(search: SearchResult) -> go.Figure | None:
    """The objective over the first two searched parameters (best value per cell)."""
    if len(search.ranges) < 2:
        return None
    a, b = search.ranges[0].name, search.ranges[1].name
    rows = [(t.params[a], t.params[b], t.value) for t in search.valid()
            if np.isfinite(t.value)]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=[a, b, "value"])
    pivot = frame.pivot_table(index=b, columns=a, values="value", aggfunc="max")
    fig = go.Figure(go.Heatmap(z=pivot.to_numpy(), x=[str(x) for x in pivot.columns],
                               y=[str(y) for y in pivot.index], colorscale="Viridis",
                               colorbar={"title": search.objective.value}))
    fig.update_layout(height=480, title=f"{search.objective.value} by {a} and {b}",
                      xaxis_title=a, yaxis_title=b, **_LAYOUT)
    return fig
