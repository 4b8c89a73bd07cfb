"""Argument types and shared options of the CLI commands."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from carebook.i18n import _


def iso_date(text: str) -> date:
    """A ``YYYY-MM-DD`` date (argparse type; a bad value is a usage error)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date (use YYYY-MM-DD): %(value)s") % {"value": text[:20]}
        ) from None


def positive_int(text: str) -> int:
    """A whole number of 1 or more (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("not a positive whole number: %(value)s")
                                         % {"value": text[:20]})
    return value


def add_special_reason(parser: argparse.ArgumentParser) -> None:
    """``--special-reason CODE``: access without relevant connection (AC-6), logged."""
    parser.add_argument(
        "--special-reason", metavar="CODE",
        help=_("special reason for access without a relevant connection (AC-6): "
               "urgent, substitute, client-request, supervision, transfer"))


def add_client(parser: argparse.ArgumentParser) -> None:
    """``--client ID``: the client's number from 'client list', or the identity code."""
    parser.add_argument("--client", required=True, metavar="ID",
                        help=_("the client's number (see 'client list') or identity code"))


STDIN = "-"


def add_text(parser: argparse.ArgumentParser, *, required: bool = True,
             default: str | None = None) -> None:
    """``--text T``; ``--text -`` reads the text from standard input (for long texts)."""
    parser.add_argument("--text", required=required, default=default, metavar="TEXT",
                        help=_("the text; '-' reads it from standard input"))


def text_value(text: str | None) -> str | None:
    """The ``--text`` value, read from standard input when it is ``-``."""
    if text == STDIN:
        return sys.stdin.read().rstrip("\n")
    return text
