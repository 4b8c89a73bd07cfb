"""OID and identity-code validators of the wire protocol (MSG-17, ID-13) — property tests."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from stdnum.fi import hetu as stdnum_hetu

from carebook.protocol.identifiers import hetu_birth_date, is_client_id, is_hetu, is_oid

arcs = st.lists(st.integers(min_value=0, max_value=10**12), min_size=2, max_size=12)


@given(first=st.integers(min_value=0, max_value=2), rest=arcs)
def test_dotted_numbers_are_oids(first, rest):
    assert is_oid(".".join(map(str, [first, *rest])))


@given(st.text(alphabet="0123456789.-ab ", max_size=40))
def test_oid_syntax_rejects_leading_zeros_and_junk(text):
    parts = text.split(".")
    ok = (len(parts) >= 3 and all(p.isdigit() and (p == "0" or not p.startswith("0"))
                                  for p in parts) and parts[0] in "012")
    assert is_oid(text) == ok


def make_hetu(born: date, individual: int) -> str:
    sign = {1800: "+", 1900: "-", 2000: "A"}[born.year // 100 * 100]
    stem = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    return f"{stem[:6]}{sign}{stem[6:]}{stdnum_hetu._calc_checksum(stem)}"


births = st.dates(min_value=date(1850, 1, 1), max_value=date(2025, 12, 31))


@given(born=births, individual=st.integers(min_value=900, max_value=999))
def test_test_series_codes_are_valid_and_carry_the_birth_date(born, individual):
    """MSG-17: the code is accepted and its birth date is the one written in it."""
    code = make_hetu(born, individual)
    assert is_hetu(code) and is_client_id(code)
    assert hetu_birth_date(code) == born


@given(born=births, individual=st.integers(min_value=900, max_value=999),
       shift=st.integers(min_value=1, max_value=400))
def test_a_code_with_another_birth_date_no_longer_validates(born, individual, shift):
    """Changing the date part breaks the check character (or the date): never silently valid
    for another birth date."""
    code = make_hetu(born, individual)
    other = born + timedelta(days=shift)
    if other.year // 100 != born.year // 100:
        return
    forged = f"{other:%d%m}{other.year % 100:02d}" + code[6:]
    assert not is_hetu(forged) or hetu_birth_date(forged) != born


@given(st.text(max_size=12))
def test_random_text_is_not_an_identity_code(text):
    if is_hetu(text):
        assert hetu_birth_date(text)


def test_temporary_ids_are_oids():
    """ID-13: a client without a PIC has a temporary identification OID."""
    assert is_client_id("1.2.246.10.2001.1.99.7")
    assert not is_client_id("123456-789")
