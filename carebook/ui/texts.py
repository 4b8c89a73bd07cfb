"""Display names the UI shows for keys the services return (states, kinds, roles, codes) and
dates in the current language. One place, so every view names things the same way."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from carebook.i18n import N_, _, current_language, format_day
from carebook.model import codesets

_STATES = {
    "draft": N_("Draft"),
    "completed": N_("Completed"),
    "nullified": N_("Nullified"),
}
_KINDS = {
    "journal": N_("Journal entry"),
    "plan": N_("Implementation plan"),
    "attachment": N_("Attachment"),
    "case": N_("Case document"),
    "client_relationship": N_("Client-relationship document"),
}
_ROLES = {
    "admin": N_("Administrator"),
    "care_worker": N_("Care worker"),
    "director": N_("Responsible director"),
}


def state_name(state: str, *, version: int = 1) -> str:
    """"Completed" for a first version, "Corrected" for a later completed one (MSG-11)."""
    if state == "completed" and version > 1:
        return _("Corrected")
    return _(_STATES[state]) if state in _STATES else state


def kind_name(kind: str) -> str:
    return _(_KINDS[kind]) if kind in _KINDS else kind


def role_name(role: str) -> str:
    return _(_ROLES[role]) if role in _ROLES else role


def code_name(set_id: str, key: str | None) -> str:
    """The code's name in the current language ("" for None)."""
    if not key:
        return ""
    return codesets.display_name(set_id, key, current_language())


def entry_type_name(key: str) -> str:
    return code_name(codesets.JOURNAL_ENTRY_TYPE, key)


def document_type_name(kind: str, specific_type: str) -> str:
    """The name of a document's type: the entry type for journal entries, else the kind."""
    if kind == "journal":
        return entry_type_name(specific_type)
    if kind == "plan":
        return code_name(codesets.PLAN_TYPE, specific_type)
    return kind_name(kind)


def day(value: date | None) -> str:
    """A date in the current language's form (fi 23.8.2026); "" for None."""
    return format_day(value) if value is not None else ""


def moment(value: datetime | None) -> str:
    """Date and time (hours and minutes) in the current language's form, local time."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo is not None else value
    return f"{format_day(local.date())} {local:%H:%M}"


_QT_DATE_FORMATS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "dd/MM/yyyy"}  # as format_day


def date_format() -> str:
    """The QDateEdit display format matching :func:`day` in the current language."""
    return _QT_DATE_FORMATS.get(current_language(), "yyyy-MM-dd")


def labelled(label: str, html: str) -> str:
    """``label: html`` for the detail panes: the (translated) label is escaped, ``html`` is
    already safe. Keeps ``_()`` out of f-strings, where the catalogue extractor cannot see it."""
    return f"{escape(label)}: {html}"
