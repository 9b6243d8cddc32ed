"""aitrader data: inspect reports gaps, import merges into the store, resample writes 1h."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()
T0 = 1_704_067_200_000


def _csv(path: Path, minutes: list[int]) -> Path:
    rows = ["time,open,high,low,close,volume"]
    rows += [f"{T0 + m * 60_000},100,101,99,100.5,2" for m in minutes]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_inspect_reports_range_and_gaps(tmp_path: Path) -> None:
    f = _csv(tmp_path / "a.csv", [0, 1, 2, 5, 6])
    result = runner.invoke(app, ["data", "inspect", str(f)])
    assert result.exit_code == 0, result.output
    assert "5 bars of 1m, 2024-01-01T00:00:00Z → 2024-01-01T00:06:00Z" in result.output
    assert "gap after 2024-01-01T00:02:00Z: 2 bars missing" in result.output


def test_import_resample_and_list_round_trip(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _csv(tmp_path / "a.csv", list(range(60)))
    second = _csv(tmp_path / "b.csv", list(range(50, 120)))
    for f in (first, second):
        r = runner.invoke(app, ["data", "import", str(f), "--venue", "X", "--symbol", "A/B",
                                "--store", str(store)])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["data", "resample", "--venue", "X", "--symbol", "A/B", "--to", "1h",
                            "--store", str(store)])
    assert r.exit_code == 0 and "wrote 2 1h bars" in r.output
    listing = runner.invoke(app, ["data", "list", "--store", str(store)]).output
    assert "X          A/B          1m          120" in listing
    assert "1h            2" in listing


def test_import_refuses_a_conflicting_bar_and_keeps_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner.invoke(app, ["data", "import", str(_csv(tmp_path / "a.csv", [0, 1, 2])),
                        "--venue", "X", "--symbol", "A/B", "--store", str(store)])
    bad = tmp_path / "bad.csv"
    bad.write_text(f"time,open,high,low,close,volume\n{T0 + 60_000},100,101,99,100.9,2\n")
    r = runner.invoke(app, ["data", "import", str(bad), "--timeframe", "1m", "--venue", "X",
                            "--symbol", "A/B", "--store", str(store)])
    assert r.exit_code == 2 and "disagree with stored ones" in r.output
    listing = runner.invoke(app, ["data", "list", "--store", str(store)]).output
    assert "1m            3" in listing
