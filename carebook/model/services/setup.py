"""Bootstrap at ``carebook init``: the producer, its own register and the first administrator.

These run before any user exists, so they take no staff session.
"""

from __future__ import annotations

from sqlalchemy import select

from carebook.errors import ConflictError
from carebook.i18n import N_
from carebook.model import audit, clock, oids, validation
from carebook.model.access import ADMIN, DIRECTOR, ROLES
from carebook.model.records import ProducerRecord, StaffRecord
from carebook.model.services import lookup
from carebook.model.services.staff import to_staff_record
from carebook.model.store import Store
from carebook.model.tables.organisation import Producer, Register, StoreInfo
from carebook.model.tables.staff import StaffRole, StaffUser

OWN_REGISTER_USAGE = 1  # MSG-15: use of the provider's own register
FIRST_ADMIN_ROLES = (ADMIN, DIRECTOR)


def create_producer(store: Store, *, name: str, business_id: str, oid: str,
                    test_mode: bool) -> ProducerRecord:
    """Record the producer, the store-info row and the producer's own register (PRIV-1).

    Raises:
        ValidationError: a bad name, Y-tunnus (ID-8) or OID (ID-4).
        ConflictError: the store already has a producer.
    """
    name = validation.validate_label(name, field=N_("producer name"))
    business_id = validation.validate_business_id(business_id)
    oid = oids.validate_oid(oid, field=N_("producer OID"))
    with store.session() as session:
        if session.get(StoreInfo, 1) is not None:
            raise ConflictError(N_("This store already has a producer."), code="has_producer")
        producer = Producer(name=name, business_id=business_id, oid=oid)
        session.add(producer)
        session.flush()
        session.add(StoreInfo(id=1, producer_id=producer.id, test_mode=test_mode,
                              oid_node=oids.new_installation_node(), created_at=clock.utc_now()))
        session.add(Register(kind="own", organiser_id=None, usage_code=OWN_REGISTER_USAGE,
                             controller_oid=oid))
        audit.record(session, actor=None, action=audit.ADMIN, objects=[oid],
                     detail="producer created" + (" (test store)" if test_mode else ""))
        return ProducerRecord(producer.id, name, business_id, oid, test_mode)


def producer_info(store: Store) -> ProducerRecord:
    """The producer and whether this is a test store (shown everywhere in a test store)."""
    with store.session() as session:
        info = lookup.store_info(session)
        p = lookup.producer(session)
        return ProducerRecord(p.id, p.name, p.business_id, p.oid, info.test_mode)


def create_first_admin(store: Store, *, username: str, first_name: str, last_name: str,
                       title: str, roles: tuple[str, ...] = FIRST_ADMIN_ROLES) -> StaffRecord:
    """The first user, made at init before anyone can sign in.

    The first user of a small producer is normally its responsible director, so the default
    roles are ``admin`` and ``director`` [INFERENCE, AC-4]; pass ``roles`` to narrow them.

    Raises:
        ConflictError: users already exist (only the first one is made this way).
    """
    if not set(roles) <= set(ROLES) or not roles:
        raise ValueError("unknown role")
    with store.session() as session:
        lookup.store_info(session)
        if session.scalar(select(StaffUser.id).limit(1)) is not None:
            raise ConflictError(N_("The first administrator already exists."),
                                code="has_admin")
        user = StaffUser(
            username=validation.validate_username(username),
            first_name=validation.validate_name(first_name, field=N_("first name")),
            last_name=validation.validate_name(last_name, field=N_("last name")),
            title=validation.validate_label(title, field=N_("title")),
            may_see_prohibited=False, active=True, created_at=clock.utc_now())
        session.add(user)
        session.flush()
        session.add_all([StaffRole(user_id=user.id, role=r) for r in roles])
        audit.record(session, actor=None, action=audit.ADMIN, objects=[user.username],
                     detail="first administrator created")
        session.flush()
        return to_staff_record(session, user)
