"""`carebook-register pki ...` as a demo operator uses it: files made, lines printed, errors."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from carebook.register import pki
from carebook.register.cli import main
from carebook.register.pki import AuthError, TrustStore

ORG = "1.2.246.10.12345678.10.1"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_issue_and_revoke_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    d = str(tmp_path / "pki")
    assert _run(capsys, "pki", "init", "--dir", d)[0] == 0
    code, out, _ = _run(capsys, "pki", "issue", "--dir", d, "--org", ORG, "--name",
                        "Kotihoito Esimerkki Oy", "--days", "30")
    assert code == 0
    cert_path = tmp_path / "pki" / "orgs" / f"{ORG}.pem"
    assert str(cert_path) in out
    assert stat.S_IMODE(cert_path.with_suffix(".key").stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 30
    trust = TrustStore(tmp_path / "pki")
    assert trust.verify([cert], datetime.now(UTC)).oid == ORG

    code, out, _ = _run(capsys, "pki", "revoke", "--dir", d, "--org", ORG)
    assert code == 0 and str(cert.serial_number) in out
    with pytest.raises(AuthError):
        trust.verify([cert], datetime.now(UTC))


def test_issue_server_names_loopback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "pki")
    _run(capsys, "pki", "init", "--dir", d)
    assert _run(capsys, "pki", "issue-server", "--dir", d)[0] == 0
    cert_path, key_path = pki.server_cert_paths(tmp_path / "pki")
    san = x509.load_pem_x509_certificate(cert_path.read_bytes()).extensions \
        .get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_default_directory_is_in_the_register_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAREBOOK_REGISTER_HOME", str(tmp_path / "home"))
    assert _run(capsys, "pki", "init")[0] == 0
    assert (tmp_path / "home" / "pki" / pki.CA_CERT).is_file()


@pytest.mark.parametrize(("args", "expected"), [
    (["pki", "issue", "--org", ORG], "pki init"),
    (["pki", "issue-server"], "pki init"),
    (["pki", "revoke", "--org", ORG], "pki init"),
])
def test_errors_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str,
) -> None:
    code, _, err = _run(capsys, *args, "--dir", str(tmp_path / "none"))
    assert code == 1
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_oid_and_unknown_org_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    d = str(tmp_path / "pki")
    _run(capsys, "pki", "init", "--dir", d)
    code, _, err = _run(capsys, "pki", "issue", "--dir", d, "--org", "1.2.x")
    assert code == 1 and "1.2.x" in err
    code, _, err = _run(capsys, "pki", "revoke", "--dir", d, "--org", ORG)
    assert code == 1 and ORG in err
    code, _, err = _run(capsys, "pki", "init", "--dir", d)
    assert code == 1 and "already exists" in err
