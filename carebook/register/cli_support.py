"""What ``carebook-register`` tells a user when a database, a file or a connection fails.

Every failure becomes a :class:`CliError`: one translated line and a stable code, printed as
``carebook-register: error: <message> (<CODE>)``. Connection failures are told apart (wrong
CA, server down, unknown host, not an https URL) because each needs a different fix.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import exc as sa_exc

from carebook.i18n import _
from carebook.protocol.auth import OrgAuth


class CliError(Exception):
    """One line for the user and a stable code (``DB_UNAVAILABLE``, ``TLS_VERIFY_FAILED`` ...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def database_error(exc: Exception) -> CliError:
    """``exc`` from opening a database URL as one line; the URL (and any password) is not shown."""
    return CliError(_("cannot open the register database: %(reason)s")
                    % {"reason": database_reason(exc)}, "DB_UNAVAILABLE")


def database_reason(exc: Exception) -> str:
    """Why a database could not be opened, without the URL."""
    if isinstance(exc, sa_exc.NoSuchModuleError):
        return _("unknown database kind (use a SQLite file path, sqlite:///PATH or "
                 "postgresql://...)")
    if isinstance(exc, sa_exc.ArgumentError):
        return _("not a database URL")
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        lines = [line.strip() for line in str(exc.orig).splitlines() if line.strip()]
        return lines[0] if lines else type(exc.orig).__name__
    return type(exc).__name__


def check_url(url: str) -> None:
    """Refuse anything but ``https://host[:port]`` before connecting (the register is HTTPS)."""
    parts = urlsplit(url.strip())
    if parts.scheme == "http":
        raise CliError(_("%(url)s is plain http://; the register answers only https://")
                       % {"url": url}, "URL_NOT_HTTPS")
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme != "https" or not parts.hostname or not port_ok:
        raise CliError(_("%(url)s is not a URL like https://host:port") % {"url": url},
                       "URL_INVALID")


def ca_context(path: str) -> ssl.SSLContext:
    """An SSL context trusting only the CA certificate in ``path``."""
    if not Path(path).is_file():
        raise CliError(_("cannot read the CA certificate file %(path)s: no such file")
                       % {"path": path}, "CA_FILE_INVALID")
    try:
        return ssl.create_default_context(cafile=path)
    except (ssl.SSLError, ValueError, OSError):
        raise CliError(_("cannot read the CA certificate file %(path)s: not a PEM certificate")
                       % {"path": path}, "CA_FILE_INVALID") from None


def org_auth(cert: str, key: str) -> OrgAuth:
    """Request signing with the organisation's certificate and key, each file checked first."""
    _read_cert(cert)
    _read_key(key)
    return OrgAuth(cert, key)


def _read_bytes(path: str, what: str, code: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(_("cannot read the %(what)s file %(path)s: %(reason)s")
                       % {"what": what, "path": path, "reason": exc.strerror or exc},
                       code) from None


def _read_cert(path: str) -> None:
    data = _read_bytes(path, _("certificate"), "CERT_FILE_INVALID")
    try:
        x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CliError(_("cannot read the certificate file %(path)s: not a PEM certificate")
                       % {"path": path}, "CERT_FILE_INVALID") from None


def _read_key(path: str) -> None:
    data = _read_bytes(path, _("key"), "KEY_FILE_INVALID")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise CliError(_("cannot read the key file %(path)s: not an unencrypted PEM private "
                         "key") % {"path": path}, "KEY_FILE_INVALID") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CliError(_("cannot use the key file %(path)s: not an EC P-256 key")
                       % {"path": path}, "KEY_FILE_INVALID")


def connection_error(exc: httpx.HTTPError, url: str) -> CliError:
    """Tell apart why the register at ``url`` could not be reached."""
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) \
            or "CERTIFICATE_VERIFY_FAILED" in text:
        return CliError(_("the register's certificate at %(url)s was not issued by the CA in "
                          "--ca (certificate verification failed)") % {"url": url},
                        "TLS_VERIFY_FAILED")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return CliError(_("nothing answers at %(url)s (connection refused): is the register "
                          "running on that port?") % {"url": url}, "CONNECTION_REFUSED")
    if any(isinstance(e, socket.gaierror) for e in chain) \
            or "Name or service not known" in text:
        return CliError(_("unknown host in %(url)s") % {"url": url}, "UNKNOWN_HOST")
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return CliError(_("no HTTPS at %(url)s (TLS handshake failed)") % {"url": url},
                        "TLS_FAILED")
    if isinstance(exc, httpx.TimeoutException):
        return CliError(_("the register at %(url)s did not answer in time") % {"url": url},
                        "TIMEOUT")
    return CliError(_("cannot reach the register at %(url)s (%(reason)s)")
                    % {"url": url, "reason": type(exc).__name__}, "CONNECTION_FAILED")


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
