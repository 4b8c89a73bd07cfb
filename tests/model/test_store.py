"""The encrypted store (ARCHITECTURE §3; issue items 3 and 10): a wrong key, a corrupt file or
a newer schema gives a clear error and leaves every byte as it was; committed data survives
kill -9; the disk filling up loses nothing."""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select, text

from carebook.errors import (
    CorruptStoreError,
    DiskFullError,
    NewerSchemaError,
    StoreExistsError,
    StoreMissingError,
    WrongPasswordError,
)
from carebook.model import audit, migrations
from carebook.model.keyslots import KeySlots, SlotPolicy
from carebook.model.store import Store
from carebook.model.tables.audit import AuditEvent
from tests.model.conftest import ADMIN, ADMIN_PW, FAST_KDF, file_hashes

PAGE = 4096  # SQLCipher 4 default page size


def _write_events(store: Store, count: int, *, actor: str = ADMIN) -> None:
    with store.session() as session:
        for i in range(count):
            audit.record(session, actor=actor, action=audit.STORE, detail=f"entry {i}")


def _events(store: Store) -> list[str | None]:
    with store.session() as session:
        return list(session.scalars(select(AuditEvent.detail).order_by(AuditEvent.id)))


def _data_key(store_path: Path, policy: SlotPolicy) -> bytes:
    return KeySlots.load(store_path.with_name(store_path.name + ".keys"), policy=policy).unlock(
        ADMIN, ADMIN_PW
    )


def test_new_store_is_built_by_the_migrations(slotted_store: tuple[Store, str]) -> None:
    store, _code = slotted_store
    with store.engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "audit_event" in names and set(migrations.virtual_table_names()) <= names
    assert store.integrity_problems(full=True) == []


def test_store_files_are_private(slotted_store: tuple[Store, str], store_path: Path) -> None:
    store, _code = slotted_store
    _write_events(store, 3)
    for path in store_path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_wrong_password_is_clear_and_changes_nothing(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    _write_events(store, 5)
    store.close()
    before = file_hashes(store_path)
    with pytest.raises(WrongPasswordError) as err:
        Store.unlock(store_path, username=ADMIN, password="wrong", policy=policy)
    assert str(err.value) == "Wrong username or password."
    with pytest.raises(WrongPasswordError):
        Store.open(store_path, os.urandom(32))
    after = file_hashes(store_path)
    keys = store_path.name + ".keys"
    assert {k: v for k, v in after.items() if k != keys} == {
        k: v for k, v in before.items() if k != keys
    }
    reopened = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert len(_events(reopened)) == 5
    reopened.close()


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + 8):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("offset", [20, PAGE + 200], ids=["header", "page-2"])
def test_corrupt_file_is_clear_and_left_untouched(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy, offset: int
) -> None:
    store, _code = slotted_store
    _write_events(store, 200)
    store.close()
    _flip(store_path, offset)
    before = file_hashes(store_path)
    with pytest.raises(CorruptStoreError) as err:
        Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert "restore" in str(err.value)
    assert file_hashes(store_path) == before


def test_a_file_that_is_not_a_store_is_clear(store_path: Path) -> None:
    store_path.parent.mkdir()
    store_path.write_bytes(b"this is a shopping list, not a database" * 200)
    before = file_hashes(store_path)
    with pytest.raises(CorruptStoreError):
        Store.open(store_path, os.urandom(32))
    assert file_hashes(store_path) == before


def test_newer_schema_is_refused_and_left_untouched(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    with store.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    before = file_hashes(store_path)
    with pytest.raises(NewerSchemaError) as err:
        Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert "newer version" in str(err.value)
    assert file_hashes(store_path) == before


def test_missing_and_existing_stores_are_clear(
    store_path: Path, data_key: bytes, slotted_store: tuple[Store, str]
) -> None:
    with pytest.raises(StoreMissingError):
        Store.open(store_path.with_name("elsewhere.db"), data_key)
    with pytest.raises(StoreExistsError):
        Store.create(store_path, data_key)
    with pytest.raises(StoreExistsError):
        Store.initialise(store_path, username="x", password="y")


def test_disk_full_loses_nothing(slotted_store: tuple[Store, str]) -> None:
    store, _code = slotted_store
    _write_events(store, 3)
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    store.engine.dispose()

    # SQLite's own cap on the file size makes it report "database or disk is full".
    from sqlalchemy import event

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

    with pytest.raises(DiskFullError) as err:
        with store.session() as session:
            for i in range(2000):
                audit.record(session, actor=ADMIN, action=audit.STORE, detail="x" * 500 + str(i))
    assert err.value.code == "disk_full"
    assert len(_events(store)) == 3
    assert store.integrity_problems() == []


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from carebook.model import audit
    from carebook.model.store import Store
    key = bytes.fromhex(sys.stdin.readline().strip())
    store = Store.open(Path(sys.argv[1]), key)
    i = 0
    while True:
        i += 1
        with store.session() as session:
            audit.record(session, actor="writer", action=audit.STORE, detail=str(i))
        print(i, flush=True)
""")


def test_kill_9_keeps_every_committed_entry(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    store.close()
    key = _data_key(store_path, policy)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin and child.stdout
    child.stdin.write(key.hex() + "\n")
    child.stdin.flush()
    committed = [int(child.stdout.readline()) for _ in range(150)]
    child.send_signal(signal.SIGKILL)
    committed += [int(line) for line in child.stdout.read().split()]
    child.wait()
    assert child.returncode == -signal.SIGKILL
    reopened = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    stored = {int(d) for d in _events(reopened) if d is not None}
    assert set(committed) <= stored
    assert reopened.integrity_problems(full=True) == []
    with reopened.session() as session:
        assert audit.verify(session).ok
    reopened.close()


def test_no_key_or_password_in_errors_or_logs(
    slotted_store: tuple[Store, str],
    store_path: Path,
    policy: SlotPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store, code = slotted_store
    _write_events(store, 2)
    store.backup_to(store_path.with_name("backup.db"))
    store.close()
    key = _data_key(store_path, policy)
    texts: list[str] = []
    attempts = [
        lambda: Store.unlock(store_path, username=ADMIN, password="Hunter2-secret", policy=policy),
        lambda: Store.open(store_path, bytes(32)),
        lambda: Store.unlock_with_recovery(store_path, code="AAAAA-" + code[6:], policy=policy),
    ]
    for attempt in attempts:
        with pytest.raises(WrongPasswordError) as err:
            attempt()
        texts += [str(err.value), repr(err.value), err.value.message()]
    _flip(store_path, 20)
    with pytest.raises(CorruptStoreError) as corrupt:
        Store.open(store_path, key)
    texts += [str(corrupt.value), repr(corrupt.value)]
    texts += [r.getMessage() for r in caplog.records]
    blob = "\n".join(texts)
    for secret in (key.hex(), key.hex().upper(), repr(key), "Hunter2-secret", ADMIN_PW, code):
        assert secret not in blob


def test_remembered_device_opens_the_store_without_a_password(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    from carebook.keychain import Keychain
    from tests.model.conftest import MemoryKeyring, OtherMemoryKeyring

    store, _code = slotted_store
    _write_events(store, 1)
    backend = MemoryKeyring()
    store.slots = KeySlots.load(
        store_path.with_name("carebook.db.keys"), policy=policy, keychain=Keychain(backend)
    )
    store.remember_device(ADMIN)
    store.close()
    reopened = Store.unlock_with_device(store_path, username=ADMIN, keychain=Keychain(backend))
    assert reopened is not None and len(_events(reopened)) == 1
    reopened.close()
    assert (
        Store.unlock_with_device(
            store_path, username=ADMIN, keychain=Keychain(OtherMemoryKeyring())
        )
        is None
    )


@pytest.mark.parametrize("damage", ["newer", "page-2"])
def test_a_single_file_copy_is_left_untouched_too(
    slotted_store: tuple[Store, str], store_path: Path, damage: str
) -> None:
    """Backups are single files (rollback journal, not WAL): opening one must not switch it."""
    store, _code = slotted_store
    _write_events(store, 200)
    if damage == "newer":
        with store.session() as session:
            session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    copy = store_path.with_name("copy.db")
    store.backup_to(copy)
    store.close()
    if damage == "page-2":
        _flip(copy, PAGE + 200)
    before = file_hashes(copy)
    key = _data_key(store_path, SlotPolicy(kdf=FAST_KDF))
    with pytest.raises(NewerSchemaError if damage == "newer" else CorruptStoreError):
        Store.open(copy, key)
    assert file_hashes(copy) == before


def test_no_key_in_logs_of_backup_rekey_and_restore(
    slotted_store: tuple[Store, str],
    store_path: Path,
    policy: SlotPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store, _code = slotted_store
    old_key = _data_key(store_path, policy)
    _write_events(store, 2)
    backup = store_path.with_name("backup.db")
    store.backup_to(backup)
    new_code = store.rekey()
    store.close()
    new_key = _data_key(store_path, policy)
    Store.restore(backup, store_path, data_key=old_key, overwrite=True)
    Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy).close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (old_key.hex(), new_key.hex(), new_code, ADMIN_PW):
        assert secret.lower() not in logged.lower()
