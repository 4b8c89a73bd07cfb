"""CLI test helpers: run the real ``carebook`` command in a subprocess against a temp store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from stdnum.fi import hetu as stdnum_hetu

from carebook.model.keyslots import SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.model.services import accounts, units

ADMIN = "admin"
ADMIN_PASSWORD = "admin-password-1"
PRODUCER_OID = "1.2.246.10.12345678.10"
UNIT_OID = "1.2.246.10.12345678.10.1"
UNIT2_OID = "1.2.246.10.12345678.10.2"
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(birth: str = "010190", individual: int = 900, century: str = "-") -> str:
    """An identity code with a valid check character. Tests use Kela's test series
    (individual number 900–999); other numbers only to show that a test store refuses them."""
    digits = f"{birth}{individual:03d}"
    code = f"{birth}{century}{individual:03d}{CHECK[int(digits) % 31]}"
    assert stdnum_hetu.is_valid(code, allow_temporary=True)
    return code


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


def make_cli(root: Path) -> Cli:
    """A runner whose data directory and home are inside ``root``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREBOOK_")}
    env.update(
        HOME=str(root / "home"),
        CAREBOOK_LANG="en",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        XDG_DATA_HOME=str(root / "xdg-data"),
        XDG_CONFIG_HOME=str(root / "xdg-config"),
    )
    return Cli(data_dir=root / "data", env=env)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return make_cli(tmp_path)


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


# Argon2id at its minimum cost. The cost is stored in each key slot, so a store whose slots
# were made in process with this policy unlocks quickly in the CLI subprocesses too; the
# production default (about 0.5 s per unlock) is untouched and used by the init tests.
FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)


def fast_store(root: Path, *, test_mode: bool = True,
               users: Sequence[tuple[str, str, str]] = ()) -> Cli:
    """A store made in process with cheap key slots: admin, ``units`` and ``users``
    (username, password, unit OID). Returns a CLI runner for it."""
    cli = make_cli(root)
    init = dict(producer_name="Hoivakoti Kuusela Oy", business_id="2910052-3",
                producer_oid=PRODUCER_OID, admin_username=ADMIN, admin_first="Aino",
                admin_last="Ylläpitäjä", admin_title="Toimitusjohtaja",
                password=ADMIN_PASSWORD, test_mode=test_mode, policy=FAST)
    accounts.init_store(cli.data_dir, **init)  # type: ignore[arg-type]
    store, admin = accounts.sign_in(cli.data_dir, ADMIN, ADMIN_PASSWORD, policy=FAST)
    try:
        for name, oid in (("Palvelutalo Kuusela", UNIT_OID), ("Kotihoito Kuusela", UNIT2_OID)):
            units.add_unit(store, admin, name=name, oid=oid)
        for n, (username, password, unit) in enumerate(users):
            accounts.add_user(store, admin, username=username, password=password,
                              first_name="Hoitaja", last_name=("Aalto", "Berg", "Castren")[n],
                              title="Lähihoitaja", roles=("care_worker",), unit_oids=(unit,))
    finally:
        store.close()
    return cli
