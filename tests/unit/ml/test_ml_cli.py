"""The ml and models commands, end to end on a small generated CSV and a SQLite registry."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch, ar_bars):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AITRADER_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    lines = ["timestamp,open,high,low,close,volume"]
    for i in range(len(ar_bars)):
        o, h, lo, c, v = (float(a[i]) for a in (ar_bars.open, ar_bars.high, ar_bars.low,
                                                 ar_bars.close, ar_bars.volume))
        lines.append(f"{int(ar_bars.ts_ns[i]) // 1_000_000},{o!r},{h!r},{lo!r},{c!r},{v!r}")
    (tmp_path / "bars.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def _config(env, make_config_dict) -> str:
    raw = make_config_dict(env, models=[{"algorithm": "logistic_regression"}])
    raw["data"]["path"] = "bars.csv"
    raw.pop("output_dir")
    (env / "train.yml").write_text(yaml.safe_dump(raw))
    return "train.yml"


def test_train_then_list_show_promote_export_delete(env, make_config_dict) -> None:
    res = runner.invoke(app, ["ml", "train", "--config", _config(env, make_config_dict)])
    assert res.exit_code == 0, res.output
    assert "out-of-sample" in res.output and "registered: unit_model v1 (staging)" in res.output
    assert (env / "runs" / "ml" / "unit_model" / "report.html").exists()
    listed = runner.invoke(app, ["models", "list"])
    assert "unit_model" in listed.output and "unit_model-onnx" in listed.output
    shown = json.loads(runner.invoke(app, ["models", "show", "unit_model", "-v", "1"]).output)
    assert shown["stage"] == "staging" and len(shown["sha256"]) == 64
    assert shown["metadata"]["feature_names"][0] == "ret_1"
    promoted = runner.invoke(app, ["models", "promote", "unit_model", "-v", "1"])
    assert "unit_model v1 is now production" in promoted.output
    exported = runner.invoke(app, ["models", "export", "unit_model", "-v", "1", "--to", "out"])
    assert exported.exit_code == 0 and (env / "out" / "unit_model-v1.joblib").exists()
    refused = runner.invoke(app, ["models", "delete", "unit_model", "-v", "1"])
    assert refused.exit_code == 1 and "in production" in refused.output
    forced = runner.invoke(app, ["models", "delete", "unit_model", "-v", "1", "--force"])
    assert forced.exit_code == 0 and "unit_model " not in runner.invoke(
        app, ["models", "list"]).output
    imported = runner.invoke(app, ["models", "import", "out/unit_model-v1.joblib"])
    assert "registered unit_model v1 (staging, sklearn" in imported.output


def test_promotion_is_gated_by_a_failing_ab_report(env, make_config_dict) -> None:
    assert runner.invoke(app, ["ml", "train", "--config", _config(env, make_config_dict)]
                         ).exit_code == 0
    (env / "ab.json").write_text(json.dumps({"promotion_allowed": False,
                                             "reason": "not significant: p=0.4"}))
    res = runner.invoke(app, ["models", "promote", "unit_model", "-v", "1", "--ab-report",
                              "ab.json"])
    assert res.exit_code == 1 and "A/B gate: not significant" in res.output
    bad = runner.invoke(app, ["models", "promote", "unit_model", "-v", "1", "--stage", "live"])
    assert bad.exit_code == 1 and "--stage must be one of" in bad.output


def test_ab_compares_two_versions_and_its_report_gates_promotion(env, make_config_dict) -> None:
    assert runner.invoke(app, ["ml", "train", "--config", _config(env, make_config_dict)]
                         ).exit_code == 0
    assert runner.invoke(app, ["models", "promote", "unit_model-onnx", "-v", "1"]).exit_code == 0
    res = runner.invoke(app, ["ml", "ab", "--data", "bars.csv", "--champion", "unit_model-onnx",
                              "--challenger", "unit_model:1", "--period-bars", "50",
                              "--start", "2024-01-01T06:40"])  # the last 600 bars
    assert res.exit_code == 0, res.output
    assert "KEEP CHAMPION" in res.output  # the same model in two runtimes: no real difference
    report = json.loads((env / "ab.json").read_text())
    assert report["champion"] == "unit_model-onnx:1" and report["periods"] == 11
    gated = runner.invoke(app, ["models", "promote", "unit_model", "-v", "1", "--ab-report",
                                "ab.json"])
    assert gated.exit_code == 1 and "A/B gate" in gated.output


def test_ml_backtest_runs_a_registered_model_through_the_engine(env, make_config_dict) -> None:
    assert runner.invoke(app, ["ml", "train", "--config", _config(env, make_config_dict)]
                         ).exit_code == 0
    res = runner.invoke(app, ["ml", "backtest", "--model", "unit_model-onnx", "--data",
                              "bars.csv", "-p", "long_threshold=0.55", "--out", "bt"])
    assert res.exit_code == 0, res.output
    assert "unit_model-onnx v1 (onnx) on 1000 bars" in res.output
    assert (env / "bt" / "summary.json").exists()


def test_a_missing_config_is_a_clear_error(env) -> None:
    res = runner.invoke(app, ["ml", "train", "--config", "nope.yml"])
    assert res.exit_code == 1 and "training config nope.yml does not exist" in res.output
