"""Clients and their client relationships (rules-documents E4-E5; ID-13, RAR-5, RAR-8, AC-11).

A client added without an organiser is a self-paying client in the producer's own register
(PRIV-1, usage code 1). With an organiser the relationship mirrors the organiser's
client-relationship document: our unit's RAR window and, when known, the organiser's case code
(RAR-5, RAR-8, RAR-11).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from carebook.errors import (
    AccessDeniedError,
    ConflictError,
    NotFoundError,
    RuleViolationError,
    ValidationError,
)
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
from carebook.model.records import ClientRecord, DocumentRecord, RelationshipRecord, Restriction
from carebook.model.services import cases, lookup
from carebook.model.store import Store
from carebook.model.tables.case import Case, CaseMember
from carebook.model.tables.client import Client, ClientRelationship
from carebook.model.tables.organisation import Organiser, Register, ServiceUnit

RELATIONSHIP_DOCUMENT = "klientrelationshandling"


def to_client_record(client: Client, ctx: StaffSession) -> ClientRecord:
    """The client as ``ctx`` may see it: security-prohibited fields hidden without the right."""
    hide = client.security_prohibition and not ctx.may_see_prohibited  # AC-11
    hide_phone = (client.security_prohibition or client.secret_phone) and not (
        ctx.may_see_prohibited)
    minor = validation.is_minor(client.birth_date, clock.today())
    return ClientRecord(
        client.id, client.first_name, client.last_name, client.hetu, client.temporary_oid,
        client.birth_date, minor, client.security_prohibition, hide,
        None if hide else client.address, None if hide else client.municipality,
        None if hide_phone else client.phone,
        client.secret_phone)


def _relationship_record(session: Session, rel: ClientRelationship) -> RelationshipRecord:
    register = lookup.get(session, Register, rel.register_id, what=N_("register"))
    unit = lookup.get(session, ServiceUnit, rel.unit_id, what=N_("unit"))
    day = clock.today()
    return RelationshipRecord(rel.id, rel.client_id, register.id, register.kind,
                              register.usage_code, register.controller_oid, unit.id, unit.oid,
                              rel.start_on, rel.end_on, rel.self_paying,
                              rel.start_on <= day and (rel.end_on is None or day <= rel.end_on))


def _unit(session: Session, unit_oid: str) -> ServiceUnit:
    unit = session.scalar(select(ServiceUnit).where(ServiceUnit.oid == unit_oid.strip()))
    if unit is None or not unit.active:
        raise NotFoundError(N_("No service unit with OID %(oid)s."), code="no_unit",
                            oid=unit_oid[:128])
    return unit


def _register(session: Session, organiser_oid: str | None) -> Register:
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


def _identity(session: Session, hetu: str | None,
              birth_date: date | None) -> tuple[str | None, str | None, date | None]:
    if hetu:
        code, born = validation.validate_hetu(hetu, test_mode=lookup.store_info(session)
                                              .test_mode)
        if session.scalar(select(Client.id).where(Client.hetu == code)):
            raise ConflictError(N_("A client with this identity code already exists."),
                                code="client_exists")
        return code, None, born
    # ID-13: no identity code → a generated, globally unique temporary OID, never changed.
    return None, lookup.next_oid(session, "temporary_client"), birth_date


def add_client(store: Store, ctx: StaffSession, *, first_name: str, last_name: str,
               unit_oid: str, hetu: str | None = None, birth_date: date | None = None,
               organiser_oid: str | None = None, rar_start: date | None = None,
               rar_end: date | None = None, case_code: str | None = None,
               service_task: str = cases.DEFAULT_SERVICE_TASK,
               security_prohibition: bool = False, address: str | None = None,
               municipality: str | None = None, phone: str | None = None,
               secret_phone: bool = False,
               special_reason: str | None = None) -> ClientRecord:
    """Add a client with a relationship at ``unit_oid`` and an open case.

    Without ``organiser_oid``: self-paying, own register, relationship from today, case code
    generated (ID-9). With it: the organiser's register under RAR; ``rar_start`` (and
    ``rar_end``) are the window the organiser recorded for our unit (RAR-8) and ``case_code``
    the organiser's code (RAR-11; may be added later with ``cases.set_case_code``).

    The user must work in ``unit_oid`` or give a special reason (AC-6).

    Raises:
        ValidationError: bad names, identity code (test series only in a test store), dates.
        ConflictError: the identity code is already a client.
        NoRelevantConnectionError: the user does not work in the unit and gave no reason.
    """
    first = validation.validate_name(first_name, field=N_("first name"))
    last = validation.validate_name(last_name, field=N_("last name"))
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        unit = _unit(session, unit_oid)
        register = _register(session, organiser_oid)
        start, end = _window(register, rar_start, rar_end)
        code, temp_oid, born = _identity(session, hetu, birth_date)
        client = Client(hetu=code, temporary_oid=temp_oid, first_name=first, last_name=last,
                        birth_date=born, security_prohibition=security_prohibition,
                        address=address, municipality=municipality, phone=phone,
                        secret_phone=secret_phone, created_at=clock.utc_now())
        session.add(client)
        session.flush()
        reason = _unit_access(session, actor, unit, special_reason)
        session.add(ClientRelationship(client_id=client.id, register_id=register.id,
                                       unit_id=unit.id, start_on=start, end_on=end,
                                       self_paying=register.kind == "own"))
        case = cases.open_case_row(session, register=register, client_id=client.id,
                                   service_task=service_task, case_code=case_code)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     objects=[o for o in (temp_oid, case.case_code) if o], reason=reason,
                     register=register.controller_oid, detail="client added")
        return to_client_record(client, actor)


def _window(register: Register, start: date | None,
            end: date | None) -> tuple[date, date | None]:
    if register.kind == "organiser" and start is None:
        raise ValidationError(N_("Give the RAR start date the organiser recorded for the unit."),
                              code="rar_start", rule="RAR-8")
    first = start or clock.today()
    validation.validate_period(first, end, field=N_("client relationship"))
    return first, end


def _unit_access(session: Session, actor: StaffSession, unit: ServiceUnit,
                 special_reason: str | None) -> str | None:
    if unit.id in actor.unit_ids:
        return None
    # Creating a relationship at a unit the user does not work in: no relevant connection.
    return require_special_reason(action="register", special_reason=special_reason)


def add_relationship(store: Store, ctx: StaffSession, *, client_id: int, unit_oid: str,
                     organiser_oid: str | None = None, rar_start: date | None = None,
                     rar_end: date | None = None, case_code: str | None = None,
                     service_task: str = cases.DEFAULT_SERVICE_TASK,
                     special_reason: str | None = None) -> RelationshipRecord:
    """Add another client relationship (and case) for an existing client, e.g. a new RAR."""
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        client = lookup.client(session, client_id)
        unit = _unit(session, unit_oid)
        register = _register(session, organiser_oid)
        start, end = _window(register, rar_start, rar_end)
        reason = _unit_access(session, actor, unit, special_reason)
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


def get_client(store: Store, ctx: StaffSession, client_id: int, *,
               special_reason: str | None = None) -> ClientRecord:
    """One client's identity data (logged as a read; AC-6 checked first)."""
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        client = lookup.client(session, client_id)
        reason = check_client_access(session, actor, client, action="read",
                                     special_reason=special_reason)
        audit.record(session, actor=actor.username, action=audit.READ, client_id=client.id,
                     reason=reason, detail="client shown")
        return to_client_record(client, actor)


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


def list_clients(store: Store, ctx: StaffSession, *,
                 name: str | None = None) -> list[ClientRecord]:
    """Clients the user has a relevant connection to (AC-6), by last and first name.

    ``name`` narrows by a part of the first or last name. The listing is logged as a search.
    """
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        today = clock.today()
        q = (select(Client).join(ClientRelationship, ClientRelationship.client_id == Client.id)
             .where(ClientRelationship.unit_id.in_(actor.unit_ids),
                    ClientRelationship.start_on <= today,
                    or_(ClientRelationship.end_on.is_(None), ClientRelationship.end_on >= today))
             .distinct().order_by(Client.last_name, Client.first_name, Client.id))
        if name:
            pattern = f"%{name.strip()}%"
            q = q.where(or_(Client.first_name.ilike(pattern), Client.last_name.ilike(pattern)))
        rows = session.scalars(q).all()
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     objects=[str(c.id) for c in rows], detail="clients listed")
        return [to_client_record(c, actor) for c in rows]


def in_force(session: Session, client_id: int) -> list[ClientRelationship]:
    """Relationships of the client in force today (for other services)."""
    return relationships_in_force(session, client_id)


def set_client_hetu(store: Store, ctx: StaffSession, *, client_id: int, hetu: str,
                    special_reason: str | None = None) -> ClientRecord:
    """Give a client with a temporary ID their identity code: allowed once (ID-13).

    The temporary OID stays on record (structured documents keep it, rules-documents E4); new
    documents name the identity code from now on. An identity code is never replaced by another.

    Raises:
        RuleViolationError: the client already has an identity code.
    """
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        client = lookup.client(session, client_id)
        reason = check_client_access(session, actor, client, action="register",
                                     special_reason=special_reason)
        if client.hetu is not None:
            raise RuleViolationError(
                N_("The client already has an identity code; it cannot be changed to another."),
                code="hetu_fixed", rule="ID-13")
        code, _, born = _identity(session, hetu, None)
        assert code is not None and born is not None
        if client.birth_date not in (None, born):
            raise ValidationError(N_("The identity code does not match the birth date."),
                                  code="hetu_birth_date", rule="MSG-17")
        client.hetu, client.birth_date = code, born
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     reason=reason, objects=[client.temporary_oid or ""],
                     detail="identity code set for a temporary ID")
        return to_client_record(client, actor)


def update_client(store: Store, ctx: StaffSession, *, client_id: int,
                  first_name: str | None = None, last_name: str | None = None,
                  security_prohibition: bool | None = None, address: str | None = None,
                  municipality: str | None = None, phone: str | None = None,
                  secret_phone: bool | None = None,
                  special_reason: str | None = None) -> ClientRecord:
    """Change a client's names, contact data or security prohibition (None = unchanged).

    Contact data of a client with a security prohibition are changed only by users with the
    right to see them (AC-11).
    """
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        client = lookup.client(session, client_id)
        reason = check_client_access(session, actor, client, action="register",
                                     special_reason=special_reason)
        touches_protected = any(v is not None for v in (address, municipality, phone))
        if (client.security_prohibition or security_prohibition) and touches_protected and (
                not actor.may_see_prohibited):
            raise AccessDeniedError(N_("Only users with the right may handle data covered by "
                                       "a security prohibition."), code="prohibited",
                                    rule="AC-11")
        if first_name is not None:
            client.first_name = validation.validate_name(first_name, field=N_("first name"))
        if last_name is not None:
            client.last_name = validation.validate_name(last_name, field=N_("last name"))
        for attr, value in (("security_prohibition", security_prohibition),
                            ("address", address), ("municipality", municipality),
                            ("phone", phone), ("secret_phone", secret_phone)):
            if value is not None:
                setattr(client, attr, value)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     reason=reason, detail="client data changed")
        return to_client_record(client, actor)


def record_client_relationship_document(store: Store, ctx: StaffSession, *, client_id: int,
                                        text: str, complete: bool = False,
                                        special_reason: str | None = None) -> DocumentRecord:
    """Write the client-relationship document of a self-paying client (own register, PRIV-2).

    Raises:
        RuleViolationError: the client's only relationships are in organisers' registers
            (RAR-6/RAR-16: only the organiser maintains that document).
    """
    from carebook.model.services import documents, lifecycle

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
