"""Request signing over real HTTPS: what the register accepts and the 401 codes it answers.

The app here is the smallest one that uses ``authenticated_org`` the way the register does,
so these tests pin the signing check itself; the register's own routes are covered through
``register_server`` in the other test modules.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, FastAPI, Request
from hypothesis import given
from hypothesis import strategies as st

from carebook.protocol.auth import SCHEME, OrgAuth, sign_request
from carebook.register import pki
from carebook.register.auth import NonceCache, authenticated_org, install_auth_errors
from carebook.register.pki import OrgIdentity, TrustStore

ORG = "1.2.246.10.12345678.10.1"
OTHER = "1.2.246.10.87654321.10.1"


def _tiny_app(pki_dir: Path, clock: Callable[[], datetime]) -> FastAPI:
    app = FastAPI()
    app.state.trust = TrustStore(pki_dir)
    app.state.clock = clock
    install_auth_errors(app)

    @app.get("/v1/ping")
    def ping(org: OrgIdentity = Depends(authenticated_org)) -> dict[str, str]:
        return {"org": org.oid}

    @app.post("/v1/echo")
    async def echo(request: Request, org: OrgIdentity = Depends(authenticated_org)) -> dict:
        return {"org": org.oid, "body": (await request.body()).decode()}

    return app


@dataclass
class Rig:
    url: str
    pki_dir: Path
    clock: Any

    def client(self, auth: httpx.Auth | None = None) -> httpx.Client:
        verify = ssl.create_default_context(cafile=str(self.pki_dir / pki.CA_CERT))
        return httpx.Client(base_url=self.url, auth=auth, verify=verify)

    def auth(self, oid: str, **kwargs: object) -> OrgAuth:
        issued = pki.issue_org(self.pki_dir, oid, **kwargs)  # type: ignore[arg-type]
        return OrgAuth(issued.cert_path, issued.key_path, clock=self.clock)


@pytest.fixture
def rig(pki_dir: Path, server_clock: Any, serve_https: Callable[[FastAPI], str]) -> Rig:
    url = serve_https(_tiny_app(pki_dir, server_clock))
    return Rig(url=url, pki_dir=pki_dir, clock=server_clock)


def _refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert response.headers["www-authenticate"] == SCHEME


def _token(auth: OrgAuth, *, method: str, target: str, body: bytes = b"",
           now: datetime | None = None) -> str:
    if now is None:
        return auth.token(method, target, body)
    return sign_request(method=method, target=target, body=body, key=auth._key,
                        chain=[auth.certificate], now=now)


def test_signed_requests_name_the_organisation(rig: Rig) -> None:
    with rig.client(rig.auth(ORG)) as client:
        assert client.get("/v1/ping").json() == {"org": ORG}
        assert client.get("/v1/ping", params={"q": "ä ö"}).status_code == 200
        posted = client.post("/v1/echo", content=b'{"a": 1}')
        assert posted.json() == {"org": ORG, "body": '{"a": 1}'}


def test_unsigned_request_is_refused(rig: Rig) -> None:
    with rig.client() as client:
        _refused(client.get("/v1/ping"), "AUTH_MISSING")
        _refused(client.get("/v1/ping", headers={"Authorization": "Bearer x"}), "AUTH_MISSING")
        _refused(client.get("/v1/ping", headers={"Authorization": f"{SCHEME} a.b"}),
                 "AUTH_MALFORMED")


def test_tampered_body_is_refused(rig: Rig) -> None:
    auth = rig.auth(ORG)
    token = _token(auth, method="POST", target="/v1/echo", body=b'{"version": 1}')
    with rig.client() as client:
        response = client.post("/v1/echo", content=b'{"version": 2}',
                               headers={"Authorization": f"{SCHEME} {token}"})
    _refused(response, "AUTH_BODY_MISMATCH")


@pytest.mark.parametrize(("method", "target"), [
    ("GET", "/v1/echo"), ("POST", "/v1/ping"), ("POST", "/v1/echo?x=1"), ("PUT", "/v1/echo"),
])
def test_signature_for_another_request_is_refused(rig: Rig, method: str, target: str) -> None:
    auth = rig.auth(ORG)
    token = _token(auth, method=method, target=target)
    with rig.client() as client:
        response = client.post("/v1/echo", headers={"Authorization": f"{SCHEME} {token}"})
    _refused(response, "AUTH_WRONG_REQUEST")


def test_replayed_request_is_refused(rig: Rig) -> None:
    auth = rig.auth(ORG)
    token = _token(auth, method="GET", target="/v1/ping")
    headers = {"Authorization": f"{SCHEME} {token}"}
    with rig.client() as client:
        assert client.get("/v1/ping", headers=headers).status_code == 200
        _refused(client.get("/v1/ping", headers=headers), "AUTH_REPLAY")


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_request_far_from_the_server_clock_is_refused(rig: Rig, skew: timedelta) -> None:
    auth = rig.auth(ORG)
    token = _token(auth, method="GET", target="/v1/ping", now=datetime.now(UTC) + skew)
    with rig.client() as client:
        _refused(client.get("/v1/ping", headers={"Authorization": f"{SCHEME} {token}"}),
                 "AUTH_STALE")


def test_time_window_follows_the_server_clock(rig: Rig) -> None:
    """A pinned server clock (tests, demos) is the reference; the real time then is not."""
    rig.clock.set(datetime(2027, 6, 1, 12, 0, tzinfo=UTC))
    auth = rig.auth(ORG, not_before=datetime(2020, 1, 1, tzinfo=UTC), days=3650)
    with rig.client(auth) as client:
        assert client.get("/v1/ping").status_code == 200
    real_time_token = _token(auth, method="GET", target="/v1/ping", now=datetime.now(UTC))
    with rig.client() as client:
        _refused(client.get("/v1/ping", headers={"Authorization": f"{SCHEME} {real_time_token}"}),
                 "AUTH_STALE")


def test_revoked_certificate_is_refused_without_restart(rig: Rig) -> None:
    mine, other = rig.auth(ORG), rig.auth(OTHER)
    with rig.client(mine) as client:
        assert client.get("/v1/ping").status_code == 200
        pki.revoke(rig.pki_dir, oid=ORG)
        _refused(client.get("/v1/ping"), "AUTH_CERT_REVOKED")
    with rig.client(other) as client:
        assert client.get("/v1/ping").status_code == 200


def test_expired_certificate_is_refused(rig: Rig) -> None:
    auth = rig.auth(ORG, not_before=datetime.now(UTC) - timedelta(days=40), days=30)
    with rig.client(auth) as client:
        _refused(client.get("/v1/ping"), "AUTH_CERT_EXPIRED")


def test_not_yet_valid_certificate_is_refused(rig: Rig) -> None:
    auth = rig.auth(ORG, not_before=datetime.now(UTC) + timedelta(days=1), days=30)
    with rig.client(auth) as client:
        _refused(client.get("/v1/ping"), "AUTH_CERT_NOT_YET_VALID")


def test_certificate_of_another_ca_is_refused(rig: Rig, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    pki.init_ca(elsewhere)
    issued = pki.issue_org(elsewhere, ORG)
    with rig.client(OrgAuth(issued.cert_path, issued.key_path)) as client:
        _refused(client.get("/v1/ping"), "AUTH_UNKNOWN_ISSUER")


def test_signature_by_another_key_is_refused(rig: Rig, tmp_path: Path) -> None:
    """Someone holding only the organisation's (public) certificate cannot sign for it."""
    victim = pki.issue_org(rig.pki_dir, ORG)
    thief = pki.issue_org(rig.pki_dir, OTHER)
    forged = tmp_path / "forged.pem"
    forged.write_bytes(victim.cert_path.read_bytes())
    with rig.client(OrgAuth(forged, thief.key_path)) as client:
        _refused(client.get("/v1/ping"), "AUTH_BAD_SIGNATURE")


def test_server_certificate_cannot_act_as_an_organisation(rig: Rig) -> None:
    cert, key = pki.server_cert_paths(rig.pki_dir)
    with rig.client(OrgAuth(cert, key)) as client:
        _refused(client.get("/v1/ping"), "AUTH_NOT_ORG_CERT")


def test_token_carries_the_certificate_but_never_the_key(rig: Rig) -> None:
    auth = rig.auth(ORG)
    token = _token(auth, method="GET", target="/v1/ping")
    key_der = auth._key.private_bytes(serialization.Encoding.DER,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    sent = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    assert sent == auth.certificate
    assert base64.b64encode(key_der).decode()[:40] not in token
    assert "PRIVATE" not in repr(auth)


def test_nonce_cache_refuses_a_replay_until_the_window_has_passed() -> None:
    cache = NonceCache(max_entries=10)
    assert cache.add("a", expires=100.0, now=0.0)
    assert not cache.add("a", expires=100.0, now=50.0)
    assert cache.add("a", expires=300.0, now=200.0), "expired entries are forgotten"
    full = NonceCache(max_entries=2)
    assert full.add("old", expires=100.0, now=0.0) and full.add("new", expires=100.0, now=0.0)
    assert not full.add("old", expires=100.0, now=1.0), "the oldest held nonce is still a replay"


@given(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=60))
def test_nonce_cache_stays_bounded_and_never_accepts_a_held_nonce_twice(nonces: list[str]):
    cache = NonceCache(max_entries=8)
    for nonce in nonces:
        held = nonce in cache._seen
        assert cache.add(nonce, expires=1e9, now=0.0) is not held
        assert len(cache._seen) <= 8
