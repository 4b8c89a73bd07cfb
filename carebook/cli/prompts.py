"""Passwords for the CLI: from a prompt, or for scripts from the environment.

``CAREBOOK_PASSWORD`` holds the acting user's password and ``CAREBOOK_NEW_PASSWORD`` a password
being set (a new user's, a changed or reset one). Neither is ever echoed, logged or put in an
error message; both are registered with the log redactor as soon as they are read.
"""

from __future__ import annotations

import getpass
import os
import sys

from carebook import logs
from carebook.errors import ValidationError
from carebook.i18n import N_, _
from carebook.model.services import accounts

PASSWORD_ENV = "CAREBOOK_PASSWORD"  # noqa: S105 - the variable's name, not a password
NEW_PASSWORD_ENV = "CAREBOOK_NEW_PASSWORD"  # noqa: S105 - a name
RECOVERY_ENV = "CAREBOOK_RECOVERY_CODE"


class NoTerminalError(ValidationError):
    code = "no_terminal"
    default_template = N_(
        "A password is needed but there is no terminal to ask it on. Set %(env)s."
    )


def _ask(prompt: str, env: str) -> str:
    if not sys.stdin.isatty():
        raise NoTerminalError(env=env)
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise NoTerminalError(env=env) from None


def acting_password(username: str) -> str:
    """The acting user's password: ``CAREBOOK_PASSWORD`` or a prompt."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = _ask(_("Password for %(user)s: ") % {"user": username}, PASSWORD_ENV)
    logs.add_secrets([password])
    return password


def new_password(username: str) -> str:
    """A password being set for ``username``: ``CAREBOOK_NEW_PASSWORD`` or a prompt twice."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is None:
        password = _ask(_("New password for %(user)s: ") % {"user": username}, NEW_PASSWORD_ENV)
        again = _ask(_("Repeat the new password: "), NEW_PASSWORD_ENV)
        if again != password:
            raise ValidationError(N_("The passwords do not match."), code="password_mismatch")
    logs.add_secrets([password])
    check_password_strength(password)
    return password


def recovery_code() -> str:
    """The recovery code: ``CAREBOOK_RECOVERY_CODE`` or a prompt."""
    code = os.environ.get(RECOVERY_ENV)
    if code is None:
        code = _ask(_("Recovery code: "), RECOVERY_ENV)
    logs.add_secrets([code])
    return code


def check_password_strength(password: str) -> None:
    """Refuse a too short password before any work is done (the services check it too)."""
    accounts.check_password(password)
