"""CLI test helpers: run the real ``carebook`` command in a subprocess against a temp store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from stdnum.fi import hetu as stdnum_hetu

ADMIN = "admin"
ADMIN_PASSWORD = "admin-password-1"
PRODUCER_OID = "1.2.246.10.12345678.10"
UNIT_OID = "1.2.246.10.12345678.10.1"


def test_hetu(birth: str = "010190", individual: int = 900, century: str = "-") -> str:
    """A Kela test-series identity code (individual number 900–999) with its check char."""
    body = f"{birth}{century}{individual:03d}"
    digits = f"{birth}{individual:03d}"
    return body + stdnum_hetu._calc_checksum(digits)  # noqa: SLF001


test_hetu.__test__ = False  # type: ignore[attr-defined]


def real_series_hetu(birth: str = "010190", individual: int = 123, century: str = "-") -> str:
    """A valid code outside the test series (refused by a test store, accepted by a normal one)."""
    return test_hetu(birth, individual, century)


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """Runs ``python -m carebook --data-dir DIR ...`` with passwords in the environment."""

    data_dir: Path
    env: dict[str, str]

    def __call__(self, *args: str, user: str | None = None, password: str | None = None,
                 new_password: str | None = None, extra_env: Mapping[str, str] | None = None,
                 stdin: str | None = None) -> Result:
        env = dict(self.env)
        if password is not None:
            env["CAREBOOK_PASSWORD"] = password
        if new_password is not None:
            env["CAREBOOK_NEW_PASSWORD"] = new_password
        env.update(extra_env or {})
        argv = [sys.executable, "-m", "carebook", "--data-dir", str(self.data_dir)]
        if user:
            argv += ["--user", user]
        proc = subprocess.run(argv + list(args), env=env, capture_output=True, text=True,
                              input=stdin, timeout=300)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kw: str | None) -> str:
        res = self(*args, **kw)  # type: ignore[arg-type]
        assert res.code == 0, f"{args} failed ({res.code}): {res.err}\n{res.out}"
        return res.out

    def as_admin(self, *args: str) -> str:
        return self.ok(*args, user=ADMIN, password=ADMIN_PASSWORD)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREBOOK_")}
    env.update(
        HOME=str(tmp_path / "home"),
        CAREBOOK_LANG="en",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
    )
    return Cli(data_dir=tmp_path / "data", env=env)


def init_args(*, test_mode: bool) -> list[str]:
    args = ["init", "--producer-name", "Hoivakoti Kuusela Oy", "--business-id", "0737546-2",
            "--producer-oid", PRODUCER_OID, "--admin-username", ADMIN, "--admin-first", "Aino",
            "--admin-last", "Ylläpitäjä", "--admin-title", "Toimitusjohtaja"]
    return args + (["--test-mode"] if test_mode else [])


InitStore = Callable[..., str]


@pytest.fixture
def init_store(cli: Cli) -> InitStore:
    """Makes the store through ``carebook init``; returns init's output."""

    def make(*, test_mode: bool = True) -> str:
        return cli.ok(*init_args(test_mode=test_mode), new_password=ADMIN_PASSWORD)

    return make
