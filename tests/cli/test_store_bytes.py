"""No client's name or identity code in clear in any byte the store leaves on disk (issue #2
item 10): the store file, its WAL (also before a checkpoint), its SHM, its key file and the log.
Clients and entries are written through the real CLI.
"""

from __future__ import annotations

from pathlib import Path

from carebook.model.services import accounts
from carebook.paths import slots_path, store_path
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, FAST, UNIT_OID, fast_store, hetu

FIRST, LAST = "Ilmatar", "Kalevalainen"
CODE = hetu("150642", 933)
NOTE = f"{FIRST} {LAST} ulkoili pihalla"


def _needles() -> list[bytes]:
    texts = [FIRST, LAST, CODE, CODE.replace("-", ""), NOTE]
    out = []
    for text in texts:
        out += [text.encode("utf-8"), text.upper().encode("utf-8"), text.encode("utf-16-le")]
    return out


def _leaks(files: list[Path]) -> list[tuple[str, bytes]]:
    found = []
    for f in files:
        data = f.read_bytes()
        found += [(f.name, n) for n in _needles() if n in data]
    return found


def _store_files(data_dir: Path) -> list[Path]:
    db = store_path(data_dir)
    files = [db, slots_path(db), db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    logs = sorted((data_dir / "logs").glob("*"))
    return [f for f in files if f.exists()] + logs


def test_names_and_identity_codes_are_nowhere_in_clear(tmp_path: Path) -> None:
    cli = fast_store(tmp_path)
    # Hold the store open in this process, inside a read transaction: the CLI's writes then
    # stay in the WAL (no checkpoint can finish and the last close cannot remove the file).
    holder, _ctx = accounts.sign_in(cli.data_dir, ADMIN, ADMIN_PASSWORD, policy=FAST)
    # A raw connection: the store's own units of work begin IMMEDIATE (a write lock), this
    # one only reads.
    conn = holder.engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT count(*) FROM audit_event").fetchall()
        added = cli.as_admin("client", "add", "--hetu", CODE, "--first", FIRST, "--last", LAST,
                             "--unit", UNIT_OID)
        number = added.split("client number ")[1].split(",")[0]
        cli.as_admin("note", "add", "--client", number, "--type", "daily", "--text", NOTE)
        cli.as_admin("note", "add", "--client", CODE, "--type", "visit", "--text", NOTE)
        # Positive control: the data went in and comes back out through the CLI.
        assert CODE in cli.as_admin("client", "list")
        assert NOTE in cli.as_admin("note", "list", "--client", number)
        wal = store_path(cli.data_dir).with_name("carebook.db-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert _leaks(_store_files(cli.data_dir)) == []
    finally:
        cursor.execute("ROLLBACK")
        conn.close()
        holder.close()
    # After the last close SQLite checkpoints the WAL into the file: still nothing in clear.
    assert _leaks(_store_files(cli.data_dir)) == []
