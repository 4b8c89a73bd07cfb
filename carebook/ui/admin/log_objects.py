"""What a usage-log event was about, in words a director reads (AC-8).

The services log object references as they are: a document as ``<OID>#<version>``, a client
listing or a service listing as the store's row numbers, an account by its username, a
register by its OID. Row numbers mean nothing outside the store, so a listing reads as a count
("4 clients"); a document reads as the last arc of its OID (the serial number in its OID,
unique in the register) with its version; a username or register as its name.
"""

from __future__ import annotations

from collections.abc import Mapping

from carebook.i18n import _, ngettext
from carebook.model.audit import AuditRecord

NAMED_DOCUMENTS = 6  # a timeline page lists dozens; the rest is in the export
# The services' details whose objects are row numbers, and what those rows are.
_CLIENT_LISTS = ("clients listed", "client directory", "clients without an open case")
_SERVICE_LISTS = ("services listed",)


def objects_text(event: AuditRecord, *, user_names: Mapping[str, str],
                 register_names: Mapping[str, str]) -> str:
    """The event's objects in plain words; never bare internal row numbers."""
    objects = [o for o in event.objects if o]
    if not objects:
        return ""
    if all(o.isdigit() for o in objects):
        return _count(event.detail or "", len(objects))
    if len(objects) > 1 and all("#" in o for o in objects):
        numbers = [_document_number(o) for o in objects[:NAMED_DOCUMENTS]]
        more = " …" if len(objects) > NAMED_DOCUMENTS else ""
        return ngettext("%(n)s document: %(numbers)s", "%(n)s documents: %(numbers)s",
                        len(objects)) % {"n": len(objects),
                                         "numbers": ", ".join(numbers) + more}
    return ", ".join(_one(o, user_names, register_names) for o in objects)


def _count(detail: str, n: int) -> str:
    if detail.startswith(_CLIENT_LISTS):
        return ngettext("%(n)s client", "%(n)s clients", n) % {"n": n}
    if detail.startswith(_SERVICE_LISTS):
        return ngettext("%(n)s service", "%(n)s services", n) % {"n": n}
    if detail.startswith("case"):  # a case without an organiser's case code (cases.py)
        return ngettext("%(n)s case", "%(n)s cases", n) % {"n": n}
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": n}


def _document_number(reference: str) -> str:
    return reference.split("#", 1)[0].rsplit(".", 1)[-1]


def _one(reference: str, user_names: Mapping[str, str],
         register_names: Mapping[str, str]) -> str:
    if "#" in reference:
        version = reference.split("#", 1)[1]
        return _("Document %(number)s, version %(version)s") % {
            "number": _document_number(reference), "version": version}
    if reference in user_names:
        return f"{user_names[reference]} ({reference})"
    return register_names.get(reference, reference)


__all__ = ["objects_text"]
