"""``aitrader smc-annotate`` draws the structures a person can check against the bars."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()
SLICE = ["--start", "2024-03-05 15:00", "--end", "2024-03-05 15:30", "--lookback", "2"]


def _file(shared_data: Path) -> str:
    return str(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")


@pytest.mark.realdata
def test_the_html_chart_lists_the_hand_checked_structures(shared_data: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "chart.html"
    res = runner.invoke(app, ["smc-annotate", "--data", _file(shared_data), *SLICE,
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "7 swings, 2 BOS/CHoCH, 2 order blocks, 9 FVGs" in res.output
    page = out.read_text()
    assert page.count("<svg") == 1 and "<script" not in page  # self-contained, no JS
    # the same structures as tests/unit/strategies/smc/test_real_slice.py
    assert "<td>2024-03-05 15:24</td><td>BOS bearish</td><td>67729.84</td>" in page
    assert "<td>2024-03-05 15:22</td><td>order block bearish</td><td>67891.11-68050</td>" in page
    assert "<td>2024-03-05 15:29</td><td>sweep bullish</td><td>67100</td>" in page


@pytest.mark.realdata
def test_the_png_chart_is_a_png(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    res = runner.invoke(app, ["smc-annotate", "--data", _file(shared_data), *SLICE,
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000


def test_bad_inputs_are_clear_errors(tmp_path: Path) -> None:
    res = runner.invoke(app, ["smc-annotate", "--data", str(tmp_path / "none.csv"),
                              "--out", str(tmp_path / "c.html")])
    assert res.exit_code == 2
    assert "does not exist" in res.output
    res = runner.invoke(app, ["smc-annotate", "--data", "x.csv", "--out", "c.pdf"])
    assert res.exit_code != 0
    assert "--out must end in .html or .png, was 'c.pdf'" in res.output


@pytest.mark.realdata
def test_too_many_bars_is_refused_with_the_limit(shared_data: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["smc-annotate", "--data", _file(shared_data), "--start",
                              "2024-03-01", "--end", "2024-03-05", "--out",
                              str(tmp_path / "c.png")])
    assert res.exit_code == 2
    assert "a chart holds at most 3000 bars, the range has 5760" in res.output
