"""Register fixtures: the real app on uvicorn over real HTTPS, real certificates, real databases.

``register_server`` runs ``create_app`` (through ``carebook.register.server.build_app``) on
uvicorn over TLS on a free 127.0.0.1 port, with a fresh PKI (CA, server certificate, CRL) and
a fresh database per test, once on SQLite and once on PostgreSQL. PostgreSQL is the server
named by ``CAREBOOK_TEST_PG_URL`` (``eval "$(scripts/pg-cluster start)"``); each test gets its
own database there, cloned from a migrated template and dropped afterwards. Without that
variable the PostgreSQL case errors loudly (fails in CI); it is never skipped.

Cost, measured: one uvicorn per session (per xdist worker) serves each test's app through
:class:`AppSwitch` and switches to the test's server certificate, which saves about 0.2 s of
uvicorn start/stop per test; cloning a migrated template saves the migrations.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
import uvicorn
from fastapi import FastAPI

from carebook.protocol.auth import OrgAuth
from carebook.register import pki

PG_ENV = "CAREBOOK_TEST_PG_URL"
PG_HELP = (
    f"{PG_ENV} is not set, so the PostgreSQL tests cannot run. Start the test cluster with "
    f'`eval "$(scripts/pg-cluster start)"` (or run scripts/test, which does it).'
)


class ServerClock:
    """The register's clock: the real UTC time unless a test pinned it with :meth:`set`."""

    def __init__(self) -> None:
        self.pinned: datetime | None = None

    def __call__(self) -> datetime:
        return self.pinned or datetime.now(UTC)

    def set(self, moment: datetime | None) -> None:
        self.pinned = moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


class HttpsServer:
    """An ASGI app served by uvicorn over TLS in a background thread."""

    def __init__(self, app: Any, *, cert: Path, key: Path, lifespan: str = "auto") -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, ssl_certfile=str(cert), ssl_keyfile=str(key),
                                log_level="warning", lifespan=lifespan, timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> HttpsServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the register did not start")
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._sock.close()

    def use_certificate(self, cert: Path, key: Path) -> None:
        """Present ``cert`` from the next TLS handshake on (the running SSL context reloads)."""
        tls = self._server.config.ssl
        assert tls is not None
        tls.load_cert_chain(str(cert), str(key))


class AppSwitch:
    """ASGI app that forwards to the current test's app (503 between tests).

    One uvicorn per test session (per xdist worker) serves every test's fresh app: starting
    and stopping uvicorn costs about 0.2 s a test, building the app a few milliseconds. Apps
    built by ``create_app`` do their setup eagerly, so no lifespan events are needed.
    """

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        app = self.app
        if app is None:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)


def make_pki(directory: Path) -> Path:
    """A fresh CA and server certificate in ``directory``; returns the CA certificate path."""
    ca = pki.init_ca(directory)
    pki.issue_server(directory)
    return ca


def ssl_context(ca_path: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_path))


# Certificates issued by the fixture are valid from 2000 to 2100 so that tests may pin the
# server clock anywhere in the RAR windows they build; expiry is tested with explicit dates.
WIDE_START = datetime(2000, 1, 1, tzinfo=UTC)
WIDE_DAYS = 365 * 100


@dataclass
class RegisterServer:
    """A running register: where it listens, its PKI, its database and its clock."""

    url: str
    db_url: str
    pki_dir: Path
    app: FastAPI
    clock: ServerClock
    issued: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    _admin: Any = None

    @property
    def ca_path(self) -> Path:
        return self.pki_dir / pki.CA_CERT

    def ssl_context(self) -> ssl.SSLContext:
        return ssl_context(self.ca_path)

    def issue(self, oid: str, **kwargs: Any) -> tuple[Path, Path]:
        """Issue (or reissue) a certificate for ``oid``; returns (cert_path, key_path)."""
        kwargs.setdefault("not_before", WIDE_START)
        kwargs.setdefault("days", WIDE_DAYS)
        issued = pki.issue_org(self.pki_dir, oid, **kwargs)
        self.issued[oid] = (issued.cert_path, issued.key_path)
        return self.issued[oid]

    def revoke(self, oid: str) -> list[int]:
        return pki.revoke(self.pki_dir, oid=oid)

    def set_clock(self, moment: datetime | None) -> None:
        """Pin the server's clock (RAR windows ...); ``None`` returns to real time."""
        self.clock.set(moment)

    def auth_for(self, oid: str) -> OrgAuth:
        """Request signing as ``oid`` (issued on first use), on the server's clock."""
        if oid not in self.issued:
            self.issue(oid)
        cert, key = self.issued[oid]
        return OrgAuth(cert, key, clock=self.clock)

    @property
    def admin(self) -> Any:
        """The register's local administration (``carebook.register.admin.Admin``) on its DB."""
        if self._admin is None:
            from carebook.register.admin import Admin

            self._admin = Admin(self.app.state.sessions)
        return self._admin


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(PG_HELP, pytrace=False)
    raise RuntimeError(PG_HELP)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    return _pg_admin_url()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def pki_dir(tmp_path: Path) -> Path:
    """A fresh PKI directory: CA, CRL and server certificate."""
    make_pki(tmp_path / "pki")
    return tmp_path / "pki"


@pytest.fixture
def server_clock() -> ServerClock:
    return ServerClock()


@pytest.fixture
def serve_https(pki_dir: Path) -> Iterator[Callable[[FastAPI], str]]:
    """``serve_https(app) -> url``: serve any app over HTTPS with ``pki_dir``'s certificate."""
    servers: list[HttpsServer] = []
    cert, key = pki.server_cert_paths(pki_dir)

    def start(app: FastAPI) -> str:
        server = HttpsServer(app, cert=cert, key=key).__enter__()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.__exit__(None, None, None)


DB_KINDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=DB_KINDS)
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A new empty database URL: a SQLite file, or a database on the test PostgreSQL server."""
    return _fresh_db(request, db_kind, tmp_path)


@pytest.fixture(scope="session")
def shared_https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    """The session's uvicorn (see :class:`AppSwitch`)."""
    directory = tmp_path_factory.mktemp("session-pki")
    make_pki(directory)
    cert, key = pki.server_cert_paths(directory)
    with HttpsServer(AppSwitch(), cert=cert, key=key, lifespan="off") as server:
        yield server


@pytest.fixture
def register_server(
    db_url: str, pki_dir: Path, shared_https: HttpsServer,
) -> Iterator[RegisterServer]:
    """The register app over HTTPS on a fresh PKI and a fresh database (SQLite and PostgreSQL).

    The server presents this test's own server certificate, signed by this test's own CA.
    """
    from carebook.register.server import build_app

    clock = ServerClock()
    app = build_app(db_url=db_url, pki_dir=pki_dir, clock=clock)
    switch: AppSwitch = shared_https._server.config.app
    shared_https.use_certificate(*pki.server_cert_paths(pki_dir))
    switch.app = app
    try:
        yield RegisterServer(url=shared_https.url, db_url=db_url, pki_dir=pki_dir, app=app,
                             clock=clock)
    finally:
        switch.app = None
        app.state.engine.dispose()


def _migrated_template(url: str) -> None:
    from carebook.register.db import make_engine, upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite register database migrated to head, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "register.db"
    _migrated_template(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    """A PostgreSQL database migrated to head, cloned (CREATE DATABASE ... TEMPLATE) per test."""
    name = f"carebook_tpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _migrated_template(_with_database(pg_admin_url, name))
    yield name
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fresh_db(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp_path / "register.db")
        return f"sqlite:///{tmp_path / 'register.db'}"
    admin_url = request.getfixturevalue("pg_admin_url")
    source = request.getfixturevalue("pg_template")
    name = f"carebook_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    return _with_database(admin_url, name)


@pytest.fixture
def client_for(register_server: RegisterServer) -> Iterator[Callable[[str], Any]]:
    """``client_for(oid)``: R1's RegisterClient signing as ``oid`` against ``register_server``."""
    from carebook.protocol.client import RegisterClient

    clients: list[Any] = []

    def make(oid: str) -> Any:
        client = RegisterClient(register_server.url, auth=register_server.auth_for(oid),
                                verify=register_server.ssl_context())
        clients.append(client)
        return client

    yield make
    for client in clients:
        close = getattr(client, "close", None)
        if close is not None:
            close()


class Served:
    """A ``carebook-register serve`` subprocess: its URL, CA and log."""

    def __init__(self, proc: subprocess.Popen[str], url: str, ca: Path, log: Path) -> None:
        self.proc, self.url, self.ca, self.log = proc, url, ca, log

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=ssl_context(self.ca), **kwargs)

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        with self.client() as client:
            while True:
                if self.proc.poll() is not None:
                    raise AssertionError(f"serve exited: {self.log.read_text()}")
                try:
                    if client.get("/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError("serve did not answer /health")
                time.sleep(0.1)


@pytest.fixture
def serve(tmp_path: Path, pki_dir: Path) -> Iterator[Callable[..., Served]]:
    """``serve(*args) -> Served``: ``carebook-register serve`` on ``pki_dir`` and a free port."""
    procs: list[subprocess.Popen[str]] = []

    def start(*extra: str) -> Served:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        log = tmp_path / f"serve-{port}.log"
        env = {**os.environ, "CAREBOOK_REGISTER_HOME": str(tmp_path / "register-home"),
               "CAREBOOK_LANG": "en"}
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "carebook.register.cli", "serve", "--pki-dir",
                 str(pki_dir), "--port", str(port), *extra],
                env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        served = Served(proc, f"https://127.0.0.1:{port}", pki_dir / pki.CA_CERT, log)
        served.wait_healthy()
        return served

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
