"""Compile the engine's hot path (aitrader.compiled.MODULES) with mypyc, in place.

    .venv/bin/python scripts/build_native.py          # build them unless they are current
    .venv/bin/python scripts/build_native.py --force  # rebuild
    .venv/bin/python scripts/build_native.py --clean  # remove them: plain Python again
    .venv/bin/python scripts/build_native.py --require  # fail (exit 1) instead of going on
                                                        # as plain Python (the test suite)

The extensions land next to their sources (src/aitrader/...), with src/aitrader/native_build.json
recording the SHA-256 of each compiled source; the package refuses a stale build and imports the
sources instead (aitrader.compiled.guard). Needs a C compiler and the Python headers; without
them the script says so and exits 0, and aitrader runs as plain Python.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
BUILD = ROOT / "build" / "native"
sys.path.insert(0, str(SRC))
os.environ["AITRADER_PURE_PYTHON"] = "1"  # this process must not load an old build
from aitrader.compiled import (  # noqa: E402
    MANIFEST,
    MODULES,
    PACKAGE_DIR,
    PURE_ENV,
    digest,
    source_path,
    stale_reason,
    stat_key,
)

GROUP = "aitrader.native"


def clean() -> None:
    """Remove every compiled module and the manifest."""
    MANIFEST.unlink(missing_ok=True)
    for ext in PACKAGE_DIR.rglob("*.so"):
        ext.unlink()


def can_compile() -> str | None:
    """Why this machine cannot build (None: it can)."""
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.exists():
        return f"no Python headers ({include})"
    if shutil.which(os.environ.get("CC", "cc")) is None and shutil.which("gcc") is None:
        return "no C compiler"
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return "mypyc is not installed (pip install mypy)"
    return None


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    clean()
    # what the build compiles, recorded before it reads the sources: a file edited during the
    # build then shows as changed, never as compiled
    manifest = {"sources": {m: digest(source_path(m)) for m in MODULES},
                "stat": {m: stat_key(source_path(m)) for m in MODULES}}
    sources = [str(source_path(m).relative_to(SRC)) for m in MODULES]
    os.chdir(SRC)
    ext_modules = mypycify(["--config-file", str(ROOT / "pyproject.toml"), *sources],
                           group_name=GROUP, opt_level="3", target_dir=str(BUILD / "c"))
    setup(name="aitrader-native", ext_modules=ext_modules, script_args=[
        "--quiet", "build_ext", "--inplace", "--build-temp", str(BUILD / "temp"),
        "--build-lib", str(BUILD / "lib")])
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")


def main() -> int:
    if "--clean" in sys.argv[1:]:
        clean()
        print("build_native: removed the compiled modules (plain Python)")
        return 0
    del os.environ[PURE_ENV]
    if "--force" not in sys.argv[1:] and MANIFEST.exists() and stale_reason() is None:
        print("build_native: the compiled modules match their sources (--force rebuilds)")
        return 0
    os.environ[PURE_ENV] = "1"
    reason = can_compile()
    if reason is not None:
        print(f"build_native: not compiling ({reason}); aitrader runs as plain Python")
        return 1 if "--require" in sys.argv[1:] else 0
    build()
    print(f"build_native: compiled {len(MODULES)} modules into {PACKAGE_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
