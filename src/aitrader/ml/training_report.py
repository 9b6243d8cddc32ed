"""The training report: JSON for machines, one HTML page for people; out-of-sample only."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aitrader.ml.trainer import TrainingResult


def _iso(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=UTC).isoformat()


def report_dict(result: TrainingResult, artifacts: dict[str, Any]) -> dict[str, Any]:
    """The report as plain data."""
    meta = result.metadata
    return {
        "name": result.config.name,
        "note": "all metrics are out-of-sample (purged walk-forward / k-fold test folds)",
        "cv": result.config.cv.model_dump(),
        "target": result.config.target.model_dump(),
        "features": result.feature_names,
        "classes": result.classes,
        "samples": result.n_samples,
        "data_start": _iso(meta.data_start_ns or 0),
        "data_end": _iso(meta.data_end_ns or 0),
        "fee_rate": result.config.fee_rate,
        "trading_rule": ("net_return/sharpe: long while P(up) > 0.5 (short below 0.5 when "
                         "allow_short), re-decided every bar, fee_rate charged per unit of "
                         "position change — the raw signal, before the strategy's thresholds"),
        "folds": result.fold_ranges,
        "models": [{"algorithm": e.algorithm, "mean": e.mean, "folds": e.folds}
                   for e in result.evaluations],
        "selected": result.best,
        "select_metric": result.config.select_metric,
        "artifacts": artifacts,
    }


def write_report(result: TrainingResult, out_dir: Path, artifacts: dict[str, Any]) -> Path:
    """``report.json`` and ``report.html`` in ``out_dir``; returns the JSON path."""
    data = report_dict(result, artifacts)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    (out_dir / "report.html").write_text(_html(data))
    return path


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>none</p>"
    keys = list(rows[0])
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    body = "".join(
        "<tr>" + "".join(f"<td>{_fmt(r.get(k))}</td>" for k in keys) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}"
    return html.escape(str(v))


def _html(d: dict[str, Any]) -> str:
    def title(m: dict[str, Any]) -> str:
        chosen = " (selected)" if m["algorithm"] == d["selected"] else ""
        return f"<h3>{html.escape(m['algorithm'])}{chosen}</h3>"

    models = "".join(f"{title(m)}{_table([m['mean']])}<h4>per fold</h4>{_table(m['folds'])}"
                     for m in d["models"])
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Training report {html.escape(d['name'])}</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}</style></head><body>"
        f"<h1>{html.escape(d['name'])}</h1><p><b>{html.escape(d['note'])}</b></p>"
        f"<p>{d['samples']} samples, {html.escape(d['data_start'])} → "
        f"{html.escape(d['data_end'])}; target {html.escape(json.dumps(d['target']))}; "
        f"fees {d['fee_rate']} per side; selected by {html.escape(d['select_metric'])}</p>"
        f"<p>{html.escape(d['trading_rule'])}</p>"
        f"<h2>Folds</h2>{_table(d['folds'])}<h2>Models</h2>{models}"
        f"<h2>Features</h2><p>{html.escape(', '.join(d['features']))}</p></body></html>")
