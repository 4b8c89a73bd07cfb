"""The register's engine: SQLite (WAL, busy timeout) or PostgreSQL, and its migrations.

Writers serialise per register on the ``registers`` row (see :func:`lock_register`); on SQLite
write sessions also open with ``BEGIN IMMEDIATE`` so a writer waits for the lock instead of
failing on a stale snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
_MIGRATION_LOCK = 0x6361_7265  # "care": pg advisory lock id shared by all workers


def normalise_url(db_url: str) -> str:
    """``postgresql://`` means psycopg 3; a bare path means a SQLite file."""
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db_url.split("://", 1)[1]
    if "://" not in db_url:
        return f"sqlite:///{db_url}"
    return db_url


def make_engine(db_url: str) -> Engine:
    """An engine for ``db_url`` with the pragmas and pool the register needs."""
    url = make_url(normalise_url(db_url))
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url: Any) -> Engine:
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None,
                           "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}",
                       "foreign_keys=ON", "synchronous=NORMAL"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None); we begin here.
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Sessions:
    """Session factories: ``read()`` for queries, ``write()`` for anything that changes rows."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(immediate=True),
                                   expire_on_commit=False)

    def read(self) -> Session:
        return self._read()

    def write(self) -> Session:
        return self._write()


def lock_register(session: Session, register_oid: str) -> int | None:
    """Take the register's write lock and the next sequence number (None: no such register).

    The row lock is held until commit, so sequence order is commit order: a reader paging
    with a cursor never misses a version committed later with a lower number.
    """
    return session.execute(
        text("UPDATE registers SET sequence = sequence + 1 WHERE controller_oid = :oid "
             "RETURNING sequence"), {"oid": register_oid}).scalar_one_or_none()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the register's schema to the newest migration."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several workers may start at once on one database.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
