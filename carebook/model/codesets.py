"""Code sets loaded from ``resources/codesets`` with validity dates (rules-documents §6, §4.1.11).

Sources: ``codelists.json`` and ``codesets-documents.json`` (copied unchanged from the shared
domain folder) plus ``carebook-codesets.json`` (carebook's keys for values that the sources name
without codes: the 15 journal-entry types, special-reason, correction and nullification keys).
``names-fi-en.json`` adds Finnish (and for plan types English) names where the sources give
none, so a Finnish user does not read Swedish; names already in the sources are kept.

A code may be used only on days inside its validity (``valid_from`` … ``valid_to``,
rules-documents §4.1.11 / MSG-18). Nullification checks codes in simplified form (MSG-13), so
callers pass ``on=None`` there to skip the date check.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model.validation import field_label

CODESET_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "codesets"

JOURNAL_ENTRY_TYPE = "journal_entry_type"
SPECIAL_ACCESS_REASON = "special_access_reason"
CORRECTION_REASON = "correction_reason"
NULLIFICATION_REASON = "nullification_reason"
SERVICE_TASK = "service_task"
SOCIAL_SERVICE = "social_service"
CASE_NAME = "case_name"
MYKANTA_RESTRICTION_REASON = "mykanta_restriction_reason"
GUARDIAN_DISCLOSURE = "minor_disclosure_to_guardians"
GUARDIAN_REFUSAL_REASON = "minor_prohibition_refusal_reason"
WORK_TASK = "work_task"
PLAN_TYPE = "implementation_plan_type"


@dataclass(frozen=True)
class Code:
    """One value of a code set, with names in the three languages and its validity."""

    key: str
    sv: str
    en: str
    fi: str | None = None
    national_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """Whether the code may be used on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    def name(self, language: str) -> str:
        """The name in ``language`` (fi falls back to sv, then en), as a label: first letter
        capital. A few Finnish names are quoted from running text in the seeds ("iäkkäiden
        palvelut", "kotihoito"); the stored name stays as the source prints it."""
        if language == "fi":
            name = self.fi or self.sv
        else:
            name = self.sv if language == "sv" else self.en
        return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class CodeSet:
    """A named code set; look codes up by key or by alias (e.g. a service task's id)."""

    id: str
    name: str
    codes: tuple[Code, ...]
    aliases: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> Code | None:
        """The code for ``key`` (or an alias of it), or None."""
        wanted = self.aliases.get(key, key)
        return next((c for c in self.codes if c.key == wanted), None)

    def require(self, key: str, *, on: date | None, field: str) -> Code:
        """The code for ``key``; raise :class:`ValidationError` if unknown or not valid ``on``."""
        code = self.get((key or "").strip())
        if code is None:
            raise ValidationError(N_("%(field)s: '%(value)s' is not a known code."),
                                  code="unknown_code", rule="MSG-18", field=field_label(field),
                                  value=(key or "")[:40])
        if on is not None and not code.valid_on(on):
            raise ValidationError(N_("%(field)s: code '%(value)s' is not valid on %(day)s."),
                                  code="code_not_valid", rule="MSG-18", field=field_label(field),
                                  value=code.key, day=on.isoformat())
        return code


def slug(text: str) -> str:
    """ASCII key from a Swedish name (å/ä → a, ö → o), words joined by underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _read(name: str) -> dict[str, Any]:
    with (CODESET_DIR / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _own_sets(own: dict[str, Any]) -> list[CodeSet]:
    sets = []
    for set_id in (JOURNAL_ENTRY_TYPE, SPECIAL_ACCESS_REASON, CORRECTION_REASON,
                   NULLIFICATION_REASON):
        raw = own["codesets"][set_id]
        codes = tuple(Code(key=v["key"], sv=v["sv"], en=v["en"], fi=v.get("fi"),
                           national_code=v.get("code"), valid_from=_day(v.get("valid_from")),
                           valid_to=_day(v.get("valid_to"))) for v in raw["values"])
        sets.append(CodeSet(set_id, raw["name_sv"], codes))
    return sets


def _document_sets(docs: dict[str, Any]) -> list[CodeSet]:
    wanted = {MYKANTA_RESTRICTION_REASON: "mykanta_restriction_reason",
              GUARDIAN_DISCLOSURE: "minor_disclosure_to_guardians",
              GUARDIAN_REFUSAL_REASON: "minor_prohibition_refusal_reason",
              WORK_TASK: "access_work_task_private"}
    by_id = {s["id"]: s for s in docs["codesets"]}
    sets = []
    for set_id, source_id in wanted.items():
        raw = by_id[source_id]
        codes = tuple(Code(key=v["code"], sv=v["sv"], en=v["en"], national_code=v["code"])
                      for v in raw["values"])
        sets.append(CodeSet(set_id, raw["name_sv"], codes))
    return sets


def _list_sets(lists: dict[str, Any], own: dict[str, Any]) -> list[CodeSet]:
    tasks = tuple(Code(key=t["code"] or t["id"], sv=t["sv"], en=t["en"], fi=t.get("fi"),
                       national_code=t["code"]) for t in lists["service_tasks"])
    task_aliases = {t["id"]: t["code"] for t in lists["service_tasks"] if t["code"]}
    ends = {v["key"]: _day(v.get("valid_to"))
            for v in own["codesets"]["social_service_validity"]["values"]}
    services = tuple(Code(key=s["id"], sv=s["sv"], en=s["en"], fi=s.get("fi"),
                          valid_to=ends.get(s["id"]))
                     for s in lists["social_services"] + lists["social_services_retired"])
    cases = tuple(Code(key=c["code"] or slug(c["sv_short"]), sv=c["sv_short"], en=c["en"],
                       national_code=c["code"], valid_from=date(2023, 1, 1))
                  for c in lists["case_names_2023"])
    plans_raw = lists["implementation_plan_types"]
    plans = tuple(Code(key=p["task"], sv=p["sv"], en=p["sv"])
                  for p in plans_raw["general_by_service_task"]) + tuple(
        Code(key=slug(name), sv=name, en=name) for name in plans_raw["service_specific"])
    return [CodeSet(SERVICE_TASK, "Socialvård – Serviceuppgift", tasks, task_aliases),
            CodeSet(SOCIAL_SERVICE, "Socialvård – Socialservice", services),
            CodeSet(CASE_NAME, "Socialvård – Socialvårdsärende 2023", cases),
            CodeSet(PLAN_TYPE, "Genomförandeplaner", plans)]


def _with_names(code_set: CodeSet, names: dict[str, dict[str, str]]) -> CodeSet:
    """``code_set`` with missing fi names (and en names equal to sv) filled from ``names``."""
    def named(code: Code) -> Code:
        extra = names.get(code.key, {})
        fi = code.fi or extra.get("fi")
        en = extra["en"] if extra.get("en") and code.en in ("", code.sv) else code.en
        return code if (fi, en) == (code.fi, code.en) else replace(code, fi=fi, en=en)
    return replace(code_set, codes=tuple(named(c) for c in code_set.codes))


@lru_cache(maxsize=1)
def all_codesets() -> dict[str, CodeSet]:
    """Every code set by id (read once per process)."""
    own = _read("carebook-codesets.json")
    sets = (_own_sets(own) + _document_sets(_read("codesets-documents.json"))
            + _list_sets(_read("codelists.json"), own))
    names = name_overlay()
    return {s.id: _with_names(s, names.get(s.id, {})) for s in sets}


def name_overlay() -> dict[str, dict[str, dict[str, str]]]:
    """``names-fi-en.json`` as ``{set_id: {key: {"fi", "en", "fi_source"}}}`` (no comments)."""
    return {set_id: names for set_id, names in _read("names-fi-en.json").items()
            if not set_id.startswith("_")}


def codeset(set_id: str) -> CodeSet:
    """The code set ``set_id`` (one of the module constants)."""
    return all_codesets()[set_id]


def require(set_id: str, key: str, *, on: date | None, field: str) -> Code:
    """Shorthand for ``codeset(set_id).require(key, on=on, field=field)``."""
    return codeset(set_id).require(key, on=on, field=field)


def plan_type_for_task(service_task: str) -> str | None:
    """The general implementation-plan type key of a service task (rules-documents E11)."""
    task = codeset(SERVICE_TASK).get(service_task)
    if task is None:
        return None
    lists = _read("codelists.json")
    task_id = next((t["id"] for t in lists["service_tasks"]
                    if (t["code"] or t["id"]) == task.key), None)
    return task_id if codeset(PLAN_TYPE).get(task_id or "") else None


# The general implementation plan (no service-specific structure), named in E11 (L22516-22540).
GENERAL_PLAN_KEY = "genomforandeplan"
GENERAL_PLAN_NAME = Code(key=GENERAL_PLAN_KEY, sv="Genomförandeplan", en="Implementation plan",
                         fi="Toteuttamissuunnitelma")


@lru_cache(maxsize=32)
def social_services_of_task(service_task: str) -> frozenset[str]:
    """The social services that belong to ``service_task`` (a service-task key or id), after
    the classification's table of services by service task (L13499 ff., table 6.3.2).

    The desktop app lists these first when a service starts in a case of that task; the
    services still accept any valid social service (MSG-18 checks validity, not the task).
    """
    lists = _read("codelists.json")
    task = codeset(SERVICE_TASK).get(service_task)
    ids = {t["id"] for t in lists["service_tasks"]
           if task is not None and (t["code"] or t["id"]) == task.key}
    return frozenset(s["id"] for s in lists["social_services"] + lists["social_services_retired"]
                     if any(link.get("task") in ids for link in s.get("service_tasks") or ()))


def display_name(set_id: str, key: str, language: str) -> str:
    """The printed name of code ``key`` of ``set_id`` in ``language`` ("fi", "sv" or "en").

    A code without a name in ``language`` falls back to Swedish: never the ASCII key. An
    unknown key (e.g. a code removed from a later code set) is returned as it is, so old
    documents still display.
    """
    code = codeset(set_id).get(key)
    if code is None and set_id == PLAN_TYPE and key == GENERAL_PLAN_KEY:
        code = GENERAL_PLAN_NAME
    return key if code is None else code.name(language)


def valid_codes(set_id: str, *, on: date, language: str = "sv") -> list[tuple[str, str]]:
    """``(key, name)`` of every code of ``set_id`` valid on ``on``, in code-set order."""
    return [(c.key, c.name(language)) for c in codeset(set_id).codes if c.valid_on(on)]
