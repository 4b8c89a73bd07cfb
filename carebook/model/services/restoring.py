"""Restoring a backup over the store of a data directory, losing nothing on the way.

The backup is unpacked into a private staging folder and checked there (it opens with the
user's password, passes its integrity check and the user is an administrator in it) before
anything in the data directory is touched. Only then is the current store kept as
``<store>.pre-restore-<time>.bak`` (or, if it is damaged or its key file is missing, moved aside
as ``<store>.damaged-<time>`` with its companion files; nothing is deleted) and replaced.

What the replaced store holds that the backup does not (usage-log events, documents) is counted
and written to the restored store's usage log (AC-8), so nobody loses track of it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from carebook.errors import (
    AccessDeniedError,
    BackupDamagedError,
    BackupKeysMissingError,
    CorruptStoreError,
    KeyFileMissingError,
    StoreMissingError,
)
from carebook.i18n import N_
from carebook.model import access, storefile
from carebook.model.keyslots import KeySlots, SlotPolicy
from carebook.model.store import Store
from carebook.model.tables.audit import AuditEvent
from carebook.model.tables.document import Document
from carebook.paths import ensure_private_dir, fsync_dir, slots_path, store_path


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did.

    Attributes:
        safety_copy: the encrypted copy of the replaced store, or None.
        damaged_copy: where a damaged store was moved aside, or None.
        lost_events: usage-log events of the replaced store that the restored one lacks.
        lost_documents: documents of the replaced store that the restored one lacks.
        recovery_code_changed: the backup's data key differs from the replaced store's (a
            rekey came after the backup): the recovery code valid at backup time applies again.
    """

    safety_copy: Path | None
    damaged_copy: Path | None
    lost_events: int
    lost_documents: int
    recovery_code_changed: bool


@dataclass(frozen=True)
class _Contents:
    events: frozenset[tuple[int, str]]
    documents: frozenset[int]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _contents(store: Store) -> _Contents:
    with store.session() as session:
        events = frozenset((int(i), str(h)) for i, h in session.execute(
            select(AuditEvent.id, AuditEvent.hash)))
        documents = frozenset(int(i) for i in session.scalars(select(Document.id)))
    return _Contents(events, documents)


def _unpack(backup_file: Path, staged: Path, *, username: str, password: str,
            policy: SlotPolicy | None) -> tuple[bytes, _Contents]:
    """Copy the backup to ``staged`` and check it; the backup file itself is not written."""
    if not slots_path(backup_file).exists():
        raise BackupKeysMissingError(path=str(slots_path(backup_file)))
    try:
        slots = KeySlots.load(slots_path(backup_file), policy=policy)
    except CorruptStoreError:
        raise BackupDamagedError(path=str(slots_path(backup_file))) from None
    data_key = slots.unlock(username, password)
    try:
        Store.restore(backup_file, staged, data_key=data_key)
        store = Store.open(staged, data_key)
    except CorruptStoreError:
        raise BackupDamagedError(path=str(backup_file)) from None
    try:
        ctx = access.open_session(store, username)
        with store.session() as session:
            try:
                access.require_right(session, ctx, access.MANAGE_STAFF)
            except AccessDeniedError:
                raise AccessDeniedError(N_("Only an administrator can restore a backup."),
                                        code="admin_only") from None
        return data_key, _contents(store)
    finally:
        store.close()


def _set_aside_damaged(target: Path) -> Path:
    """Move a damaged store and its companions to ``<store>.damaged-<time>`` (never delete)."""
    aside = target.with_name(f"{target.name}.damaged-{_stamp()}")
    for part in [*storefile.side_files(target), slots_path(target)]:
        if part.exists():
            os.replace(part, aside.with_name(aside.name + part.name[len(target.name):]))
    os.replace(target, aside)
    return aside


def _keep_current(data_dir: Path, target: Path, *, username: str, password: str,
                  policy: SlotPolicy | None, data_key: bytes
                  ) -> tuple[Path | None, Path | None, _Contents | None, bool]:
    """Copy the healthy current store aside, or move a damaged one aside."""
    from carebook.model.services import accounts

    if not target.exists():
        return None, None, None, False
    try:
        current, ctx = accounts.sign_in(data_dir, username, password, policy=policy)
    except (CorruptStoreError, KeyFileMissingError):
        return None, _set_aside_damaged(target), None, False
    try:
        accounts.admin_event(current, ctx, right=access.MANAGE_STAFF,
                             detail="store replaced from a backup")
        contents = _contents(current)
        changed = current.slots is not None and not current.slots.matches(data_key)
        safety = target.with_name(f"{target.name}.pre-restore-{_stamp()}.bak")
        current.backup_to(safety)
    finally:
        current.close()
    return safety, None, contents, changed


def restore(data_dir: Path, *, backup_file: Path, username: str, password: str,
            policy: SlotPolicy | None = None) -> RestoreResult:
    """Replace the store in ``data_dir`` with a backup (see the module docstring).

    The user must be an administrator in the backup and, if the current store opens, in it.

    Raises:
        StoreMissingError: no backup file (or its key file).
        BackupDamagedError: the backup is damaged; nothing was changed.
        WrongPasswordError: the password does not open the backup or the current store.
        AccessDeniedError: the user is no administrator there.
    """
    from carebook.model.services import accounts

    backup_file = backup_file.expanduser().resolve()
    if not backup_file.exists():
        raise StoreMissingError(path=str(backup_file))
    target = store_path(ensure_private_dir(data_dir))
    staging = Path(ensure_private_dir(data_dir / f".restore-{os.urandom(4).hex()}"))
    try:
        staged = staging / target.name
        data_key, restored = _unpack(backup_file, staged, username=username,
                                     password=password, policy=policy)
        safety, damaged, replaced, changed = _keep_current(
            data_dir, target, username=username, password=password, policy=policy,
            data_key=data_key)
        for stale in storefile.side_files(target):
            stale.unlink(missing_ok=True)
        os.replace(slots_path(staged), slots_path(target))
        os.replace(staged, target)
        fsync_dir(target.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    lost_events = len(replaced.events - restored.events) if replaced else 0
    lost_docs = len(replaced.documents - restored.documents) if replaced else 0
    kept = safety or damaged
    store, ctx = accounts.sign_in(data_dir, username, password, policy=policy)
    try:
        detail = "restored from a backup"
        if kept is not None:
            detail += (f"; replaced store kept as {kept.name}; {lost_events} usage-log events"
                       f" and {lost_docs} documents of it are not in this store")
        accounts.admin_event(store, ctx, right=access.MANAGE_STAFF, detail=detail,
                             objects=(kept.name,) if kept else ())
    finally:
        store.close()
    return RestoreResult(safety, damaged, lost_events, lost_docs, changed)


__all__ = ["RestoreResult", "restore"]
