"""The headless command line: ``carebook [--data-dir DIR] [--user NAME] [--lang L] COMMAND``.

Every command calls the same services as the desktop UI. This module turns errors into text:
a :class:`~carebook.errors.CarebookError` becomes one translated line on stderr (exit 1), a
usage mistake one line too (exit 2), and anything unexpected a generic line with the details
only in the log file, never a traceback on screen.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from carebook import __version__, logs, paths
from carebook.cli.context import chosen_data_dir
from carebook.cli.output import Output
from carebook.errors import CarebookError
from carebook.i18n import _, set_language

log = logging.getLogger("carebook.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[..., int | None]


class UsageError(Exception):
    """A command line that argparse (or a command) could not accept."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (the default prints usage plus the message)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> Parser:
    """The full parser (help texts in the current language)."""
    from carebook.cli import (
        commands_audit,
        commands_clients,
        commands_demo,
        commands_documents,
        commands_staff,
        commands_store,
    )

    parser = Parser(
        prog="carebook",
        description=_("carebook: client records for social-care producers (command line)."),
    )
    parser.add_argument("--version", action="version", version=f"carebook {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help=_("data directory (default: CAREBOOK_HOME or the user data folder)"))
    parser.add_argument("--user", metavar="NAME",
                        help=_("the acting staff user (default: CAREBOOK_USER)"))
    parser.add_argument("--lang", choices=["fi", "sv", "en"],
                        help=_("language of messages (default: CAREBOOK_LANG or the system's)"))
    parser.add_argument("--verbose", action="store_true",
                        help=_("also show warnings from the log on screen"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in (commands_store, commands_staff, commands_clients, commands_documents,
                   commands_audit, commands_demo):
        module.register(sub)
    return parser


GLOBAL_WITH_VALUE = ("--data-dir", "--user", "--lang")
GLOBAL_FLAGS = ("--verbose",)


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """Move the global options to the front, so ``carebook client list --user U`` works like
    ``carebook --user U client list`` (argparse accepts them only before the command)."""
    front: list[str] = []
    rest: list[str] = []
    args = list(argv)
    n = 0
    while n < len(args):
        arg = args[n]
        if arg == "--":
            rest += args[n:]
            break
        if arg in GLOBAL_WITH_VALUE and n + 1 < len(args):
            front += args[n:n + 2]
            n += 2
            continue
        if arg in GLOBAL_FLAGS or ("=" in arg and arg.split("=", 1)[0] in GLOBAL_WITH_VALUE):
            front.append(arg)
        else:
            rest.append(arg)
        n += 1
    return front + rest


def _language_from(argv: Sequence[str]) -> str | None:
    """``--lang`` read before parsing, so that help and errors are already translated."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _data_dir_option(argv: Sequence[str]) -> str | None:
    override = None
    for n, arg in enumerate(argv):
        if arg == "--data-dir" and n + 1 < len(argv):
            override = argv[n + 1]
        elif arg.startswith("--data-dir="):
            override = arg.split("=", 1)[1]
    return override


def _log_dir(argv: Sequence[str]) -> Path | None:
    """The log folder inside the data directory (not created here), or None."""
    try:
        return chosen_data_dir(_data_dir_option(argv)) / "logs"
    except OSError:
        return None


def _has_store(log_dir: Path | None) -> bool:
    try:
        return log_dir is not None and paths.store_path(log_dir.parent).is_file()
    except OSError:
        return False


def _path_problem(exc: OSError) -> str:
    """One line naming the path an operating-system error is about."""
    reason = exc.strerror or exc.__class__.__name__
    if exc.filename is None:
        return _("A file could not be used: %(reason)s.") % {"reason": reason}
    return _("Cannot use %(path)s: %(reason)s.") % {"path": exc.filename, "reason": reason}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 error, 2 usage, 130 interrupted)."""
    args_list = hoist_global_options(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(args_list))
    out = Output()
    log_dir = _log_dir(args_list)
    # The log file is made only where a store is (or gets made): a failing command on a
    # mistyped --data-dir leaves no empty logs folder behind.
    logs.setup(log_dir, verbose="--verbose" in args_list, defer=not _has_store(log_dir))
    try:
        return _run(args_list, out)
    except UsageError as exc:
        hint = _("see carebook --help")
        out.error(f"{exc} ({hint})")
        return EXIT_USAGE
    except CarebookError as exc:
        log.info("command failed: %s", exc.code)
        out.error(exc.message())
        return EXIT_ERROR
    except KeyboardInterrupt:
        out.error(_("Cancelled."))
        return EXIT_INTERRUPTED
    except OSError as exc:
        log.warning("file problem: %s", exc)
        out.error(_path_problem(exc))
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - the last line of defence: never a traceback on screen
        log.exception("unexpected error")
        log_file = logs.open_file()
        if log_file is None:
            out.error(_("An unexpected error occurred; nothing more was done. The details "
                        "could not be written to a log file."))
        else:
            out.error(_("An unexpected error occurred; nothing more was done. Details are in "
                        "%(log)s.") % {"log": log_file})
        return EXIT_ERROR
    finally:
        out.finish()
        if _has_store(log_dir):
            logs.open_file()
        logs.shutdown()


def _run(argv: list[str], out: Output) -> int:
    from carebook.cli.context import Context

    parser = build_parser()
    args = parser.parse_args(argv)
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_OK
    log.info("command %s", args.command)
    result = func(Context(args=args, out=out))
    return EXIT_OK if result is None else int(result)
