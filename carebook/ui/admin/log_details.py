"""The usage log's Detail column in the reader's language (AC-8).

The services write a short English note with each event (``audit.record(detail=…)``); the note
is part of the hash chain, so it stays as written and the export keeps it verbatim. The viewer
shows it in the chosen language: every note the services write is listed here, exactly or as a
pattern for the notes that carry a number, a code or a username. A note not listed (written by
an older or newer version) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from carebook.i18n import N_, _, ngettext
from carebook.model import codesets
from carebook.ui import texts

_EXACT = {
    "attachment added": N_("Attachment added"),
    "attachment opened": N_("Attachment opened"),
    "backup written": N_("Backup written"),
    "case closed": N_("Case closed"),
    "case document": N_("Case document read"),
    "case member added": N_("Client added to the case"),
    "case member left": N_("Client left the case"),
    "case nullified": N_("Case nullified"),
    "case opened": N_("Case opened"),
    "case restriction set": N_("Case restriction set"),
    "cases listed": N_("Cases listed"),
    "client added": N_("Client added"),
    "client data changed": N_("Client details changed"),
    "client directory": N_("Client list shown"),
    "client found by identity code": N_("Client found by identity code"),
    "client looked up by identifier": N_("Client looked up by identifier"),
    "client relationship added": N_("Client relationship added"),
    "client relationship window set": N_("Client relationship period set"),
    "client relationships shown": N_("Client relationships shown"),
    "client shown": N_("Client details shown"),
    "client-relationship document": N_("Client relationship document read"),
    "clients listed": N_("Clients listed"),
    "clients without an open case": N_("Clients without an open case listed"),
    "completed": N_("Document completed and signed"),
    "data key rotated": N_("Data encryption key changed"),
    "deactivated user": N_("Sign-in attempt by a deactivated user"),
    "document read": N_("Document read"),
    "draft discarded": N_("Draft discarded"),
    "draft saved": N_("Draft saved"),
    "first administrator created": N_("First administrator created"),
    "identity code set for a temporary ID": N_("Identity code set for a temporary ID"),
    "journal entry completed": N_("Journal entry completed and signed"),
    "journal entry drafted": N_("Journal entry saved as a draft"),
    "metadata read": N_("Document metadata read"),
    "organiser added": N_("Organiser added"),
    "organiser case code recorded": N_("Organiser's case code recorded"),
    "own password changed": N_("Own password changed"),
    "password reset": N_("Password reset"),
    "password set with the recovery code": N_("Password set with the recovery code"),
    "plan completed": N_("Plan completed and signed"),
    "plan draft saved": N_("Plan draft saved"),
    "plan drafted": N_("Plan saved as a draft"),
    "plans due for review": N_("Plans due for review listed"),
    "producer created": N_("Store created for the producer"),
    "producer created (test store)": N_("Test store created for the producer"),
    "restored from a backup": N_("Store restored from a backup"),
    "service ended": N_("Service ended"),
    "service started": N_("Service started"),
    "services listed": N_("Services listed"),
    "store replaced from a backup": N_("Store replaced from a backup"),
    "timeline page": N_("Client's entries listed"),
    "unit added": N_("Unit added"),
    "units set": N_("Units of the user changed"),
    "usage log check failed": N_("Usage log checked: it was altered"),
    "usage log verified": N_("Usage log checked: intact"),
    "user added": N_("User added"),
    "user deactivated": N_("User deactivated"),
    "user reactivated": N_("User reactivated"),
    "version history read": N_("Version history read"),
}

def _when(iso: str) -> str:
    try:
        return texts.moment(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def _export_part(part: str) -> str:
    if part.startswith("user "):
        return _("user %(username)s") % {"username": part[5:]}
    if part.startswith("from "):
        return _("from %(when)s") % {"when": _when(part[5:])}
    if part.startswith("before "):
        return _("before %(when)s") % {"when": _when(part[7:])}
    return part


def _exported(m: re.Match[str]) -> str:
    n = int(m[1])
    head = ngettext("Usage log exported, %(n)s event", "Usage log exported, %(n)s events",
                    n) % {"n": n}
    rest = [_export_part(p) for p in (m[2] or "").split("; ") if p]
    return "; ".join([head, *rest])


def _restored(m: re.Match[str]) -> str:
    return _("Store restored from a backup; the replaced store was kept as %(file)s; "
             "%(events)s usage-log events and %(documents)s documents of it are not in this "
             "store") % {"file": m[1], "events": m[2], "documents": m[3]}


def _failed(m: re.Match[str]) -> str:
    n = int(m[1])
    if m[2] == "user":
        text = ngettext("%(n)s failed sign-in", "%(n)s failed sign-ins", n)
    elif m[2] == "unknown username":
        text = ngettext("%(n)s failed sign-in with an unknown username",
                        "%(n)s failed sign-ins with an unknown username", n)
    elif m[2] == "recovery code":
        text = ngettext("%(n)s failed use of the recovery code",
                        "%(n)s failed uses of the recovery code", n)
    else:
        return m[0]
    return text % {"n": n}


def _roles(m: re.Match[str]) -> str:
    names = ", ".join(texts.role_name(r) for r in m[1].split(",") if r)
    return _("Roles set: %(roles)s") % {"roles": names or "—"}


def _prohibited(m: re.Match[str]) -> str:
    if m[1] == "True":
        return _("Right to see security-prohibited data given")
    return _("Right to see security-prohibited data removed")


def _log_read(m: re.Match[str]) -> str:
    n = int(m[1])
    return ngettext("Usage log read, %(n)s event", "Usage log read, %(n)s events", n) % {"n": n}


def _searched(m: re.Match[str]) -> str:
    n = int(m[1])
    return ngettext("Text search, %(n)s hit", "Text search, %(n)s hits", n) % {"n": n}


def _reason(label: str, set_id: str) -> Callable[[re.Match[str]], str]:
    def text(m: re.Match[str]) -> str:
        return _(label) % {"reason": texts.code_name(set_id, m[1]) or m[1]}
    return text


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"usage log exported, (\d+) events((?:; .+)?)"), _exported),
    (re.compile(r"usage log read, (\d+) events"), _log_read),
    (re.compile(r"full-text search, (\d+) hits"), _searched),
    (re.compile(r"(\d+) failed unlock\(s\) of (.+)"), _failed),
    (re.compile(r"corrected: (.+)"),
     _reason(N_("Corrected: %(reason)s"), codesets.CORRECTION_REASON)),
    (re.compile(r"nullified: (.+)"),
     _reason(N_("Nullified: %(reason)s"), codesets.NULLIFICATION_REASON)),
    (re.compile(r"roles set: (.*)"), _roles),
    (re.compile(r"may see prohibited data: (True|False)"), _prohibited),
    (re.compile(r"restored from a backup; replaced store kept as (.+); (\d+) usage-log events"
                r" and (\d+) documents of it are not in this store"), _restored),
)


def detail_text(detail: str | None) -> str:
    """The event's note in the current language; an unknown note as written."""
    if not detail:
        return ""
    if detail in _EXACT:
        return _(_EXACT[detail])
    for pattern, text in _PATTERNS:
        m = pattern.fullmatch(detail)
        if m is not None:
            return text(m)
    return detail
