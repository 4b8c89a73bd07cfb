"""Key-wrapping primitives behind the key slots (ARCHITECTURE §3).

Every slot owns an X25519 key pair. Its private key is wrapped with AES-256-GCM under a key
encryption key (KEK) derived from the slot's secret: Argon2id for a password or a recovery code,
HKDF for a random device secret. The data key is *sealed* to the slot's public key (ephemeral
X25519 + HKDF + AES-256-GCM). Sealing needs no password, so ``rekey`` can give every slot the
new data key while staff keep their passwords.

Run ``python -m carebook.model.keywrap`` to time one password unlock with the default
parameters on this machine. Measured 2026-11-22 on the 2-core build machine while idle:
256 MiB, 3 passes, 4 lanes: 530–580 ms per unlock (a whole ``KeySlots.unlock`` 490–650 ms;
an unknown user the same, 460–470 ms). For comparison: 192 MiB 0.44–0.55 s, 128 MiB 0.27 s,
64 MiB 0.13 s; under the load of parallel test runs every figure is 2–4 times higher.
"""

from __future__ import annotations

import os
import secrets
import time
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# Crockford's base32: no I, L, O or U, so a code read aloud or typed by hand survives.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 8
RECOVERY_GROUP_LEN = 5


class UnwrapError(Exception):
    """A secret did not open a slot (wrong secret, or the slot was altered)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored with every slot so they can change over time."""

    memory_kib: int
    iterations: int
    lanes: int

    def to_json(self) -> dict[str, int | str]:
        return {
            "alg": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        if data.get("alg") != "argon2id":
            raise ValueError("unknown key derivation")
        return cls(
            memory_kib=_int(data["memory_kib"]),
            iterations=_int(data["iterations"]),
            lanes=_int(data["lanes"]),
        )


# Tuned to about half a second per unlock on the build machine (see module docstring).
DEFAULT_KDF = KdfParams(memory_kib=256 * 1024, iterations=3, lanes=4)


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def normalize_secret(text: str) -> bytes:
    """Passwords compare after Unicode NFC, so 'ä' typed either way unlocks."""
    return unicodedata.normalize("NFC", text).encode("utf-8")


def derive_kek(secret: bytes, *, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id KEK for a password or recovery code."""
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def device_kek(secret: bytes, *, aad: bytes) -> bytes:
    """HKDF KEK for a random 32-byte device secret (no stretching needed)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=aad).derive(secret)


def encrypt(key: bytes, plaintext: bytes, *, aad: bytes) -> bytes:
    """AES-256-GCM: nonce followed by ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, *, aad: bytes) -> bytes:
    """Inverse of :func:`encrypt`; raises UnwrapError on a wrong key or altered blob."""
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise UnwrapError() from None


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as raw (private, public) bytes."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def _seal_key(shared: bytes, eph_public: bytes, public: bytes) -> bytes:
    info = b"carebook-seal/v1" + eph_public + public
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)


def seal(public: bytes, data_key: bytes, *, aad: bytes) -> bytes:
    """Encrypt ``data_key`` to an X25519 public key (ephemeral public key || nonce || ct)."""
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes_raw()
    shared = eph.exchange(X25519PublicKey.from_public_bytes(public))
    return eph_public + encrypt(_seal_key(shared, eph_public, public), data_key, aad=aad)


def unseal(private: bytes, blob: bytes, *, aad: bytes) -> bytes:
    """Inverse of :func:`seal`; raises UnwrapError if the private key does not fit."""
    try:
        key = X25519PrivateKey.from_private_bytes(private)
        eph_public, rest = blob[:KEY_BYTES], blob[KEY_BYTES:]
        shared = key.exchange(X25519PublicKey.from_public_bytes(eph_public))
    except ValueError:
        raise UnwrapError() from None
    public = key.public_key().public_bytes_raw()
    return decrypt(_seal_key(shared, eph_public, public), rest, aad=aad)


def new_recovery_code() -> str:
    """A random recovery code: 8 groups of 5 base32 characters (200 bits)."""
    chars = [secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)]
    groups = [
        "".join(chars[i : i + RECOVERY_GROUP_LEN])
        for i in range(0, len(chars), RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


def normalize_recovery_code(text: str) -> bytes:
    """Canonical form of a typed code: case, spaces and dashes ignored; I/L→1, O→0."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("I", "1").replace("L", "1").replace("O", "0")
    return cleaned.encode("ascii", errors="replace")


def time_unlock(params: KdfParams = DEFAULT_KDF, *, rounds: int = 3) -> float:
    """Best-of-``rounds`` seconds for one Argon2id derivation with ``params``."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        derive_kek(b"timing", salt=os.urandom(SALT_BYTES), params=params)
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    seconds = time_unlock()
    print(
        f"Argon2id {DEFAULT_KDF.memory_kib // 1024} MiB, {DEFAULT_KDF.iterations} passes, "
        f"{DEFAULT_KDF.lanes} lanes: {seconds * 1000:.0f} ms per unlock"
    )
