"""Where carebook keeps its files, and how it writes private files safely.

The data directory is, in order of precedence: the ``--data-dir`` option (passed in by the
caller), the ``CAREBOOK_HOME`` environment variable, then the platform's per-user data directory
(``platformdirs.user_data_dir("carebook")``). Directories are created with 0700 permissions and
private files with 0600, because the store and its key slots hold client data (ARCHITECTURE §3).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

import platformdirs

from carebook.errors import DiskFullError

APP_NAME = "carebook"
ENV_HOME = "CAREBOOK_HOME"
STORE_FILE = "carebook.db"
SLOTS_SUFFIX = ".keys"
DIR_MODE = 0o700
FILE_MODE = 0o600
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, created with 0700 permissions if missing.

    Args:
        override: the ``--data-dir`` option, if the user gave one.
    """
    if override:
        chosen = Path(override)
    elif os.environ.get(ENV_HOME):
        chosen = Path(os.environ[ENV_HOME])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return ensure_private_dir(chosen.expanduser())


def store_path(directory: Path) -> Path:
    """The store file inside a data directory."""
    return directory / STORE_FILE


def slots_path(store: Path) -> Path:
    """The key-slot file that belongs to a store file (``<store>.keys``)."""
    return store.with_name(store.name + SLOTS_SUFFIX)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; the leaf directory gets 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, DIR_MODE)
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file with 0600 permissions; fails if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a directory entry (after a rename) where the platform supports it."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: 0600 temp file, fsync, replace, fsync the dir.

    A crash leaves either the old file or the new one, never a half-written file; the temp
    file is removed on any error.

    Raises:
        DiskFullError: no space (or quota) left; the old file is untouched.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            raise DiskFullError() from None
        raise
    fsync_dir(path.parent)
