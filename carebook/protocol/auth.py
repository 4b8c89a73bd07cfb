"""Request signing: how an organisation proves itself to a register (a JWS per request).

Every request carries ``Authorization: CarebookJWS <compact JWS>``, signed ES256 with the
organisation's key. The protected header holds ``alg`` and the organisation's certificate
(``x5c``, base64 DER, leaf first). The payload binds the token to this one request:

    htm  HTTP method                     htu  path and query, exactly as sent
    bsh  base64url SHA-256 of the body   iat  Unix time of signing
    jti  random nonce (128 bits)

The register checks the certificate against its CA and CRL, the signature, each claim, a
time window around its clock and that the nonce was not seen before. Users are never named
here; they are named in each document's metadata and signature. See docs/register-identity.md.

This module is shared by the desktop's sync and the register; it imports nothing of carebook.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

SCHEME = "CarebookJWS"
ALG = "ES256"
MAX_TOKEN_BYTES = 16_384
_COORD = 32  # P-256 coordinate size in bytes


class TokenError(ValueError):
    """A token that cannot be parsed or whose signature does not verify.

    Attributes:
        code: ``AUTH_MALFORMED`` or ``AUTH_BAD_SIGNATURE``.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class SignedRequest:
    """A parsed, signature-checked token: the certificate chain and the claims."""

    chain: list[x509.Certificate]
    method: str
    target: str
    body_hash: str
    issued_at: int
    nonce: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def body_hash(body: bytes) -> str:
    """The ``bsh`` claim for ``body``."""
    return b64url(hashlib.sha256(body).digest())


def sign_request(
    *, method: str, target: str, body: bytes, key: ec.EllipticCurvePrivateKey,
    chain: list[x509.Certificate], now: datetime, nonce: str | None = None,
) -> str:
    """Return the compact JWS for one request (``target`` = path and query as sent)."""
    header = {"alg": ALG, "typ": "carebook-request+jws",
              "x5c": [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
                      for c in chain]}
    claims = {"htm": method.upper(), "htu": target, "bsh": body_hash(body),
              "iat": int(now.timestamp()), "jti": nonce or secrets.token_urlsafe(16)}
    signing_input = f"{_part(header)}.{_part(claims)}"
    der = key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(_COORD, "big") + s.to_bytes(_COORD, "big")
    return f"{signing_input}.{b64url(raw)}"


def _part(obj: dict[str, Any]) -> str:
    return b64url(json.dumps(obj, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def parse_token(token: str) -> SignedRequest:
    """Parse ``token`` and check its signature against the leaf certificate's key.

    Trust in the certificate itself is the register's business (its CA and CRL).

    Raises:
        TokenError: malformed token, wrong algorithm, or a signature that does not verify.
    """
    if len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
        raise TokenError("AUTH_MALFORMED", "not a compact JWS")
    head_b64, claims_b64, sig_b64 = token.split(".")
    try:
        header = json.loads(_unb64url(head_b64))
        claims = json.loads(_unb64url(claims_b64))
        signature = _unb64url(sig_b64)
        chain = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True))
                 for c in header["x5c"]]
        request = SignedRequest(
            chain=chain, method=str(claims["htm"]), target=str(claims["htu"]),
            body_hash=str(claims["bsh"]), issued_at=int(claims["iat"]), nonce=str(claims["jti"]))
    except (ValueError, KeyError, TypeError):
        raise TokenError("AUTH_MALFORMED", "unreadable token") from None
    if header.get("alg") != ALG or not chain or len(signature) != 2 * _COORD:
        raise TokenError("AUTH_MALFORMED", "unsupported algorithm or empty chain")
    public = chain[0].public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise TokenError("AUTH_MALFORMED", "the certificate key is not an EC key")
    der = encode_dss_signature(int.from_bytes(signature[:_COORD], "big"),
                               int.from_bytes(signature[_COORD:], "big"))
    try:
        public.verify(der, f"{head_b64}.{claims_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise TokenError("AUTH_BAD_SIGNATURE", "signature does not verify") from None
    return request


class OrgAuth(httpx.Auth):
    """httpx authentication that signs every request with an organisation's key.

    Args:
        cert_path: PEM file with the organisation's certificate (leaf first).
        key_path: PEM file with its EC P-256 private key (never logged, never sent).
        clock: time source for ``iat``; defaults to the system clock in UTC.
    """

    requires_request_body = True

    def __init__(
        self, cert_path: Path | str, key_path: Path | str, *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._chain = x509.load_pem_x509_certificates(Path(cert_path).read_bytes())
        key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the organisation key must be an EC P-256 key")
        self._key = key
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def certificate(self) -> x509.Certificate:
        """The organisation's certificate (sent with every request)."""
        return self._chain[0]

    def token(self, method: str, target: str, body: bytes, *, nonce: str | None = None) -> str:
        """The signed token for one request (for HTTP libraries other than httpx)."""
        return sign_request(method=method, target=target, body=body, key=self._key,
                            chain=self._chain, now=self._clock(), nonce=nonce)

    def header(self, method: str, target: str, body: bytes) -> str:
        """The ``Authorization`` header value for one request."""
        return f"{SCHEME} {self.token(method, target, body)}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self.header(
            request.method, request.url.raw_path.decode("ascii"), request.content)
        yield request

    def __repr__(self) -> str:
        return f"OrgAuth(subject={self._chain[0].subject.rfc4514_string()!r})"
