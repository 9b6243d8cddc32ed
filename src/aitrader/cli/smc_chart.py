"""Drawing SMC structures on a candle chart (matplotlib): PNG, or self-contained HTML (SVG)."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aitrader.data.bar_arrays import BarArrays
from aitrader.strategies.smc.analyzer import SmcResult
from aitrader.strategies.smc.structures import Direction

UP, DOWN = "#26a69a", "#ef5350"
BULL_ZONE, BEAR_ZONE = "#2962ff", "#ff9800"


def _iso(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M")


def render_figure(bars: BarArrays, res: SmcResult, title: str) -> Any:
    """A matplotlib Figure with candles and every structure of ``res`` (bar index on x)."""
    import matplotlib as mpl

    mpl.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    n = len(bars)
    fig, ax = plt.subplots(figsize=(max(12.0, min(60.0, n * 0.12)), 7.5), dpi=110)
    o, h, lo, c = bars.open, bars.high, bars.low, bars.close
    for i in range(n):
        color = UP if c[i] >= o[i] else DOWN
        ax.vlines(i, lo[i], h[i], color=color, linewidth=0.8, zorder=3)
        body = max(abs(c[i] - o[i]), (h[i] - lo[i]) * 0.002)
        ax.add_patch(Rectangle((i - 0.35, min(o[i], c[i])), 0.7, body, color=color, zorder=4))

    def box(x0: int, x1: int | None, bottom: float, top: float, color: str, label: str,
            hatch: str | None = None, alpha: float = 0.18) -> None:
        end = n - 1 if x1 is None else x1
        ax.add_patch(Rectangle((x0 - 0.5, bottom), end - x0 + 1, top - bottom, facecolor=color,
                               alpha=alpha, edgecolor=color, hatch=hatch, linewidth=0.6,
                               zorder=1))
        ax.text(x0 - 0.4, top, label, fontsize=6.5, color=color, va="bottom", zorder=6)

    for ob in res.order_blocks:
        col = BULL_ZONE if ob.direction is Direction.BULLISH else BEAR_ZONE
        box(ob.index, ob.invalidated_index, ob.bottom, ob.top, col,
            "OB" + (" (mitigated)" if ob.mitigated_index is not None else ""), alpha=0.25)
    for g in res.gaps:
        col = "#7e57c2" if g.direction is Direction.BULLISH else "#8d6e63"
        box(g.index - 1, g.filled_index, g.bottom, g.top, col, "FVG", alpha=0.15)
    for z in res.zones:
        col = UP if z.is_demand else DOWN
        box(z.base_start, z.invalidated_index, z.bottom, z.top, col,
            "demand" if z.is_demand else "supply", hatch="///", alpha=0.10)
    span = float(h.max() - lo.min()) if n else 1.0
    for s in res.swings:
        y = s.price + (0.012 if s.is_high else -0.012) * span
        ax.scatter([s.index], [y], marker="v" if s.is_high else "^", s=22,
                   color="#424242", zorder=5)
        ax.text(s.index, y + (0.012 if s.is_high else -0.03) * span,
                "SH" if s.is_high else "SL", fontsize=6, ha="center", color="#424242")
    for b in res.breaks:
        col = UP if b.direction is Direction.BULLISH else DOWN
        ax.hlines(b.level, b.swing.index, b.index, color=col, linewidth=1.1,
                  linestyles="-" if b.kind.value == "BOS" else "--", zorder=5)
        ax.text((b.swing.index + b.index) / 2, b.level, b.kind.value, fontsize=7, color=col,
                ha="center", va="bottom" if b.direction is Direction.BULLISH else "top",
                weight="bold", zorder=6)
    for sw in res.sweeps:
        y = h[sw.index] if sw.direction is Direction.BEARISH else lo[sw.index]
        ax.scatter([sw.index], [y], marker="x", s=40, color="#d500f9", zorder=6)
        ax.text(sw.index, y, " sweep", fontsize=6.5, color="#d500f9", zorder=6)
    rng = res.ranges[-1] if res.ranges else None
    if rng is not None:
        ax.axhline(rng.equilibrium, color="#607d8b", linestyle=":", linewidth=0.9)
        ax.axhspan(rng.equilibrium, rng.high, color="#ef9a9a", alpha=0.06, zorder=0)
        ax.axhspan(rng.low, rng.equilibrium, color="#a5d6a7", alpha=0.06, zorder=0)
        ax.text(n - 1, rng.equilibrium, " equilibrium", fontsize=7, color="#607d8b")
        ax.text(n - 1, rng.high, " premium", fontsize=7, color="#c62828", va="top")
        ax.text(n - 1, rng.low, " discount", fontsize=7, color="#2e7d32", va="bottom")
    ticks = list(range(0, n, max(1, n // 12)))
    ax.set_xticks(ticks, [_iso(int(bars.ts_ns[i])) for i in ticks], rotation=30, ha="right",
                  fontsize=7)
    ax.set_xlim(-1, n + max(3, n // 15))
    pad = 0.04 * span
    ax.set_ylim(float(lo.min()) - pad, float(h.max()) + pad)
    ax.grid(alpha=0.15)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def structure_rows(bars: BarArrays, res: SmcResult) -> list[tuple[str, str, str, str]]:
    """(time, what, prices, follow-up) per structure, in time order, for the HTML table."""
    t = bars.ts_ns

    def at(i: int | None) -> str:
        return "-" if i is None else _iso(int(t[i]))

    def dn(d: Direction) -> str:
        return d.name.lower()

    rows: list[tuple[int, str, str, str, str]] = [
        (s.confirmed_index, at(s.index), "swing " + ("high" if s.is_high else "low"),
         f"{s.price:.10g}", f"confirmed {at(s.confirmed_index)}") for s in res.swings]
    rows += [(b.index, at(b.index), f"{b.kind.value} {dn(b.direction)}", f"{b.level:.10g}",
              f"swing of {at(b.swing.index)}") for b in res.breaks]
    rows += [(ob.break_index, at(ob.index), f"order block {dn(ob.direction)}",
              f"{ob.bottom:.10g}-{ob.top:.10g}",
              f"mitigated {at(ob.mitigated_index)}, invalid {at(ob.invalidated_index)}")
             for ob in res.order_blocks]
    rows += [(g.index, at(g.index), f"FVG {dn(g.direction)}", f"{g.bottom:.10g}-{g.top:.10g}",
              f"touched {at(g.touched_index)}, filled {at(g.filled_index)}") for g in res.gaps]
    rows += [(z.index, at(z.base_start), "demand zone" if z.is_demand else "supply zone",
              f"{z.bottom:.10g}-{z.top:.10g}",
              f"touched {at(z.touched_index)}, invalid {at(z.invalidated_index)}")
             for z in res.zones]
    rows += [(sw.index, at(sw.index), f"sweep {dn(sw.direction)}", f"{sw.swing.price:.10g}",
              f"swing of {at(sw.swing.index)}") for sw in res.sweeps]
    rows.sort(key=lambda r: r[0])
    return [r[1:] for r in rows]


def write_chart(bars: BarArrays, res: SmcResult, out: Path, title: str) -> None:
    """Write ``out`` as PNG (``.png``) or a self-contained HTML page with an SVG (``.html``)."""
    fig = render_figure(bars, res, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        if out.suffix.lower() == ".png":
            fig.savefig(tmp, format="png")
        else:
            buf = io.StringIO()
            fig.savefig(buf, format="svg")
            svg = buf.getvalue()
            svg = svg[svg.find("<svg"):]
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                for row in structure_rows(bars, res))
            tmp.write_text(
                f"<!doctype html><html><head><meta charset='utf-8'><title>"
                f"{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:1em}}"
                f"table{{border-collapse:collapse;font-size:12px}}td,th{{border:1px solid #ddd;"
                f"padding:2px 6px}}svg{{max-width:100%;height:auto}}</style></head><body>"
                f"<h3>{html.escape(title)}</h3>{svg}<table><tr><th>time</th><th>structure</th>"
                f"<th>price</th><th>then</th></tr>{body}</table></body></html>",
                encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
        import matplotlib.pyplot as plt

        plt.close(fig)
