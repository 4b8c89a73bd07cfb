"""Client relationships per register (rules-documents E5; RAR-5, RAR-8, PRIV-2, PRIV-8).

Under RAR a relationship mirrors the organiser's client-relationship document: our unit's RAR
window. In the own register (self-paying clients) the producer keeps the relationship and its
client-relationship document itself; under RAR it never writes that document (RAR-6, RAR-16).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.errors import NotFoundError, RuleViolationError, ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, validation
from carebook.model.access import (
    READ_CLIENT,
    REGISTER_CLIENT,
    StaffSession,
    check_client_access,
    relationships_in_force,
    require_right,
    require_special_reason,
)
from carebook.model.records import DocumentRecord, RelationshipRecord, Restriction
from carebook.model.services import cases, documents, lifecycle, lookup
from carebook.model.store import Store
from carebook.model.tables.case import Case, CaseMember
from carebook.model.tables.client import ClientRelationship
from carebook.model.tables.organisation import Organiser, Register, ServiceUnit

RELATIONSHIP_DOCUMENT = "klientrelationshandling"


def active_unit(session: Session, unit_oid: str) -> ServiceUnit:
    unit = session.scalar(select(ServiceUnit).where(ServiceUnit.oid == unit_oid.strip()))
    if unit is None or not unit.active:
        raise NotFoundError(N_("No service unit with OID %(oid)s."), code="no_unit",
                            oid=unit_oid[:128])
    return unit


def register_for(session: Session, organiser_oid: str | None) -> Register:
    if organiser_oid is None:
        reg = session.scalar(select(Register).where(Register.kind == "own"))
    else:
        reg = session.scalar(select(Register).join(Organiser, Register.organiser_id
                                                   == Organiser.id)
                             .where(Organiser.oid == organiser_oid.strip()))
    if reg is None:
        raise NotFoundError(N_("Unknown organiser %(oid)s: add the organiser first."),
                            code="no_organiser", oid=(organiser_oid or "")[:128])
    return reg


def relationship_window(register: Register, start: date | None,
            end: date | None) -> tuple[date, date | None]:
    if register.kind == "organiser" and start is None:
        raise ValidationError(
            N_("Give the RAR start date the organiser recorded for the unit."),
            code="rar_start", rule="RAR-8")
    first = start or clock.today()
    validation.validate_period(first, end, field=N_("client relationship"))
    return first, end


def unit_access(session: Session, actor: StaffSession, unit: ServiceUnit,
                 special_reason: str | None) -> str | None:
    if unit.id in actor.unit_ids:
        return None
    # Creating a relationship at a unit the user does not work in: no relevant connection.
    return require_special_reason(action="register", special_reason=special_reason)


def _relationship_record(session: Session, rel: ClientRelationship) -> RelationshipRecord:
    register = lookup.get(session, Register, rel.register_id, what=N_("register"))
    unit = lookup.get(session, ServiceUnit, rel.unit_id, what=N_("unit"))
    day = clock.today()
    return RelationshipRecord(rel.id, rel.client_id, register.id, register.kind,
                              register.usage_code, register.controller_oid, unit.id, unit.oid,
                              rel.start_on, rel.end_on, rel.self_paying,
                              rel.start_on <= day and (rel.end_on is None or day <= rel.end_on))



def add_relationship(store: Store, ctx: StaffSession, *, client_id: int, unit_oid: str,
                     organiser_oid: str | None = None, rar_start: date | None = None,
                     rar_end: date | None = None, case_code: str | None = None,
                     service_task: str = cases.DEFAULT_SERVICE_TASK,
                     special_reason: str | None = None) -> RelationshipRecord:
    """Add another client relationship (and case) for an existing client, e.g. a new RAR."""
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        client = lookup.client(session, client_id)
        unit = active_unit(session, unit_oid)
        register = register_for(session, organiser_oid)
        start, end = relationship_window(register, rar_start, rar_end)
        reason = unit_access(session, actor, unit, special_reason)
        rel = ClientRelationship(client_id=client.id, register_id=register.id, unit_id=unit.id,
                                 start_on=start, end_on=end, self_paying=register.kind == "own")
        session.add(rel)
        case = cases.open_case_row(session, register=register, client_id=client.id,
                                   service_task=service_task, case_code=case_code)
        session.flush()
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     objects=[case.case_code] if case.case_code else [], reason=reason,
                     register=register.controller_oid, detail="client relationship added")
        return _relationship_record(session, rel)


def set_relationship_window(store: Store, ctx: StaffSession, *, relationship_id: int,
                            start_on: date, end_on: date | None,
                            special_reason: str | None = None) -> RelationshipRecord:
    """Update a relationship's window (under RAR: as the organiser recorded it, RAR-8)."""
    validation.validate_period(start_on, end_on, field=N_("client relationship"))
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        rel = lookup.get(session, ClientRelationship, relationship_id, what=N_("relationship"))
        reason = check_client_access(session, actor, rel.client_id, action="register",
                                     special_reason=special_reason)
        rel.start_on, rel.end_on = start_on, end_on
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=rel.client_id,
                     reason=reason, detail="client relationship window set")
        session.flush()
        return _relationship_record(session, rel)



def list_relationships(store: Store, ctx: StaffSession, client_id: int, *,
                       special_reason: str | None = None) -> list[RelationshipRecord]:
    """The client's relationships (in force or not), newest first."""
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        reason = check_client_access(session, actor, client_id, action="read",
                                     special_reason=special_reason)
        rows = session.scalars(select(ClientRelationship)
                               .where(ClientRelationship.client_id == client_id)
                               .order_by(ClientRelationship.start_on.desc())).all()
        audit.record(session, actor=actor.username, action=audit.READ, client_id=client_id,
                     reason=reason, detail="client relationships shown")
        return [_relationship_record(session, r) for r in rows]



def record_client_relationship_document(store: Store, ctx: StaffSession, *, client_id: int,
                                        text: str, complete: bool = False,
                                        special_reason: str | None = None) -> DocumentRecord:
    """Write the client-relationship document of a self-paying client (own register, PRIV-2).

    Raises:
        RuleViolationError: the client's only relationships are in organisers' registers
            (RAR-6/RAR-16: only the organiser maintains that document).
    """
    body = validation.validate_text(text, field=N_("text"))
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        own = [r for r in relationships_in_force(session, client_id)
               if lookup.get(session, Register, r.register_id, what=N_("register")).kind
               == "own"]
        if not own:
            raise RuleViolationError(
                N_("Only the organiser creates and versions client-relationship and case "
                   "documents in its register."), code="rar_organiser_document", rule="RAR-16")
        own_case = session.scalar(select(Case).join(CaseMember, CaseMember.case_id == Case.id)
                                  .where(CaseMember.client_id == client_id,
                                         Case.register_id == own[0].register_id,
                                         Case.status == "open").limit(1))
        placement = documents.place(session, actor, client_id=client_id,
                                    case_id=own_case.id if own_case else None,
                                    special_reason=special_reason)
        doc, version = documents.new_document(session, actor, placement, kind="client_relationship",
                                     specific_type=RELATIONSHIP_DOCUMENT, client_id=client_id,
                                     body=body, content={"text": body},
                                     restriction=Restriction())
        doc.case_id = None  # ID-9: no case code on the client-relationship document
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[f"{doc.oid}#1"], reason=placement.reason,
                     register=placement.register.controller_oid,
                     detail="client-relationship document")
        return documents.to_record(session, doc, version)


def clients_without_open_case(store: Store, ctx: StaffSession) -> list[int]:
    """Clients of the user's units with a relationship in force but no open case.

    The system must alert about them (RAR-28, L17018-17020): documents need an open case.
    Returns client ids; the check is logged as a search.
    """
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        today = clock.today()
        related = set(session.scalars(select(ClientRelationship.client_id).where(
            ClientRelationship.unit_id.in_(actor.unit_ids),
            ClientRelationship.start_on <= today,
            (ClientRelationship.end_on.is_(None)) | (ClientRelationship.end_on >= today))))
        with_case = set(session.scalars(
            select(CaseMember.client_id).join(Case, Case.id == CaseMember.case_id)
            .where(Case.status == "open", CaseMember.left_at.is_(None))))
        missing = sorted(related - with_case)
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     objects=[str(c) for c in missing], detail="clients without an open case")
        return missing
