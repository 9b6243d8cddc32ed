"""The package layout's rules: import tiers (import-linter) and small source files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# Reviewed exceptions: none yet. Add "path: reason" entries here, never silently.
ALLOWED_LONG: dict[str, str] = {}


def test_packages_import_only_lower_tiers_and_pure_tiers_stay_pure() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint), "--config", str(REPO / "pyproject.toml")],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_source_files_stay_under_the_line_limit() -> None:
    too_long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "src").rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
        and str(p.relative_to(REPO)) not in ALLOWED_LONG
    }
    assert too_long == {}


def test_no_module_is_named_utils_or_helpers() -> None:
    bad = [p for p in (REPO / "src").rglob("*.py") if p.stem in {"utils", "helpers", "misc"}]
    assert bad == []
