"""The engine's hot path compiled with mypyc, and the guard that never runs a stale build.

``scripts/build_native.py`` compiles :data:`MODULES` (the order path: orders, positions,
accounts, the engine loop, the simulated exchange, the portfolio and the pre-trade risk) into C
extensions next to their sources, and writes :data:`MANIFEST` with the SHA-256 (and size and
mtime) of each source it compiled. The same code runs as plain Python when nothing is built.

An extension shadows its ``.py`` file, so a source edited after the build would silently not
run. :func:`guard` (called when the package is imported) therefore compares every source with
the manifest; when one differs, when an extension is missing, or when ``AITRADER_PURE_PYTHON=1``
is set, it makes Python import *all* of these modules from their sources. All or none: the
compiled modules call each other's classes directly, so a mix would hold two different
``Order`` classes.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST = PACKAGE_DIR / "native_build.json"
PURE_ENV = "AITRADER_PURE_PYTHON"

MODULES: tuple[str, ...] = (
    "aitrader.core.account",
    "aitrader.core.commands",
    "aitrader.core.enums",
    "aitrader.core.events",
    "aitrader.core.instrument",
    "aitrader.core.money",
    "aitrader.core.order",
    "aitrader.core.order_terms",
    "aitrader.core.position",
    "aitrader.core.record",
    "aitrader.engine.bus",
    "aitrader.engine.clock",
    "aitrader.engine.contingent_orders",
    "aitrader.engine.indicator_feed",
    "aitrader.engine.order_manager",
    "aitrader.engine.sparse_replay",
    "aitrader.engine.strategy_runner",
    "aitrader.engine.trading_engine",
    "aitrader.portfolio.attribution",
    "aitrader.portfolio.fill_snapshots",
    "aitrader.portfolio.portfolio",
    "aitrader.portfolio.trade_log",
    "aitrader.risk.order_checks",
    "aitrader.risk.pre_trade",
    "aitrader.risk.risk_engine",
    "aitrader.venues.simulated.account_views",
    "aitrader.venues.simulated.bar_path",
    "aitrader.venues.simulated.exchange",
    "aitrader.venues.simulated.fill_models",
    "aitrader.venues.simulated.funds",
    "aitrader.venues.simulated.order_rules",
    "aitrader.venues.simulated.working_order",
)
"""Modules compiled by ``scripts/build_native.py`` (none of them may define a class that code
outside the list subclasses, nor a msgspec struct)."""


def source_path(module: str) -> Path:
    """The ``.py`` file of one of :data:`MODULES`."""
    return PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    import hashlib  # only when a source's size or mtime moved since the build

    return hashlib.sha256(path.read_bytes()).hexdigest()


def stat_key(path: Path) -> list[int]:
    """(size, mtime in ns) of a file: when both match the build's, the source is unchanged
    without hashing it (the guard runs on every ``import aitrader``)."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _extension(module: str) -> Path | None:
    src = source_path(module)
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = src.with_suffix(suffix)
        if candidate.exists():
            return candidate
    return None


def stray_extensions() -> list[str]:
    """Modules outside :data:`MODULES` with a compiled extension (left by an older build)."""
    suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
    found = set()
    for path in PACKAGE_DIR.rglob("*.so"):
        suffix = next((s for s in suffixes if path.name.endswith(s)), ".so")
        parts = path.relative_to(PACKAGE_DIR).with_name(path.name[: -len(suffix)]).parts
        module = ".".join(("aitrader", *parts))
        if module not in MODULES and not module.endswith("__mypyc"):
            found.add(module)
    return sorted(found)


def stale_reason() -> str | None:
    """Why the compiled modules must not be used (None: they are current, or none exist)."""
    if os.environ.get(PURE_ENV) == "1":
        return f"{PURE_ENV}=1"
    strays = stray_extensions()
    if strays:
        return f"{strays[0]} has an extension but is not in the compiled list"
    if not MANIFEST.exists():
        built = [m for m in MODULES if _extension(m) is not None]
        return f"{len(built)} compiled modules without {MANIFEST.name}" if built else None
    try:
        manifest = json.loads(MANIFEST.read_text())
        recorded, stats = manifest["sources"], manifest.get("stat", {})
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"{MANIFEST.name} is unreadable ({exc})"
    for module in MODULES:
        if module not in recorded or _extension(module) is None:
            return f"{module} was not compiled"
        src = source_path(module)
        if stats.get(module) != stat_key(src) and digest(src) != recorded[module]:
            return f"{src.name} changed after the build"
    return None


class _SourceFirst:
    """A meta path finder that imports the listed modules from their ``.py`` files."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = frozenset(modules)

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(fullname))


_state: dict[str, str | None] = {}


def guard() -> None:
    """Import the compiled modules only when all of them match their sources (idempotent)."""
    if "reason" in _state:
        return
    reason = _state["reason"] = stale_reason()
    if reason is None:
        return
    loaded = [m for m in MODULES if m in sys.modules]
    if loaded:  # too late to choose: they were imported before the package (cannot happen)
        raise ImportError(f"aitrader: {loaded[0]} was imported before the compiled-core guard")
    sys.meta_path.insert(0, _SourceFirst((*MODULES, *stray_extensions())))
    if os.environ.get(PURE_ENV) != "1":
        warnings.warn(f"aitrader: not using the compiled engine core ({reason}); the Python "
                      "sources run instead (slower). Rebuild with "
                      "`.venv/bin/python scripts/build_native.py`.", RuntimeWarning, stacklevel=3)


def active() -> bool:
    """True when the engine's hot path runs compiled."""
    import aitrader.core.order

    return not (aitrader.core.order.__file__ or "").endswith(".py")
