"""Code sets the wire format uses, with their validity windows (MSG-14, MSG-18).

The values come from ``shared/domain/codelists.json`` and ``codesets-documents.json`` and are
packaged as ``codesets.json`` beside this module. Where the sources do not print a code value,
the code is the ASCII slug of the Swedish name (e.g. ``anteckning_om_klientens_vardag``); the
desktop maps its own identifiers to these when it builds an envelope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from functools import cache
from importlib import resources


class UsageCode(IntEnum):
    """Usage situation in the archive, 1.2.246.537.6.1289.201901 (MSG-15)."""

    OWN_REGISTER = 1
    NORMAL_RAR = 2
    OTHER_CONTROLLER = 3
    EXTENSIVE_RAR = 4


USAGE_SITUATION_OID = "1.2.246.537.6.1289.201901"
USAGE_HEADER = "X-Usage-Situation"
"""HTTP header every producer request carries with its usage code (MSG-15, PH-7)."""


class DocumentGroup(StrEnum):
    """*Socialvård – Handlingsgrupp* (MSG-6), codes as slugs of the Swedish names."""

    OLD = "gammal_klienthandling"
    PHASE1 = "klienthandling_i_forsta_fasen"
    PHASE2 = "klienthandling_i_andra_fasen"
    CLIENT_RELATIONSHIP = "klientrelationshandling"
    CASE = "arendehandling"
    JOURNAL_ENTRY = "anteckning_i_en_klientjournal"


MAINTAINED_GROUPS = frozenset({DocumentGroup.CLIENT_RELATIONSHIP, DocumentGroup.CASE})
"""Documents only the controller maintains (RAR-6, RAR-16)."""

IMPLEMENTATION_PROCESS = "genomforande_av_tjanster"
"""Service process *Genomförande av tjänster*: social service becomes mandatory (MSG-9)."""

ATTACHMENT_TYPE = "bilaga"

CASE_STATUS_OPEN = "open"
CASE_STATUS_CLOSED = "closed"
# [GAP] "Socialvård – Ärendestatus" values are not printed; "Stängd" is mentioned (L20435).
CASE_STATUSES = frozenset({CASE_STATUS_OPEN, CASE_STATUS_CLOSED})

# MSG-14: the archive supports the current schema version (status "färdig") and the previous
# one ("föråldrad"). The Sosmeta calendar is not in the seeds; these are carebook's own
# structure versions; the register accepts exactly these two.
SCHEMA_VERSION_CURRENT = "2026.1"
SCHEMA_VERSION_PREVIOUS = "2025.4"
SUPPORTED_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION_CURRENT, SCHEMA_VERSION_PREVIOUS})


@dataclass(frozen=True)
class Code:
    """One value of a code set, valid from ``valid_from`` to ``valid_until`` (inclusive)."""

    code: str
    en: str
    sv: str
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when the code may be used for archiving on ``day`` (MSG-18)."""
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class CodeSet:
    """A classification: its name, optional OID and values."""

    key: str
    name: str
    oid: str | None
    codes: dict[str, Code]

    def valid_on(self, code: str, day: date) -> bool:
        """True when ``code`` exists in this set and is valid on ``day``."""
        found = self.codes.get(code)
        return found is not None and found.valid_on(day)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def code_sets() -> dict[str, CodeSet]:
    """All packaged code sets by key (``service_task``, ``social_service`` ...)."""
    raw = json.loads(resources.files(__package__).joinpath("codesets.json").read_text("utf-8"))
    out: dict[str, CodeSet] = {}
    for key, spec in raw["sets"].items():
        set_from, set_until = _day(spec.get("valid_from")), _day(spec.get("valid_until"))
        codes = {
            v["code"]: Code(
                code=v["code"],
                en=v["en"],
                sv=v["sv"],
                valid_from=_day(v.get("valid_from")) or set_from,
                valid_until=_day(v.get("valid_until")) or set_until,
            )
            for v in spec["values"]
        }
        out[key] = CodeSet(key=key, name=spec["name"], oid=spec.get("oid"), codes=codes)
    return out


CASE_NAME_SETS = {"2023": "case_name_2023", "2017": "case_name_2017"}
CASE_NAME_VALID_UNTIL = {"2017": date(2024, 8, 31), "2023": None}
"""Case-name classification 2017 ended 31.8.2024 (ID-9 / §1.6); 2023 is in force."""

SPECIFIC_TYPE_SETS = ("journal_entry_type", "unstructured_document_type", "plan_types")


def specific_type_valid(code: str, day: date) -> bool:
    """True when ``code`` is a known specifying document type valid on ``day`` (MSG-6)."""
    sets = code_sets()
    return any(sets[key].valid_on(code, day) for key in SPECIFIC_TYPE_SETS)
