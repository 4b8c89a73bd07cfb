"""Entry-time validators (rules-documents §4.1): identity codes, business IDs, names, dates.

Every failure is a :class:`ValidationError` with a stable code and a translatable message that
never repeats the rejected value (it may be an identity code).
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.fi import hetu as stdnum_hetu
from stdnum.fi import ytunnus as stdnum_ytunnus

from carebook.errors import ValidationError
from carebook.i18n import N_, _

TEST_SERIES = range(900, 1000)  # Kela's test / temporary individual numbers
MAX_NAME = 100
MAX_TEXT = 100_000
MAX_REASON_TEXT = 500  # "Motivering i textform", rules-documents §2.2 (L8960-8962)


def field_label(field: str) -> str:
    """The translated name of an input field, capitalised for the start of a message."""
    text = _(field)
    return text[:1].upper() + text[1:]


def hetu_individual_number(code: str) -> int:
    """The individual number (characters 8-10) of a compact identity code."""
    return int(code[7:10])


def validate_hetu(value: str, *, test_mode: bool) -> tuple[str, date]:
    """Validate a Finnish personal identity code (henkilötunnus) for this store.

    A test or demo store accepts only Kela's 900-series test codes; a normal store rejects
    them (issue #2 item 5; rules-documents §4.1.2: accepted syntax, consistent birth date).

    Returns:
        The compact upper-case code and the birth date it encodes.
    """
    text = (value or "").strip().upper()
    try:
        compact = stdnum_hetu.validate(text, allow_temporary=True)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            N_("The personal identity code is not valid (check the date, the century sign "
               "and the check character)."), code="invalid_hetu", rule="MSG-17") from None
    is_test = hetu_individual_number(compact) in TEST_SERIES
    if test_mode and not is_test:
        raise ValidationError(
            N_("This is a test store: only Kela's test identity codes (individual number "
               "900-999) are accepted."), code="hetu_not_test", rule="MSG-17")
    if not test_mode and is_test:
        raise ValidationError(
            N_("Test identity codes (individual number 900-999) are not accepted in a "
               "production store."), code="hetu_test_in_production", rule="MSG-17")
    return compact, hetu_birth_date(compact)


def hetu_birth_date(compact: str) -> date:
    """The birth date encoded in a valid compact identity code."""
    century = stdnum_hetu._century_codes[compact[6]]
    return date(century + int(compact[4:6]), int(compact[2:4]), int(compact[0:2]))


def validate_business_id(value: str) -> str:
    """Validate a Y-tunnus (business ID, ID-8). Returns the formatted ``1234567-8`` form."""
    try:
        return str(stdnum_ytunnus.format(stdnum_ytunnus.validate((value or "").strip())))
    except stdnum_errors.ValidationError:
        raise ValidationError(N_("The business ID (Y-tunnus) is not valid."),
                              code="invalid_business_id", rule="ID-8") from None


def validate_name(value: str, *, field: str) -> str:
    """A personal or organisation name: non-empty, printable, at most 100 characters.

    rules-documents §4.1.5 and §4.1.13: the client system validates personal names.
    """
    text = " ".join(reject_control_characters(value or "", field=field).split())
    if not text:
        raise ValidationError(N_("%(field)s must not be empty."), code="required",
                              field=field_label(field))
    if len(text) > MAX_NAME or not text.isprintable() or any(ch.isdigit() for ch in text):
        raise ValidationError(N_("%(field)s is not a valid name."), code="invalid_name",
                              field=field_label(field))
    return text


# C0 controls except tab and newline, DEL, and the C1 controls (ESC starts the ANSI "\x1b[31m"
# colour codes; U+009B is the one-character CSI). Terminals and PDFs must never receive them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def reject_control_characters(text: str, *, field: str) -> str:
    """``text`` with line ends normalised to ``\n``; control characters are refused.

    Tab and newline are kept; a carriage return (Windows line end) becomes a newline. Any
    other C0/C1 control character, which includes every ANSI escape sequence, is a
    :class:`ValidationError` rather than being dropped silently, so the user sees what was
    wrong with the pasted text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise ValidationError(
            N_("%(field)s contains control characters (for example terminal colour codes); "
               "remove them and try again."), code="control_characters",
            field=field_label(field))
    return text


def validate_label(value: str, *, field: str, max_length: int = 200) -> str:
    """A required one-line text such as a unit name or a title (no control characters)."""
    text = " ".join(reject_control_characters(value or "", field=field).split())
    if not text:
        raise ValidationError(N_("%(field)s must not be empty."), code="required",
                              field=field_label(field))
    if len(text) > max_length:
        raise ValidationError(N_("%(field)s is too long (at most %(max)s characters)."),
                              code="too_long", field=field_label(field), max=max_length)
    return text


def validate_text(value: str, *, field: str, required: bool = True,
                  max_length: int = MAX_TEXT) -> str:
    """Free text of a document: trimmed; required unless ``required`` is False.

    Tab and newline are kept; other control characters (ANSI escapes) are refused.
    """
    text = reject_control_characters(value or "", field=field).strip()
    if required and not text:
        raise ValidationError(N_("%(field)s must not be empty."), code="required",
                              field=field_label(field))
    if len(text) > max_length:
        raise ValidationError(N_("%(field)s is too long (at most %(max)s characters)."),
                              code="too_long", field=field_label(field), max=max_length)
    return text


def validate_period(start: date | None, end: date | None, *, field: str) -> None:
    """Date logic: an end date never precedes its start (rules-documents §4.1.13)."""
    if start is not None and end is not None and end < start:
        raise ValidationError(N_("%(field)s: the end date is before the start date."),
                              code="end_before_start", field=field_label(field))


def is_minor(birth_date: date | None, on: date) -> bool:
    """Whether a person born on ``birth_date`` is under 18 on ``on`` (rules-documents E4)."""
    if birth_date is None:
        return False
    try:
        adult_on = birth_date.replace(year=birth_date.year + 18)
    except ValueError:  # born on 29 February
        adult_on = date(birth_date.year + 18, 3, 1)
    return on < adult_on


_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def validate_username(value: str) -> str:
    """A sign-in name: a–z without accents, digits and ``. _ @ -``, at most 64 characters.

    ASCII only on purpose: the name is typed on shared PCs with any keyboard layout and is
    compared byte for byte when signing in.
    """
    text = (value or "").strip()
    if not _USERNAME.match(text):
        raise ValidationError(
            N_("The username may contain only the letters a–z (no å, ä or ö), digits and "
               ". _ @ - (at most 64 characters)."),
            code="invalid_username")
    return text


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}$")


def validate_contact(*, address: str | None, municipality: str | None,
                     phone: str | None) -> tuple[str | None, str | None, str | None]:
    """Optional contact data: trimmed one-line texts, a phone number of digits (AC-11 data)."""
    def opt(value: str | None, field: str, length: int) -> str | None:
        text = " ".join((value or "").split())
        return validate_label(text, field=field, max_length=length) if text else None

    number = opt(phone, N_("phone number"), 40)
    if number is not None and not _PHONE.match(number):
        raise ValidationError(N_("The phone number may contain only digits, spaces, ( ) - and a "
                                 "leading +."), code="invalid_phone")
    return (opt(address, N_("address"), 300), opt(municipality, N_("municipality"), 100),
            number)
