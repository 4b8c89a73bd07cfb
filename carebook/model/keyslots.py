"""Key slots: the store's random data key, wrapped once per way of unlocking (ARCHITECTURE §3).

``<store>.keys`` is a JSON file written atomically with 0600 permissions. It holds a format
version, a random store id, a check value of the data key, and slots:

* ``password``: one per staff user; the slot's private key is wrapped under Argon2id(password)
  with the parameters stored in the slot;
* ``recovery``: one, made at set-up; its code is returned once and never stored in clear;
* ``device``: optional per user, a random secret kept in the OS keyring (the backend's name is
  recorded; a changed backend or a lost secret falls back to the password).

The data key is sealed to each slot's public key (see :mod:`carebook.model.keywrap`), so an
administrator can add users and ``rekey`` can re-seal every slot without anyone's password.
Failed unlocks are counted per name in the file (no password material) and slow the next attempt
down (0, 1, 2, 4 … s, capped); the sign-in service copies them into the usage log after the next
successful unlock (AC-8; issue #2 item 4: failed logins are logged). Nothing is ever deleted
because of failures.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carebook.errors import (
    NotFoundError,
    StoreExistsError,
    ValidationError,
    WrongPasswordError,
)
from carebook.i18n import N_
from carebook.keychain import Keychain
from carebook.model import keywrap
from carebook.model.keywrap import KdfParams, UnwrapError
from carebook.model.slotfile import (
    FORMAT_VERSION,
    BackoffPolicy,
    FailureRecord,
    Slot,
    SlotPolicy,
    key_check,
    read_doc,
    validate_username,
)
from carebook.paths import write_private_atomic

log = logging.getLogger(__name__)

RECOVERY_NAME = "@recovery"  # failure-counter name of the recovery slot; no user may take it
# Names that are no user's share one counter: a typed name may be anything (even a password
# typed into the wrong field), so it is never written to the unencrypted key file.
UNKNOWN_NAME = "@unknown"
MAX_FAILURE_RECORDS = 500  # bounds the file whatever happens


class KeySlots:
    """The key-slot file of one store. Create with :meth:`create` or :meth:`load`.

    Every change re-reads the file first and writes it back atomically, so two processes on
    one PC (the app and a CLI call) do not lose each other's changes.
    """

    def __init__(
        self,
        path: Path,
        *,
        doc: dict[str, Any],
        policy: SlotPolicy,
        keychain: Keychain | None,
    ) -> None:
        self.path = path
        self.policy = policy
        self._keychain = keychain or Keychain()
        self._set_doc(doc)

    # -- file -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        data_key: bytes,
        policy: SlotPolicy | None = None,
        keychain: Keychain | None = None,
    ) -> tuple[KeySlots, str]:
        """A new slot file with only the recovery slot; returns it and the recovery code.

        The code is shown to the user once (``carebook init`` prints it) and never stored.
        """
        if path.exists():
            raise StoreExistsError(path=str(path))
        doc = {
            "format": FORMAT_VERSION,
            "store_id": os.urandom(16).hex(),
            "key_check": key_check(data_key),
            "slots": [],
            "failures": {},
        }
        slots = cls(path, doc=doc, policy=policy or SlotPolicy(), keychain=keychain)
        code = slots._put_recovery(data_key)
        slots._save()
        return slots, code

    @classmethod
    def load(
        cls, path: Path, *, policy: SlotPolicy | None = None, keychain: Keychain | None = None
    ) -> KeySlots:
        """The slot file at ``path``.

        Raises:
            StoreMissingError: no file there.
            CorruptStoreError: the file is not a readable slot file of a known format.
        """
        return cls(path, doc=read_doc(path), policy=policy or SlotPolicy(), keychain=keychain)

    def save_as(self, path: Path) -> None:
        """Write the slots (as they are in memory) atomically to ``path`` with 0600."""
        write_private_atomic(path, self._dump())

    @property
    def store_id(self) -> str:
        """Random id of the store these slots belong to."""
        return str(self._doc["store_id"])

    def users(self) -> list[str]:
        """Usernames with a password slot, sorted."""
        return sorted(s.username for s in self._slots if s.kind == "password" and s.username)

    def matches(self, data_key: bytes) -> bool:
        """True if ``data_key`` is the key these slots wrap."""
        return hmac.compare_digest(key_check(data_key), str(self._doc["key_check"]))

    # -- unlocking ------------------------------------------------------------------------

    def unlock(self, username: str, password: str) -> bytes:
        """The data key, if ``password`` is ``username``'s.

        Raises:
            WrongPasswordError: the same error, after the same work, whether the user does
                not exist or the password is wrong; the failure is counted and delays the
                next attempt of that name.
        """
        self._await_backoff(username)
        slot = self._find("password", username) or self._decoy(username)
        try:
            return self._open_secret(slot, keywrap.normalize_secret(password))
        except UnwrapError:
            self._record_failure(username)
            raise WrongPasswordError() from None

    def unlock_with_recovery(self, code: str) -> bytes:
        """The data key, if ``code`` is the recovery code (case, spaces, dashes ignored)."""
        self._await_backoff(RECOVERY_NAME)
        slot = self._find("recovery", None) or self._decoy(None)
        try:
            return self._open_secret(slot, keywrap.normalize_recovery_code(code))
        except UnwrapError:
            self._record_failure(RECOVERY_NAME)
            raise WrongPasswordError(
                N_("The recovery code is not right."), code="wrong_recovery_code"
            ) from None

    def unlock_with_device(self, username: str) -> bytes | None:
        """The data key from the device slot, or None: then ask for the password.

        None when there is no device slot, the keyring backend is not the recorded one, or
        the secret is gone or does not fit. Never a plaintext fallback.
        """
        self._reload()
        slot = self._find("device", username)
        if slot is None or slot.backend != self._keychain.backend_name():
            return None
        secret = self._keychain.load_secret(self._account(username))
        if secret is None:
            return None
        try:
            return self._open_kek(slot, keywrap.device_kek(secret, aad=slot.aad(self.store_id)))
        except UnwrapError:
            return None

    def wait_seconds(self, username: str) -> float:
        """Seconds before ``username`` may try again (0 when no delay is pending)."""
        self._reload()
        record = self._doc["failures"].get(self._counter_name(username))
        if not record:
            return 0.0
        due = float(record["last_at"]) + self.policy.backoff.delay(int(record["count"]))
        return max(0.0, due - self.policy.clock())

    def pending_failures(self) -> list[FailureRecord]:
        """Failed unlocks not yet copied to the usage log (oldest first).

        ``@recovery`` counts recovery-code failures and ``@unknown`` those of names that are
        no user's (the typed names are not kept).
        """
        self._reload()
        records = [
            FailureRecord(
                username=name,
                count=int(rec["count"]),
                last_at=datetime.fromtimestamp(float(rec["last_at"]), tz=UTC),
            )
            for name, rec in self._doc["failures"].items()
        ]
        return sorted(records, key=lambda r: r.last_at)

    def clear_failures(self, username: str) -> None:
        """Forget ``username``'s failures once they are in the usage log."""
        self._reload()
        if self._doc["failures"].pop(username, None) is not None:
            self._save()

    # -- managing slots -------------------------------------------------------------------

    def add_user(self, username: str, password: str, data_key: bytes) -> None:
        """A password slot for a new staff user.

        Raises:
            ValidationError: bad username, the user exists, or ``data_key`` is not this
                store's key.
        """
        validate_username(username)
        self._reload()
        self._require_key(data_key)
        if self._find("password", username):
            raise ValidationError(
                N_("A user named %(username)s already exists."),
                code="user_exists",
                username=username,
            )
        self._put_password(username, password, data_key, slot_id=os.urandom(8).hex())
        self._save()

    def set_password(self, username: str, new_password: str, data_key: bytes) -> None:
        """Administrator's reset: a fresh slot for ``username``; the device slot is dropped."""
        self._reload()
        self._require_key(data_key)
        slot = self._require_user(username)
        self._drop("device", username)
        self._put_password(username, new_password, data_key, slot_id=slot.id)
        self._save()

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The user's own change: the old password proves it, the slot is re-wrapped."""
        self._await_backoff(username)
        slot = self._find("password", username) or self._decoy(username)
        try:
            kek = self._derive(slot, keywrap.normalize_secret(old_password))
            private = keywrap.decrypt(kek, slot.private, aad=slot.aad(self.store_id))
        except UnwrapError:
            self._record_failure(username)
            raise WrongPasswordError() from None
        salt = os.urandom(keywrap.SALT_BYTES)
        new_kek = keywrap.derive_kek(
            keywrap.normalize_secret(new_password), salt=salt, params=self.policy.kdf
        )
        self._reload()
        current = self._require_user(username)
        wrapped = keywrap.encrypt(new_kek, private, aad=current.aad(self.store_id))
        self._replace(replace(current, private=wrapped, salt=salt, kdf=self.policy.kdf))
        self._save()

    def remove_user(self, username: str) -> None:
        """Delete ``username``'s slots (and the device secret). The last user cannot go."""
        self._reload()
        self._require_user(username)
        if len(self.users()) == 1:
            raise ValidationError(
                N_("The last user cannot be removed; add another user first."),
                code="last_user",
            )
        self._drop("password", username)
        if self._drop("device", username):
            self._keychain.delete_secret(self._account(username))
        self._save()

    def enable_device(self, username: str, data_key: bytes) -> None:
        """Remember ``username`` on this device with a secret kept in the OS keyring.

        Raises:
            KeychainUnavailableError: the keyring cannot keep secrets here.
        """
        self._reload()
        self._require_key(data_key)
        self._require_user(username)
        secret = os.urandom(keywrap.KEY_BYTES)
        backend = self._keychain.store_secret(self._account(username), secret)
        slot_id = os.urandom(8).hex()
        shell = Slot(slot_id, "device", username, b"", b"", b"", backend=backend)
        kek = keywrap.device_kek(secret, aad=shell.aad(self.store_id))
        self._drop("device", username)
        self._slots.append(self._fill(shell, kek, data_key))
        self._save()

    def disable_device(self, username: str) -> None:
        """Forget the device slot of ``username`` and its keyring secret."""
        self._reload()
        if self._drop("device", username):
            self._save()
        self._keychain.delete_secret(self._account(username))

    def has_device(self, username: str) -> bool:
        """True if ``username`` has a device slot (it may still fall back to the password)."""
        return self._find("device", username) is not None

    def reissue_recovery(self, data_key: bytes) -> str:
        """Replace the recovery slot; returns the new code (show it once)."""
        self._reload()
        self._require_key(data_key)
        code = self._put_recovery(data_key)
        self._save()
        return code

    def rewrap_all(self, new_data_key: bytes, *, path: Path) -> tuple[KeySlots, str]:
        """Slots sealing ``new_data_key`` for every user and device, written to ``path``.

        This file is left as it is; the caller (``Store.rekey``) moves the new file into
        place once the store itself has the new key. Passwords and device secrets stay valid;
        the recovery code is re-issued (returned once).
        """
        self._reload()
        rewrapped = KeySlots(
            path, doc=json.loads(self._dump()), policy=self.policy, keychain=self._keychain
        )
        rewrapped._slots[:] = [
            replace(s, sealed=keywrap.seal(s.public, new_data_key, aad=s.aad(self.store_id)))
            for s in rewrapped._slots
        ]
        rewrapped._doc["key_check"] = key_check(new_data_key)
        code = rewrapped._put_recovery(new_data_key)
        rewrapped._save()
        return rewrapped, code

    # -- internals ------------------------------------------------------------------------

    def _set_doc(self, doc: dict[str, Any]) -> None:
        self._doc = doc
        self._slots: list[Slot] = [Slot.from_json(s) for s in doc["slots"]]

    def _reload(self) -> None:
        if self.path.exists():
            self._set_doc(read_doc(self.path))

    def _dump(self) -> bytes:
        doc = dict(self._doc, slots=[s.to_json() for s in self._slots])
        return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")

    def _save(self) -> None:
        write_private_atomic(self.path, self._dump())

    def _account(self, username: str) -> str:
        return f"{self.store_id}:{username}"

    def _find(self, kind: str, username: str | None) -> Slot | None:
        return next((s for s in self._slots if s.kind == kind and s.username == username), None)

    def _drop(self, kind: str, username: str | None) -> bool:
        before = len(self._slots)
        self._slots[:] = [s for s in self._slots if not (s.kind == kind and s.username == username)]
        return len(self._slots) != before

    def _replace(self, slot: Slot) -> None:
        self._slots[:] = [slot if s.id == slot.id else s for s in self._slots]

    def _require_user(self, username: str) -> Slot:
        slot = self._find("password", username)
        if slot is None:
            raise NotFoundError(
                N_("No user named %(username)s."), code="user_not_found", username=username
            )
        return slot

    def _require_key(self, data_key: bytes) -> None:
        if not self.matches(data_key):
            raise ValidationError(
                N_("This key does not belong to this data store."), code="foreign_key"
            )

    def _fill(self, shell: Slot, kek: bytes, data_key: bytes) -> Slot:
        """A slot with a fresh key pair: private key wrapped under ``kek``, data key sealed."""
        private, public = keywrap.new_key_pair()
        aad = shell.aad(self.store_id)
        return replace(
            shell,
            public=public,
            private=keywrap.encrypt(kek, private, aad=aad),
            sealed=keywrap.seal(public, data_key, aad=aad),
        )

    def _put_secret_slot(self, shell: Slot, secret: bytes, data_key: bytes) -> None:
        salt = os.urandom(keywrap.SALT_BYTES)
        shell = replace(shell, salt=salt, kdf=self.policy.kdf)
        kek = keywrap.derive_kek(secret, salt=salt, params=self.policy.kdf)
        self._drop(shell.kind, shell.username)
        self._slots.append(self._fill(shell, kek, data_key))

    def _put_password(self, username: str, password: str, data_key: bytes, *, slot_id: str) -> None:
        shell = Slot(slot_id, "password", username, b"", b"", b"")
        self._put_secret_slot(shell, keywrap.normalize_secret(password), data_key)

    def _put_recovery(self, data_key: bytes) -> str:
        code = keywrap.new_recovery_code()
        shell = Slot(os.urandom(8).hex(), "recovery", None, b"", b"", b"")
        self._put_secret_slot(shell, keywrap.normalize_recovery_code(code), data_key)
        return code

    def _decoy(self, username: str | None) -> Slot:
        """A slot nothing opens, costing the same KDF work as a real one (timing shape)."""
        real = next((s for s in self._slots if s.kdf is not None), None)
        return Slot(
            id=os.urandom(8).hex(),
            kind="password" if username else "recovery",
            username=username,
            public=os.urandom(32),
            private=os.urandom(keywrap.NONCE_BYTES + keywrap.KEY_BYTES + 16),
            sealed=os.urandom(keywrap.KEY_BYTES + keywrap.NONCE_BYTES + keywrap.KEY_BYTES + 16),
            kdf=real.kdf if real else self.policy.kdf,
            salt=os.urandom(keywrap.SALT_BYTES),
        )

    def _derive(self, slot: Slot, secret: bytes) -> bytes:
        if slot.kdf is None or slot.salt is None:
            raise UnwrapError()
        return keywrap.derive_kek(secret, salt=slot.salt, params=slot.kdf)

    def _open_secret(self, slot: Slot, secret: bytes) -> bytes:
        return self._open_kek(slot, self._derive(slot, secret))

    def _open_kek(self, slot: Slot, kek: bytes) -> bytes:
        aad = slot.aad(self.store_id)
        private = keywrap.decrypt(kek, slot.private, aad=aad)
        data_key = keywrap.unseal(private, slot.sealed, aad=aad)
        if not self.matches(data_key):
            raise UnwrapError()
        return data_key

    def _await_backoff(self, username: str) -> None:
        wait = self.wait_seconds(username)
        if wait > 0:
            self.policy.sleep(wait)

    def _counter_name(self, username: str) -> str:
        """The failure counter of a typed name: its own for users, a shared one otherwise."""
        if username == RECOVERY_NAME or self._find("password", username) is not None:
            return username
        return UNKNOWN_NAME

    def _record_failure(self, username: str) -> None:
        self._reload()
        failures: dict[str, Any] = self._doc["failures"]
        name = self._counter_name(username)
        record = failures.pop(name, {"count": 0})
        failures[name] = {"count": int(record["count"]) + 1, "last_at": self.policy.clock()}
        while len(failures) > MAX_FAILURE_RECORDS:
            failures.pop(next(iter(failures)))
        try:
            self._save()
        except OSError:
            # A read-only medium (a backup on a locked stick) cannot count failures; the
            # unlock still fails with WrongPasswordError, never with a file error.
            log.warning("could not record a failed unlock in %s", self.path.name)


__all__ = [
    "BackoffPolicy",
    "FailureRecord",
    "KdfParams",
    "KeySlots",
    "SlotPolicy",
]
