"""``carebook audit verify|export`` (issue #2 item 8; AC-8 usage log).

The tests tamper with the usage log directly in the encrypted file, with the data key opened
through the admin's key slot, as an attacker with the password and a SQLCipher shell could.
"""

from __future__ import annotations

import csv
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from carebook.model.db import _apply_key
from carebook.model.keyslots import KeySlots
from carebook.paths import slots_path, store_path
from tests.cli.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    FAST,
    UNIT2_OID,
    UNIT_OID,
    Cli,
    fast_store,
    hetu,
    make_cli,
)

COLUMNS = "at, actor, action, client_id, objects, register, reason, detail, prev_hash, hash"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with two clients and notes for each, made through the CLI."""
    root = tmp_path_factory.mktemp("audit-base")
    cli = fast_store(root)
    for n, (unit, code) in enumerate(((UNIT_OID, hetu("010140", 941)),
                                      (UNIT2_OID, hetu("020240", 942))), start=1):
        cli.as_admin("client", "add", "--hetu", code, "--first", "Asiakas",
                     "--last", ("Aalto", "Berg")[n - 1], "--unit", unit)
        cli.as_admin("note", "add", "--client", str(n), "--type", "daily", "--text", "Hyvä päivä.")
    return root


def _copy(base: Path, tmp_path: Path) -> Cli:
    shutil.copytree(base / "data", tmp_path / "data")
    return make_cli(tmp_path)


def _tamper(cli: Cli, sql: Callable[[sqlcipher3.dbapi2.Connection], None]) -> None:
    db = store_path(cli.data_dir)
    key = KeySlots.load(slots_path(db), policy=FAST).unlock(ADMIN, ADMIN_PASSWORD)
    conn = sqlcipher3.dbapi2.connect(str(db))
    try:
        _apply_key(conn, key)
        sql(conn)
        conn.commit()
    finally:
        conn.close()


def _alter(conn: sqlcipher3.dbapi2.Connection) -> None:
    conn.execute("UPDATE audit_event SET detail = 'nothing to see' WHERE id = 4")


def _remove(conn: sqlcipher3.dbapi2.Connection) -> None:
    conn.execute("DELETE FROM audit_event WHERE id = 4")


def _reorder(conn: sqlcipher3.dbapi2.Connection) -> None:
    """Swap the contents of events 4 and 5 (each keeps its row id)."""
    row4 = conn.execute(f"SELECT {COLUMNS} FROM audit_event WHERE id = 4").fetchone()
    row5 = conn.execute(f"SELECT {COLUMNS} FROM audit_event WHERE id = 5").fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in COLUMNS.split(","))
    conn.execute(f"UPDATE audit_event SET {sets} WHERE id = 4", row5)
    conn.execute(f"UPDATE audit_event SET {sets} WHERE id = 5", row4)


def test_an_intact_log_verifies(base: Path, tmp_path: Path) -> None:
    cli = _copy(base, tmp_path)
    out = cli.as_admin("audit", "verify")
    assert "The usage log is intact" in out


@pytest.mark.parametrize(("tamper", "word"), [(_alter, "altered"), (_remove, "removed"),
                                             (_reorder, "reordered")],
                         ids=["altered", "removed", "reordered"])
def test_verify_names_the_first_tampered_event(base: Path, tmp_path: Path,
                                               tamper: Callable[..., None], word: str) -> None:
    cli = _copy(base, tmp_path)
    _tamper(cli, tamper)
    res = cli("audit", "verify", user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code != 0
    assert "Traceback" not in res.err
    assert f"event 4 was {word}" in res.err, res.err
    assert len([ln for ln in res.err.strip().splitlines() if "TEST STORE" not in ln]) == 1


def test_a_care_worker_cannot_read_the_usage_log(base: Path, tmp_path: Path) -> None:
    from carebook.model.services import accounts

    cli = _copy(base, tmp_path)
    store, admin = accounts.sign_in(cli.data_dir, ADMIN, ADMIN_PASSWORD, policy=FAST)
    try:
        accounts.add_user(store, admin, username="hoitaja", password="worker-pass-1",
                          first_name="Heikki", last_name="Hoitaja", title="Lähihoitaja",
                          roles=("care_worker",), unit_oids=(UNIT_OID,))
    finally:
        store.close()
    res = cli("audit", "verify", user="hoitaja", password="worker-pass-1")
    assert res.code == 1 and "does not allow" in res.err


def test_export_writes_only_that_clients_events(base: Path, tmp_path: Path) -> None:
    cli = _copy(base, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "client1.csv"
    printed = cli.as_admin("audit", "export", "--client", "1", "--out", str(target))
    assert "Wrote" in printed
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["client_id"] for r in rows} == {"1"}
    assert {"store"} <= {r["action"] for r in rows}
    # Atomic write: the file is private and no temp file is left beside it.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in out_dir.iterdir()] == ["client1.csv"]
    # The other client's events exist, but only in their own export.
    other = out_dir / "client2.csv"
    cli.as_admin("audit", "export", "--client", "2", "--out", str(other))
    with other.open(newline="", encoding="utf-8") as fh:
        assert {r["client_id"] for r in csv.DictReader(fh)} == {"2"}


def test_export_to_a_missing_folder_is_a_clear_error(base: Path, tmp_path: Path) -> None:
    cli = _copy(base, tmp_path)
    res = cli("audit", "export", "--client", "1", "--out", str(tmp_path / "nope" / "x.csv"),
              user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code == 1 and "does not exist" in res.err and "Traceback" not in res.err
