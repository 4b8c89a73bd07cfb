"""Organisers (welfare areas) and their registers reached under RAR (RAR-1 … RAR-8, MSG-15)."""

from __future__ import annotations

from sqlalchemy import select

from carebook.errors import ConflictError
from carebook.i18n import N_
from carebook.model import audit, collation, oids, validation
from carebook.model.access import MANAGE_ORGANISATION, READ_CLIENT, StaffSession, require_right
from carebook.model.records import OrganiserRecord
from carebook.model.services import lookup
from carebook.model.store import Store
from carebook.model.tables.organisation import Organiser, Register

RAR_USAGE = 2  # MSG-15: use based on the producer's normal register access right


def add_organiser(store: Store, ctx: StaffSession, *, name: str, oid: str,
                  business_id: str | None = None) -> OrganiserRecord:
    """Add an organiser and its register (usage code 2).

    Raises:
        ValidationError: bad name, OID or Y-tunnus.
        ConflictError: the OID is already an organiser or the producer.
    """
    name = validation.validate_label(name, field=N_("organiser name"))
    oid = oids.validate_oid(oid, field=N_("organiser OID"))
    bid = validation.validate_business_id(business_id) if business_id else None
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_ORGANISATION)
        if oid == lookup.producer(session).oid or session.scalar(
                select(Organiser.id).where(Organiser.oid == oid)):
            raise ConflictError(N_("The OID %(oid)s is already in use."), code="oid_taken",
                                oid=oid)
        org = Organiser(name=name, oid=oid, business_id=bid)
        session.add(org)
        session.flush()
        reg = Register(kind="organiser", organiser_id=org.id, usage_code=RAR_USAGE,
                       controller_oid=oid)
        session.add(reg)
        session.flush()
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[oid],
                     detail="organiser added")
        return OrganiserRecord(org.id, name, oid, bid, reg.id)


def list_organisers(store: Store, ctx: StaffSession) -> list[OrganiserRecord]:
    """Organisers with their register ids, by name in Finnish/Swedish order (``… z å ä ö``)."""
    with store.session() as session:
        require_right(session, ctx, READ_CLIENT)
        rows = sorted(session.execute(select(Organiser, Register.id)
                                      .join(Register, Register.organiser_id == Organiser.id)).all(),
                      key=lambda row: (collation.sort_key(row[0].name), row[0].id))
        return [OrganiserRecord(o.id, o.name, o.oid, o.business_id, rid) for o, rid in rows]


def organiser_register_id(store: Store, ctx: StaffSession, oid: str) -> int | None:
    """The register id of the organiser with ``oid``, or None if unknown."""
    with store.session() as session:
        require_right(session, ctx, READ_CLIENT)
        return session.scalar(select(Register.id)
                              .join(Organiser, Register.organiser_id == Organiser.id)
                              .where(Organiser.oid == oid.strip()))
