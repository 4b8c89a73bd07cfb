"""Smoke test of the desktop-app benchmark (issue 4 item 11) with tiny numbers.

It runs the real thing — the app started as a subprocess up to its painted sign-in window,
the main window over a store written through the services — and checks what it reports,
never how long anything took.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ui as bench_ui  # noqa: E402


@pytest.mark.slow
def test_bench_ui_prints_both_figures_and_verdicts(tmp_path: Path, qapp: object,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "store"
    argv = ["--entries", "120", "--starts", "1", "--reps", "2", "--pages", "2",
            "--data-dir", str(data_dir)]
    assert bench_ui.main(argv) == 0
    out = capsys.readouterr().out
    assert "120 entries for one client" in out
    assert re.search(r"\(a\) process start -> sign-in window painted, 1 runs: median \d", out)
    assert re.search(r"\(b\) select a client with 120 entries -> first page painted, 2 runs", out)
    assert re.search(r"target < 1.5 s: (met|NOT met)", out)
    assert re.search(r"target < 150 ms: (met|NOT met)", out)
    assert re.search(r"scrolling 2 pages \(120 rows loaded\): longest GUI-thread stall", out)
