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
    RuleViolationError,
    ValidationError,
)
from carebook.i18n import N_
from carebook.model import audit, clock, collation, validation
from carebook.model.access import (
    READ_CLIENT,
    REGISTER_CLIENT,
    StaffSession,
    check_client_access,
    relationships_in_force,
    require_right,
)
from carebook.model.records import ClientRecord
from carebook.model.services import cases, lookup
from carebook.model.services.relationships import (
    active_unit,
    register_for,
    relationship_window,
    unit_access,
)
from carebook.model.services.relationships import (
    add_relationship as add_relationship,
)
from carebook.model.services.relationships import (
    list_relationships as list_relationships,
)
from carebook.model.services.relationships import (
    record_client_relationship_document as record_client_relationship_document,
)
from carebook.model.services.relationships import (
    set_relationship_window as set_relationship_window,
)
from carebook.model.store import Store
from carebook.model.tables.client import Client, ClientRelationship


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


def _identity(session: Session, hetu: str | None,
              birth_date: date | None) -> tuple[str | None, str | None, date | None]:
    if hetu:
        code, born = validation.validate_hetu(hetu, test_mode=lookup.store_info(session)
                                              .test_mode)
        if born > clock.today():  # a well-formed code can still encode a day not yet come
            raise ValidationError(N_("The birth date is in the future."),
                                  code="birth_in_future", rule="rules-documents 4.1.13")
        if session.scalar(select(Client.id).where(Client.hetu == code)):
            raise ConflictError(N_("A client with this identity code already exists."),
                                code="client_exists")
        return code, None, born
    # Decision (rules-documents E4, ID-13): a client with neither identity code nor birth date
    # is accepted. The temporary ID is the identifier when there is no identity code (ID-13);
    # E4 marks the birth date mandatory only by inference ([INF], not in the source text) and
    # the archive's check concerns an identity code and birth date that are both given
    # (L25972). A person whose identity is not yet established may not know it; it is given
    # later with the identity code (set_client_hetu). A birth date that is given must be real.
    if birth_date is not None and birth_date > clock.today():
        raise ValidationError(N_("The birth date is in the future."), code="birth_in_future",
                              rule="rules-documents 4.1.13")
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
    address, municipality, phone = validation.validate_contact(
        address=address, municipality=municipality, phone=phone)
    with store.session() as session:
        actor = require_right(session, ctx, REGISTER_CLIENT)
        unit = active_unit(session, unit_oid)
        register = register_for(session, organiser_oid)
        start, end = relationship_window(register, rar_start, rar_end)
        reason = unit_access(session, actor, unit, special_reason)
        code, temp_oid, born = _identity(session, hetu, birth_date)
        client = Client(hetu=code, temporary_oid=temp_oid, first_name=first, last_name=last,
                        birth_date=born, security_prohibition=security_prohibition,
                        address=address, municipality=municipality, phone=phone,
                        secret_phone=secret_phone, created_at=clock.utc_now())
        session.add(client)
        session.flush()
        session.add(ClientRelationship(client_id=client.id, register_id=register.id,
                                       unit_id=unit.id, start_on=start, end_on=end,
                                       self_paying=register.kind == "own"))
        case = cases.open_case_row(session, register=register, client_id=client.id,
                                   service_task=service_task, case_code=case_code)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     objects=[o for o in (temp_oid, case.case_code) if o], reason=reason,
                     register=register.controller_oid, detail="client added")
        return to_client_record(client, actor)


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


def list_clients(store: Store, ctx: StaffSession, *,
                 name: str | None = None) -> list[ClientRecord]:
    """Clients the user has a relevant connection to (AC-6), by last and first name.

    The order is the Finnish/Swedish alphabet (``… z å ä ö``, case-insensitive;
    :func:`carebook.model.collation.name_key`). ``name`` narrows by a part of the first or last
    name (or "first last"), ignoring case in any script. The listing is logged as a search.
    """
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        today = clock.today()
        q = (select(Client).join(ClientRelationship, ClientRelationship.client_id == Client.id)
             .where(ClientRelationship.unit_id.in_(actor.unit_ids),
                    ClientRelationship.start_on <= today,
                    or_(ClientRelationship.end_on.is_(None), ClientRelationship.end_on >= today))
             .distinct())
        rows = list(session.scalars(q).all())
        if name and name.strip():
            # Matched in Python with full Unicode case folding: SQLite's lower() folds ASCII
            # only, so "öberg" would miss "Öberg" (a few hundred clients per store at most).
            rows = [c for c in rows if collation.contains(c.first_name, name)
                    or collation.contains(c.last_name, name)
                    or collation.contains(f"{c.first_name} {c.last_name}", name)]
        rows.sort(key=lambda c: (collation.name_key(c.last_name, c.first_name), c.id))
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
        checked = validation.validate_contact(address=address, municipality=municipality,
                                              phone=phone)
        for attr, value, new in (("address", address, checked[0]),
                                 ("municipality", municipality, checked[1]),
                                 ("phone", phone, checked[2])):
            if value is not None:  # "" clears the field
                setattr(client, attr, new)
        if security_prohibition is not None:
            client.security_prohibition = security_prohibition
        if secret_phone is not None:
            client.secret_phone = secret_phone
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client.id,
                     reason=reason, detail="client data changed")
        return to_client_record(client, actor)
