"""`carebook-register serve` as an operator runs it: a subprocess, HTTPS only, clear refusals."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from carebook.protocol.auth import OrgAuth
from carebook.register import pki

ORG = "1.2.246.10.12345678.10.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "carebook.register.cli", *args]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CAREBOOK_REGISTER_HOME": str(tmp_path / "register-home"),
            "CAREBOOK_LANG": "en"}


def test_serve_answers_over_https_and_refuses_plain_http(serve, pki_dir: Path, tmp_path: Path):
    """Default database: a SQLite file in the register's data folder."""
    served = serve()
    with served.client() as client:
        assert client.get("/health").json() == {"status": "ok"}
    plain = served.url.replace("https://", "http://")
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{plain}/health", timeout=5)
    assert (tmp_path / "register-home" / "register.db").is_file()


def test_serve_authenticates_organisations(serve, pki_dir: Path, db_url: str) -> None:
    """SQLite and PostgreSQL (``--db postgresql://...``), two worker processes."""
    served = serve("--db", db_url, "--workers", "2")
    issued = pki.issue_org(pki_dir, ORG)
    with served.client(auth=OrgAuth(issued.cert_path, issued.key_path)) as client:
        for _ in range(4):  # several connections: both workers answer the same way
            assert client.get("/v1/ping").status_code == 200
    with served.client() as client:
        response = client.get("/v1/ping")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "AUTH_MISSING"
    log = served.log.read_text()
    assert "GET /v1/ping" in log, "the access log is there"
    assert "PRIVATE KEY" not in log and "CarebookJWS" not in log, "keys and tokens never logged"


def test_serve_refuses_to_start_without_a_server_certificate(tmp_path: Path) -> None:
    bare = tmp_path / "bare-pki"
    pki.init_ca(bare)
    result = subprocess.run(
        _command("serve", "--pki-dir", str(bare), "--port", str(_free_port())),
        env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "issue-server" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_says_clearly_when_the_port_is_taken(tmp_path: Path, pki_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            _command("serve", "--pki-dir", str(pki_dir), "--port", str(port)),
            env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_says_clearly_when_the_database_cannot_be_opened(
    tmp_path: Path, pki_dir: Path,
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
    result = subprocess.run(
        _command("serve", "--pki-dir", str(pki_dir), "--port", str(_free_port()),
                 "--db", f"postgresql://postgres@127.0.0.1:{dead}/nowhere"),
        env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "cannot open the register database: " in result.stderr
    assert "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
