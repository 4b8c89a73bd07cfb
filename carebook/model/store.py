"""The local encrypted store: one SQLCipher file per installation plus its key-slot file.

Owner of opening, creating, migrating, backing up, restoring, rekeying and closing
(ARCHITECTURE §3). Services get short sessions from :meth:`Store.session`; nothing outside
``carebook.model`` touches the engine.

Opening checks, in order, without writing anything: the key (against the key slots, then a read
that proves it), the integrity (SQLCipher page HMACs and ``quick_check``), the schema revision.
A newer revision raises :class:`NewerSchemaError`; an older one is upgraded after an encrypted
backup ``<store>.pre-upgrade-<rev>-<UTC time>.bak`` (with its ``.keys``).

Crash recovery: ``rekey`` and ``restore`` first write the new slots as ``<store>.keys.new``
(and ``rekey`` keeps the old ones as ``<store>.keys.old``); the slots file is replaced only
once the data file is done. If a crash falls in between, :meth:`Store.unlock` notices that the
old slots do not open the file, unlocks with ``.keys.new`` and promotes it. If that also fails,
``<store>.keys.old`` holds the previous slots (the store's old key).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from carebook.errors import (
    CorruptStoreError,
    NewerSchemaError,
    StoreExistsError,
    StoreInUseError,
    StoreMissingError,
    WrongPasswordError,
)
from carebook.keychain import Keychain
from carebook.model import migrations, storefile
from carebook.model.db import (
    KEY_BYTES,
    disk_full_as_error,
    file_opens,
    file_revision,
    integrity_problems,
    make_engine,
)
from carebook.model.keyslots import KeySlots, SlotPolicy
from carebook.paths import create_private_file, slots_path, write_private_atomic

log = logging.getLogger(__name__)

NEW_SLOTS = ".new"
OLD_SLOTS = ".old"


class Store:
    """An open store. Make one with :meth:`initialise`, :meth:`unlock`, :meth:`create` or
    :meth:`open`; close it with :meth:`close`."""

    # Stores open in this process, counted per file (the restore guard).
    _open_paths: ClassVar[Counter[Path]] = Counter()

    def __init__(
        self, path: Path, engine: Engine, *, data_key: bytes | None, slots: KeySlots | None
    ) -> None:
        self.path = path
        self.engine = engine
        self.slots = slots
        self._data_key = data_key
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._closed = False
        Store._open_paths[path.resolve()] += 1

    # -- making and opening ---------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, data_key: bytes | None) -> Store:
        """A new store at ``path`` with the schema at head (``data_key=None``: plain SQLite).

        The schema is built by the migrations (``upgrade head``), so a new store and an
        upgraded one are the same.
        """
        if path.exists():
            raise StoreExistsError(path=str(path))
        create_private_file(path)
        try:
            storefile.migrate(path, data_key)
        except BaseException:
            for leftover in [path, *storefile.side_files(path)]:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            raise
        log.info("created a store at schema %s", migrations.head())
        engine = make_engine(path, data_key, immediate=True)
        return cls(path, engine, data_key=data_key, slots=None)

    @classmethod
    def open(cls, path: Path, data_key: bytes | None, *, slots: KeySlots | None = None) -> Store:
        """Open the store at ``path`` with ``data_key``, upgrading an older schema.

        Raises:
            StoreMissingError: no file at ``path``.
            WrongPasswordError: the key slots beside the file say the key is not this store's.
            CorruptStoreError: the key does not open the file or it fails its integrity check.
            NewerSchemaError: a newer carebook made the file.
            In every case the file is left exactly as it was.
        """
        if not path.exists():
            raise StoreMissingError(path=str(path))
        slots = slots or _slots_beside(path)
        if slots is not None and data_key is not None and not slots.matches(data_key):
            raise WrongPasswordError()
        revision = storefile.checked_revision(path, data_key)
        if revision != migrations.head():
            storefile.upgrade(path, data_key, revision=revision)
        engine = make_engine(path, data_key, immediate=True)
        return cls(path, engine, data_key=data_key, slots=slots)

    @classmethod
    def initialise(
        cls,
        path: Path,
        *,
        username: str,
        password: str,
        policy: SlotPolicy | None = None,
        keychain: Keychain | None = None,
    ) -> tuple[Store, str]:
        """A new store with a random data key, its key slots and a first user.

        Returns the store and the recovery code (show it once; it is not stored in clear).
        """
        keys = slots_path(path)
        if path.exists() or keys.exists():
            raise StoreExistsError(path=str(path))
        data_key = os.urandom(KEY_BYTES)
        slots, code = KeySlots.create(keys, data_key=data_key, policy=policy, keychain=keychain)
        try:
            slots.add_user(username, password, data_key)
            store = cls.create(path, data_key)
        except BaseException:
            keys.unlink()
            raise
        store.slots = slots
        return store, code

    @classmethod
    def unlock(
        cls,
        path: Path,
        *,
        username: str,
        password: str,
        policy: SlotPolicy | None = None,
        keychain: Keychain | None = None,
    ) -> Store:
        """Open the store with a staff user's password (the everyday sign-in).

        Raises:
            WrongPasswordError: unknown user or wrong password (counted, delays the next try).
            plus everything :meth:`open` raises.
        """
        return _open_with(path, lambda s: s.unlock(username, password), policy, keychain)

    @classmethod
    def unlock_with_recovery(
        cls, path: Path, *, code: str, policy: SlotPolicy | None = None
    ) -> Store:
        """Open the store with the recovery code (then set a new password for someone)."""
        return _open_with(path, lambda s: s.unlock_with_recovery(code), policy, None)

    @classmethod
    def unlock_with_device(
        cls, path: Path, *, username: str, keychain: Keychain | None = None
    ) -> Store | None:
        """Open the store with ``username``'s device slot, or None: ask for the password."""
        slots = KeySlots.load(slots_path(path), keychain=keychain)
        data_key = slots.unlock_with_device(username)
        return None if data_key is None else cls.open(path, data_key, slots=slots)

    # -- everyday use ---------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error.

        Raises:
            DiskFullError: the disk is full; nothing of the unit of work was saved.
        """
        with disk_full_as_error(), self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Close every connection (the WAL is checkpointed and removed). Safe to repeat."""
        self.engine.dispose()
        if not self._closed:
            self._closed = True
            Store._open_paths[self.path.resolve()] -= 1
            if Store._open_paths[self.path.resolve()] <= 0:
                del Store._open_paths[self.path.resolve()]

    def integrity_problems(self, *, full: bool = False) -> list[str]:
        """What the integrity checks find wrong with the open store (empty: all fine)."""
        with self.engine.connect() as conn:
            return integrity_problems(conn, full=full)

    # -- key slots that need the data key ------------------------------------------------

    def add_user_key(self, username: str, password: str) -> None:
        """A key slot for a new staff user (see :meth:`KeySlots.add_user`)."""
        self._require_slots().add_user(username, password, self._require_key())

    def set_user_password(self, username: str, password: str) -> None:
        """Administrator's password reset (see :meth:`KeySlots.set_password`)."""
        self._require_slots().set_password(username, password, self._require_key())

    def remember_device(self, username: str) -> None:
        """Keep ``username`` signed in on this device (see :meth:`KeySlots.enable_device`)."""
        self._require_slots().enable_device(username, self._require_key())

    def reissue_recovery(self) -> str:
        """A new recovery code replacing the old one; returns it (show it once)."""
        return self._require_slots().reissue_recovery(self._require_key())

    # -- backup, restore, rekey -----------------------------------------------------------

    def backup_to(self, out: Path) -> None:
        """An encrypted copy at ``out`` (same key) with the key slots beside it as
        ``<out>.keys``; both written atomically with 0600.

        Raises:
            DiskFullError: the disk filled up; nothing is left under ``out``.
        """
        if out.resolve() == self.path.resolve():
            raise StoreExistsError(path=str(out))
        storefile.copy_store(self.engine, out, key=self._data_key)
        keys = slots_path(self.path)
        if keys.exists():
            try:
                write_private_atomic(slots_path(out), keys.read_bytes())
            except BaseException:
                out.unlink(missing_ok=True)  # a copy nobody can unlock is no backup
                raise

    @classmethod
    def restore(
        cls, from_path: Path, to_path: Path, *, data_key: bytes, overwrite: bool = False
    ) -> None:
        """Put the backup ``from_path`` (with ``<from>.keys``) in place of ``to_path``.

        ``data_key`` comes from unlocking the backup's slots. The backup is checked first
        (slots readable, key fits them, file opens and passes its integrity check); the store
        is replaced only then. Opening it afterwards upgrades an older schema as usual.

        Raises:
            StoreInUseError: ``to_path`` is open in this process.
            StoreExistsError: ``to_path`` exists and ``overwrite`` is False.
            WrongPasswordError / CorruptStoreError / StoreMissingError: bad backup.
            NewerSchemaError: the backup was made by a newer carebook.
        """
        if cls._open_paths[to_path.resolve()] > 0:
            raise StoreInUseError(path=str(to_path))
        if to_path.exists() and not overwrite:
            raise StoreExistsError(path=str(to_path))
        if not from_path.exists():
            raise StoreMissingError(path=str(from_path))
        slots = KeySlots.load(slots_path(from_path))
        if not slots.matches(data_key):
            raise WrongPasswordError()
        storefile.verify_file(from_path, key=data_key)
        revision = file_revision(from_path, data_key)
        if revision is None:
            raise CorruptStoreError()
        if not migrations.is_known(revision):
            raise NewerSchemaError()
        pending = _pending_slots(to_path)
        slots.save_as(pending)
        engine = make_engine(from_path, data_key)
        try:
            for stale in storefile.side_files(to_path):
                stale.unlink(missing_ok=True)
            storefile.copy_store(engine, to_path, key=data_key)
        finally:
            engine.dispose()
        os.replace(pending, slots_path(to_path))

    def rekey(self) -> str:
        """Rotate the data key; every user keeps their password. Returns the new recovery
        code (the old one stops working; show the new one once).

        Order (crash-safe): old slots → ``.keys.old``; new slots → ``.keys.new``; ``PRAGMA
        rekey`` on the file; check it opens with the new key; new slots → ``.keys``; remove
        ``.keys.new`` and ``.keys.old``. See the module docstring for recovery.

        Raises:
            StoreInUseError: another connection has the store open; nothing changed.
        """
        slots = self._require_slots()
        old_key = self._require_key()
        keys = slots_path(self.path)
        write_private_atomic(_old_slots(self.path), keys.read_bytes())
        new_key = os.urandom(KEY_BYTES)
        new_slots, code = slots.rewrap_all(new_key, path=_pending_slots(self.path))
        self.engine.dispose()
        try:
            storefile.rekey_file(self.path, old_key=old_key, new_key=new_key)
        except BaseException:
            if file_opens(self.path, old_key):  # nothing changed: undo the slots
                _pending_slots(self.path).unlink(missing_ok=True)
                _old_slots(self.path).unlink(missing_ok=True)
            raise
        storefile.verify_file(self.path, key=new_key)
        # Written from memory, not moved: the pending file is only the crash copy.
        new_slots.save_as(keys)
        _pending_slots(self.path).unlink(missing_ok=True)
        _old_slots(self.path).unlink(missing_ok=True)
        new_slots.path = keys
        self.slots = new_slots
        self._data_key = new_key
        self.engine = make_engine(self.path, new_key, immediate=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return code

    def _require_slots(self) -> KeySlots:
        if self.slots is None:
            self.slots = KeySlots.load(slots_path(self.path))
        return self.slots

    def _require_key(self) -> bytes:
        if self._data_key is None:
            raise StoreMissingError(path=str(slots_path(self.path)))
        return self._data_key


def _pending_slots(path: Path) -> Path:
    keys = slots_path(path)
    return keys.with_name(keys.name + NEW_SLOTS)


def _old_slots(path: Path) -> Path:
    keys = slots_path(path)
    return keys.with_name(keys.name + OLD_SLOTS)


def _slots_beside(path: Path) -> KeySlots | None:
    try:
        return KeySlots.load(slots_path(path))
    except (StoreMissingError, CorruptStoreError):
        return None


def _open_with(
    path: Path,
    unlock: Callable[[KeySlots], bytes],
    policy: SlotPolicy | None,
    keychain: Keychain | None,
) -> Store:
    """Unlock with the slots and open; finish an interrupted rekey/restore if one is pending."""
    if not path.exists():
        raise StoreMissingError(path=str(path))
    slots = KeySlots.load(slots_path(path), policy=policy, keychain=keychain)
    pending = _pending_slots(path)
    try:
        store = Store.open(path, unlock(slots), slots=slots)
    except (CorruptStoreError, WrongPasswordError):
        if not pending.exists():
            raise
        new_slots = KeySlots.load(pending, policy=policy, keychain=keychain)
        store = Store.open(path, unlock(new_slots), slots=new_slots)
        os.replace(pending, slots_path(path))
        store.slots = KeySlots.load(slots_path(path), policy=policy, keychain=keychain)
    # The file opened with the current slots: any leftovers of an interrupted run are stale.
    pending.unlink(missing_ok=True)
    _old_slots(path).unlink(missing_ok=True)
    return store
