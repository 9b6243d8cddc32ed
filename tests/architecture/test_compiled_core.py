"""The mypyc-compiled engine core: built where it can be, never stale, and the same engine.

``scripts/test.sh`` sets AITRADER_EXPECT_COMPILED=1 when ``scripts/build_native.py`` built the
modules, so a CI run that silently fell back to plain Python fails here.
"""

from __future__ import annotations

import ast
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitrader import compiled

ROOT = Path(__file__).resolve().parents[2]
BACKTEST = """
import hashlib, sys
from decimal import Decimal
import aitrader.compiled
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.testkit.bar_factory import random_walk_bars
r = run_backtest(BacktestRequest(bars=random_walk_bars(5_000, seed=9), symbol="BTC/USDT",
    strategy="sma_cross", params={"fast": 4, "slow": 13, "quantity": "0.5",
    "stop_loss_pct": 0.002}, starting_cash=Decimal(100_000), tick_size=Decimal("0.01"),
    batch_indicators=True))
rows = repr([(t.entry_ts_ns, t.entry_price, t.exit_ts_ns, t.exit_price, t.pnl, t.fees)
             for t in r.trades]) + repr((r.final_cash, r.final_equity, r.orders, r.fills))
print(aitrader.compiled.active(), len(r.trades), hashlib.sha256(rows.encode()).hexdigest())
"""


def _run(env_pure: bool) -> tuple[str, int, str]:
    env = {k: v for k, v in os.environ.items() if k != compiled.PURE_ENV}
    if env_pure:
        env[compiled.PURE_ENV] = "1"
    out = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", BACKTEST],
                         capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    active, trades, digest = out.stdout.split()
    return active, int(trades), digest


def _classes(path: Path) -> list[ast.ClassDef]:
    return [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)]


def test_no_compiled_module_defines_a_class_with_class_options() -> None:
    """mypyc drops class keywords: a msgspec struct declared ``frozen=True, gc=False`` in a
    compiled module comes out mutable and GC-tracked. Such classes live in plain modules."""
    found = [f"{module}: {cls.name}" for module in compiled.MODULES
             for cls in _classes(compiled.source_path(module))
             if cls.keywords or any("Struct" in ast.unparse(b) for b in cls.bases)]
    assert found == []


def _module_of(path: Path) -> str:
    for top in (ROOT / "src", ROOT):
        if top in path.parents:
            return ".".join(path.relative_to(top).with_suffix("").parts)
    return path.stem


def _base_origins(path: Path) -> list[tuple[str, str, str]]:
    """(class, base as written, ``module.Name`` the base resolves to through the file's imports;
    a base defined in the file itself resolves to that file's module)."""
    tree = ast.parse(path.read_text())
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
    here = _module_of(path)
    for cls in _classes(path):
        names.setdefault(cls.name, f"{here}.{cls.name}")
    found = []
    for cls in _classes(path):
        for base in cls.bases:
            written = ast.unparse(base)
            head, _, rest = written.partition(".")
            origin = names.get(head, head) + (f".{rest}" if rest else "")
            found.append((cls.name, written, origin))
    return found


def test_no_class_outside_the_compiled_modules_subclasses_one_of_theirs() -> None:
    """A Python class cannot inherit from a mypyc-compiled one (TypeError at import)."""
    compiled_files = {compiled.source_path(m) for m in compiled.MODULES}
    theirs = {f"{m}.{c.name}" for m in compiled.MODULES
              for c in _classes(compiled.source_path(m))}
    offenders = [
        f"{path.relative_to(ROOT)}: {name}({written})"
        for tree in (ROOT / "src", ROOT / "tests", ROOT / "benchmarks")
        for path in tree.rglob("*.py")
        if path not in compiled_files and ".venv-peers" not in path.parts
        for name, written, origin in _base_origins(path)
        if origin in theirs
    ]
    assert offenders == []


def test_the_subclass_check_resolves_bases_through_imports(tmp_path: Path) -> None:
    """The check above names the class a base really is, not a namesake."""
    probe = tmp_path / "probe.py"
    probe.write_text("from aitrader.core import events as ev\n"
                     "from aitrader.core.errors import OrderRejected\n"
                     "from aitrader.core.order import Order\n"
                     "class A(OrderRejected): ...\nclass B(ev.OrderFilled): ...\n"
                     "class C(Order): ...\nclass D(A): ...\n")
    origins = {name: origin for name, _, origin in _base_origins(probe)}
    assert origins == {"A": "aitrader.core.errors.OrderRejected",
                       "B": "aitrader.core.events.OrderFilled",
                       "C": "aitrader.core.order.Order",
                       "D": "probe.A"}


@pytest.mark.skipif(os.environ.get("AITRADER_EXPECT_COMPILED") != "1",
                    reason="scripts/test.sh sets it when the compiled core was built")
def test_the_engine_core_runs_compiled() -> None:
    assert compiled.stale_reason() is None
    assert compiled.active()


def test_compiled_and_plain_python_make_the_same_trades_to_the_cent() -> None:
    plain = _run(env_pure=True)
    assert plain[0] == "False" and plain[1] > 20
    other = _run(env_pure=False)
    assert other[0] == str(compiled.stale_reason() is None and compiled.MANIFEST.exists())
    assert other[1:] == plain[1:]


def test_a_changed_source_or_a_missing_manifest_entry_makes_the_build_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled.MANIFEST.exists():
        pytest.skip("nothing compiled here")
    recorded = json.loads(compiled.MANIFEST.read_text())
    fake = tmp_path / "native_build.json"
    monkeypatch.setattr(compiled, "MANIFEST", fake)
    monkeypatch.delenv(compiled.PURE_ENV, raising=False)
    fake.write_text(json.dumps(recorded))
    assert compiled.stale_reason() is None
    recorded.setdefault("stat", {})["aitrader.core.order"] = [0, 0]  # touched: hash decides
    fake.write_text(json.dumps(recorded))
    assert compiled.stale_reason() is None
    recorded["sources"]["aitrader.core.order"] = "0" * 64  # edited
    fake.write_text(json.dumps(recorded))
    assert compiled.stale_reason() == "order.py changed after the build"
    del recorded["sources"]["aitrader.core.order"]
    fake.write_text(json.dumps(recorded))
    assert compiled.stale_reason() == "aitrader.core.order was not compiled"
    fake.write_text("{")
    assert "unreadable" in (compiled.stale_reason() or "")


def test_a_stale_build_imports_every_listed_module_from_its_source(tmp_path: Path) -> None:
    if not compiled.MANIFEST.exists():
        pytest.skip("nothing compiled here")
    probe = ("import warnings, sys\n"
             "import aitrader.compiled as c\n"
             "c.MANIFEST = c.MANIFEST.with_name('missing.json')\n"  # as if edited after a build
             "c._state.clear()\n"
             "with warnings.catch_warnings(record=True) as w:\n"
             "    warnings.simplefilter('always')\n"
             "    c.guard()\n"
             "import aitrader.engine.trading_engine, aitrader.core.order\n"
             "print(len(w), [sys.modules[m].__file__.endswith('.py') for m in\n"
             "       ('aitrader.engine.trading_engine', 'aitrader.core.order')])\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT,
                         env={k: v for k, v in os.environ.items() if k != compiled.PURE_ENV})
    assert out.stdout.split(maxsplit=1) == ["1", "[True, True]\n"]


def test_an_extension_left_by_an_older_build_is_found(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A module dropped from the list keeps its old extension until the next build, and that
    extension would shadow the edited source: the guard must see it."""
    tag = next(s for s in importlib.machinery.EXTENSION_SUFFIXES if s.startswith(".cpython"))
    for rel in ("strategies/base", "core/order", "native__mypyc"):
        path = tmp_path / f"{rel}{tag}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    monkeypatch.setattr(compiled, "PACKAGE_DIR", tmp_path)
    monkeypatch.delenv(compiled.PURE_ENV, raising=False)
    assert compiled.stray_extensions() == ["aitrader.strategies.base"]
    assert "aitrader.strategies.base" in (compiled.stale_reason() or "")
