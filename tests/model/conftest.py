"""Store and key-slot fixtures: cheap Argon2id, a fake clock, an in-memory keyring."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlcipher3
from keyring.backend import KeyringBackend

from carebook.model.db import apply_key
from carebook.model.keyslots import BackoffPolicy, SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.model.store import Store

# Argon2id's minimum cost: the tests check behaviour, the production default is tuned to ~0.5 s.
FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
ADMIN, ADMIN_PW = "admin", "Correct horse 1"


@dataclass
class FakeClock:
    """Time that moves only when something sleeps (no wall-clock in tests)."""

    now: float = 1_800_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict (this machine has no OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class OtherMemoryKeyring(MemoryKeyring):
    """A different backend class: stands for the OS keyring having changed."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def policy(clock: FakeClock) -> SlotPolicy:
    return SlotPolicy(kdf=FAST_KDF, backoff=BackoffPolicy(), clock=clock, sleep=clock.sleep)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "carebook.db"


@pytest.fixture
def slotted_store(store_path: Path, policy: SlotPolicy) -> Iterator[tuple[Store, str]]:
    """A store made like ``carebook init`` does: data key, slots, first user, recovery code."""
    store_path.parent.mkdir(mode=0o700)
    store, code = Store.initialise(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    yield store, code
    store.close()


def file_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of the store file and every companion file beside it."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.name.startswith(path.name)
    }


def build_store_from_sql(path: Path, key: bytes, sql: str) -> None:
    """An encrypted store file made by running ``sql`` (a frozen schema fixture)."""
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        apply_key(conn, key)
        conn.execute("PRAGMA journal_mode = WAL").fetchall()
        conn.executescript(sql)
    finally:
        conn.close()
