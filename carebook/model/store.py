"""The local encrypted store: one SQLCipher file per installation plus its key-slot file.

Owner of opening, creating, migrating, backing up and closing. Services get short sessions from
:meth:`Store.session`; nothing outside ``carebook.model`` touches the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from carebook.model.base import Base
from carebook.model.db import make_engine


class Store:
    """An open store. Create with :meth:`create` or :meth:`open`."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def create(cls, path: Path, data_key: bytes | None) -> Store:
        """A new store at ``path`` with the current schema (``data_key=None``: plain SQLite)."""
        engine = make_engine(path, data_key)
        from carebook.model import tables  # noqa: F401 - registers every table

        Base.metadata.create_all(engine)
        return cls(path, engine)

    @classmethod
    def open(cls, path: Path, data_key: bytes | None) -> Store:
        return cls(path, make_engine(path, data_key))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
