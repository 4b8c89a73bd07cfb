"""The client directory of the main window: the clients of the user's units, found by name or
identity code, active or also ended (issue 4 item 4; AC-6, AC-8, ID-13).

A client belongs to the directory when one of their relationships is at a unit the user works
in (the units that give a relevant connection, AC-6). *Active* means such a relationship is in
force today (RAR-8 window); an *ended* client had one that is over. Opening an ended client's
records then asks for a special reason (AC-7), as the other services decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from carebook.model import audit, clock, collation
from carebook.model.access import READ_CLIENT, StaffSession, require_right
from carebook.model.records import ClientRecord, UnitRecord
from carebook.model.services.clients import to_client_record
from carebook.model.store import Store
from carebook.model.tables.client import Client, ClientRelationship
from carebook.model.tables.organisation import ServiceUnit


@dataclass(frozen=True)
class ClientListing:
    """One row of the client directory.

    Attributes:
        client: the client as the reader may see them (AC-11 hides protected fields).
        unit_ids: the units (among the reader's) of the client's relationships.
        active: a relationship at one of those units is in force today.
        last_end: the latest end date of those relationships; None while one is open-ended.
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


def _listing(client: Client, rels: list[ClientRelationship], ctx: StaffSession,
             day: date) -> ClientListing:
    ends = [r.end_on for r in rels]
    last_end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return ClientListing(to_client_record(client, ctx),
                         tuple(sorted({r.unit_id for r in rels})),
                         any(_in_force(r, day) for r in rels), last_end)


def client_directory(store: Store, ctx: StaffSession, *, unit_id: int | None = None,
                     query: str | None = None,
                     include_ended: bool = False) -> list[ClientListing]:
    """The clients of the user's units, in Finnish/Swedish name order (``… z å ä ö``).

    Args:
        unit_id: only this unit (one of the user's; another unit gives an empty list).
        query: a part of the first or last name, or the beginning of the identity code or
            temporary OID; case is ignored in any script.
        include_ended: also clients whose relationships at the units have ended (or not yet
            started); by default only clients with a relationship in force today (AC-6).

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
        rows = session.scalars(select(Client).where(Client.id.in_(by_client))).all()
        day = clock.today()
        listings = [_listing(c, by_client[c.id], actor, day) for c in rows
                    if query is None or matches(c, query)]
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
