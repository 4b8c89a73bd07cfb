"""Validators: identity codes (MSG-17), Y-tunnus (ID-8), OIDs (ID-4/ID-12/ID-13), names, dates,
code-set validity (MSG-18), with hypothesis property tests for the identity code and the OID."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from domain_fixtures import make_hetu
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.fi import hetu as stdnum_hetu

from carebook.errors import ValidationError
from carebook.model import clock, codesets, oids, validation

births = st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31))


@settings(deadline=None)  # no timing thresholds in tests
@given(born=births, individual=st.integers(min_value=900, max_value=999))
def test_test_series_code_accepted_in_test_store_msg17(born: date, individual: int) -> None:
    """A test store accepts every valid 900-series code and reads the birth date from it."""
    code, birth = validation.validate_hetu(make_hetu(born, individual), test_mode=True)
    assert birth == born
    assert stdnum_hetu.is_valid(code, allow_temporary=True)


@settings(deadline=None)  # no timing thresholds in tests
@given(born=births, individual=st.integers(min_value=2, max_value=899))
def test_normal_code_rejected_in_test_store_msg17(born: date, individual: int) -> None:
    with pytest.raises(ValidationError) as err:
        validation.validate_hetu(make_hetu(born, individual), test_mode=True)
    assert err.value.code == "hetu_not_test"


@settings(deadline=None)  # no timing thresholds in tests
@given(born=births, individual=st.integers(min_value=900, max_value=999))
def test_test_series_code_rejected_in_production_store_msg17(born: date,
                                                             individual: int) -> None:
    with pytest.raises(ValidationError) as err:
        validation.validate_hetu(make_hetu(born, individual), test_mode=False)
    assert err.value.code == "hetu_test_in_production"


@settings(deadline=None)  # no timing thresholds in tests
@given(born=births, individual=st.integers(min_value=2, max_value=899))
def test_normal_code_accepted_in_production_store_msg17(born: date, individual: int) -> None:
    code, birth = validation.validate_hetu(make_hetu(born, individual).lower(), test_mode=False)
    assert birth == born and code == code.upper()


@settings(deadline=None)  # no timing thresholds in tests
@given(born=births, individual=st.integers(min_value=900, max_value=999),
       wrong=st.sampled_from("0123456789ABCDEFHJKLMNPRSTUVWXY"))
def test_wrong_check_character_is_rejected_msg17(born: date, individual: int,
                                                 wrong: str) -> None:
    good = make_hetu(born, individual)
    bad = good[:-1] + wrong
    if bad != good:
        with pytest.raises(ValidationError) as err:
            validation.validate_hetu(bad, test_mode=True)
        assert err.value.code == "invalid_hetu"


@settings(deadline=None)  # no timing thresholds in tests
@given(st.text(max_size=15))
def test_random_text_never_crashes_the_hetu_validator(text: str) -> None:
    try:
        validation.validate_hetu(text, test_mode=True)
    except ValidationError as err:
        assert err.code in {"invalid_hetu", "hetu_not_test"}


def test_impossible_birth_date_is_rejected_msg17() -> None:
    """HETU must be consistent with a real birth date (rules-documents 4.1.2)."""
    with pytest.raises(ValidationError):
        validation.validate_hetu("310240-900X", test_mode=True)


def test_error_message_does_not_repeat_the_identity_code() -> None:
    with pytest.raises(ValidationError) as err:
        validation.validate_hetu("170540-905C", test_mode=False)
    assert "170540" not in err.value.message()


def test_business_id_id8() -> None:
    assert validation.validate_business_id("0737546-2") == "0737546-2"
    assert validation.validate_business_id(" 07375462 ") == "0737546-2"
    with pytest.raises(ValidationError) as err:
        validation.validate_business_id("0737546-3")
    assert err.value.code == "invalid_business_id"


arcs = st.integers(min_value=0, max_value=10**12)


@settings(deadline=None)  # no timing thresholds in tests
@given(first=st.integers(0, 2), second=st.integers(0, 39), rest=st.lists(arcs, max_size=8))
def test_well_formed_oids_are_valid_id4(first: int, second: int, rest: list[int]) -> None:
    oid = ".".join(str(a) for a in [first, second, *rest])
    assert oids.is_valid_oid(oid) == (len(oid) <= oids.MAX_LENGTH)


@settings(deadline=None)  # no timing thresholds in tests
@given(st.text(alphabet="0123456789.", max_size=40))
def test_oid_validator_agrees_with_the_grammar(text: str) -> None:
    parts = text.split(".")
    grammar = (len(parts) >= 2 and all(p.isdigit() and (p == "0" or not p.startswith("0"))
                                       for p in parts)
               and int(parts[0]) <= 2 and (int(parts[0]) == 2 or int(parts[1]) < 40))
    assert oids.is_valid_oid(text) == grammar


@pytest.mark.parametrize("bad", ["", "1", "1.", ".1.2", "1..2", "3.1", "1.40", "01.2",
                                 "1.2.03", "1.2.x", " 1.2"])
def test_malformed_oids_are_rejected_id4(bad: str) -> None:
    assert not oids.is_valid_oid(bad)


@settings(deadline=None)  # no timing thresholds in tests
@given(node=st.integers(1, 999_999_999), serial=st.integers(1, 10**9),
       kind=st.sampled_from(sorted(oids.KIND_ARCS)))
def test_generated_oids_are_valid_and_under_the_producer_root_id13(node: int, serial: int,
                                                                  kind: str) -> None:
    root = "1.2.246.10.12345678"
    oid = oids.make_oid(root, kind=kind, node=node, serial=serial)
    assert oids.is_valid_oid(oid) and oids.is_under(oid, root)
    assert oid.split(".")[-3:] == [str(oids.KIND_ARCS[kind]), str(node), str(serial)]


def test_names_and_periods_rules_documents_4_1_13() -> None:
    assert validation.validate_name("  Anna-Liisa   Ek ", field="name") == "Anna-Liisa Ek"
    for bad in ("", "R2D2", "x" * 101):
        with pytest.raises(ValidationError):
            validation.validate_name(bad, field="name")
    with pytest.raises(ValidationError) as err:
        validation.validate_period(date(2026, 2, 1), date(2026, 1, 31), field="service")
    assert err.value.code == "end_before_start"


def test_minor_until_the_eighteenth_birthday_e4() -> None:
    born = date(2008, 2, 29)
    assert validation.is_minor(born, date(2026, 2, 28))
    assert not validation.is_minor(born, date(2026, 3, 1))
    assert not validation.is_minor(None, date(2026, 1, 1))


def test_codes_are_valid_only_inside_their_validity_msg18() -> None:
    """The disclosure note type was usable until 31.8.2024 (003:23321-23331)."""
    disclosure = codesets.codeset(codesets.JOURNAL_ENTRY_TYPE).get("disclosure")
    assert disclosure is not None
    assert disclosure.valid_on(date(2024, 8, 31))
    assert not disclosure.valid_on(date(2024, 9, 1))
    with pytest.raises(ValidationError) as err:
        codesets.require(codesets.JOURNAL_ENTRY_TYPE, "disclosure", on=date(2025, 1, 1),
                         field="type")
    assert err.value.code == "code_not_valid"
    with pytest.raises(ValidationError) as err:
        codesets.require(codesets.JOURNAL_ENTRY_TYPE, "no-such", on=None, field="type")
    assert err.value.code == "unknown_code"


def test_code_sets_hold_the_printed_values() -> None:
    """15 journal types (table 9.7.1), MyKanta grounds 1-6, guardian codes 1-4."""
    assert len(codesets.codeset(codesets.JOURNAL_ENTRY_TYPE).codes) == 15
    assert [c.key for c in codesets.codeset(codesets.MYKANTA_RESTRICTION_REASON).codes] == [
        "1", "2", "3", "4", "5", "6"]
    assert codesets.codeset(codesets.SERVICE_TASK).get("aldreservice").key == "23"  # type: ignore[union-attr]
    retired = codesets.codeset(codesets.SOCIAL_SERVICE).get("hemservice")
    assert retired is not None and not retired.valid_on(clock.today() - timedelta(days=1))


@pytest.mark.parametrize("sign", ["-", "Y", "X", "W", "V", "U"])
def test_new_century_signs_of_2023_are_accepted_msg17(sign: str) -> None:
    """Since 2023 the 1900s also use Y/X/W/V/U and the 2000s B-F; the birth date is the same."""
    code = make_hetu(date(1990, 6, 15), 950).replace("-", sign)
    assert validation.validate_hetu(code, test_mode=True)[1] == date(1990, 6, 15)
    child = make_hetu(date(2012, 6, 15), 950).replace("A", "B")
    assert validation.validate_hetu(child, test_mode=True)[1] == date(2012, 6, 15)


def test_contact_data_is_checked() -> None:
    assert validation.validate_contact(address=" Kotikatu  1 ", municipality="",
                                       phone="+358 40 123 4567") == (
        "Kotikatu 1", None, "+358 40 123 4567")
    with pytest.raises(ValidationError) as err:
        validation.validate_contact(address=None, municipality=None, phone="call me")
    assert err.value.code == "invalid_phone"
    with pytest.raises(ValidationError):
        validation.validate_contact(address="x" * 301, municipality=None, phone=None)
