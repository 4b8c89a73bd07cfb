"""Organiser tooling: the controller's client-relationship and case documents (RAR-6, PRIV-2).

Each operation writes the next version of the document, signed with a system signature in the
author's name (MSG-24, nullification and maintenance documents may be system-signed), and
stores it through :func:`carebook.register.archive.store`, so every archive rule applies.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from carebook.protocol.codes import SCHEMA_VERSION_CURRENT, DocumentGroup
from carebook.protocol.documents import CaseBody, CaseMember, ClientRelationshipBody, UnitPeriod
from carebook.protocol.envelope import (
    Author,
    ClientRef,
    Content,
    DocumentEnvelope,
    Organisation,
    Signature,
    StoreRequest,
    seal,
)
from carebook.protocol.errors import RegisterError
from carebook.protocol.organiser import CaseOpen, RelationshipUpdate
from carebook.protocol.results import CaseResult, Receipt
from carebook.register import archive, display, lookups
from carebook.register.access import Access
from carebook.register.queries import stored
from carebook.register.tables import Organisation as OrgRow
from carebook.register.tables import ServiceUnit

RELATIONSHIP_ARC, CASE_ARC = 1, 2


def new_oid(root: str, arc: int) -> str:
    """A fresh OID under the controller's OID (ID-9: case codes originate from the organiser)."""
    return f"{root}.{arc}.{uuid.uuid4().int}"


def update_relationship(
    session: Session, access: Access, sequence: int, *, client: str, update: RelationshipUpdate,
) -> Receipt:
    """Store the next version of the client's relationship document (RAR-5, RAR-7, RAR-8)."""
    if update.client.key != client:
        raise RegisterError("IDENTITY_MISMATCH", "The path's client differs from the body's.")
    units = [_known_unit(session, u) for u in update.service_units]
    body = ClientRelationshipBody(
        client=update.client, social_care_start=update.social_care_start,
        social_care_end=update.social_care_end, old_relationship=update.old_relationship,
        service_units=units)
    row = lookups.latest_relationship(session, access.register_oid, client)
    live = row is not None and not row.nullified
    fields = _base(session, access, author=update.author, unit=update.service_unit_oid)
    fields |= {
        "document_oid": row.document_oid if live and row else new_oid(access.register_oid,
                                                                       RELATIONSHIP_ARC),
        "version": row.version + 1 if live and row else 1,
        "document_group": DocumentGroup.CLIENT_RELATIONSHIP,
        "clients": [ClientRef(hetu=update.client.hetu, temporary_oid=update.client.temporary_oid)],
        "content": _content(body.model_dump(mode="json"), "Client relationship"),
    }
    return _store(session, access, sequence, seal(fields))


def _known_unit(session: Session, unit: UnitPeriod) -> UnitPeriod:
    if unit.role == "organiser":
        return unit
    known = session.get(ServiceUnit, unit.unit_oid)
    if known is None:
        raise RegisterError("INVALID_REQUEST", f"Service unit {unit.unit_oid} is not registered "
                            "(carebook-register unit add).")
    return unit.model_copy(update={"producer_oid": known.producer_oid})


def open_case(session: Session, access: Access, sequence: int, *, request: CaseOpen) -> CaseResult:
    """Open a case with its members (ID-9, RAR-27)."""
    opened = request.opened_at or access.now
    body = CaseBody(case_name=request.case_name, service_task=request.service_task,
                    status="open", opened_at=opened,
                    members=[CaseMember(client=c, joined_at=opened) for c in request.members])
    code = request.case_code or new_oid(access.register_oid, CASE_ARC)
    fields = _base(session, access, author=request.author, unit=request.service_unit_oid)
    fields |= {"document_oid": new_oid(access.register_oid, CASE_ARC), "version": 1,
               "document_group": DocumentGroup.CASE, "case_code": code,
               "service_task": request.service_task, "clients": list(request.members),
               "content": _content(body.model_dump(mode="json"), "Case")}
    envelope = seal(fields)
    _store(session, access, sequence, envelope)
    return case_result(session, access.register_oid, code)


def change_case(
    session: Session, access: Access, sequence: int, *, case_code: str, author: Author,
    change: Callable[[CaseBody], CaseBody],
) -> CaseResult:
    """Store the next version of a case after ``change`` (close, add or remove members)."""
    row = lookups.latest_case(session, access.register_oid, case_code)
    if row is None or row.nullified:
        raise RegisterError("NOT_FOUND", "No such open case in this register.")
    previous = lookups.envelope_of(row)
    body = change(lookups.case_body(row))
    fields = previous.model_dump(exclude={"content_hash"})
    fields |= _base(session, access, author=author, unit=previous.service_unit_oid or "")
    fields |= {"version": previous.version + 1,
               "clients": [m.client for m in body.members if m.left_at is None],
               "content": _content(body.model_dump(mode="json"), "Case")}
    _store(session, access, sequence, seal(fields))
    return case_result(session, access.register_oid, case_code)


def close(body: CaseBody, at: Any) -> CaseBody:
    """The case closed at ``at`` (RAR-19: nothing more can be added)."""
    if body.status == "closed":
        raise RegisterError("CASE_CLOSED", "The case is already closed.")
    return body.model_copy(update={"status": "closed", "closed_at": at})


def add_member(body: CaseBody, client: ClientRef, at: Any) -> CaseBody:
    """``client`` joins the case at ``at`` (RAR-28: sees documents from then on)."""
    if body.status == "closed":
        raise RegisterError("CASE_CLOSED")
    if client.key in {m.client.key for m in body.members if m.left_at is None}:
        raise RegisterError("INVALID_REQUEST", "The client is already a member.", status=409)
    member = CaseMember(client=client, joined_at=at)
    return body.model_copy(update={"members": [*body.members, member]})


def remove_member(body: CaseBody, client: str, at: Any) -> CaseBody:
    """``client`` leaves the case at ``at``; later documents are for the others only."""
    if body.status == "closed":
        raise RegisterError("CASE_CLOSED")
    current = [m for m in body.members if m.left_at is None]
    if client not in {m.client.key for m in current}:
        raise RegisterError("NOT_FOUND", "The client is not a current member.")
    if len(current) == 1:
        raise RegisterError("INVALID_REQUEST", "A case keeps at least one member; close it.")
    members = [m.model_copy(update={"left_at": at})
               if m.left_at is None and m.client.key == client else m for m in body.members]
    return body.model_copy(update={"members": members})


def case_result(session: Session, register_oid: str, case_code: str) -> CaseResult:
    """The case as the tooling answers it."""
    row = lookups.latest_case(session, register_oid, case_code)
    if row is None:
        raise RegisterError("NOT_FOUND")
    return CaseResult(case_code=case_code, case=lookups.case_body(row), document=stored(row))


def _base(session: Session, access: Access, *, author: Author, unit: str) -> dict[str, Any]:
    org = session.get(OrgRow, access.register_oid)
    assert org is not None
    signature = Signature(method="system", signer_first_name=author.first_name,
                          signer_last_name=author.last_name,
                          identification_method="organisation certificate",
                          signed_at=access.now)
    return {"organiser": Organisation(oid=org.oid, name=org.name), "service_unit_oid": unit,
            "author": author, "created_at": access.now, "signature": signature}


def _content(structured: dict[str, Any], title: str) -> Content:
    return Content(structured=structured, xhtml=display.render(title, structured),
                   schema_version=SCHEMA_VERSION_CURRENT)


def _store(session: Session, access: Access, sequence: int, doc: DocumentEnvelope) -> Receipt:
    return archive.store(session, access, StoreRequest(clients=doc.client_keys, document=doc),
                         sequence=sequence)
