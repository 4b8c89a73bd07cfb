"""Encrypted copies of a store file through SQLite's backup API (ARCHITECTURE §3).

A copy is written to a 0600 temp file beside the target, keyed with the same data key, switched
to a single-file journal, checked, fsynced and only then moved into place, so a crash never
leaves a half-written copy under the target's name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine

from carebook.errors import CorruptStoreError
from carebook.model.db import _apply_key, disk_full_as_error, file_problems
from carebook.paths import create_private_file, fsync_dir, fsync_file

SIDE_FILES = ("-wal", "-shm", "-journal")


def side_files(path: Path) -> list[Path]:
    """SQLite's companion files of ``path`` (WAL, shared memory, rollback journal)."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def _raw_connect(path: Path, key: bytes | None) -> Any:
    conn = sqlcipher3.dbapi2.connect(str(path))
    if key is not None:
        _apply_key(conn, key)
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
