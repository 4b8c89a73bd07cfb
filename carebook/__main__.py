"""Entry point: ``carebook`` (``python -m carebook``).

Without a command (only global options such as ``--data-dir`` or ``--lang``) the desktop app
opens; ``carebook demo`` without ``--headless`` opens it on the demo store. Every other command
line — ``--help``, ``--version`` and all subcommands — runs headless through :mod:`carebook.cli`.

The process start is read first, before any other import, for the startup benchmark
(``CAREBOOK_PRINT_SHOWN``, see :mod:`carebook.app`). Nothing heavy is imported here: the GUI
path must not pay for the CLI's parser, nor the CLI for Qt.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # the benchmark's fallback zero where /proc is unavailable

import sys  # noqa: E402 - after the start mark on purpose

_WITH_VALUE = ("--data-dir", "--user", "--lang")
_FLAGS = ("--verbose",)


def _commands(argv: list[str]) -> list[str]:
    """``argv`` without the global options (and their values)."""
    rest: list[str] = []
    n = 0
    while n < len(argv):
        arg = argv[n]
        if arg in _WITH_VALUE:
            n += 2
            continue
        if arg not in _FLAGS and arg.split("=", 1)[0] not in _WITH_VALUE:
            rest.append(arg)
        n += 1
    return rest


def route(argv: list[str]) -> str:
    """Where a command line goes: ``gui``, ``demo-gui`` or ``cli``."""
    rest = _commands(argv)
    if not rest:
        return "gui"
    if rest[0] == "demo" and not any(a in ("--headless", "-h", "--help") for a in rest[1:]):
        return "demo-gui"
    return "cli"


def main() -> int:
    """Run carebook with the process's arguments; returns the exit status."""
    argv = sys.argv[1:]
    where = route(argv)
    if where == "cli":
        from carebook.cli import main as cli_main

        return cli_main(argv)
    from carebook import app

    if where == "demo-gui":
        return app.run_demo_gui(argv)
    return app.run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
