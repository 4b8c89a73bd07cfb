"""The client directory of the main window: the clients of the user's units, found by name or
identity code, active or also ended (issue 4 item 4; AC-6, AC-7, AC-8, ID-13).

A client belongs to the directory when one of their relationships is at a unit the user works
in (the units that give a relevant connection, AC-6).

What a care worker means by "ended clients" is those whose service has ended, so:

* a client is **active** when a relationship at those units is in force today (RAR-8 window)
  AND either no service of theirs at those units is recorded yet (a new client, before the
  start note) or at least one such service has no actual end or ends today or later (E10);
* otherwise the client is **ended**: the relationship window is over (or not yet begun), or
  every service at those units has ended. ``last_end`` is then the latest end date among the
  relationships and services, the date the list shows ("ended 22.11.2026").

Opening an ended client's records still goes through the other services' access checks. A
client of another unit is not listed at all; :func:`find_by_identity` finds one by the full
identity code and asks for a special reason when the user has no relevant connection (AC-7).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.model import audit, clock, collation
from carebook.model.access import (
    READ_CLIENT,
    StaffSession,
    has_relevant_connection,
    require_right,
    require_special_reason,
)
from carebook.model.records import ClientRecord, UnitRecord
from carebook.model.services.clients import to_client_record
from carebook.model.store import Store
from carebook.model.tables.case import Service
from carebook.model.tables.client import Client, ClientRelationship
from carebook.model.tables.organisation import ServiceUnit


@dataclass(frozen=True)
class ClientListing:
    """One row of the client directory.

    Attributes:
        client: the client as the reader may see them (AC-11 hides protected fields).
        unit_ids: the units (among the reader's) of the client's relationships.
        active: a relationship at one of those units is in force today and a service there
            is still running or none is recorded yet (the module docstring).
        last_end: for an ended client, the latest end date of those relationships and
            services (None if none has an end date); None for an active client.
    """

    client: ClientRecord
    unit_ids: tuple[int, ...]
    active: bool
    last_end: date | None

    @property
    def id(self) -> int:
        return self.client.id


def _in_force(rel: ClientRelationship, day: date) -> bool:
    return rel.start_on <= day and (rel.end_on is None or day <= rel.end_on)


def matches(client: ClientRecord | Client, query: str) -> bool:
    """Whether ``query`` is a part of the client's name or the start of their identity code
    or temporary OID (ID-13), ignoring case ("010101-900u" finds "010101-900U")."""
    text = query.strip()
    if not text:
        return True
    codes = (client.hetu, client.temporary_oid)
    if any(code and collation.fold(code).startswith(collation.fold(text)) for code in codes):
        return True
    return (collation.contains(client.first_name, text)
            or collation.contains(client.last_name, text)
            or collation.contains(f"{client.first_name} {client.last_name}", text)
            or collation.contains(f"{client.last_name} {client.first_name}", text))


def _services_running(services: list[Service], day: date) -> bool:
    """No service recorded yet, or one without an end or ending today or later (E10)."""
    return not services or any(s.actual_end is None or s.actual_end >= day for s in services)


def _listing(client: Client, rels: list[ClientRelationship], services: list[Service],
             ctx: StaffSession, day: date) -> ClientListing:
    units = tuple(sorted({r.unit_id for r in rels}))
    mine = [s for s in services if s.unit_id in units]
    active = any(_in_force(r, day) for r in rels) and _services_running(mine, day)
    ends = [r.end_on for r in rels] + [s.actual_end for s in mine]
    known = [e for e in ends if e is not None]
    last_end = None if active or not known else max(known)
    return ClientListing(to_client_record(client, ctx), units, active, last_end)


def _services_of(session: Session, client_ids: Collection[int]) -> dict[int, list[Service]]:
    by_client: dict[int, list[Service]] = {}
    for service in session.scalars(select(Service).where(Service.client_id.in_(client_ids))):
        by_client.setdefault(service.client_id, []).append(service)
    return by_client


def client_directory(store: Store, ctx: StaffSession, *, unit_id: int | None = None,
                     query: str | None = None,
                     include_ended: bool = False) -> list[ClientListing]:
    """The clients of the user's units, in Finnish/Swedish name order (``… z å ä ö``).

    Args:
        unit_id: only this unit (one of the user's; another unit gives an empty list).
        query: a part of the first or last name, or the beginning of the identity code or
            temporary OID; case is ignored in any script.
        include_ended: also ended clients (relationship over or not yet begun, or every
            service ended); by default only active ones (the module docstring).

    Returns:
        The listings; the search is written to the usage log with the client ids (AC-8).
    """
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        units = set(actor.unit_ids) if unit_id is None else set(actor.unit_ids) & {unit_id}
        rels = session.scalars(select(ClientRelationship)
                               .where(ClientRelationship.unit_id.in_(units))).all()
        by_client: dict[int, list[ClientRelationship]] = {}
        for rel in rels:
            by_client.setdefault(rel.client_id, []).append(rel)
        rows = [c for c in session.scalars(select(Client).where(Client.id.in_(by_client)))
                if query is None or matches(c, query)]
        services = _services_of(session, [c.id for c in rows])
        day = clock.today()
        listings = [_listing(c, by_client[c.id], services.get(c.id, []), actor, day)
                    for c in rows]
        if not include_ended:
            listings = [x for x in listings if x.active]
        listings.sort(key=lambda x: (collation.name_key(x.client.last_name,
                                                        x.client.first_name), x.id))
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     objects=[str(x.id) for x in listings], detail="client directory")
        return listings


def my_units(store: Store, ctx: StaffSession) -> list[UnitRecord]:
    """The units the user works in (the unit chooser), by name in Finnish/Swedish order."""
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        rows = session.scalars(select(ServiceUnit)
                               .where(ServiceUnit.id.in_(actor.unit_ids))).all()
        ordered = sorted(rows, key=lambda u: (collation.sort_key(u.name), u.id))
        return [UnitRecord(u.id, u.name, u.oid, u.active) for u in ordered]


def find_by_identity(store: Store, ctx: StaffSession, *, identifier: str,
                     special_reason: str | None = None) -> ClientListing | None:
    """Find any client of the producer by the full identity code or temporary OID (AC-7).

    The directory lists the user's own units only; a worker covering a shift in another unit
    finds that unit's client here. Without a relevant connection (AC-6) the lookup needs a
    special-reason code, which is written to the usage log with the search (AC-8).

    Args:
        identifier: the complete identity code (any case) or temporary OID; no partial match.
        special_reason: a key of the special-access-reason code set.

    Returns:
        The client's listing over all their relationships, or None when nobody has the code.

    Raises:
        NoRelevantConnectionError: the client is not at the user's units and no reason given.
        ValidationError: the reason is not a known, valid code.
    """
    text = identifier.strip()
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        client = session.scalar(select(Client).where(
            (Client.hetu == text.upper()) | (Client.temporary_oid == text))) if text else None
        reason = None
        if client is not None and not has_relevant_connection(session, actor, client.id):
            reason = require_special_reason(action="read", special_reason=special_reason)
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     client_id=client.id if client is not None else None,
                     objects=[str(client.id)] if client is not None else [], reason=reason,
                     detail="client found by identity code")
        if client is None:
            return None
        rels = list(session.scalars(select(ClientRelationship)
                                    .where(ClientRelationship.client_id == client.id)))
        services = _services_of(session, [client.id]).get(client.id, [])
        return _listing(client, rels, services, actor, clock.today())
