"""`carebook-register` as a new user meets it: every failure is one clear line, exit status 1.

Lines read ``carebook-register: error: <message> (<CODE>)``; never a traceback. Connection
failures say which of wrong CA, server down, unknown host, plain http or not a URL it was.
"""

from __future__ import annotations

import socket

import pytest
from conftest import make_pki
from rar_world import ANNA, ORGANISER

from carebook.register import organiser_cli
from carebook.register.cli import main

ORG_ARGS = ["--oid", "1.2.246.10.1001.1", "--name", "HVA", "--kind", "organiser"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, code: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("carebook-register: error: ") and lines[0].endswith(f"({code})")
    assert "Traceback" not in err
    return lines[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("db", ["bogus://x", "postgresql://nobody@127.0.0.1:1/db"])
def test_unopenable_database_is_one_line(capsys, db):
    """A bad --db URL (unknown kind, server not there) names the database, never a traceback."""
    for argv in (["org", "add", *ORG_ARGS], ["org", "list"],
                 ["unit", "add", "--producer", "1.2.3", "--oid", "1.2.3.4", "--name", "U"]):
        code, _, err = run(capsys, *argv, "--db", db)
        line = one_error_line(err, "DB_UNAVAILABLE")
        assert code == 1 and "cannot open the register database" in line


def test_postgres_password_is_not_shown(capsys):
    """Keys and passwords never in messages: the URL is not echoed."""
    code, _, err = run(capsys, "org", "list", "--db",
                       "postgresql://nobody:s3cretpw@127.0.0.1:1/db")
    assert code == 1 and "s3cretpw" not in err


def test_first_org_add_without_db_makes_the_data_folder(capsys, tmp_path, monkeypatch):
    """A new user's first command needs no --db: the default SQLite file's folder is made."""
    monkeypatch.setenv("CAREBOOK_REGISTER_HOME", str(tmp_path / "new" / "home"))
    code, out, err = run(capsys, "org", "add", *ORG_ARGS)
    assert code == 0, err
    assert (tmp_path / "new" / "home" / "register.db").is_file()
    assert "1.2.246.10.1001.1" in run(capsys, "org", "list")[1]


def test_serve_with_unopenable_database_is_one_line(capsys, pki_dir):
    code, _, err = run(capsys, "serve", "--db", "bogus://x", "--pki-dir", str(pki_dir),
                       "--port", str(closed_port()))
    line = one_error_line(err, "SERVE_DB")
    assert code == 1 and "cannot open the register database" in line


def test_unexpected_failure_is_one_line_and_logged(capsys, tmp_path, monkeypatch):
    """The top-level guard: a bug prints a generic line; the details go to the error log."""
    monkeypatch.setenv("CAREBOOK_REGISTER_HOME", str(tmp_path / "home"))

    def broken(args, admin):
        raise RuntimeError("internal detail 42")

    monkeypatch.setattr(organiser_cli, "_org_list", broken)
    monkeypatch.setattr(organiser_cli.Admin, "open", classmethod(lambda cls, url: _Closable()))
    code, _, err = run(capsys, "org", "list", "--db", str(tmp_path / "r.db"))
    line = one_error_line(err, "INTERNAL")
    assert code == 1 and "internal detail 42" not in line
    log = tmp_path / "home" / "carebook-register-errors.log"
    assert "internal detail 42" in log.read_text() and str(log) in line
    assert log.stat().st_mode & 0o077 == 0


class _Closable:
    def close(self) -> None:
        pass


@pytest.mark.parametrize("port", ["99999", "0", "x"])
def test_serve_refuses_an_impossible_port_as_usage(capsys, pki_dir, port):
    """argparse's usage error (exit 2) names the port; no traceback, no INTERNAL."""
    with pytest.raises(SystemExit) as done:
        main(["serve", "--pki-dir", str(pki_dir), "--port", port])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "--port" in err and "Traceback" not in err


def test_tenant_without_host_says_host_is_needed(capsys, tmp_path):
    """The register CLI's refusal names the missing --host and ends with its code."""
    db = ["--db", str(tmp_path / "r.db")]
    code, _, err = run(capsys, "org", "add", "--oid", "1.2.246.10.7.1", "--name", "T",
                       "--kind", "tenant", *db)
    line = one_error_line(err, "INVALID_REQUEST")
    assert code == 1 and "--host" in line and "--kind tenant" in line
    code, _, err = run(capsys, "org", "add", *ORG_ARGS, "--host", "1.2.246.10.7", *db)
    assert code == 1 and "--host is only for --kind tenant" in one_error_line(
        err, "INVALID_REQUEST")


@pytest.fixture
def remote(register_server):
    cert, key = register_server.issue(ORGANISER)
    return {"--url": register_server.url, "--cert": str(cert), "--key": str(key),
            "--ca": str(register_server.ca_path)}


def show(capsys, remote: dict[str, str], **override: str) -> tuple[int, str]:
    options = {**remote, **override}
    argv = ["client", "show", "--client", ANNA.hetu]
    for flag, value in options.items():
        argv += [flag, value]
    code, _, err = run(capsys, *argv)
    return code, err


def test_wrong_ca_is_told_apart(capsys, remote, tmp_path):
    other_ca = make_pki(tmp_path / "other-pki")
    code, err = show(capsys, remote, **{"--ca": str(other_ca)})
    assert code == 1 and "certificate verification failed" in one_error_line(
        err, "TLS_VERIFY_FAILED")


@pytest.mark.parametrize(("url", "code_", "words"), [
    ("https://127.0.0.1:{port}", "CONNECTION_REFUSED", "connection refused"),
    ("https://no-such-register.invalid:8443", "UNKNOWN_HOST", "unknown host"),
    ("http://127.0.0.1:8443", "URL_NOT_HTTPS", "plain http://"),
    ("127.0.0.1:8443", "URL_INVALID", "is not a URL"),
    ("register", "URL_INVALID", "is not a URL"),
])
def test_unreachable_register_is_told_apart(capsys, remote, url, code_, words):
    code, err = show(capsys, remote, **{"--url": url.format(port=closed_port())})
    assert code == 1 and words in one_error_line(err, code_)


def test_garbage_certificate_key_and_ca_files_are_named(capsys, remote, tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    missing = tmp_path / "missing.pem"
    cases = [("--cert", garbage, "CERT_FILE_INVALID", "not a PEM certificate"),
             ("--key", garbage, "KEY_FILE_INVALID", "not an unencrypted PEM private key"),
             ("--ca", garbage, "CA_FILE_INVALID", "not a PEM certificate"),
             ("--cert", missing, "CERT_FILE_INVALID", "No such file"),
             ("--ca", missing, "CA_FILE_INVALID", "no such file")]
    for flag, path, error_code, words in cases:
        code, err = show(capsys, remote, **{flag: str(path)})
        line = one_error_line(err, error_code)
        assert code == 1 and str(path) in line and words in line


def test_certificate_given_as_key_is_named(capsys, remote, register_server):
    cert, _key = register_server.issued[ORGANISER]
    code, err = show(capsys, remote, **{"--key": str(cert)})
    assert code == 1 and str(cert) in one_error_line(err, "KEY_FILE_INVALID")


def test_right_ca_reaches_the_register(capsys, remote):
    """With the right --ca (an SSL context, not verify=<str>) the register itself answers:
    here that the organisation is not registered yet, with the register's code."""
    code, err = show(capsys, remote)
    assert code == 1 and "not registered" in one_error_line(err, "ORG_NOT_REGISTERED")

