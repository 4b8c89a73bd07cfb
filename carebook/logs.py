"""Logging: one rotating file per data directory, with a filter that redacts personal data.

Logs never contain personal data (STYLE "Data safety"): every record passes through
:class:`RedactingFilter`, which replaces Finnish personal identity codes, anything that looks
like a raw key, and every name or secret the front end registered with :meth:`RedactingFilter.
add_secret` (client and staff names typed on the command line, passwords, recovery codes).
Nothing is logged to the screen by default; the CLI prints one translated line per error and
keeps the details here.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path

LOG_NAME = "carebook.log"
LOGGER = "carebook"
REDACTED = "[redacted]"

# Personal identity code (henkilötunnus): DDMMYY, century sign (+ - A B C D E F U V W X Y),
# individual number, check character. Matched loosely on purpose: a wrong check character is
# still personal data.
_HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
# 64 hex digits or longer: a raw key or a key-derived value; never worth logging.
_HEX_KEY = re.compile(r"\b[0-9a-fA-F]{64,}\b")


class RedactingFilter(logging.Filter):
    """Rewrites each record's message so that no identity code, key or registered secret stays."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, *values: str | None) -> None:
        """Register names, passwords or codes that must never appear in a log line."""
        with self._lock:
            for value in values:
                if value and len(value.strip()) >= 2:
                    self._secrets.add(value.strip())

    def redact(self, text: str) -> str:
        """``text`` with every identity code, key and registered secret replaced."""
        text = _HETU.sub(REDACTED, text)
        text = _HEX_KEY.sub(REDACTED, text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_filter = RedactingFilter()


def redactor() -> RedactingFilter:
    """The process-wide redacting filter (front ends register names and secrets with it)."""
    return _filter


def add_secrets(values: Iterable[str | None]) -> None:
    """Shorthand for ``redactor().add_secret(*values)``."""
    _filter.add_secret(*values)


class DeferredFileHandler(logging.Handler):
    """Keeps records in memory until :meth:`open` creates the log file (0600) and writes them.

    A command that fails before any store exists (a mistyped ``--data-dir``) must not leave a
    ``logs`` folder behind, so the file is made only when the data directory holds a store,
    or when an unexpected error needs its details kept.
    """

    def __init__(self, log_dir: Path) -> None:
        super().__init__()
        self.log_dir = log_dir
        self.path: Path | None = None
        self._buffer: list[logging.LogRecord] = []
        self._file: logging.Handler | None = None
        self._failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is not None:
            self._file.handle(record)
        elif len(self._buffer) < 1000:
            self._buffer.append(record)

    def open(self) -> Path | None:
        """Create the log file and write the kept records; None when it cannot be written."""
        if self._file is None and not self._failed:
            try:
                path = _open_log_file(self.log_dir)
                handler = logging.handlers.RotatingFileHandler(
                    path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
            except OSError:
                self._failed = True
                return None
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            self._file, self.path = handler, path
            for record in self._buffer:
                handler.handle(record)
            self._buffer.clear()
        return self.path

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


_deferred: DeferredFileHandler | None = None


def setup(log_dir: Path | None, *, level: int = logging.INFO, verbose: bool = False,
          defer: bool = False) -> Path | None:
    """Send the ``carebook`` loggers to ``log_dir/carebook.log`` (0600, rotated).

    Args:
        log_dir: where the log file lives (created 0700); None logs nowhere but stderr when
            ``verbose``.
        level: the file's level.
        verbose: also echo warnings and errors (redacted) to stderr.
        defer: keep the records in memory until :func:`open_file` is called.

    Returns:
        The log file's path, or None when there is no file (yet) or it cannot be written.
    """
    global _deferred
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    _deferred = None
    path: Path | None = None
    if log_dir is not None:
        _deferred = DeferredFileHandler(log_dir)
        _deferred.addFilter(_filter)
        logger.addHandler(_deferred)
        if not defer:
            path = _deferred.open()
    if verbose:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.addFilter(_filter)
        logger.addHandler(stream)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return path


def open_file() -> Path | None:
    """Create a deferred log file now (see :class:`DeferredFileHandler`); its path or None."""
    return _deferred.open() if _deferred is not None else None


def _open_log_file(log_dir: Path) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / LOG_NAME
    # Create it 0600 before the handler opens it, so the first line is never world-readable.
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def shutdown() -> None:
    """Flush and close the file handlers (tests and the end of a CLI run)."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        handler.flush()
        handler.close()
        logger.removeHandler(handler)
