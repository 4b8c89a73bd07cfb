"""The document envelope: canonical hash, strict fields, stable error codes."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from carebook.protocol.codes import DocumentGroup, UsageCode, code_sets, specific_type_valid
from carebook.protocol.envelope import ClientRef, DocumentEnvelope, envelope_hash, seal
from carebook.protocol.errors import ERRORS, RegisterError


def fields(**override):
    base = {"document_oid": "1.2.246.10.2001.1.77.1", "version": 1,
            "document_group": DocumentGroup.JOURNAL_ENTRY,
            "clients": [{"hetu": "010150-901D"}],
            "created_at": datetime(2026, 10, 1, 9, tzinfo=UTC),
            "content": {"structured": {"text": "hyvä päivä"}, "xhtml": "<p>hyvä päivä</p>"}}
    base.update(override)
    return base


def test_hash_ignores_time_zone_spelling_and_json_layout():
    """Both sides hash the parsed model: equal documents hash equally."""
    a = seal(fields())
    helsinki = timezone(timedelta(hours=3))
    b = seal(fields(created_at=datetime(2026, 10, 1, 12, tzinfo=helsinki)))
    assert a.created_at == b.created_at
    assert envelope_hash(a.model_dump(mode="json")) == envelope_hash(
        DocumentEnvelope.model_validate_json(a.model_dump_json(indent=3)))


@given(st.text(min_size=1, max_size=50))
def test_any_content_change_changes_the_hash(text):
    a = seal(fields())
    b = seal(fields(content={"structured": {"text": text + "!"}, "xhtml": "<p>x</p>"}))
    assert a.content_hash != b.content_hash


def test_fields_outside_the_metadata_model_are_refused():
    """MSG-7: metadata outside the model must not be sent."""
    with pytest.raises(ValidationError):
        DocumentEnvelope.model_validate({**fields(), "content_hash": "0" * 64, "extra": 1})


def test_client_is_a_pic_or_a_temporary_oid_never_both():
    with pytest.raises(ValidationError):
        ClientRef(hetu="010150-901D", temporary_oid="1.2.3.4")
    with pytest.raises(ValidationError):
        ClientRef()
    assert ClientRef(temporary_oid="1.2.246.5").key == "1.2.246.5"


def test_oids_are_checked_in_the_envelope():
    with pytest.raises(ValidationError):
        seal(fields(document_oid="not-an-oid"))


def test_every_error_code_has_status_rule_and_description():
    """The code list is stable and documented (docs/register-api.md)."""
    for code, spec in ERRORS.items():
        assert code.isupper() and spec.description.endswith(".")
        assert 400 <= spec.status < 600
    err = RegisterError("RAR_NOT_IN_FORCE", rule="RAR-5")
    assert err.body() == {"error": {"code": "RAR_NOT_IN_FORCE", "rule": "RAR-5",
                                    "message": ERRORS["RAR_NOT_IN_FORCE"].description}}


def test_error_codes_are_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "register-api.md").read_text("utf-8")
    missing = [code for code in ERRORS if f"`{code}`" not in doc]
    assert missing == []


def test_code_sets_know_validity():
    """MSG-18: retired codes are invalid after their end date."""
    social = code_sets()["social_service"]
    assert social.valid_on("hemservice", datetime(2022, 6, 1).date())
    assert not social.valid_on("hemservice", datetime(2023, 1, 1).date())
    assert specific_type_valid("anteckning_om_klientens_vardag", datetime(2026, 1, 1).date())
    assert list(UsageCode) == [1, 2, 3, 4]
