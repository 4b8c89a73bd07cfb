"""The OS keyring, for the optional "remember on this device" key slot (ARCHITECTURE §3).

A random device secret is kept in the keyring under the service ``carebook`` and an account
``<store id>:<username>``. The backend's name is recorded in the key slot; when the backend
changes or the secret is gone, unlocking falls back to the password. There is never a
plaintext fallback: if the keyring cannot keep a secret, the device slot is not created.
"""

from __future__ import annotations

import base64
import binascii

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError

from carebook.errors import KeychainUnavailableError

SERVICE = "carebook"


class Keychain:
    """A thin adapter over one keyring backend (the platform's default unless given).

    Args:
        backend: the keyring backend to use; ``None`` asks ``keyring`` for the default.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        """The backend in use."""
        return self._backend if self._backend is not None else keyring.get_keyring()

    def backend_name(self) -> str:
        """A stable name of the backend (module and class), recorded in device slots.

        A chaining backend is named with the backends it chains, so a change behind it
        counts as a change of backend too.
        """
        backend = self.backend
        name = _class_name(backend)
        if isinstance(backend, ChainerBackend):
            name += "[" + ",".join(_class_name(b) for b in backend.backends) + "]"
        return name

    def store_secret(self, account: str, secret: bytes) -> str:
        """Keep ``secret`` under ``account``; returns the backend name.

        Raises:
            KeychainUnavailableError: the keyring refused or does not keep secrets (it
                would give them back as nothing, e.g. the null backend).
        """
        encoded = base64.b64encode(secret).decode("ascii")
        try:
            self.backend.set_password(SERVICE, account, encoded)
            stored = self.backend.get_password(SERVICE, account)
        except (KeyringError, RuntimeError, OSError):
            raise KeychainUnavailableError() from None
        if stored != encoded:
            raise KeychainUnavailableError()
        return self.backend_name()

    def load_secret(self, account: str) -> bytes | None:
        """The secret kept under ``account``, or None if missing or unreadable."""
        try:
            encoded = self.backend.get_password(SERVICE, account)
        except (KeyringError, RuntimeError, OSError):
            return None
        if not encoded:
            return None
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return None

    def delete_secret(self, account: str) -> None:
        """Forget the secret under ``account`` (no error if it is already gone)."""
        try:
            self.backend.delete_password(SERVICE, account)
        except (KeyringError, RuntimeError, OSError):
            return


def _class_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"
