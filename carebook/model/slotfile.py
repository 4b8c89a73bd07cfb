"""The key-slot file's content: slots, policies and failure records (see :mod:`keyslots`).

A JSON document: ``format``, ``store_id``, ``key_check`` (recognises the data key without
revealing it), ``slots`` (base64 fields, Argon2id parameters per slot) and ``failures`` (per
name: count and time of the last failed unlock; no password material).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from carebook.errors import (
    CorruptStoreError,
    NewerSchemaError,
    StoreMissingError,
    ValidationError,
)
from carebook.i18n import N_
from carebook.model.keywrap import DEFAULT_KDF, KdfParams

FORMAT_VERSION = 1
MAX_USERNAME = 64


@dataclass(frozen=True)
class BackoffPolicy:
    """Growing delay after failed unlocks: 0, base, 2·base, 4·base … capped (a policy)."""

    base_seconds: float = 1.0
    cap_seconds: float = 30.0

    def delay(self, failures: int) -> float:
        """Seconds that must pass after the last of ``failures`` failed attempts."""
        if failures <= 0:
            return 0.0
        return float(min(self.cap_seconds, self.base_seconds * 2 ** min(failures - 1, 32)))


@dataclass(frozen=True)
class SlotPolicy:
    """How new slots are made and how failures slow down unlocking.

    Tests pass cheap ``kdf`` parameters and a fake ``clock``/``sleep``; production keeps the
    defaults (Argon2id tuned to about 0.5 s, real time).
    """

    kdf: KdfParams = DEFAULT_KDF
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class FailureRecord:
    """Failed unlocks of one name since they were last copied to the usage log."""

    username: str
    count: int
    last_at: datetime


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the data key."""

    id: str
    kind: str
    username: str | None
    public: bytes
    private: bytes
    sealed: bytes
    kdf: KdfParams | None = None
    salt: bytes | None = None
    backend: str | None = None

    def aad(self, store_id: str) -> bytes:
        """Binds the ciphertexts to this store, slot and user, so slots cannot be swapped."""
        user = self.username or ""
        return f"carebook-keyslot/{FORMAT_VERSION}/{store_id}/{self.id}/{self.kind}/{user}".encode()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "username": self.username}
        for name in ("public", "private", "sealed", "salt"):
            value = getattr(self, name)
            data[name] = None if value is None else base64.b64encode(value).decode("ascii")
        data["kdf"] = None if self.kdf is None else self.kdf.to_json()
        data["backend"] = self.backend
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        def raw(name: str) -> bytes | None:
            value = data.get(name)
            return None if value is None else base64.b64decode(value, validate=True)

        kdf = data.get("kdf")
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            username=data.get("username"),
            public=raw("public") or b"",
            private=raw("private") or b"",
            sealed=raw("sealed") or b"",
            kdf=None if kdf is None else KdfParams.from_json(kdf),
            salt=raw("salt"),
            backend=data.get("backend"),
        )


def key_check(data_key: bytes) -> str:
    """A check value that recognises the data key without revealing it."""
    return hmac.new(data_key, b"carebook-key-check/v1", hashlib.sha256).hexdigest()[:32]


def validate_username(username: str) -> None:
    ok = (
        0 < len(username) <= MAX_USERNAME
        and not username.startswith("@")
        and username.isprintable()
        and username.strip() == username
    )
    if not ok:
        raise ValidationError(
            N_("A username must be 1–64 printable characters and not start with @."),
            code="invalid_username",
        )


def read_doc(path: Path) -> dict[str, Any]:
    """The parsed slot file at ``path``.

    Raises:
        StoreMissingError: no file there.
        NewerSchemaError: a newer carebook wrote it (a later format version).
        CorruptStoreError: anything else unreadable.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StoreMissingError(path=str(path)) from None
    try:
        doc: dict[str, Any] = json.loads(raw)
        version = doc.get("format") if isinstance(doc, dict) else None
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise NewerSchemaError()
        if version != FORMAT_VERSION:
            raise ValueError("unknown format")
        for slot in doc["slots"]:
            Slot.from_json(slot)
        doc.setdefault("failures", {})
        str(doc["store_id"])
        str(doc["key_check"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CorruptStoreError(
            N_("The key file %(path)s is damaged. Restore it from a backup."),
            code="corrupt_keys",
            path=str(path),
        ) from None
    return doc
