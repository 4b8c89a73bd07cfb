"""What the CLI prints: plain lines and tables on stdout, one error line on stderr.

A test store says so on every command, at the top and at the bottom, so that nobody mistakes
training data for real client records. The banner goes to stderr, so that stdout pipes cleanly
(``carebook unit list | head``) and still nobody at the terminal misses it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from carebook.i18n import _


class Output:
    """Writes a command's results; frames them with the test-store banner when it applies."""

    def __init__(self, stream: TextIO | None = None, err: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self._err = err or sys.stderr
        self._test_store = False

    def test_store(self) -> None:
        """Mark the output as coming from a test store (prints the header once)."""
        if not self._test_store:
            self._test_store = True
            self._stream.flush()
            print(self.banner(), file=self._err)

    @staticmethod
    def banner() -> str:
        return _("*** TEST STORE: training data only, not real client records ***")

    def line(self, text: str = "") -> None:
        print(text, file=self._stream)

    def field(self, label: str, value: object) -> None:
        self.line(f"{label}: {'' if value is None else value}")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A left-aligned text table; an empty list prints a translated 'nothing' line."""
        if not rows:
            self.line(_("(none)"))
            return
        cells = [[str(h) for h in headers]] + [
            ["" if v is None else str(v) for v in row] for row in rows
        ]
        widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
        for n, row in enumerate(cells):
            self.line("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.line("  ".join("-" * w for w in widths))

    def notice(self, text: str) -> None:
        """A progress line on stderr (keeps stdout clean for pipes)."""
        print(text, file=self._err, flush=True)

    def error(self, text: str) -> None:
        """One line on stderr (the caller exits non-zero)."""
        one_line = " ".join(text.split())
        label = _("error")
        print(f"carebook: {label}: {one_line}", file=self._err)

    def finish(self) -> None:
        """The footer: the test-store banner again when the store is a test store."""
        self._stream.flush()
        if self._test_store:
            print(self.banner(), file=self._err)
        self._err.flush()
