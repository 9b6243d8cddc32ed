"""The HTML report is self-contained and its charts draw in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.data.bar_arrays import BarArrays

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--virtual-time-budget=20000", "--window-size=1280,5200"]
CHARTS = ("equity", "candles", "monthly", "params", "walkforward")
MINUTE_NS = 60_000_000_000


def _walk_csv(path: Path, n: int = 30_000) -> None:
    rng = np.random.default_rng(4)
    close = np.round(30_000 * np.exp(np.cumsum(rng.normal(0, 0.0015, n))), 2)
    open_ = np.concatenate([[30_000.0], close[:-1]])
    wick = np.abs(rng.normal(0, 10, n))
    ts_ms = 1_706_745_600_000 + np.arange(n, dtype=np.int64) * 60_000  # 2024-02-01
    lines = ["timestamp,open,high,low,close,volume"] + [
        f"{t},{o:.2f},{max(o, c) + w:.2f},{min(o, c) - w:.2f},{c:.2f},1"
        for t, o, c, w in zip(ts_ms, open_, close, wick, strict=True)]
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def optimization_report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    data = tmp / "bars.csv"
    _walk_csv(data)
    res = CliRunner().invoke(app, [
        "optimize", "sma_cross", "--data", str(data), "--method", "grid",
        "--range", "fast=2:12:2", "--range", "slow=20:60:10", "--param", "quantity=1",
        "--fee", "0.0005", "--walk-forward", "10000:5000", "--out", str(tmp / "out")])
    assert res.exit_code == 0, res.output
    return tmp / "out"


def _png_pixels(png: bytes) -> np.ndarray:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) to an array."""
    pos, chunks, header = 8, [], b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), (depth, color)
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], np.frombuffer(
            raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)], dtype=np.uint8).astype(np.int32)
        if kind == 1:
            line = line.copy()
            for x in range(channels, stride):
                line[x] = (line[x] + line[x - channels]) & 255
        elif kind == 2:
            line = (line + prev) & 255
        elif kind in (3, 4):
            line = line.copy()
            for x in range(stride):
                a = line[x - channels] if x >= channels else 0
                b = prev[x]
                if kind == 3:
                    line[x] = (line[x] + (a + b) // 2) & 255
                else:
                    c = prev[x - channels] if x >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                    line[x] = (line[x] + pred) & 255
        out[y] = line
        prev = line
    return out.reshape(height, width, channels)[:, :, :3]


def test_the_report_embeds_plotly_and_loads_nothing_from_the_network(optimization_report):
    page = (optimization_report / "report.html").read_text()
    assert "Plotly" in page and len(page) > 3_000_000  # plotly.js is inside the page
    assert not re.search(r"<script[^>]+src=", page)  # no external script
    assert not re.search(r"<link[^>]+href=", page)  # no external style sheet
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in page
    summary = json.loads((optimization_report / "report.json").read_text())
    assert summary["search"]["trials"] == 30
    assert summary["overfitting"]["verdict"]
    assert len(summary["walk_forward"]["windows"]) == 4
    assert summary["stats"]["trades"] == summary["trade_stats"]["trades"] > 0


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_every_chart_draws_in_headless_chromium(optimization_report, tmp_path):
    url = (optimization_report / "report.html").resolve().as_uri()
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p1'}",
                          "--dump-dom", url], capture_output=True, text=True, timeout=180,
                         check=True).stdout
    for chart in CHARTS:
        start = dom.index(f'data-chart="{chart}"')
        block = dom[start:start + 400_000].split('data-chart="', 2)[1]
        assert "main-svg" in block, f"chart {chart} has no plot SVG"
    assert dom.count('class="trace boxes"') >= 1  # candlesticks
    assert dom.count('class="hm"') >= 2  # monthly and parameter heat maps
    assert "js-line" in dom  # equity lines

    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p2'}",
                    f"--screenshot={shot}", url], capture_output=True, timeout=180, check=True)
    pixels = _png_pixels(shot.read_bytes())
    # the equity chart's plot area (below the tables, about y 430-700) is not blank
    region = pixels[430:700, 80:1200]
    assert region.std() > 10
    colours = {tuple(p) for p in region.reshape(-1, 3)[::7].tolist()}
    assert len(colours) > 20


def test_the_report_command_writes_an_event_engine_backtest_report(tmp_path):
    data = tmp_path / "bars.csv"
    _walk_csv(data, n=6_000)
    res = CliRunner().invoke(app, ["report", "sma_cross", "--data", str(data), "--param",
                                   "fast=5", "--param", "slow=20", "--param", "quantity=1",
                                   "--out", str(tmp_path / "rep")])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "rep" / "report.json").read_text())
    assert summary["params"] == {"fast": "5", "slow": "20", "quantity": "1"}
    assert summary["stats"]["trades"] > 10
    assert Decimal(str(summary["stats"]["fees"])) > 0
    _ = BarArrays  # the bars come from the CSV through the same loader as `aitrader backtest`
