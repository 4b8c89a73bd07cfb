"""The composition root of the desktop app (STYLE "One composition root").

Builds the QApplication, the lanes, the workspace and the shell, and passes collaborators in;
nothing below reaches back here. ``carebook`` without a command lands here (see
:mod:`carebook.__main__`); ``carebook demo`` makes the demo store first and then lands here.

Imports are kept lean until the sign-in window is on screen: the benchmark ``bench/ui.py``
measures process start to sign-in window (target under 1.5 s). The store stack (SQLAlchemy,
SQLCipher, Alembic) loads on the DB lane with the first sign-in.

Failures before a window exists (a data folder that is a file, a demo store that cannot be
made) are one translated line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENV_SHOWN_MARK = "CAREBOOK_PRINT_SHOWN"  # bench/ui.py: print a mark when sign-in is painted
EXIT_OK = 0
EXIT_ERROR = 1


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The global options the app uses (the CLI's other options are ignored here)."""
    parser = argparse.ArgumentParser(prog="carebook", add_help=False)
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--lang", choices=["fi", "sv", "en"])
    parser.add_argument("--user", metavar="NAME")
    parser.add_argument("--verbose", action="store_true")
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc, 10 ms resolution; elsewhere
    since :mod:`carebook.__main__` was imported)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        from carebook.__main__ import STARTED

        return time.perf_counter() - STARTED


def qt_translations(app: Any, language: str) -> list[Any]:
    """Qt's own translations for ``language`` (see :func:`carebook.ui.shell.qt_translations`)."""
    from carebook.ui.shell import qt_translations as load

    return load(app, language)


_qt_translations = qt_translations  # the earlier name


def _fail(text: str) -> int:
    print(text, file=sys.stderr)
    return EXIT_ERROR


def guarded(work: Callable[[], int]) -> int:
    """Run ``work``; a failure becomes one translated line on stderr (exit 1)."""
    from carebook import logs
    from carebook.errors import CarebookError
    from carebook.i18n import _

    try:
        return work()
    except CarebookError as exc:
        log.info("app failed: %s", exc.code)
        return _fail(exc.message())
    except OSError as exc:
        log.warning("file problem: %s", exc)
        reason = exc.strerror or exc.__class__.__name__
        if exc.filename is None:
            return _fail(_("A file could not be used: %(reason)s.") % {"reason": reason})
        return _fail(_("Cannot use %(path)s: %(reason)s.")
                     % {"path": exc.filename, "reason": reason})
    except KeyboardInterrupt:
        return _fail(_("Cancelled."))
    except Exception:  # noqa: BLE001 - the last line of defence: never a traceback on screen
        log.exception("unexpected error")
        log_file = logs.open_file()
        if log_file is None:
            return _fail(_("An unexpected error occurred; nothing more was done."))
        return _fail(_("An unexpected error occurred; nothing more was done. Details are in "
                       "%(log)s.") % {"log": log_file})


def _data_dir(args: argparse.Namespace) -> Path:
    from carebook import paths
    from carebook.errors import ValidationError
    from carebook.i18n import N_

    chosen = Path(args.data_dir).expanduser() if args.data_dir else None
    if chosen is not None and chosen.exists() and not chosen.is_dir():
        raise ValidationError(N_("The data folder %(path)s is a file, not a folder. Give a "
                                 "folder with --data-dir."), code="data_dir_is_file",
                              path=str(chosen))
    return paths.data_dir(chosen)


def _application(language: str) -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["carebook"])
    app.setApplicationName("carebook")
    app.setOrganizationName("carebook")
    app.setApplicationDisplayName("carebook")
    from carebook.ui.icons import icon

    app.setWindowIcon(icon("app"))
    from carebook.ui.focus_style import install

    install(app)  # a focus ring a keyboard user sees at a glance (issue 4 item 9)
    return app


def _announce_shown(shell: Any, app: Any) -> None:
    mode = os.environ.get(ENV_SHOWN_MARK, "")
    if not mode:
        return

    def shown() -> None:
        print(f"shown {process_age():.3f}", flush=True)
        if mode == "quit":
            app.quit()

    shell.first_window_shown.connect(shown)


def run_gui(argv: Sequence[str] | None = None, *, data_dir: Path | None = None) -> int:
    """Open the app; returns the exit status when the last window closes."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from carebook.i18n import set_language

    set_language(args.lang)  # errors before the window are in the chosen language
    return guarded(lambda: _run(args, data_dir))


def _run(args: argparse.Namespace, data_dir: Path | None) -> int:
    from carebook import logs
    from carebook.i18n import set_language
    from carebook.ui.lanes import Lane

    directory = data_dir or _data_dir(args)
    logs.setup(directory / "logs", verbose=args.verbose)
    app = _application("en")
    from carebook.ui.workspace import Workspace

    workspace = Workspace(data_dir=directory, db_lane=Lane("db"), net_lane=Lane("net"))
    language = set_language(args.lang or workspace.settings.effective_language())
    translators = qt_translations(app, language)
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=app, translators=translators)
    _announce_shown(shell, app)
    shell.start()
    from carebook.ui.garbage import GuiThreadCollector

    collector = GuiThreadCollector(app)  # no cyclic collection on a lane thread
    try:
        return int(app.exec())
    finally:
        shell.shutdown()
        collector.stop()
        logs.shutdown()


def run_demo_gui(argv: Sequence[str]) -> int:
    """``carebook demo``: make (or reuse) the demo store, then open the app on it."""
    args = parse_args(argv)
    from carebook.i18n import _, set_language

    set_language(args.lang)

    def make() -> Path:
        from carebook.model.services import demo

        directory = _data_dir(args)
        summary = demo.ensure_demo(directory)
        from carebook.ui.signin import StoreLabel, write_label

        write_label(directory, StoreLabel(summary.producer, summary.test_mode))
        if summary.created:
            print(_("Made a new demo store."), file=sys.stderr)
        print(_("Demo users: admin, johtaja, hoitaja1, hoitaja2; every password is "
                "'%(password)s'.") % {"password": summary.password}, file=sys.stderr)
        return directory

    made: list[Path] = []

    def work() -> int:
        made.append(make())
        return EXIT_OK

    status = guarded(work)
    if status != EXIT_OK:
        return status
    return guarded(lambda: _run(args, made[0]))
