"""What every CLI command gets: the parsed options, the data directory, output and sign-in."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from carebook import paths
from carebook.cli import prompts
from carebook.cli.output import Output
from carebook.errors import CarebookError, ValidationError
from carebook.i18n import N_, _
from carebook.model.access import StaffSession
from carebook.model.keyslots import KeySlots
from carebook.model.services import accounts
from carebook.model.store import Store
from carebook.paths import slots_path, store_path

USER_ENV = "CAREBOOK_USER"


class DataDirIsFileError(ValidationError):
    code = "data_dir_is_file"
    default_template = N_("The data folder %(path)s is a file, not a folder. Give a folder "
                          "with --data-dir.")


def chosen_data_dir(override: str | None) -> Path:
    """The data directory the user chose (``--data-dir``, ``CAREBOOK_HOME`` or the
    platform's), not created: the commands that make a store create it."""
    if override:
        chosen = Path(override)
    elif os.environ.get(paths.ENV_HOME):
        chosen = Path(os.environ[paths.ENV_HOME])
    else:
        chosen = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    return chosen.expanduser()


@dataclass
class Context:
    """The state of one CLI run (built by :func:`carebook.cli.main`)."""

    args: argparse.Namespace
    out: Output = field(default_factory=Output)
    password: str | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        """The data directory (``--data-dir``, ``CAREBOOK_HOME`` or the platform's).

        Raises:
            DataDirIsFileError: the path names a file.
        """
        chosen = chosen_data_dir(self.args.data_dir)
        if chosen.exists() and not chosen.is_dir():
            raise DataDirIsFileError(path=str(chosen))
        return chosen

    def username(self) -> str:
        """The acting user: ``--user``, else ``CAREBOOK_USER``."""
        name = self.args.user or os.environ.get(USER_ENV)
        if not name:
            raise ValidationError(
                N_("Say who you are with --user NAME (or set CAREBOOK_USER)."),
                code="no_user",
            )
        return str(name)

    def _announce_wait(self, user: str) -> None:
        """Say why nothing happens for a while: failed sign-ins slow the next one down."""
        try:
            wait = KeySlots.load(slots_path(store_path(self.data_dir))).wait_seconds(user)
        except (CarebookError, OSError):
            return  # sign-in itself reports what is wrong with the store
        if wait > 0:
            self.out.notice(_("Waiting %(n)s s after earlier failed sign-ins…")
                            % {"n": math.ceil(wait)})

    @contextmanager
    def signed_in(self) -> Iterator[tuple[Store, StaffSession]]:
        """Unlock the store as the acting user; the store is closed when the block ends."""
        user = self.username()
        password = self.password or prompts.acting_password(user)
        self._announce_wait(user)
        store, staff = accounts.sign_in(self.data_dir, user, password)
        self.password = password  # asked once per run (``user passwd`` needs it again)
        try:
            if staff.test_mode:
                self.out.test_store()
            yield store, staff
        finally:
            store.close()
