"""Plain words for usage-log events (AC-8): what was done, and what a chain check found."""

from __future__ import annotations

from carebook.i18n import N_, _
from carebook.model import audit
from carebook.model.audit import VerifyResult

_ACTIONS = {
    audit.READ: N_("Read"),
    audit.SEARCH: N_("Searched or listed"),
    audit.STORE: N_("Stored"),
    audit.VERSION: N_("Stored a new version"),
    audit.NULLIFY: N_("Nullified"),
    audit.EXPORT: N_("Exported"),
    audit.LOGIN: N_("Signed in"),
    audit.FAILED_LOGIN: N_("Failed sign-in"),
    audit.ADMIN: N_("Administration"),
}

_PROBLEMS = {
    "missing": N_("an event is missing"),
    "reordered": N_("events are out of order"),
    "altered": N_("the event was changed"),
}


def action_name(action: str) -> str:
    """The action key (``read``, ``failed_login`` …) in words of the current language."""
    return _(_ACTIONS[action]) if action in _ACTIONS else action


def verify_text(result: VerifyResult) -> str:
    """One sentence saying whether the hash chain of the log is intact."""
    if result.ok:
        return _("The usage log is intact (%(n)s events checked).") % {"n": result.checked}
    problem = _(_PROBLEMS[result.problem]) if result.problem in _PROBLEMS else (
        result.problem or "")
    return _("The usage log was altered at event %(id)s: %(problem)s. Events before it are "
             "intact (%(n)s checked). Make a backup of the store as it is now: it shows the "
             "change.") % {"id": result.first_bad_id, "problem": problem,
                                   "n": result.checked}
