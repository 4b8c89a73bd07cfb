"""A local certificate authority for organisations, and the trust store the register checks.

Layout of a PKI directory (all keys 0600, every file written atomically)::

    ca.pem ca.key        the CA (EC P-256)
    crl.pem              the CA's revocation list, re-signed on every revocation
    issued.json          index of issued certificates (serial, kind, OID, name, not_after)
    server.pem server.key   TLS certificate of the register for localhost / 127.0.0.1 / ::1
    orgs/<OID>.pem orgs/<OID>.key   an organisation's certificate and key

An organisation certificate names the organisation's OID in the subject's ``serialNumber``
attribute (2.5.4.5) and the organisation's name in the common name. See
``docs/register-identity.md``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from carebook.errors import CarebookError
from carebook.i18n import N_

CA_CERT, CA_KEY, CRL, INDEX = "ca.pem", "ca.key", "crl.pem", "issued.json"
SERVER_CERT, SERVER_KEY, ORGS = "server.pem", "server.key", "orgs"
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")
_BACKDATE = timedelta(minutes=5)  # tolerate small clock differences between machines


class PkiError(CarebookError):
    """A PKI directory cannot be used as asked (missing CA, unknown organisation ...)."""

    code = "PKI_ERROR"
    default_template = N_("The certificate directory could not be used.")


class AuthError(CarebookError):
    """An organisation's request or certificate was refused (HTTP 401)."""

    code = "AUTH_FAILED"
    default_template = N_("The organisation could not be authenticated.")


@dataclass(frozen=True)
class OrgIdentity:
    """The organisation a verified certificate belongs to."""

    oid: str
    serial: int


@dataclass(frozen=True)
class IssuedCert:
    """Where :func:`issue_org` / :func:`issue_server` wrote a certificate and its key."""

    serial: int
    cert_path: Path
    key_path: Path
    not_after: datetime
    oid: str | None = None


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory: chmod, fsync, replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def check_oid(oid: str) -> str:
    """Return ``oid`` if it is in dotted OID form, else raise :class:`PkiError`."""
    if not _OID.fullmatch(oid):
        raise PkiError(N_("'%(oid)s' is not an OID (digits separated by dots)."), oid=oid,
                       code="PKI_BAD_OID")
    return oid


def init_ca(directory: Path, *, name: str = "carebook local CA", days: int = 3650) -> Path:
    """Create a CA (key, self-signed certificate, empty CRL) in ``directory``; return the cert."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if (directory / CA_CERT).exists() or (directory / CA_KEY).exists():
        raise PkiError(N_("A certificate authority already exists in %(dir)s."),
                       dir=str(directory), code="PKI_EXISTS")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE).not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_atomic(directory / CA_KEY, _key_pem(key))
    write_atomic(directory / CA_CERT, _pem(cert), mode=0o644)
    _write_index(directory, [])
    _write_crl(directory, key, cert, revoked=[])
    return directory / CA_CERT


def issue_org(
    directory: Path, oid: str, *, name: str | None = None, days: int = 365,
    not_before: datetime | None = None,
) -> IssuedCert:
    """Issue an organisation certificate naming ``oid``; writes ``orgs/<oid>.pem|.key``.

    ``not_before`` (default: now) lets demos and tests make certificates valid over a chosen
    window; the certificate ends ``days`` after it.
    """
    check_oid(oid)
    start = not_before or datetime.now(UTC) - _BACKDATE
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, name or oid),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, oid),
    ])
    return _issue(directory, subject=subject, extra=[
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False),
    ], start=start, days=days, stem=directory / ORGS / oid, kind="org", oid=oid, name=name)


def issue_server(
    directory: Path, *, hosts: Sequence[str] = ("localhost", "127.0.0.1", "::1"), days: int = 825,
) -> IssuedCert:
    """Issue the register's TLS server certificate for ``hosts`` (names or IP addresses)."""
    sans: list[x509.GeneralName] = []
    for host in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    return _issue(directory, subject=subject, extra=[
        (x509.SubjectAlternativeName(sans), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
    ], start=datetime.now(UTC) - _BACKDATE, days=days, stem=directory / "server",
        kind="server", oid=None, name=hosts[0])


def _issue(
    directory: Path, *, subject: x509.Name, extra: list[tuple[x509.ExtensionType, bool]],
    start: datetime, days: int, stem: Path, kind: str, oid: str | None, name: str | None,
) -> IssuedCert:
    ca_key, ca_cert = _load_ca(directory)
    stem.parent.mkdir(exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
    )
    for ext, critical in extra:
        builder = builder.add_extension(ext, critical=critical)
    cert = builder.sign(ca_key, hashes.SHA256())
    # Not with_suffix(): an OID's last arc looks like a suffix.
    cert_path, key_path = stem.parent / f"{stem.name}.pem", stem.parent / f"{stem.name}.key"
    write_atomic(key_path, _key_pem(key))
    write_atomic(cert_path, _pem(cert), mode=0o644)
    entries = _read_index(directory)
    entries.append({"serial": str(cert.serial_number), "kind": kind, "oid": oid, "name": name,
                    "not_after": cert.not_valid_after_utc.isoformat(), "revoked": False})
    _write_index(directory, entries)
    return IssuedCert(serial=cert.serial_number, cert_path=cert_path, key_path=key_path,
                      not_after=cert.not_valid_after_utc, oid=oid)


def revoke(directory: Path, *, serial: int | None = None, oid: str | None = None) -> list[int]:
    """Revoke one certificate by serial, or every certificate of ``oid``; re-sign the CRL.

    Returns the serials newly revoked. A running register picks the new CRL up on its next
    request (:class:`TrustStore` reloads it when the file changes).
    """
    ca_key, ca_cert = _load_ca(directory)
    entries = _read_index(directory)
    hits = [e for e in entries
            if (serial is not None and e["serial"] == str(serial))
            or (oid is not None and e["oid"] == oid and e["kind"] == "org")]
    if not hits:
        raise PkiError(N_("No certificate issued by this authority matches %(what)s."),
                       what=str(serial) if serial is not None else str(oid),
                       code="PKI_UNKNOWN_CERT")
    newly = [int(str(e["serial"])) for e in hits if not e["revoked"]]
    for entry in hits:
        entry["revoked"] = True
    revoked = [int(str(e["serial"])) for e in entries if e["revoked"]]
    _write_crl(directory, ca_key, ca_cert, revoked=revoked)
    _write_index(directory, entries)
    return newly


def server_cert_paths(directory: Path) -> tuple[Path, Path]:
    """The TLS certificate and key of the register, or PkiError saying how to make them."""
    cert, key = directory / SERVER_CERT, directory / SERVER_KEY
    if not (cert.is_file() and key.is_file()):
        raise PkiError(
            N_("No server certificate in %(dir)s. Create one with "
               "'carebook-register pki init --dir %(dir)s' and "
               "'carebook-register pki issue-server --dir %(dir)s'."),
            dir=str(directory), code="PKI_NO_SERVER_CERT")
    return cert, key


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
        crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _load_ca(directory: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    try:
        key_pem = (directory / CA_KEY).read_bytes()
        cert = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
    except FileNotFoundError:
        raise PkiError(N_("No certificate authority in %(dir)s. Create one with "
                          "'carebook-register pki init --dir %(dir)s'."),
                       dir=str(directory), code="PKI_NO_CA") from None
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(N_("The CA key in %(dir)s is not an EC key."), dir=str(directory),
                       code="PKI_BAD_CA")
    return key, cert


def _read_index(directory: Path) -> list[dict[str, object]]:
    try:
        data = json.loads((directory / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return list(data["certificates"])


def _write_index(directory: Path, entries: list[dict[str, object]]) -> None:
    text = json.dumps({"certificates": entries}, indent=2, ensure_ascii=False)
    write_atomic(directory / INDEX, text.encode("utf-8"))


def _write_crl(
    directory: Path, key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, *, revoked: list[int],
) -> None:
    now = datetime.now(UTC)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
               .last_update(now - _BACKDATE).next_update(now + timedelta(days=365)))
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build())
    crl = builder.sign(key, hashes.SHA256())
    write_atomic(directory / CRL, crl.public_bytes(serialization.Encoding.PEM), mode=0o644)


class TrustStore:
    """The CA certificate and CRL of a PKI directory, checked on every request.

    The CRL file is re-read whenever it changes on disk (new inode, size or mtime), so a
    ``pki revoke`` takes effect on the next request without restarting the register.
    Thread-safe.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            self.ca = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
        except FileNotFoundError:
            raise PkiError(N_("No certificate authority in %(dir)s. Create one with "
                              "'carebook-register pki init --dir %(dir)s'."),
                           dir=str(directory), code="PKI_NO_CA") from None
        self._lock = threading.Lock()
        self._crl_stamp: tuple[int, int, int] | None = None
        self._revoked: frozenset[int] = frozenset()
        self._crl_error = False
        self._refresh_crl()

    @property
    def ca_path(self) -> Path:
        """Path of the CA certificate (what clients pass as ``verify``)."""
        return self.directory / CA_CERT

    def verify(self, cert_chain: Sequence[x509.Certificate], now: datetime) -> OrgIdentity:
        """Check the leaf certificate of ``cert_chain`` at ``now``; return whose it is.

        Raises:
            AuthError: unknown issuer, bad signature, not yet valid, expired, revoked, or
                no organisation OID (codes ``AUTH_UNKNOWN_ISSUER`` ...).
        """
        if not cert_chain:
            raise AuthError(N_("No certificate was presented."), code="AUTH_NO_CERT")
        leaf = cert_chain[0]
        try:
            leaf.verify_directly_issued_by(self.ca)
        except (ValueError, TypeError, InvalidSignature):
            raise AuthError(N_("The certificate was not issued by a trusted authority."),
                            code="AUTH_UNKNOWN_ISSUER") from None
        if now < leaf.not_valid_before_utc:
            raise AuthError(N_("The certificate is not valid yet."), code="AUTH_CERT_NOT_YET_VALID")
        if now > leaf.not_valid_after_utc:
            raise AuthError(N_("The certificate has expired."), code="AUTH_CERT_EXPIRED")
        if leaf.serial_number in self._current_revoked():
            raise AuthError(N_("The certificate has been revoked."), code="AUTH_CERT_REVOKED")
        oids = leaf.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
        oid = str(oids[0].value) if oids else ""
        if not _OID.fullmatch(oid) or not _is_client_cert(leaf):
            raise AuthError(N_("The certificate does not identify an organisation."),
                            code="AUTH_NOT_ORG_CERT")
        return OrgIdentity(oid=oid, serial=leaf.serial_number)

    def _current_revoked(self) -> frozenset[int]:
        self._refresh_crl()
        if self._crl_error:
            # Fail closed: without a trustworthy CRL no certificate can be shown unrevoked.
            raise AuthError(N_("The register's revocation list is damaged."),
                            code="AUTH_CRL_INVALID")
        return self._revoked

    def _refresh_crl(self) -> None:
        path = self.directory / CRL
        try:
            st = path.stat()
        except FileNotFoundError:
            st = None
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns) if st else (0, 0, 0)
        if stamp == self._crl_stamp:
            return
        with self._lock:
            if stamp == self._crl_stamp:
                return
            try:
                crl = x509.load_pem_x509_crl(path.read_bytes())
                ok = crl.issuer == self.ca.subject and crl.is_signature_valid(
                    self.ca.public_key())  # type: ignore[arg-type]
            except (OSError, ValueError):
                ok, crl = False, None
            self._crl_error = not ok
            self._revoked = frozenset(r.serial_number for r in crl) if ok and crl else frozenset()
            self._crl_stamp = stamp


def _is_client_cert(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.CLIENT_AUTH in eku
