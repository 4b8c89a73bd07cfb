"""MyKanta restrictions and guardian visibility (rules-documents §2.2, §3.6, §4.1.18-20).

* A delay or special content set by a person needs at least one reason code (§4.1.19).
* A delay a person sets is a day still to come: the date is when MyKanta may first show the
  document (§3.6, L8286-8308), so today or a past day would delay nothing. A delay that has
  already run out stays as it was on later versions.
* Free-text grounds are at most 500 characters.
* Every document of a client under 18 carries a guardian code, default 1 (§4.1.18, MSG-17).
  Codes 2 and 3 need text grounds; code 3 also needs a refusal-reason code.
* Case-level restrictions are copied into each new document of the case (§4.1.20, MSG-25).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import codesets, validation
from carebook.model.records import Restriction
from carebook.model.tables.case import Case
from carebook.model.tables.document import DocumentVersion

GUARDIAN_DEFAULT = "1"


def _reasons(raw: str) -> tuple[str, ...]:
    return tuple(r for r in raw.split(",") if r)


def validate(r: Restriction, *, minor: bool, on: date | None) -> Restriction:
    """Check ``r`` and fill the guardian default for minors; returns the checked restriction."""
    reasons = tuple(sorted({codesets.require(codesets.MYKANTA_RESTRICTION_REASON, c, on=on,
                                             field=N_("restriction reason")).key
                            for c in r.reasons}))
    if (r.delay_until is not None or r.special_content) and not reasons:
        raise ValidationError(N_("A delay or special content needs at least one reason code."),
                              code="restriction_reason", rule="rules-documents 4.1.19")
    text = validation.validate_text(r.text or "", field=N_("restriction grounds"), required=False,
                                    max_length=validation.MAX_REASON_TEXT) or None
    guardian, g_text, refusal = None, None, None
    if minor:
        guardian = codesets.require(codesets.GUARDIAN_DISCLOSURE,
                                    r.guardian_code or GUARDIAN_DEFAULT, on=on,
                                    field=N_("guardian visibility")).key
        g_text = validation.validate_text(r.guardian_text or "", field=N_("grounds in text"),
                                          required=guardian in ("2", "3"),
                                          max_length=validation.MAX_REASON_TEXT) or None
        if guardian == "3":
            refusal = codesets.require(codesets.GUARDIAN_REFUSAL_REASON,
                                       r.guardian_refusal_reason or "", on=on,
                                       field=N_("refusal reason")).key
    return Restriction(r.delay_until, r.special_content, reasons, text, guardian, g_text,
                       refusal)


def require_future_delay(new: Restriction, *, before: date | None, on: date) -> None:
    """Refuse a delay newly set (or moved) to ``on`` or earlier (§3.6, L8286-8308).

    ``before`` is the delay already on the document or case: keeping it unchanged is allowed
    even when it has run out, so correcting an old entry does not force a new date.
    """
    if new.delay_until is not None and new.delay_until != before and new.delay_until <= on:
        raise ValidationError(
            N_("The MyKanta delay must end on a day after today; without a delay, MyKanta "
               "shows the document at once."), code="delay_not_future",
            rule="rules-documents 3.6")


def inherit(case: Restriction, own: Restriction) -> Restriction:
    """The restriction of a new document: the document's own, plus everything of the case."""
    delays = [d for d in (case.delay_until, own.delay_until) if d is not None]
    merged = replace(
        own, delay_until=max(delays) if delays else None,
        special_content=case.special_content or own.special_content,
        reasons=tuple(sorted(set(case.reasons) | set(own.reasons))),
        text=own.text or case.text)
    if case.guardian_code not in (None, GUARDIAN_DEFAULT):
        merged = replace(merged, guardian_code=case.guardian_code,
                         guardian_text=case.guardian_text,
                         guardian_refusal_reason=case.guardian_refusal_reason)
    return merged


def of_case(case: Case) -> Restriction:
    return Restriction(case.delay_until, case.special_content, _reasons(case.restriction_reasons),
                       case.restriction_text, case.guardian_code, case.guardian_text,
                       case.guardian_refusal_reason)


def store_on_case(case: Case, r: Restriction) -> None:
    case.delay_until = r.delay_until
    case.special_content = r.special_content
    case.restriction_reasons = ",".join(r.reasons)
    case.restriction_text = r.text
    case.guardian_code = None if r.guardian_code == GUARDIAN_DEFAULT else r.guardian_code
    case.guardian_text = r.guardian_text
    case.guardian_refusal_reason = r.guardian_refusal_reason


def of_version(v: DocumentVersion) -> Restriction:
    return Restriction(v.delay_until, v.special_content, _reasons(v.restriction_reasons),
                       v.restriction_text, v.guardian_code, v.guardian_text,
                       v.guardian_refusal_reason)


def store_on_version(v: DocumentVersion, r: Restriction) -> None:
    v.delay_until = r.delay_until
    v.special_content = r.special_content
    v.restriction_reasons = ",".join(r.reasons)
    v.restriction_text = r.text
    v.guardian_code = r.guardian_code
    v.guardian_text = r.guardian_text
    v.guardian_refusal_reason = r.guardian_refusal_reason
