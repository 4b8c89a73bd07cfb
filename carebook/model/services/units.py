"""Service units (service points) of the producer (rules-documents E2; ID-4 … ID-7)."""

from __future__ import annotations

from sqlalchemy import select

from carebook.errors import ConflictError, NotFoundError
from carebook.i18n import N_
from carebook.model import audit, collation, oids, validation
from carebook.model.access import MANAGE_ORGANISATION, READ_CLIENT, StaffSession, require_right
from carebook.model.records import UnitRecord
from carebook.model.services import lookup
from carebook.model.store import Store
from carebook.model.tables.organisation import ServiceUnit
from carebook.model.tables.staff import StaffUnit


def _record(unit: ServiceUnit) -> UnitRecord:
    return UnitRecord(unit.id, unit.name, unit.oid, unit.active)


def add_unit(store: Store, ctx: StaffSession, *, name: str, oid: str,
             assign_self: bool = True) -> UnitRecord:
    """Add a service unit with its THL organisation-register OID (ID-4, ID-5).

    The name must be the unit's registered name; users pick units by name and carebook maps the
    name to the OID (ID-7). With ``assign_self`` the acting user is recorded as working in the
    unit, which gives the relevant connection to its clients (AC-6).

    Raises:
        ValidationError: a bad name or OID.
        ConflictError: the OID is already a unit (or the producer's own OID).
    """
    name = validation.validate_label(name, field=N_("unit name"))
    oid = oids.validate_oid(oid, field=N_("unit OID"))
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_ORGANISATION)
        producer = lookup.producer(session)
        if oid == producer.oid or session.scalar(select(ServiceUnit.id)
                                                 .where(ServiceUnit.oid == oid)):
            raise ConflictError(N_("The OID %(oid)s is already in use."), code="oid_taken",
                                oid=oid)
        unit = ServiceUnit(producer_id=producer.id, name=name, oid=oid, active=True)
        session.add(unit)
        session.flush()
        if assign_self:
            session.add(StaffUnit(user_id=actor.user_id, unit_id=unit.id))
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[oid],
                     detail="unit added")
        return _record(unit)


def list_units(store: Store, ctx: StaffSession) -> list[UnitRecord]:
    """The producer's service units, by name in Finnish/Swedish order (``… z å ä ö``)."""
    with store.session() as session:
        require_right(session, ctx, READ_CLIENT)
        rows = sorted(session.scalars(select(ServiceUnit)),
                      key=lambda u: (collation.sort_key(u.name), u.id))
        return [_record(u) for u in rows]


def unit_by_oid(store: Store, ctx: StaffSession, oid: str) -> UnitRecord:
    """The unit with ``oid``.

    Raises:
        NotFoundError: no such unit.
    """
    with store.session() as session:
        require_right(session, ctx, READ_CLIENT)
        unit = session.scalar(select(ServiceUnit).where(ServiceUnit.oid == oid.strip()))
        if unit is None:
            raise NotFoundError(N_("No service unit with OID %(oid)s."), code="no_unit",
                                oid=oid[:128])
        return _record(unit)
