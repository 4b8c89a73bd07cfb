"""``carebook`` opens the app (issue 4 item 1): routing between the app and the CLI, the startup
mark bench/ui.py reads, and one-line errors (never a traceback) before a window exists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carebook.__main__ import route


def _run(*args: str, env_extra: dict[str, str] | None = None, timeout: int = 60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CAREBOOK_LANG="en",
               **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "carebook", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(("argv", "where"), [
    ([], "gui"),
    (["--data-dir", "x", "--lang", "fi"], "gui"),
    (["--data-dir=x", "--verbose"], "gui"),
    (["demo"], "demo-gui"),
    (["--data-dir", ".demo", "demo"], "demo-gui"),
    (["demo", "--headless"], "cli"),
    (["demo", "--help"], "cli"),
    (["--help"], "cli"),
    (["--version"], "cli"),
    (["client", "list"], "cli"),
    (["--user", "hoitaja1", "client", "list"], "cli"),
])
def test_command_lines_go_to_the_app_or_the_cli(argv, where):
    assert route(argv) == where


def test_the_app_starts_on_a_store_and_marks_the_sign_in_window_shown(demo_dir: Path):
    done = _run("--data-dir", str(demo_dir), env_extra={"CAREBOOK_PRINT_SHOWN": "quit"})
    assert done.returncode == 0, done.stderr
    mark = [line for line in done.stdout.splitlines() if line.startswith("shown ")]
    assert len(mark) == 1 and float(mark[0].split()[1]) > 0
    assert "Traceback" not in done.stderr


def test_first_start_opens_the_wizard_and_makes_nothing(tmp_path: Path):
    folder = tmp_path / "new-home"
    done = _run("--data-dir", str(folder), env_extra={"CAREBOOK_PRINT_SHOWN": "quit"})
    assert done.returncode == 0, done.stderr
    assert "shown" in done.stdout
    assert not (folder / "carebook.db").exists()


def test_a_data_folder_that_is_a_file_is_one_line(tmp_path: Path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    done = _run("--data-dir", str(not_a_folder))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"The data folder {not_a_folder} is a file, not a folder. Give a folder with "
        "--data-dir."]
    done = _run("--data-dir", str(not_a_folder), "demo")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_command_line_still_answers_help():
    done = _run("--help")
    assert done.returncode == 0 and "COMMAND" in done.stdout


def test_every_icon_renders_sharp_at_high_dpi(qapp):
    """Issue 4 item 9: SVG icons are drawn at the screen's pixel ratio, not scaled up."""
    from PySide6.QtCore import QSize

    from carebook.ui.icons import NAMES, icon, path_of

    for name in NAMES:
        assert path_of(name).is_file(), name
        image = icon(name).pixmap(QSize(32, 32), 2.0).toImage()
        assert (image.width(), image.height()) == (64, 64), name
        opaque = sum(1 for x in range(64) for y in range(64) if image.pixelColor(x, y).alpha())
        assert opaque > 40, name  # something is drawn
    assert icon("no-such-icon").isNull()
