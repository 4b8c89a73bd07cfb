"""Searches and reads of the producer API and the archivist view, each logged (AC-9).

Producers see latest versions only, nullified documents never (MSG-12, MSG-13); under usage
situation 2 only for clients whose relationship gives them RAR in force (RAR-8, RAR-14).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from carebook.protocol.codes import DocumentGroup, UsageCode
from carebook.protocol.errors import RegisterError
from carebook.protocol.results import (
    CaseResult,
    CaseSearchResult,
    DocumentPage,
    RelationshipResult,
    StoredDocument,
    VersionHistory,
)
from carebook.register import lookups, usage_log
from carebook.register.access import Access
from carebook.register.archive import receipt_of
from carebook.register.tables import DocumentClient, DocumentVersion

MAX_PAGE = 500


def stored(row: DocumentVersion) -> StoredDocument:
    """A version row as the API returns it."""
    return StoredDocument(receipt=receipt_of(row), document=lookups.envelope_of(row))


def require_read(session: Session, access: Access, client: str) -> None:
    """Under RAR the caller needs a window in force for this client (RAR-8, RAR-14)."""
    if access.usage is not UsageCode.NORMAL_RAR:
        return
    units = lookups.rar_units(session, register_oid=access.register_oid, client_key=client,
                              producer_oid=access.caller_oid)
    if not lookups.in_force(units, access.today):
        raise RegisterError("RAR_NOT_IN_FORCE", rule="RAR-14")


def relationship(session: Session, access: Access, client: str) -> RelationshipResult:
    """The client's relationship document; under RAR also the caller's units and windows.

    A producer whose window has not started or has ended learns that (to go read-only and
    purge copies, RAR-25) but gets no document; with no unit at all it gets RAR_NOT_IN_FORCE.
    """
    row = lookups.latest_relationship(session, access.register_oid, client)
    found = row if row is not None and not row.nullified else None
    result = RelationshipResult(register_oid=access.register_oid, client=client,
                                relationship=stored(found) if found else None)
    if access.usage is UsageCode.NORMAL_RAR:
        units = lookups.rar_units(session, register_oid=access.register_oid, client_key=client,
                                  producer_oid=access.caller_oid)
        if not units:
            raise RegisterError("RAR_NOT_IN_FORCE", rule="RAR-5")
        active = bool(lookups.in_force(units, access.today))
        result = result.model_copy(update={"rar_units": units, "rar_in_force": active,
                                           "relationship": result.relationship if active
                                           else None})
    usage_log.record(session, access, action="search", client=client,
                     objects=[found.document_oid] if found else [],
                     detail={"search": "client_relationship"})
    return result


def cases(session: Session, access: Access, client: str) -> CaseSearchResult:
    """Cases the client belongs to, for case-code discovery (RAR-11, MSG-22)."""
    require_read(session, access, client)
    rows = session.scalars(_latest_for(access.register_oid, client)
                           .where(DocumentVersion.document_group == DocumentGroup.CASE.value,
                                  DocumentVersion.nullified.is_(False))
                           .order_by(DocumentVersion.sequence)).all()
    found = [CaseResult(case_code=r.case_code or "", case=lookups.case_body(r), document=stored(r))
             for r in rows]
    usage_log.record(session, access, action="search", client=client,
                     objects=[c.case_code for c in found], detail={"search": "cases"})
    return CaseSearchResult(register_oid=access.register_oid, client=client, cases=found)


def documents(
    session: Session, access: Access, client: str, *, cursor: str | None, limit: int,
) -> DocumentPage:
    """Latest versions of the client's documents changed after ``cursor``, in change order."""
    require_read(session, access, client)
    after = decode_cursor(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    rows = session.scalars(_latest_for(access.register_oid, client)
                           .where(DocumentVersion.sequence > after)
                           .order_by(DocumentVersion.sequence).limit(limit + 1)).all()
    page, more = rows[:limit], len(rows) > limit
    items = [stored(r) for r in page if not r.nullified]
    gone = [r.document_oid for r in page if r.nullified]
    last = page[-1].sequence if page else after
    usage_log.record(session, access, action="list", client=client,
                     objects=[f"{i.receipt.document_oid}/{i.receipt.version}" for i in items],
                     detail={"after": after})
    return DocumentPage(items=items, nullified=gone, next_cursor=encode_cursor(last), more=more)


def document(session: Session, access: Access, document_oid: str) -> StoredDocument:
    """The latest version of one document (NOT_FOUND when nullified, MSG-13)."""
    row = lookups.latest_version(session, document_oid)
    if row is None or row.register_oid != access.register_oid or row.nullified:
        raise RegisterError("NOT_FOUND")
    result = stored(row)
    clients = result.document.client_keys
    if access.usage is UsageCode.NORMAL_RAR:
        _require_any(session, access, clients)
    usage_log.record(session, access, action="read", client=clients[0],
                     objects=[f"{row.document_oid}/{row.version}"])
    return result


def _require_any(session: Session, access: Access, clients: list[str]) -> None:
    for client in clients:
        try:
            require_read(session, access, client)
            return
        except RegisterError:
            continue
    raise RegisterError("RAR_NOT_IN_FORCE", rule="RAR-14")


def history(session: Session, access: Access, document_oid: str) -> VersionHistory:
    """Archivist view: every version, nullified ones included (MSG-12, MSG-13)."""
    rows = session.scalars(select(DocumentVersion)
                           .where(DocumentVersion.document_oid == document_oid,
                                  DocumentVersion.register_oid == access.register_oid)
                           .order_by(DocumentVersion.version)).all()
    if not rows:
        raise RegisterError("NOT_FOUND")
    usage_log.record(session, access, action="read", client=None,
                     objects=[f"{r.document_oid}/{r.version}" for r in rows],
                     detail={"view": "archivist"})
    return VersionHistory(document_oid=document_oid, versions=[stored(r) for r in rows])


def client_history(session: Session, access: Access, client: str) -> list[VersionHistory]:
    """Archivist view: every document of a client with all its versions."""
    oids = session.scalars(
        select(DocumentVersion.document_oid)
        .join(DocumentClient, DocumentClient.version_id == DocumentVersion.id)
        .where(DocumentClient.register_oid == access.register_oid,
               DocumentClient.client_key == client)
        .group_by(DocumentVersion.document_oid)
        .order_by(DocumentVersion.document_oid)).all()
    out = []
    for oid in oids:
        rows = session.scalars(select(DocumentVersion)
                               .where(DocumentVersion.document_oid == oid)
                               .order_by(DocumentVersion.version)).all()
        out.append(VersionHistory(document_oid=oid, versions=[stored(r) for r in rows]))
    usage_log.record(session, access, action="read", client=client, objects=list(oids),
                     detail={"view": "archivist"})
    return out


def _latest_for(register_oid: str, client: str) -> Select[Any]:
    return (select(DocumentVersion)
            .join(DocumentClient, DocumentClient.version_id == DocumentVersion.id)
            .where(DocumentClient.register_oid == register_oid,
                   DocumentClient.client_key == client,
                   DocumentVersion.is_latest.is_(True)))


def encode_cursor(sequence: int) -> str:
    """Opaque cursor for a position in the register's change order."""
    raw = json.dumps({"v": 1, "s": sequence}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for (0 for None).

    Raises:
        RegisterError: CURSOR_INVALID.
    """
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        value = data["s"] if data.get("v") == 1 else None
    except (ValueError, binascii.Error, TypeError, AttributeError, KeyError):
        value = None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**62:
        raise RegisterError("CURSOR_INVALID")
    return value
