"""The composition root of the desktop app (STYLE "One composition root").

Builds the QApplication, the lanes, the workspace and the shell, and passes collaborators in;
nothing below reaches back here. ``carebook`` without a command lands here (see
:mod:`carebook.__main__`); ``carebook demo`` makes the demo store first and then lands here.

Imports are kept lean until the sign-in window is on screen: the benchmark ``bench/ui.py``
measures process start to sign-in window (target under 1.5 s).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

ENV_SHOWN_MARK = "CAREBOOK_PRINT_SHOWN"  # bench/ui.py: print a mark when sign-in is painted


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="carebook", add_help=True)
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--lang", choices=["fi", "sv", "en"])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def _qt_translations(app: object, language: str) -> list[object]:
    """Load Qt's own ``qtbase_<lang>.qm`` so stock dialogs (colour, file) speak the language."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    if language == "en":
        return []
    translator = QTranslator()
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", path):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        return [translator]
    return []


def run_gui(argv: Sequence[str] | None = None, *, data_dir: Path | None = None) -> int:
    """Open the app; returns the exit status when the last window closes."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from carebook import logs, paths
    from carebook.i18n import set_language
    from carebook.ui.lanes import Lane
    from carebook.ui.workspace import Workspace

    directory = data_dir or paths.data_dir(args.data_dir)
    logs.setup(directory / "logs", verbose=args.verbose)
    app = QApplication.instance() or QApplication(["carebook"])
    app.setApplicationName("carebook")
    app.setOrganizationName("carebook")
    workspace = Workspace(data_dir=directory, db_lane=Lane("db"), net_lane=Lane("net"))
    language = set_language(args.lang or workspace.settings.effective_language())
    keep = _qt_translations(app, language)
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=app)
    if os.environ.get(ENV_SHOWN_MARK):
        shell.first_window_shown.connect(lambda: print("shown", flush=True))
    shell.start()
    try:
        return int(app.exec())
    finally:
        del keep
        shell.shutdown()
        logs.shutdown()


def run_demo_gui(argv: Sequence[str]) -> int:
    """``carebook demo``: make (or reuse) the demo store, then open the app on it."""
    from carebook import paths
    from carebook.model.services import demo

    args = parse_args(argv)
    directory = paths.data_dir(args.data_dir)
    demo.ensure_demo(directory)
    return run_gui(argv, data_dir=directory)
