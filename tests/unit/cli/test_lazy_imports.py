"""The CLI starts without its heavy libraries, and a missing optional one is a one-line error
naming the extra to install (exit code 2), not a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrader.cli.extras import missing_extra_message

# Optional extras: the CLI must not need any of them to start (each is imported by the
# commands that use it, when they run).
OPTIONAL = ["ccxt", "aiohttp", "optuna", "plotly", "matplotlib", "sklearn", "onnxruntime",
            "lightgbm", "torch", "fastapi", "uvicorn", "celery", "redis", "scipy", "psycopg"]
# Core dependencies, installed everywhere, but slow to import (numba compiles the indicator
# kernels, pandas/SQLAlchemy/alembic/pydantic load hundreds of modules); `--help` needs none.
CORE_BUT_SLOW = ["numpy", "numba", "pandas", "pyarrow", "sqlalchemy", "alembic", "pydantic"]

AITRADER = str(Path(sys.executable).with_name("aitrader"))


def _run_cli(args: list[str], hidden: tuple[str, ...] = (), cwd: Path | None = None,
             ) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter, with ``hidden`` modules made unimportable exactly as
    if they were not installed (a ``None`` entry in sys.modules makes ``import`` fail with
    ModuleNotFoundError)."""
    code = (f"import sys\nfor name in {list(hidden)!r}:\n    sys.modules[name] = None\n"
            "from aitrader.cli.main import app\n"
            f"app({args!r}, prog_name='aitrader')\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, cwd=cwd, check=False,
                          env={**os.environ, "COLUMNS": "200"})  # help on one line each


def _bars_csv(tmp_path: Path, n: int = 300) -> Path:
    lines = ["timestamp,open,high,low,close,volume"]
    price = 100.0
    for i in range(n):
        step = 0.4 if (i // 15) % 2 == 0 else -0.4
        lines.append(f"{1_704_067_200_000 + i * 60_000},{price:.2f},{price + 0.6:.2f},"
                     f"{price - 0.6:.2f},{price + step:.2f},1.5")
        price += step
    path = tmp_path / "bars.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_importing_the_cli_loads_no_optional_or_slow_library() -> None:
    code = ("import json, sys\nimport aitrader.cli.main\n"
            f"print(json.dumps(sorted(m for m in {OPTIONAL + CORE_BUT_SLOW!r} "
            "if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert json.loads(out.stdout) == []


def test_help_lists_every_command() -> None:
    result = subprocess.run([AITRADER, "--help"], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    for command in ("backtest", "strategies", "up", "smc-annotate", "book-backtest",
                    "paper-live", "lookahead-check", "data", "risk", "ml", "models", "optimize",
                    "users", "worker", "beat", "api", "report", "version"):
        assert f" {command} " in result.stdout, command


def test_backtest_help_lists_its_options() -> None:
    result = subprocess.run([AITRADER, "backtest", "--help"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    for option in ("--strategy", "--data", "--symbol", "--timeframe", "--fee", "--slippage",
                   "--cash", "--param", "--out", "--json", "--risk", "--compare-risk",
                   "--config-dir"):
        assert option in result.stdout, option


def test_optimize_help_offers_the_objectives_without_loading_the_research_path() -> None:
    result = _run_cli(["optimize", "--help"], hidden=("numba", "optuna", "plotly"))
    assert result.returncode == 0, result.stderr
    assert "sharpe|sortino|calmar|profit_factor|return_dd_cap" in result.stdout


def test_paper_live_without_ccxt_names_the_brokers_extra() -> None:
    result = _run_cli(["paper-live", "--exchange", "kraken", "--max-bars", "1"],
                      hidden=("ccxt",))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: aitrader paper-live needs ccxt: pip install 'aitrader[brokers]'")
    assert "Traceback" not in result.stderr


def test_a_subcommand_names_its_full_path_and_extra() -> None:
    result = _run_cli(["data", "download", "--symbol", "BTC/USDT", "--start", "2024-01-01",
                       "--end", "2024-01-02"], hidden=("ccxt",))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: aitrader data download needs ccxt: pip install 'aitrader[brokers]'")


def test_smc_annotate_without_matplotlib_names_the_smc_extra(tmp_path: Path) -> None:
    data = _bars_csv(tmp_path)
    result = _run_cli(["smc-annotate", "-d", str(data), "--out", str(tmp_path / "c.html")],
                      hidden=("matplotlib",))
    assert result.returncode == 2, result.stderr
    assert "aitrader smc-annotate needs matplotlib: pip install 'aitrader[smc]'" in (
        result.stderr)
    assert not (tmp_path / "c.html").exists()


def test_report_without_plotly_names_the_research_extra(tmp_path: Path) -> None:
    data = _bars_csv(tmp_path)
    result = _run_cli(["report", "sma_cross", "-d", str(data), "-p", "fast=5", "-p", "slow=20",
                       "--out", str(tmp_path / "r")], hidden=("plotly",))
    assert result.returncode == 2, result.stderr
    assert "aitrader report needs plotly: pip install 'aitrader[research]'" in result.stderr


def test_api_and_worker_without_their_libraries_name_the_api_extra(tmp_path: Path) -> None:
    api = _run_cli(["api", "openapi"], hidden=("fastapi",), cwd=tmp_path)
    assert api.returncode == 2, api.stderr
    assert "aitrader api openapi needs fastapi: pip install 'aitrader[api]'" in api.stderr
    worker = _run_cli(["worker"], hidden=("celery",), cwd=tmp_path)
    assert worker.returncode == 2, worker.stderr
    assert "aitrader worker needs celery: pip install 'aitrader[api]'" in worker.stderr


def test_a_missing_module_of_our_own_is_a_bug_and_keeps_its_traceback() -> None:
    result = _run_cli(["paper-live", "--exchange", "kraken"],
                      hidden=("aitrader.runtime.live_paper",))
    assert result.returncode == 1
    assert "ModuleNotFoundError" in result.stderr and "pip install" not in result.stderr


@pytest.mark.parametrize(("module", "extra"), [
    ("sklearn.linear_model", "ml"), ("onnxruntime", "ml"), ("optuna", "research"),
    ("uvicorn", "api"), ("psycopg", "postgres"), ("torch", "torch")])
def test_each_optional_library_maps_to_the_extra_that_installs_it(module: str,
                                                                   extra: str) -> None:
    top = module.partition(".")[0]
    assert missing_extra_message("aitrader x", module) == (
        f"aitrader x needs {top}: pip install 'aitrader[{extra}]'")


def test_a_library_no_extra_provides_gets_no_install_hint() -> None:
    assert missing_extra_message("aitrader x", "numpy") is None
