"""Cases: opening, members of joint cases, case codes, restrictions, closing and nullifying.

rules-documents E6; ID-9 (own register generates the case code), RAR-11 (under RAR the code is
the organiser's, never invented), RAR-16 (no case documents by the producer under RAR), RAR-19
(closed cases take nothing), RAR-28 (joint case members), MSG-13 (nullification order).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.errors import ConflictError, RuleViolationError, ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, codesets, oids, validation
from carebook.model.access import (
    MANAGE_CASES,
    StaffSession,
    check_client_access,
    relationships_in_force,
    require_right,
)
from carebook.model.records import CaseRecord, DocumentRecord, Restriction
from carebook.model.services import lookup, restrictions
from carebook.model.store import Store
from carebook.model.tables.case import Case, CaseMember
from carebook.model.tables.document import Document
from carebook.model.tables.organisation import Organiser, Register

CASE_DOCUMENT = "arendehandling"
DEFAULT_SERVICE_TASK = "23"  # services for older people: carebook's main users [INFERENCE]


def members(session: Session, case_id: int, at: datetime | None = None) -> list[int]:
    """Client ids that are members of the case at ``at`` (default now), RAR-28."""
    when = at or clock.utc_now()
    rows = session.scalars(select(CaseMember).where(CaseMember.case_id == case_id)).all()
    return sorted(m.client_id for m in rows if clock.as_utc(m.joined_at) <= when
                  and (m.left_at is None or when < clock.as_utc(m.left_at)))


def to_case_record(session: Session, case: Case) -> CaseRecord:
    return CaseRecord(case.id, case.register_id, case.case_code, case.name_code, case.name_text,
                      case.service_task, case.status, case.joint, clock.as_utc(case.opened_at),
                      clock.as_utc(case.closed_at) if case.closed_at else None,
                      tuple(members(session, case.id)), restrictions.of_case(case))


def open_case_row(session: Session, *, register: Register, client_id: int, service_task: str,
                  case_code: str | None, name_code: str | None = None,
                  name_text: str | None = None) -> Case:
    """Insert an open case with one member; validate codes (rules-documents §4.1.15)."""
    task = codesets.require(codesets.SERVICE_TASK, service_task, on=clock.today(),
                            field=N_("service task")).key
    name_text = validation.validate_text(name_text or "", field=N_("case name"),
                                         required=False, max_length=200)
    if name_code is not None:
        name_code = codesets.require(codesets.CASE_NAME, name_code, on=clock.today(),
                                     field=N_("case name")).key
        if name_code == "99" and not name_text:
            raise ValidationError(N_("Case name 99 (other case) needs the name in text."),
                                  code="case_name_text", rule="rules-documents 4.1.15")
    if register.kind == "own":
        if case_code is not None:
            raise ValidationError(N_("The own register's case codes are generated."),
                                  code="own_case_code", rule="ID-9")
        case_code = lookup.next_oid(session, "case_code")  # ID-9
    elif case_code is not None:
        case_code = oids.validate_oid(case_code, field=N_("case code"))  # RAR-11: organiser's
    if case_code and session.scalar(select(Case.id).where(Case.case_code == case_code)):
        raise ConflictError(N_("The case code %(case_code)s is already in use."),
                            code="case_code_taken", case_code=case_code)
    now = clock.utc_now()
    case = Case(register_id=register.id, case_code=case_code, name_code=name_code,
                name_text=(name_text or "").strip() or None, service_task=task, status="open",
                joint=False, opened_at=now, special_content=False, restriction_reasons="")
    session.add(case)
    session.flush()
    session.add(CaseMember(case_id=case.id, client_id=client_id, joined_at=now))
    session.flush()
    return case


def _case_for_update(session: Session, ctx: StaffSession, case_id: int,
                     special_reason: str | None) -> tuple[StaffSession, Case, str | None]:
    actor = require_right(session, ctx, MANAGE_CASES)
    case = lookup.get(session, Case, case_id, what=N_("case"))
    reason = None
    for client_id in members(session, case.id):
        reason = check_client_access(session, actor, client_id, action="case",
                                     special_reason=special_reason) or reason
    return actor, case, reason


def set_case_code(store: Store, ctx: StaffSession, *, case_id: int, case_code: str,
                  special_reason: str | None = None) -> CaseRecord:
    """Record the organiser's case code found in its register (RAR-11, MSG-22)."""
    code = oids.validate_oid(case_code, field=N_("case code"))
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        if register.kind != "organiser" or case.case_code not in (None, code):
            raise RuleViolationError(N_("The case code of this case cannot be changed."),
                                     code="case_code_fixed", rule="ID-9")
        if session.scalar(select(Case.id).where(Case.case_code == code, Case.id != case.id)):
            raise ConflictError(N_("The case code %(case_code)s is already in use."),
                                code="case_code_taken", case_code=code)
        case.case_code = code
        audit.record(session, actor=actor.username, action=audit.STORE, objects=[code],
                     client_id=members(session, case.id)[0], reason=reason,
                     register=register.controller_oid, detail="organiser case code recorded")
        return to_case_record(session, case)


def set_case_restriction(store: Store, ctx: StaffSession, *, case_id: int,
                         restriction: Restriction,
                         special_reason: str | None = None) -> CaseRecord:
    """Set case-level MyKanta restrictions; new documents of the case copy them (§4.1.20).

    Removing a case restriction does not remove it from existing documents (L8450-8466).
    """
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        restrictions.require_future_delay(restriction, before=case.delay_until,
                                          on=clock.today())
        checked = restrictions.validate(restriction, minor=True, on=clock.today())
        if register.kind == "organiser" and checked.guardian_code not in (None, "1"):
            # RAR-20: the producer cannot decide alone to hide documents from guardians.
            raise RuleViolationError(
                N_("Under the organiser's register only the organiser may restrict guardians' "
                   "access; delay the documents instead."), code="guardian_by_producer",
                rule="RAR-20")
        restrictions.store_on_case(case, checked)
        audit.record(session, actor=actor.username, action=audit.STORE,
                     objects=[case.case_code or str(case.id)], reason=reason,
                     client_id=members(session, case.id)[0], register=register.controller_oid,
                     detail="case restriction set")
        return to_case_record(session, case)


def add_case_member(store: Store, ctx: StaffSession, *, case_id: int, client_id: int,
                    special_reason: str | None = None) -> CaseRecord:
    """Add a client to a case, making it a joint case (own register only; RAR-27 says the
    organiser records joint-case membership in its register)."""
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        reason = check_client_access(session, actor, client_id, action="case",
                                     special_reason=special_reason) or reason
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        _require_own_open(case, register)
        if client_id in members(session, case.id):
            raise ConflictError(N_("The client is already in this case."), code="member")
        session.add(CaseMember(case_id=case.id, client_id=lookup.client(session, client_id).id,
                               joined_at=clock.utc_now()))
        case.joint = True
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[case.case_code or str(case.id)], reason=reason,
                     register=register.controller_oid, detail="case member added")
        session.flush()
        return to_case_record(session, case)


def remove_case_member(store: Store, ctx: StaffSession, *, case_id: int, client_id: int,
                       special_reason: str | None = None) -> CaseRecord:
    """Record that a client left a joint case; later documents exclude them (RAR-28)."""
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        _require_own_open(case, register)
        current = members(session, case.id)
        if client_id not in current or len(current) == 1:
            raise ValidationError(N_("The client is not a member, or is the last member."),
                                  code="member")
        row = session.scalar(select(CaseMember).where(
            CaseMember.case_id == case.id, CaseMember.client_id == client_id,
            CaseMember.left_at.is_(None)))
        assert row is not None
        row.left_at = clock.utc_now()
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[case.case_code or str(case.id)], reason=reason,
                     register=register.controller_oid, detail="case member left")
        session.flush()
        return to_case_record(session, case)


def close_case(store: Store, ctx: StaffSession, *, case_id: int,
               special_reason: str | None = None) -> CaseRecord:
    """Close a case of the own register (under RAR the organiser closes its cases, RAR-16)."""
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        _require_own_open(case, register)
        drafts = session.scalar(select(Document.id).where(Document.case_id == case.id,
                                                          Document.state == "draft").limit(1))
        if drafts is not None:
            raise RuleViolationError(N_("Finish or discard the drafts of this case first."),
                                     code="case_has_drafts", rule="RAR-30")
        case.status = "closed"
        case.closed_at = clock.utc_now()
        audit.record(session, actor=actor.username, action=audit.STORE,
                     client_id=members(session, case.id)[0], reason=reason,
                     objects=[case.case_code or str(case.id)], register=register.controller_oid,
                     detail="case closed")
        return to_case_record(session, case)


def nullify_case(store: Store, ctx: StaffSession, *, case_id: int,
                 special_reason: str | None = None) -> CaseRecord:
    """Nullify a case of the own register after all its documents (MSG-13 order:
    attachments → client documents → case). Under RAR only the organiser may (RAR-16)."""
    with store.session() as session:
        actor, case, reason = _case_for_update(session, ctx, case_id, special_reason)
        register = lookup.get(session, Register, case.register_id, what=N_("register"))
        if register.kind != "own":
            raise RuleViolationError(N_("Only the organiser may nullify its case."),
                                     code="rar_case", rule="RAR-16")
        live = session.scalar(select(Document.id).where(
            Document.case_id == case.id, Document.state != "nullified").limit(1))
        if live is not None:
            raise RuleViolationError(
                N_("Nullify the case's attachments and documents first (order: attachments, "
                   "documents, case)."), code="nullify_order", rule="MSG-13")
        case.status = "nullified"
        audit.record(session, actor=actor.username, action=audit.NULLIFY,
                     client_id=members(session, case.id)[0], reason=reason,
                     objects=[case.case_code or str(case.id)], register=register.controller_oid,
                     detail="case nullified")
        return to_case_record(session, case)


def list_cases(store: Store, ctx: StaffSession, *, client_id: int,
               special_reason: str | None = None) -> list[CaseRecord]:
    """The cases the client is or was a member of, newest first."""
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_CASES)
        reason = check_client_access(session, actor, client_id, action="read",
                                     special_reason=special_reason)
        ids = session.scalars(select(CaseMember.case_id).where(
            CaseMember.client_id == client_id).distinct()).all()
        cases = [lookup.get(session, Case, i, what=N_("case")) for i in ids]
        cases.sort(key=lambda c: (clock.as_utc(c.opened_at), c.id), reverse=True)
        audit.record(session, actor=actor.username, action=audit.SEARCH, client_id=client_id,
                     reason=reason, objects=[c.case_code or str(c.id) for c in cases],
                     detail="cases listed")
        return [to_case_record(session, c) for c in cases]


def _require_own_open(case: Case, register: Register) -> None:
    if register.kind != "own":
        raise RuleViolationError(N_("Only the organiser maintains this case."),
                                 code="rar_case", rule="RAR-16")
    if case.status != "open":
        raise RuleViolationError(N_("The case is closed."), code="case_closed", rule="RAR-19")


def record_case_document(store: Store, ctx: StaffSession, *, case_id: int, text: str,
                         complete: bool = False,
                         special_reason: str | None = None) -> DocumentRecord:
    """Write the case document (*ärendehandling*) of a case in the own register (PRIV-2).

    Raises:
        RuleViolationError: the case is in an organiser's register (RAR-16: only the organiser
            creates and versions case documents there) or is closed (RAR-19).
    """
    from carebook.model.services import documents, lifecycle

    body = validation.validate_text(text, field=N_("text"))
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_CASES)
        case = lookup.get(session, Case, case_id, what=N_("case"))
        client_id = members(session, case.id)[0]
        placement = documents.place(session, actor, client_id=client_id, case_id=case.id,
                                    special_reason=special_reason)
        doc, version = documents.new_document(session, actor, placement, kind="case",
                                     specific_type=CASE_DOCUMENT, client_id=client_id,
                                     body=body, content={"text": body},
                                     restriction=Restriction())
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[f"{doc.oid}#1"], reason=placement.reason,
                     register=placement.register.controller_oid, detail="case document")
        return documents.to_record(session, doc, version)


def open_case(store: Store, ctx: StaffSession, *, client_id: int, service_task: str,
              organiser_oid: str | None = None, case_code: str | None = None,
              name_code: str | None = None, name_text: str | None = None,
              special_reason: str | None = None) -> CaseRecord:
    """Open another case for a client who has a relationship in force in that register.

    Own register: the case code is generated (ID-9) and the case name is coded with
    *Socialvårdsärende 2023* (code 99 needs the name in text, rules-documents 4.1.15). Under
    RAR the case mirrors the organiser's; its code comes from the organiser (RAR-11).
    """
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_CASES)
        reason = check_client_access(session, actor, client_id, action="case",
                                     special_reason=special_reason)
        q = select(Register).where(Register.kind == "own")
        if organiser_oid is not None:
            q = select(Register).join(Organiser, Register.organiser_id == Organiser.id).where(
                Organiser.oid == organiser_oid.strip())
        register = session.scalar(q)
        if register is None or not any(r.register_id == register.id
                                       for r in relationships_in_force(session, client_id)):
            raise RuleViolationError(N_("The client has no relationship in force in this "
                                        "register."), code="no_relationship", rule="RAR-8")
        case = open_case_row(session, register=register, client_id=client_id,
                             service_task=service_task, case_code=case_code,
                             name_code=name_code, name_text=name_text)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[case.case_code] if case.case_code else [], reason=reason,
                     register=register.controller_oid, detail="case opened")
        return to_case_record(session, case)
