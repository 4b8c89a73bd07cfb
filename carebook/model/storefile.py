"""File-level operations on a store: checks, schema upgrade, encrypted copies, rekey.

Copies use SQLite's backup API (ARCHITECTURE §3). A copy is written to a 0600 temp file beside
the target, keyed with the same data key, switched to a single-file journal, checked, fsynced
and only then moved into place, so a crash never leaves a half-written copy under the target's
name. Nothing here writes to a store that fails its key proof or integrity check.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from carebook.errors import (
    CorruptStoreError,
    DiskFullError,
    NewerSchemaError,
    StoreInUseError,
    UpgradeFailedError,
)
from carebook.model import migrations
from carebook.model.db import (
    apply_key,
    disk_full_as_error,
    file_problems,
    integrity_problems,
    make_engine,
    translate_db_error,
)
from carebook.paths import (
    create_private_file,
    fsync_dir,
    fsync_file,
    slots_path,
    write_private_atomic,
)

log = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm", "-journal")


def side_files(path: Path) -> list[Path]:
    """SQLite's companion files of ``path`` (WAL, shared memory, rollback journal)."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def _raw_connect(path: Path, key: bytes | None) -> Any:
    conn = sqlcipher3.dbapi2.connect(str(path))
    if key is not None:
        apply_key(conn, key)
    return conn


def copy_store(source: Engine, target: Path, *, key: bytes | None) -> None:
    """Copy the database behind ``source`` to ``target`` (replaced atomically when done).

    Raises:
        DiskFullError: the disk filled up; the target is untouched and no temp file remains.
        CorruptStoreError: the copy does not pass its integrity check.
    """
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    create_private_file(tmp)
    try:
        with disk_full_as_error():
            _copy_pages(source, tmp, key=key)
        verify_file(tmp, key=key)
        fsync_file(tmp)
        os.replace(tmp, target)
    finally:
        for leftover in [tmp, *side_files(tmp)]:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    fsync_dir(target.parent)


def _copy_pages(source: Engine, tmp: Path, *, key: bytes | None) -> None:
    dest = _raw_connect(tmp, key)
    try:
        with source.connect() as conn:
            raw = conn.connection.dbapi_connection
            if raw is None:
                raise CorruptStoreError()
            raw.backup(dest)
        # A copy is one self-contained file: no WAL beside it.
        dest.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        dest.close()


def verify_file(path: Path, *, key: bytes | None) -> None:
    """Check ``path`` read-only with ``key``; raise CorruptStoreError if anything is wrong."""
    if file_problems(path, key):
        raise CorruptStoreError()


def checked_revision(path: Path, data_key: bytes | None) -> str:
    """The schema revision of a store that passes the key proof and integrity checks."""
    if path.stat().st_size == 0:
        raise CorruptStoreError()  # opening would write a fresh header into it
    engine = make_engine(path, data_key, wal=False)
    try:
        with engine.connect() as conn:
            problems = integrity_problems(conn)
            if problems:
                log.warning("store failed its integrity check (%d problems)", len(problems))
                raise CorruptStoreError()
            revision: str | None = migrations.current(conn)
    except sa_exc.DBAPIError:
        raise CorruptStoreError() from None
    finally:
        engine.dispose()
    if revision is None:
        raise CorruptStoreError()
    if not migrations.is_known(revision):
        log.warning("store has schema %s, newer than this carebook knows", revision)
        raise NewerSchemaError()
    return revision


def upgrade(path: Path, data_key: bytes | None, *, revision: str) -> None:
    backup = backup_before_upgrade(path, data_key, revision=revision)
    try:
        migrate(path, data_key)
    except (DiskFullError, UpgradeFailedError):
        raise
    except Exception:  # noqa: BLE001 - the transaction rolled back; say so, keep the backup
        log.exception("upgrade from schema %s failed; store unchanged", revision)
        raise UpgradeFailedError(path=str(backup)) from None
    log.info(
        "upgraded the store from schema %s to %s (backup %s)",
        revision,
        migrations.head(),
        backup.name,
    )


def migrate(path: Path, data_key: bytes | None) -> None:
    """Upgrade to head in one transaction (DDL included): all of it or nothing."""
    engine = make_engine(path, data_key, transactional_ddl=True)
    try:
        with disk_full_as_error(), engine.begin() as conn:
            migrations.upgrade(conn)
    finally:
        engine.dispose()


def backup_before_upgrade(path: Path, data_key: bytes | None, *, revision: str) -> Path:
    """``<store>.pre-upgrade-<rev>-<UTC time>.bak`` (same key) and its ``.keys`` copy."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = path.with_name(f"{path.name}.pre-upgrade-{revision}-{stamp}.bak")
    engine = make_engine(path, data_key)
    try:
        copy_store(engine, out, key=data_key)
    finally:
        engine.dispose()
    keys = slots_path(path)
    if keys.exists():
        write_private_atomic(slots_path(out), keys.read_bytes())
    return out


def rekey_file(path: Path, *, old_key: bytes, new_key: bytes) -> None:
    """``PRAGMA rekey`` on a single connection, with the WAL folded in first.

    Raises:
        StoreInUseError: another connection (another carebook window or process) has the
            store open; nothing was changed.
        DiskFullError / CorruptStoreError: the rekey failed (SQLCipher rolls it back).
    """
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        apply_key(conn, old_key)
        conn.execute("PRAGMA busy_timeout = 5000").fetchall()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        # Leaving WAL mode needs the only connection; it fails (and nothing changes) otherwise.
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        if mode is None or str(mode[0]).lower() != "delete":
            raise StoreInUseError(path=str(path))
        conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"").fetchall()
        conn.execute("PRAGMA journal_mode = WAL").fetchall()
    except sqlcipher3.dbapi2.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise StoreInUseError(path=str(path)) from None
        raise translate_db_error(exc) from None
    except sqlcipher3.dbapi2.DatabaseError as exc:
        raise translate_db_error(exc) from None
    finally:
        conn.close()

