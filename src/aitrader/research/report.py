"""Self-contained HTML report of a backtest or an optimization, and its JSON summary.

The page embeds plotly.js (no CDN, no network), so it opens anywhere, offline.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from aitrader.data.bar_arrays import BarArrays
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.statistics import PerformanceStats
from aitrader.research import report_figures as figs
from aitrader.research.overfitting import OverfitReport
from aitrader.research.search import SearchResult
from aitrader.research.trade_stats import monthly_returns, trade_stats
from aitrader.research.walk_forward import WalkForwardResult

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;
max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;
text-align:right}th{text-align:left;background:#fafafa}
.verdict{padding:10px 14px;border-radius:6px;margin:10px 0;font-weight:600}
.luck{background:#fdecea;color:#8a1c12}.ok{background:#e8f5e9;color:#1b5e20}
.chart{margin:10px 0}.muted{color:#777;font-size:13px}
"""


@dataclass
class ReportData:
    """What a report shows; the search, diagnostics and walk-forward parts are optional."""

    title: str
    strategy: str
    params: dict[str, Any]
    bars: BarArrays
    ts_ns: npt.NDArray[np.int64]
    equity: npt.NDArray[np.float64]
    trades: list[ClosedTrade]
    stats: PerformanceStats
    search: SearchResult | None = None
    overfit: OverfitReport | None = None
    walk: WalkForwardResult | None = None
    notes: list[str] = field(default_factory=list)


def _iso(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if not math.isfinite(v):
            return "∞" if v > 0 else "−∞" if v < 0 else "n/a"
        return f"{v:,.4f}" if abs(v) < 10 else f"{v:,.2f}"
    return html.escape(str(v))


_PERCENT = {"total return", "CAGR", "max drawdown", "exposure", "win rate",
            "probability of backtest overfitting", "OOS return", "return", "max dd"}


def _table(rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{_cell(k, v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _cell(name: str, v: Any) -> str:
    if name in _PERCENT and isinstance(v, float) and math.isfinite(v):
        return f"{v:.2%}"
    return _fmt(v)


def _grid(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(h, v)}</td>" for h, v in zip(header, r,
                                                                               strict=True))
                   + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _chart(fig: go.Figure, div_id: str) -> str:
    inner = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                        config={"displaylogo": False, "responsive": True})
    return f'<div class="chart" data-chart="{div_id}">{inner}</div>'


def summary(data: ReportData) -> dict[str, Any]:
    """The JSON summary (what a machine needs from the report)."""
    out: dict[str, Any] = {
        "title": data.title, "strategy": data.strategy, "params": data.params,
        "bars": len(data.bars), "start": _iso(int(data.bars.ts_ns[0])),
        "end": _iso(int(data.bars.ts_ns[-1])), "stats": data.stats.as_dict(),
        "trade_stats": trade_stats(data.trades).as_dict(),
    }
    if data.search is not None:
        out["search"] = {"method": data.search.method, "objective": data.search.objective.value,
                         "trials": len(data.search.trials),
                         "valid_trials": len(data.search.valid()),
                         "best": data.search.best.as_dict(),
                         "top": [t.as_dict() for t in data.search.valid()[:20]]}
    if data.overfit is not None:
        out["overfitting"] = data.overfit.as_dict()
    if data.walk is not None:
        out["walk_forward"] = {"anchored": data.walk.anchored,
                               "oos_stats": data.walk.stats.as_dict(),
                               "windows": [w.as_dict() for w in data.walk.windows]}
    cleaned: dict[str, Any] = _clean(json.loads(json.dumps(out, default=str)))
    return cleaned


def _clean(obj: Any) -> Any:
    """Infinite and NaN floats become null: the summary is strict JSON."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def render_html(data: ReportData) -> str:
    """The whole page as one string."""
    s = data.stats
    ts = trade_stats(data.trades)
    parts = [f"<h1>{html.escape(data.title)}</h1>",
             f'<p class="muted">{html.escape(data.strategy)} '
             f"{html.escape(json.dumps(data.params, default=str))} · {len(data.bars):,} bars "
             f"{_iso(int(data.bars.ts_ns[0]))} → {_iso(int(data.bars.ts_ns[-1]))} UTC</p>"]
    if data.overfit is not None:
        cls = "luck" if data.overfit.likely_luck else "ok"
        parts.append(f'<div class="verdict {cls}">{html.escape(data.overfit.verdict)}</div>')
    parts += [f'<p class="muted">{html.escape(n)}</p>' for n in data.notes]
    parts.append("<h2>Performance</h2>" + _table([
        ("total return", s.total_return), ("CAGR", s.cagr), ("Sharpe", s.sharpe),
        ("Sortino", s.sortino), ("Calmar", s.calmar), ("max drawdown", s.max_drawdown),
        ("exposure", s.exposure), ("fees", s.fees), ("end equity", s.end_equity)]))
    parts.append(_chart(figs.equity_drawdown(data.ts_ns, data.equity), "equity"))
    parts.append("<h2>Trades</h2>" + _table([
        ("trades", ts.trades), ("win rate", ts.win_rate), ("average win", ts.avg_win),
        ("average loss", ts.avg_loss), ("best", ts.best), ("worst", ts.worst),
        ("expectancy", ts.expectancy), ("profit factor", ts.profit_factor),
        ("average holding (min)", ts.avg_holding_min), ("net P&L", ts.net_pnl)]))
    parts.append(_chart(figs.candles_with_trades(data.bars, data.trades), "candles"))
    parts.append("<h2>Monthly returns</h2>")
    parts.append(_chart(figs.monthly_heatmap(monthly_returns(data.ts_ns, data.equity)),
                        "monthly"))
    parts += _search_parts(data)
    last = data.trades[-50:]
    parts.append("<h2>Last trades</h2>" + _grid(
        ["entry", "exit", "side", "qty", "entry price", "exit price", "P&L", "fees"],
        [[_iso(t.entry_ts_ns), _iso(t.exit_ts_ns), t.side.value, t.quantity, t.entry_price,
          t.exit_price, t.pnl, t.fees] for t in last]))
    body = "\n".join(parts)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
            f"{html.escape(data.title)}</title><style>{_CSS}</style>"
            f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
            f"<body>{body}</body></html>")


def _search_parts(data: ReportData) -> list[str]:
    parts: list[str] = []
    if data.search is not None:
        sr = data.search
        parts.append(f"<h2>Parameter search</h2><p>{sr.method}: {len(sr.trials)} trials "
                     f"({len(sr.valid())} valid) in {sr.elapsed_s:.1f}s, objective "
                     f"{sr.objective.value}</p>")
        heat = figs.parameter_heatmap(sr)
        if heat is not None:
            parts.append(_chart(heat, "params"))
        names = [r.name for r in sr.ranges]
        parts.append(_grid([*names, sr.objective.value, "trades", "return", "max dd"], [
            [t.params[n] for n in names] + [t.value, t.score.trades, t.score.total_return,
                                            t.score.max_drawdown]
            for t in sr.valid()[:15] if t.score is not None]))
    if data.overfit is not None:
        o = data.overfit
        parts.append("<h2>Overfitting diagnostics</h2>" + _table([
            ("trials", o.n_trials), ("periods", o.periods),
            ("best Sharpe per period", o.best_sharpe_per_period),
            ("expected best from luck (SR0)", o.expected_max_sharpe_per_period),
            ("deflated Sharpe ratio", o.deflated_sharpe),
            ("probability of backtest overfitting", o.pbo)]))
    if data.walk is not None:
        w = data.walk
        parts.append(f"<h2>Walk-forward ({'anchored' if w.anchored else 'rolling'}), "
                     f"out of sample only</h2>")
        parts.append(_grid(["test from", "test to", "params", "in-sample", "OOS return",
                            "OOS Sharpe", "OOS trades"], [
            [_iso(x.test_start_ns), _iso(x.test_end_ns), json.dumps(x.params, default=str),
             x.in_sample_value, x.oos_stats.total_return, x.oos_stats.sharpe,
             x.oos_stats.trades] for x in w.windows]))
        parts.append(_chart(figs.equity_drawdown(w.ts_ns, w.equity), "walkforward"))
    return parts


def write_report(data: ReportData, out: Path, name: str = "report") -> tuple[Path, Path]:
    """``<name>.html`` and ``<name>.json`` in ``out``, each written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / f"{name}.html", out / f"{name}.json")
    for path, text in zip(paths, (render_html(data),
                                  json.dumps(summary(data), indent=2)), strict=True):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return paths
