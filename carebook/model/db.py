"""The encrypted engine: SQLCipher 4 through ``sqlcipher3`` under SQLAlchemy 2.

One ``connect`` listener applies the raw 256-bit key first, then the pragmas, then proves the
key with a cheap read. The key never appears in a URL, a log line or an exception message.
``key=None`` gives a plain SQLite file through the same code (benchmarks only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

from carebook.errors import CorruptStoreError, DiskFullError

KEY_BYTES = 32


def _apply_key(dbapi_conn: Any, key: bytes) -> None:
    cur = dbapi_conn.cursor()
    try:
        # SQLCipher's own log goes to stderr; a user must never see it (we raise typed errors).
        cur.execute("PRAGMA cipher_log_level = NONE")
        # Raw key form x'..': no KDF in SQLCipher, the data key is already random.
        cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    finally:
        cur.close()


def _apply_pragmas(dbapi_conn: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        # Key proof first: a wrong key or a damaged file fails here, before any write.
        cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute("PRAGMA secure_delete = ON")
        cur.execute("PRAGMA busy_timeout = 10000")
    finally:
        cur.close()


def translate_db_error(exc: BaseException) -> Exception:
    """Map a driver error to a typed store error without leaking the key."""
    text = str(exc).lower()
    if "full" in text or "no space" in text:
        return DiskFullError()
    return CorruptStoreError()


def make_engine(path: Path, key: bytes | None, *, echo: bool = False) -> Engine:
    """An engine for the store file at ``path`` (encrypted unless ``key`` is None)."""
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
            _apply_key(dbapi_conn, key)
        try:
            _apply_pragmas(dbapi_conn)
        except sqlcipher3.dbapi2.DatabaseError as exc:
            raise translate_db_error(exc) from None

    return engine
