"""The register's side of request signing: the ``authenticated_org`` FastAPI dependency.

A request passes when (see carebook.protocol.auth for the token format):

* the ``Authorization: CarebookJWS`` token parses and its ES256 signature verifies against the
  certificate in ``x5c``;
* that certificate was issued by the register's CA, is valid on the server's clock and is not
  on the CRL (``request.app.state.trust``, a :class:`~carebook.register.pki.TrustStore`);
* method, path and query, and the SHA-256 of the body are the ones of this request;
* ``iat`` is within ``app.state.auth_window`` (default ±5 minutes) of the server's clock
  (``app.state.clock`` when set, else the system clock);
* the nonce was not seen before (:class:`NonceCache`, in memory: with several worker
  processes the replay check is per worker — see docs/register-identity.md).

Failures answer 401 ``{"error": {"code": "AUTH_...", "message": "..."}}``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from carebook.i18n import N_
from carebook.protocol.auth import SCHEME, TokenError, body_hash, parse_token
from carebook.register.pki import AuthError, OrgIdentity, TrustStore

DEFAULT_WINDOW = timedelta(minutes=5)
_TOKEN_MESSAGES = {
    "AUTH_MALFORMED": N_("The request's signature token is malformed."),
    "AUTH_BAD_SIGNATURE": N_("The request's signature does not verify."),
}


class NonceCache:
    """Nonces seen within the time window, bounded in memory, safe across threads.

    An entry is kept until its token could no longer pass the time check. When full, the
    oldest entries go first; ``max_entries`` (default 200,000, about 40 MB) exceeds what one
    worker signs in ten minutes at the measured throughput.
    """

    def __init__(self, max_entries: int = 200_000) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def add(self, nonce: str, *, expires: float, now: float) -> bool:
        """Record ``nonce``; return False if it was already recorded (a replay)."""
        with self._lock:
            held = self._seen.get(nonce)
            if held is not None and held > now:
                return False
            self._seen.pop(nonce, None)
            while self._seen:
                oldest, exp = next(iter(self._seen.items()))
                if exp > now and len(self._seen) < self._max:
                    break
                del self._seen[oldest]
            self._seen[nonce] = expires
            return True


def server_now(app: FastAPI) -> datetime:
    """The server's clock: ``app.state.clock`` when set (tests, demos), else UTC now."""
    clock: Callable[[], datetime] | None = getattr(app.state, "clock", None)
    now = clock() if clock is not None else datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def request_target(request: Request) -> str:
    """Path and query exactly as the client sent them (what ``htu`` must equal)."""
    raw: bytes = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    query: bytes = request.scope.get("query_string") or b""
    return (raw + b"?" + query if query else raw).decode("latin-1")


async def authenticated_org(request: Request) -> OrgIdentity:
    """FastAPI dependency: the organisation that signed this request, or 401.

    Raises:
        AuthError: with one of the ``AUTH_*`` codes listed in docs/register-identity.md.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != SCHEME.lower() or not token.strip():  # schemes are case-insensitive
        raise AuthError(N_("The request is not signed by an organisation."), code="AUTH_MISSING")
    try:
        signed = parse_token(token.strip())
    except TokenError as exc:
        raise AuthError(_TOKEN_MESSAGES[exc.code], code=exc.code) from None
    app = request.app
    now = server_now(app)
    trust: TrustStore = app.state.trust
    identity = trust.verify(signed.chain, now)
    if signed.method != request.method or signed.target != request_target(request):
        raise AuthError(N_("The signature was made for another request."),
                        code="AUTH_WRONG_REQUEST")
    if signed.body_hash != body_hash(await request.body()):
        raise AuthError(N_("The request body does not match its signature."),
                        code="AUTH_BODY_MISMATCH")
    window: timedelta = getattr(app.state, "auth_window", DEFAULT_WINDOW)
    if abs(now.timestamp() - signed.issued_at) > window.total_seconds():
        raise AuthError(N_("The request's time is too far from the register's clock."),
                        code="AUTH_STALE")
    cache = _nonce_cache(app)
    expires = signed.issued_at + window.total_seconds()
    if not cache.add(f"{identity.oid}/{signed.nonce}", expires=expires, now=now.timestamp()):
        raise AuthError(N_("The request was already received once (replay)."),
                        code="AUTH_REPLAY")
    request.state.org = identity
    return identity


def _nonce_cache(app: FastAPI) -> NonceCache:
    cache: NonceCache | None = getattr(app.state, "nonce_cache", None)
    if cache is None:
        cache = app.state.nonce_cache = NonceCache()
    return cache


def auth_error_response(error: AuthError) -> JSONResponse:
    """The 401 answer for ``error`` (stable code, translated message, no details of keys)."""
    return JSONResponse(
        status_code=401,
        content={"error": {"code": error.code, "message": error.message()}},
        headers={"WWW-Authenticate": SCHEME},
    )


def install_auth_errors(app: FastAPI) -> None:
    """Answer :class:`AuthError` raised by :func:`authenticated_org` with 401 JSON."""

    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AuthError)
        return auth_error_response(exc)

    app.add_exception_handler(AuthError, handler)
