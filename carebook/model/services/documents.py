"""The common core of client documents: creating a draft with its metadata, reading versions,
the full-text index and conversion to records.

Metadata (rules-documents §2, MSG-8): register (organiser or own), case code, service unit of
the client's relationship (ID-6: not the author's home unit), clients (all current members in a
joint case, RAR-28), service task from the case, service process *Genomförande av tjänster*,
social service, author and storer, restrictions inherited from the case (§4.1.20) with the
guardian code for minors (§4.1.18).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from carebook.errors import NotFoundError, RuleViolationError, ValidationError
from carebook.i18n import N_
from carebook.model import clock, validation
from carebook.model.access import (
    StaffSession,
    check_client_access,
    relationships_in_force,
    require_special_reason,
)
from carebook.model.records import DocumentRecord, Restriction, SignatureRecord
from carebook.model.services import cases, lookup, plan_content, restrictions
from carebook.model.tables.case import Case, CaseMember
from carebook.model.tables.client import ClientRelationship
from carebook.model.tables.document import Document, DocumentClient, DocumentVersion
from carebook.model.tables.organisation import Register
from carebook.model.tables.search import FTS_TABLE
from carebook.model.tables.staff import StaffUser

IMPLEMENTATION = "genomforande_av_tjanster"  # Serviceprocess: Genomförande av tjänster (MSG-9)
PRODUCER_KINDS = ("journal", "plan", "attachment")
# E9 (L23700-23704): therapeutic-work and examination entries are for the staff giving that
# service. carebook shows them to their author and to the responsible director [INFERENCE].
RESTRICTED_TYPES = ("therapy", "examination")
ORGANISER_ONLY_KINDS = ("case", "client_relationship")  # RAR-16


@dataclass(frozen=True)
class Placement:
    """Where a new document goes: its case, register and service unit."""

    case: Case
    register: Register
    unit_id: int
    reason: str | None
    members: tuple[int, ...]  # current members of the case (RAR-28)


def place(session: Session, ctx: StaffSession, *, client_id: int, case_id: int | None,
          special_reason: str | None, action: str = "write") -> Placement:
    """Check access and find the case, register and unit of a new document for the client.

    Raises:
        NoRelevantConnectionError: AC-6.
        ValidationError: several open cases and no ``case_id``.
        RuleViolationError: closed case (RAR-19); no relationship in force in the case's
            register (RAR-8, RAR-14).
    """
    lookup.client(session, client_id)
    in_force = relationships_in_force(session, client_id)
    reason = None
    if not any(r.unit_id in ctx.unit_ids for r in in_force):  # AC-6
        reason = require_special_reason(action=action, special_reason=special_reason)
    case, members = _case(session, client_id, case_id)
    register = lookup.get(session, Register, case.register_id, what=N_("register"))
    rels = [r for r in in_force if r.register_id == register.id]
    if not rels:
        raise RuleViolationError(
            N_("The client has no client relationship in force at our units in this register "
               "(for the organiser's register: the register access right is not in force)."),
            code="rar_not_in_force", rule="RAR-8")
    mine = [r for r in rels if r.unit_id in ctx.unit_ids]
    return Placement(case, register, (mine or rels)[0].unit_id, reason,  # ID-6
                     tuple(members))


def may_read(ctx: StaffSession, doc: Document) -> bool:
    """Whether ``ctx`` may see ``doc``: drafts and restricted entry types (E9) are narrower."""
    if doc.author_id == ctx.user_id:
        return True
    if doc.state == "draft":
        return False
    return doc.specific_type not in RESTRICTED_TYPES or "director" in ctx.roles


def place_check(session: Session, ctx: StaffSession, client_id: int,
                special_reason: str | None) -> str | None:
    """AC-6 check before reading a client's documents; returns the special reason to log."""
    lookup.client(session, client_id)
    return check_client_access(session, ctx, client_id, action="read",
                               special_reason=special_reason)


def _case(session: Session, client_id: int, case_id: int | None) -> tuple[Case, list[int]]:
    if case_id is not None:
        case = lookup.get(session, Case, case_id, what=N_("case"))
    else:
        open_cases = session.scalars(
            select(Case).join(CaseMember, CaseMember.case_id == Case.id)
            .where(CaseMember.client_id == client_id, CaseMember.left_at.is_(None),
                   Case.status == "open")).all()
        if len(open_cases) != 1:
            raise ValidationError(
                N_("Choose the case: the client has %(n)s open cases."), code="choose_case",
                n=len(open_cases))
        case = open_cases[0]
    members = cases.members(session, case.id)
    if client_id not in members:
        raise ValidationError(N_("The client is not a member of this case."),
                              code="not_member", rule="RAR-28")
    if case.status != "open":
        raise RuleViolationError(N_("The case is closed; no documents can be added to it."),
                                 code="case_closed", rule="RAR-19")
    return case, members


def require_in_force(session: Session, doc: Document) -> None:
    """RAR-15: the producer stores, versions and nullifies only while its access is in force."""
    register = lookup.get(session, Register, doc.register_id, what=N_("register"))
    if register.kind == "own":
        return
    rel = [r for r in relationships_in_force(session, doc.client_id)
           if r.register_id == register.id]
    if not rel:
        raise RuleViolationError(
            N_("The register access right for this client is not in force; the organiser now "
               "maintains the document."), code="rar_not_in_force", rule="RAR-15")


def new_document(session: Session, ctx: StaffSession, placement: Placement, *, kind: str,
                 specific_type: str, client_id: int, body: str, content: Mapping[str, Any],
                 restriction: Restriction, social_service: str | None = None,
                 description: str | None = None, service_id: int | None = None,
                 main_document_id: int | None = None, recorded_at: datetime | None = None,
                 next_review_on: Any = None) -> tuple[Document, DocumentVersion]:
    """Insert a document with a draft version 1 (not yet signed)."""
    if kind in ORGANISER_ONLY_KINDS and placement.register.kind != "own":
        raise RuleViolationError(
            N_("Only the organiser creates and versions client-relationship and case "
               "documents in its register."), code="rar_organiser_document", rule="RAR-16")
    now = clock.utc_now()
    members = list(placement.members)  # RAR-28: all current members
    minor = any(validation.is_minor(lookup.client(session, m).birth_date, clock.today())
                for m in members)
    checked = _restriction(placement, restriction, minor=minor)
    doc = Document(oid=lookup.next_oid(session, "document"), kind=kind,
                   specific_type=specific_type, register_id=placement.register.id,
                   case_id=placement.case.id, unit_id=placement.unit_id, client_id=client_id,
                   service_id=service_id, main_document_id=main_document_id,
                   author_id=ctx.user_id, own=True, state="draft", current_version=1,
                   recorded_at=clock.as_utc(recorded_at) if recorded_at else now,
                   created_at=now)
    session.add(doc)
    session.flush()
    version = DocumentVersion(
        document_id=doc.id, version_no=1, state="draft", body=body,
        content=json.dumps(dict(content), ensure_ascii=False, default=str),
        description=description, clients=json.dumps(members),
        service_task=placement.case.service_task, service_process=IMPLEMENTATION,
        social_service=social_service, created_at=now, updated_at=now, author_id=ctx.user_id,
        stored_by_id=ctx.user_id, next_review_on=next_review_on)
    restrictions.store_on_version(version, checked)
    session.add(version)
    session.add_all([DocumentClient(document_id=doc.id, client_id=m,
                                    recorded_at=doc.recorded_at) for m in members])
    session.flush()
    if body:
        session.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (:id, :body)"),
                        {"id": doc.id, "body": body})
    return doc, version


def _restriction(placement: Placement, own: Restriction, *, minor: bool) -> Restriction:
    if placement.register.kind == "organiser" and own.guardian_code not in (None, "1"):
        raise RuleViolationError(
            N_("Under the organiser's register only the organiser may restrict guardians' "
               "access; delay the document instead."), code="guardian_by_producer",
            rule="RAR-20")
    restrictions.require_future_delay(own, before=None, on=clock.today())
    merged = restrictions.inherit(restrictions.of_case(placement.case), own)
    return restrictions.validate(merged, minor=minor, on=clock.today())


def index(session: Session, document_id: int, body: str | None) -> None:
    """Put the current text of a document into the full-text index (None removes it)."""
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document_id})
    if body:
        session.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (:id, :body)"),
                        {"id": document_id, "body": body})


def version(session: Session, doc: Document, version_no: int | None = None) -> DocumentVersion:
    """A version of ``doc`` (the current one by default)."""
    row = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id,
        DocumentVersion.version_no == (version_no or doc.current_version)))
    if row is None:
        raise lookup_error(doc.id)
    return row


def lookup_error(document_id: int) -> NotFoundError:
    """The error for a document that does not exist or is not visible to the caller."""
    return NotFoundError(N_("No document with id %(id)s."), code="no_document", id=document_id)


def to_record(session: Session, doc: Document, v: DocumentVersion,
              users: Mapping[int, StaffUser] | None = None,
              case_codes: Mapping[int, str | None] | None = None) -> DocumentRecord:
    """A frozen record of version ``v`` of ``doc``."""
    def user(uid: int) -> StaffUser:
        if users is not None and uid in users:
            return users[uid]
        return lookup.get(session, StaffUser, uid, what=N_("user"))

    author, stored_by = user(v.author_id), user(v.stored_by_id)
    signature = None
    if v.signed_by_id is not None and v.signed_at is not None:
        signer = user(v.signed_by_id)
        signature = SignatureRecord(signer.id, f"{signer.first_name} {signer.last_name}",
                                    signer.title, clock.as_utc(v.signed_at),
                                    v.signature_method or "system")
    case_code: str | None = None
    if doc.case_id is not None and case_codes is not None and doc.case_id in case_codes:
        case_code = case_codes[doc.case_id]
    elif doc.case_id is not None:
        case_code = lookup.get(session, Case, doc.case_id, what=N_("case")).case_code
    content = json.loads(v.content or "{}")
    content.pop("data", None)  # attachment bytes: read with attachments.attachment_data()
    return DocumentRecord(
        id=doc.id, oid=doc.oid, kind=doc.kind, specific_type=doc.specific_type,
        version=v.version_no, state=v.state, client_ids=tuple(json.loads(v.clients)),
        register_id=doc.register_id, case_id=doc.case_id, case_code=case_code,
        unit_id=doc.unit_id, service_id=doc.service_id, main_document_id=doc.main_document_id,
        author_id=author.id, author_name=f"{author.first_name} {author.last_name}",
        stored_by_name=f"{stored_by.first_name} {stored_by.last_name}",
        stored_by_title=stored_by.title, body=v.body, description=v.description,
        service_task=v.service_task, service_process=v.service_process,
        social_service=v.social_service, recorded_at=clock.as_utc(doc.recorded_at),
        created_at=clock.as_utc(v.created_at), updated_at=clock.as_utc(v.updated_at),
        restriction=restrictions.of_version(v), signature=signature,
        correction_reason=v.correction_reason, nullification_reason=v.nullification_reason,
        reason_text=v.reason_text,
        plan=plan_content.from_json(content) if doc.kind == "plan" else None, content=content)


def users_by_id(session: Session, ids: set[int]) -> dict[int, StaffUser]:
    """Users by id in one query (timelines convert many documents)."""
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))}


def relationship_units(session: Session, client_id: int) -> list[int]:
    """Unit ids of all the client's relationships."""
    return list(session.scalars(select(ClientRelationship.unit_id)
                                .where(ClientRelationship.client_id == client_id)))
