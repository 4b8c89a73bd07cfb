"""The encrypted engine: SQLCipher 4 through ``sqlcipher3`` under SQLAlchemy 2.

One ``connect`` listener applies the raw 256-bit key first, then the pragmas, then proves the
key with a cheap read. The key never appears in a URL, a log line or an exception message.
``key=None`` gives a plain SQLite file through the same code (benchmarks only).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc

from carebook.errors import CorruptStoreError, DiskFullError

KEY_BYTES = 32
SQLITE_FULL = 13


def apply_key(dbapi_conn: Any, key: bytes) -> None:
    """Key a raw SQLCipher connection (raw 256-bit key; SQLCipher's own log silenced)."""
    cur = dbapi_conn.cursor()
    try:
        # SQLCipher's own log goes to stderr; a user must never see it (we raise typed errors).
        cur.execute("PRAGMA cipher_log_level = NONE")
        # Raw key form x'..': no KDF in SQLCipher, the data key is already random.
        cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    finally:
        cur.close()


_apply_key = apply_key  # the name earlier callers import


def _apply_pragmas(dbapi_conn: Any, *, wal: bool) -> None:
    cur = dbapi_conn.cursor()
    try:
        # Key proof first: a wrong key or a damaged file fails here, before any write.
        cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
        cur.execute("PRAGMA foreign_keys = ON")
        if wal:  # the only pragma here that writes to the file (its header)
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute("PRAGMA secure_delete = ON")
        cur.execute("PRAGMA busy_timeout = 10000")
    finally:
        cur.close()


def is_disk_full(exc: BaseException) -> bool:
    """True if a driver error (or SQLAlchemy's wrapper of one) means the disk is full."""
    inner = getattr(exc, "orig", None) or exc
    code = getattr(inner, "sqlite_errorcode", None)
    text = str(inner).lower()
    return code == SQLITE_FULL or "disk is full" in text or "no space" in text


def translate_db_error(exc: BaseException) -> Exception:
    """Map a driver error to a typed store error without leaking the key."""
    if is_disk_full(exc):
        return DiskFullError()
    return CorruptStoreError()


@contextmanager
def disk_full_as_error() -> Iterator[None]:
    """Turn SQLite's "database or disk is full" into :class:`DiskFullError`.

    SQLite rolls the transaction back itself, so nothing half-written remains.
    """
    try:
        yield
    except (sa_exc.OperationalError, sqlcipher3.dbapi2.OperationalError) as exc:
        if is_disk_full(exc):
            raise DiskFullError() from None
        raise


def _problems(rows_of: Any, *, full: bool) -> list[str]:
    problems = [str(r[0]) for r in rows_of("PRAGMA cipher_integrity_check")]
    pragma = "integrity_check" if full else "quick_check"
    problems.extend(str(r[0]) for r in rows_of(f"PRAGMA {pragma}") if str(r[0]) != "ok")
    return problems


@contextmanager
def read_only(path: Path, key: bytes | None) -> Iterator[Any]:
    """A raw read-only connection to ``path`` (keyed): nothing is written, not even a WAL."""
    conn = sqlcipher3.dbapi2.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if key is not None:
            apply_key(conn, key)
        yield conn
    finally:
        conn.close()


def file_problems(path: Path, key: bytes | None, *, full: bool = False) -> list[str]:
    """Integrity problems of a file checked read-only (for backups and copies).

    A key that does not open the file is a problem too.
    """
    try:
        with read_only(path, key) as conn:
            return _problems(lambda sql: conn.execute(sql).fetchall(), full=full)
    except sqlcipher3.dbapi2.DatabaseError as exc:
        return [type(exc).__name__]


def file_opens(path: Path, key: bytes | None) -> bool:
    """True if ``key`` opens ``path`` (a read-only key proof, no integrity scan)."""
    try:
        with read_only(path, key) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
            return True
    except sqlcipher3.dbapi2.DatabaseError:
        return False


def file_revision(path: Path, key: bytes | None) -> str | None:
    """The schema revision stamped in ``path`` (None if unreadable), read-only."""
    try:
        with read_only(path, key) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlcipher3.dbapi2.DatabaseError:
        return None
    return None if row is None else str(row[0])


def integrity_problems(conn: Connection, *, full: bool = False) -> list[str]:
    """What SQLCipher's page check and SQLite's structure check find wrong (empty: all fine).

    ``cipher_integrity_check`` verifies every page's HMAC (tampering, torn pages);
    ``quick_check`` (or the slower ``integrity_check`` with ``full=True``) checks the b-trees.
    On a plain (keyless) file the HMAC check finds nothing to check and reports nothing.
    """
    return _problems(lambda sql: conn.exec_driver_sql(sql).all(), full=full)


def make_engine(
    path: Path,
    key: bytes | None,
    *,
    echo: bool = False,
    transactional_ddl: bool = False,
    immediate: bool = False,
    wal: bool = True,
) -> Engine:
    """An engine for the store file at ``path`` (encrypted unless ``key`` is None).

    ``transactional_ddl=True`` makes SQLAlchemy emit ``BEGIN`` itself, so DDL runs inside the
    transaction too: a migration either completes or leaves the schema as it was.
    ``immediate=True`` does the same for every unit of work: each starts with
    ``BEGIN IMMEDIATE``, so the usage log's read-last-then-append is atomic even when two
    processes (two CLI commands, the GUI and a sync worker) write at once.
    ``wal=False`` leaves the journal mode as the file has it: for checking a file before
    anything may be written to it.
    """
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError("data key must be 32 bytes")
    engine = create_engine(
        f"sqlite+pysqlite:///{Path(path)}",
        module=sqlcipher3.dbapi2,
        echo=echo,
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        if key is not None:
            apply_key(dbapi_conn, key)
        try:
            _apply_pragmas(dbapi_conn, wal=wal)
        except sqlcipher3.dbapi2.DatabaseError as exc:
            raise translate_db_error(exc) from None

    if transactional_ddl or immediate:
        _emit_own_begin(engine)
    return engine


def _emit_own_begin(engine: Engine) -> None:
    # The driver only opens transactions before DML; SQLAlchemy's documented recipe for
    # pysqlite hands transaction control to SQLAlchemy instead.
    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
