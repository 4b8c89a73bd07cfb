"""Backup, restore and rekey (ARCHITECTURE §3; issue items 3, 4, 9: backup/restore/rekey)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from carebook.errors import (
    CorruptStoreError,
    StoreExistsError,
    StoreInUseError,
    WrongPasswordError,
)
from carebook.model import audit, migrations
from carebook.model.db import file_problems
from carebook.model.keyslots import KeySlots, SlotPolicy
from carebook.model.store import Store
from carebook.model.tables.audit import AuditEvent
from tests.model.conftest import ADMIN, ADMIN_PW


def _write(store: Store, *details: str) -> None:
    with store.session() as session:
        for d in details:
            audit.record(session, actor=ADMIN, action=audit.STORE, detail=d)


def _details(store: Store) -> list[str | None]:
    with store.session() as session:
        return list(session.scalars(select(AuditEvent.detail).order_by(AuditEvent.id)))


def _keys(path: Path) -> Path:
    return path.with_name(path.name + ".keys")


def test_backup_then_restore_brings_back_that_moment(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    _write(store, "before backup")
    backup = store_path.parent / "backups" / "monday.db"
    backup.parent.mkdir()
    store.backup_to(backup)
    _write(store, "after backup")
    for path in (backup, _keys(backup)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in backup.parent.iterdir()) == ["monday.db", "monday.db.keys"]

    key = KeySlots.load(_keys(backup), policy=policy).unlock(ADMIN, ADMIN_PW)
    with pytest.raises(StoreInUseError):
        Store.restore(backup, store_path, data_key=key, overwrite=True)
    store.close()
    with pytest.raises(StoreExistsError):
        Store.restore(backup, store_path, data_key=key)
    with pytest.raises(WrongPasswordError):
        Store.restore(backup, store_path, data_key=os.urandom(32), overwrite=True)
    Store.restore(backup, store_path, data_key=key, overwrite=True)

    restored = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert _details(restored) == ["before backup"]
    with restored.session() as session:
        assert audit.verify(session).ok
    restored.close()


def test_restore_into_a_new_place(
    slotted_store: tuple[Store, str], store_path: Path, tmp_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    _write(store, "kept")
    backup = tmp_path / "usb" / "copy.db"
    backup.parent.mkdir()
    store.backup_to(backup)
    store.close()
    target = tmp_path / "new-pc" / "carebook.db"
    target.parent.mkdir()
    key = KeySlots.load(_keys(backup), policy=policy).unlock(ADMIN, ADMIN_PW)
    Store.restore(backup, target, data_key=key)
    moved = Store.unlock(target, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert _details(moved) == ["kept"]
    moved.close()


def test_a_damaged_backup_is_refused_before_anything_changes(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    _write(store, *[f"row {i}" for i in range(100)])
    backup = store_path.with_name("b.db")
    store.backup_to(backup)
    store.close()
    data = bytearray(backup.read_bytes())
    data[5000:5008] = b"\x00" * 8
    backup.write_bytes(bytes(data))
    before = store_path.read_bytes()
    key = KeySlots.load(_keys(backup), policy=policy).unlock(ADMIN, ADMIN_PW)
    with pytest.raises(CorruptStoreError):
        Store.restore(backup, store_path, data_key=key, overwrite=True)
    assert store_path.read_bytes() == before


def test_rekey_keeps_every_user_and_retires_the_old_key(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, old_code = slotted_store
    store.add_user_key("bob", "bob pw")
    _write(store, "written before rekey")
    old_key = KeySlots.load(_keys(store_path), policy=policy).unlock(ADMIN, ADMIN_PW)
    new_code = store.rekey()
    _write(store, "written after rekey")
    store.close()

    assert file_problems(store_path, old_key) != []
    with pytest.raises(WrongPasswordError):
        Store.open(store_path, old_key)
    for user, password in ((ADMIN, ADMIN_PW), ("bob", "bob pw")):
        again = Store.unlock(store_path, username=user, password=password, policy=policy)
        assert _details(again) == ["written before rekey", "written after rekey"]
        again.close()
    with pytest.raises(WrongPasswordError):
        Store.unlock_with_recovery(store_path, code=old_code, policy=policy)
    Store.unlock_with_recovery(store_path, code=new_code, policy=policy).close()
    leftovers = sorted(p.name for p in store_path.parent.iterdir())
    assert leftovers == ["carebook.db", "carebook.db.keys"]


def test_rekey_interrupted_before_the_slots_moved_recovers(
    slotted_store: tuple[Store, str],
    store_path: Path,
    policy: SlotPolicy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, _code = slotted_store
    _write(store, "precious")
    real_save_as = KeySlots.save_as

    def crash_on_slots(slots: KeySlots, path: Path) -> None:
        if path == _keys(store_path):
            raise KeyboardInterrupt("power cut")
        real_save_as(slots, path)

    monkeypatch.setattr(KeySlots, "save_as", crash_on_slots)
    with pytest.raises(KeyboardInterrupt):
        store.rekey()
    monkeypatch.undo()
    store.engine.dispose()
    Store._open_paths.clear()
    names = {p.name for p in store_path.parent.iterdir()}
    assert {"carebook.db.keys.new", "carebook.db.keys.old"} <= names

    recovered = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert _details(recovered) == ["precious"]
    recovered.close()
    assert sorted(p.name for p in store_path.parent.iterdir()) == [
        "carebook.db",
        "carebook.db.keys",
    ]


def test_stale_rekey_leftovers_are_dropped_when_the_file_never_changed(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    store.close()
    keys = _keys(store_path)
    slots = KeySlots.load(keys, policy=policy)
    slots.rewrap_all(os.urandom(32), path=keys.with_name(keys.name + ".new"))
    reopened = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    reopened.close()
    assert not keys.with_name(keys.name + ".new").exists()


def test_rekey_while_another_window_has_the_store_open_changes_nothing(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, code = slotted_store
    _write(store, "still here")
    other = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    with other.engine.connect() as conn:  # the other window holds a connection
        conn.exec_driver_sql("SELECT count(*) FROM audit_event").all()
        with pytest.raises(StoreInUseError):
            store.rekey()
    other.close()
    assert sorted(p.name for p in store_path.parent.iterdir() if ".keys" in p.name) == [
        "carebook.db.keys"
    ]
    _write(store, "and writable")
    assert _details(store) == ["still here", "and writable"]
    Store.unlock_with_recovery(store_path, code=code, policy=policy).close()


def test_a_backup_from_a_newer_carebook_is_refused_before_anything_changes(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    from carebook.errors import NewerSchemaError

    store, _code = slotted_store
    backup = store_path.with_name("future.db")
    with store.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.backup_to(backup)
    with store.session() as session:
        session.execute(
            text("UPDATE alembic_version SET version_num = :v"), {"v": migrations.head()}
        )
    store.close()
    before = store_path.read_bytes()
    key = KeySlots.load(_keys(backup), policy=policy).unlock(ADMIN, ADMIN_PW)
    with pytest.raises(NewerSchemaError):
        Store.restore(backup, store_path, data_key=key, overwrite=True)
    assert store_path.read_bytes() == before


def test_rekey_survives_another_process_tidying_the_pending_slots(
    slotted_store: tuple[Store, str],
    store_path: Path,
    policy: SlotPolicy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sign-in elsewhere that opens the file with the old key just before the rekey removes
    ``.keys.new`` as stale; the rekey must still leave slots that open the file."""
    from carebook.model import storefile

    store, _code = slotted_store
    _write(store, "kept")
    real_rekey = storefile.rekey_file

    def tidy_then_rekey(path: Path, *, old_key: bytes, new_key: bytes) -> None:
        Store.unlock(path, username=ADMIN, password=ADMIN_PW, policy=policy).close()
        real_rekey(path, old_key=old_key, new_key=new_key)

    monkeypatch.setattr(storefile, "rekey_file", tidy_then_rekey)
    store.rekey()
    store.close()
    again = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    assert _details(again) == ["kept"]
    again.close()


def test_restore_is_refused_while_any_window_still_has_the_store(
    slotted_store: tuple[Store, str], store_path: Path, policy: SlotPolicy
) -> None:
    store, _code = slotted_store
    backup = store_path.with_name("b.db")
    store.backup_to(backup)
    second = Store.unlock(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    second.close()
    second.close()  # closing twice does not count twice
    key = KeySlots.load(_keys(backup), policy=policy).unlock(ADMIN, ADMIN_PW)
    with pytest.raises(StoreInUseError):
        Store.restore(backup, store_path, data_key=key, overwrite=True)
    store.close()
    Store.restore(backup, store_path, data_key=key, overwrite=True)
