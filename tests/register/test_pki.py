"""The local CA and the trust store: who the register believes, and when it stops believing."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from hypothesis import given
from hypothesis import strategies as st

from carebook.register import pki
from carebook.register.pki import AuthError, PkiError, TrustStore

ORG = "1.2.246.10.12345678.10.1"
OTHER = "1.2.246.10.87654321.10.1"


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def ca_dir(tmp_path: Path) -> Path:
    pki.init_ca(tmp_path / "pki")
    return tmp_path / "pki"


def test_init_writes_a_ca_with_private_key_readable_only_by_owner(ca_dir: Path) -> None:
    ca = _cert(ca_dir / pki.CA_CERT)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert stat.S_IMODE((ca_dir / pki.CA_KEY).stat().st_mode) == 0o600
    assert (ca_dir / pki.CRL).is_file()
    assert not list(ca_dir.glob(".*.tmp")), "no temp file left behind"


def test_init_refuses_to_overwrite_an_existing_ca(ca_dir: Path) -> None:
    before = (ca_dir / pki.CA_KEY).read_bytes()
    with pytest.raises(PkiError) as err:
        pki.init_ca(ca_dir)
    assert err.value.code == "PKI_EXISTS"
    assert (ca_dir / pki.CA_KEY).read_bytes() == before


def test_issued_certificate_verifies_as_its_organisation(ca_dir: Path) -> None:
    issued = pki.issue_org(ca_dir, ORG, name="Hoivakoti Esimerkki Oy")
    identity = TrustStore(ca_dir).verify([_cert(issued.cert_path)], _now())
    assert identity == pki.OrgIdentity(oid=ORG, serial=issued.serial)
    assert stat.S_IMODE(issued.key_path.stat().st_mode) == 0o600
    subject = _cert(issued.cert_path).subject
    assert subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == ORG


def test_expired_and_not_yet_valid_certificates_are_refused(ca_dir: Path) -> None:
    issued = pki.issue_org(ca_dir, ORG, not_before=datetime(2020, 1, 1, tzinfo=UTC), days=30)
    trust, cert = TrustStore(ca_dir), _cert(issued.cert_path)
    with pytest.raises(AuthError) as err:
        trust.verify([cert], datetime(2020, 3, 1, tzinfo=UTC))
    assert err.value.code == "AUTH_CERT_EXPIRED"
    with pytest.raises(AuthError) as err:
        trust.verify([cert], datetime(2019, 12, 31, tzinfo=UTC))
    assert err.value.code == "AUTH_CERT_NOT_YET_VALID"
    assert trust.verify([cert], datetime(2020, 1, 15, tzinfo=UTC)).oid == ORG


def test_revocation_takes_effect_in_a_running_trust_store(ca_dir: Path) -> None:
    mine, other = pki.issue_org(ca_dir, ORG), pki.issue_org(ca_dir, OTHER)
    trust = TrustStore(ca_dir)
    assert trust.verify([_cert(mine.cert_path)], _now()).oid == ORG
    assert pki.revoke(ca_dir, oid=ORG) == [mine.serial]
    with pytest.raises(AuthError) as err:
        trust.verify([_cert(mine.cert_path)], _now())
    assert err.value.code == "AUTH_CERT_REVOKED"
    assert trust.verify([_cert(other.cert_path)], _now()).oid == OTHER


def test_revoke_by_serial_and_repeat_is_harmless(ca_dir: Path) -> None:
    issued = pki.issue_org(ca_dir, ORG)
    assert pki.revoke(ca_dir, serial=issued.serial) == [issued.serial]
    assert pki.revoke(ca_dir, serial=issued.serial) == []
    with pytest.raises(AuthError):
        TrustStore(ca_dir).verify([_cert(issued.cert_path)], _now())


def test_revoking_an_unknown_certificate_is_an_error(ca_dir: Path) -> None:
    with pytest.raises(PkiError) as err:
        pki.revoke(ca_dir, oid=OTHER)
    assert err.value.code == "PKI_UNKNOWN_CERT"


def test_certificate_of_another_ca_is_refused(ca_dir: Path, tmp_path: Path) -> None:
    pki.init_ca(tmp_path / "elsewhere")
    foreign = pki.issue_org(tmp_path / "elsewhere", ORG)
    with pytest.raises(AuthError) as err:
        TrustStore(ca_dir).verify([_cert(foreign.cert_path)], _now())
    assert err.value.code == "AUTH_UNKNOWN_ISSUER"


def test_server_certificate_does_not_identify_an_organisation(ca_dir: Path) -> None:
    server = pki.issue_server(ca_dir)
    with pytest.raises(AuthError) as err:
        TrustStore(ca_dir).verify([_cert(server.cert_path)], _now())
    assert err.value.code == "AUTH_NOT_ORG_CERT"
    san = _cert(server.cert_path).extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert "localhost" in san.value.get_values_for_type(x509.DNSName)


def test_damaged_crl_refuses_everyone(ca_dir: Path) -> None:
    """Fail closed: without a trustworthy CRL nobody can be shown unrevoked."""
    issued = pki.issue_org(ca_dir, ORG)
    trust = TrustStore(ca_dir)
    (ca_dir / pki.CRL).write_bytes(b"-----BEGIN X509 CRL-----\nbroken\n-----END X509 CRL-----\n")
    with pytest.raises(AuthError) as err:
        trust.verify([_cert(issued.cert_path)], _now())
    assert err.value.code == "AUTH_CRL_INVALID"


def test_crl_signed_by_another_ca_is_not_accepted(ca_dir: Path, tmp_path: Path) -> None:
    issued = pki.issue_org(ca_dir, ORG)
    pki.init_ca(tmp_path / "elsewhere")
    (ca_dir / pki.CRL).write_bytes((tmp_path / "elsewhere" / pki.CRL).read_bytes())
    with pytest.raises(AuthError) as err:
        TrustStore(ca_dir).verify([_cert(issued.cert_path)], _now())
    assert err.value.code == "AUTH_CRL_INVALID"


def test_missing_ca_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(PkiError) as err:
        pki.issue_org(tmp_path, ORG)
    assert err.value.code == "PKI_NO_CA"
    assert "pki init" in err.value.message()
    with pytest.raises(PkiError) as err:
        pki.server_cert_paths(tmp_path)
    assert err.value.code == "PKI_NO_SERVER_CERT"
    assert "issue-server" in err.value.message()


def test_reissued_certificate_works_and_old_one_until_revoked(ca_dir: Path) -> None:
    first_cert = _cert(pki.issue_org(ca_dir, ORG).cert_path)
    second = pki.issue_org(ca_dir, ORG, days=10)
    trust = TrustStore(ca_dir)
    assert trust.verify([first_cert], _now()).oid == ORG
    pki.revoke(ca_dir, oid=ORG)
    for cert in (first_cert, _cert(second.cert_path)):
        with pytest.raises(AuthError):
            trust.verify([cert], _now() + timedelta(days=1))


_ARC = st.integers(min_value=0, max_value=10**12).map(str)


@given(first=st.sampled_from("012"), arcs=st.lists(_ARC, min_size=1, max_size=12))
def test_dotted_oids_are_accepted(first: str, arcs: list[str]) -> None:
    oid = ".".join([first, *arcs])
    assert pki.check_oid(oid) == oid


@given(st.text(min_size=1, max_size=40))
def test_anything_else_is_not_an_oid(text: str) -> None:
    looks_valid = (
        text[0] in "012" and all(a.isdigit() and a.isascii() and (a == "0" or a[0] != "0")
                                 for a in text.split(".")[1:])
        and text.count(".") >= 1 and len(text.split(".")[0]) == 1
    )
    if looks_valid:
        assert pki.check_oid(text) == text
    else:
        with pytest.raises(PkiError):
            pki.check_oid(text)
