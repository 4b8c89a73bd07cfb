"""Entry point: ``carebook`` (``python -m carebook``).

Subcommands run headless through :mod:`carebook.cli`. Without a command the desktop UI will
open; until it exists, the command-line help is printed.
"""

from __future__ import annotations

import sys

from carebook.cli import main as cli_main


def main() -> int:
    """Run carebook with the process's arguments; returns the exit status."""
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
