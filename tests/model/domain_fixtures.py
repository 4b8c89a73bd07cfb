"""Shared domain fixtures for the model tests: a test store with a producer, units, an
organiser and staff in several roles. Identity codes are Kela's 900-series test codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from carebook.model import access, clock
from carebook.model.access import StaffSession
from carebook.model.services import organisers, setup, staff, units
from carebook.model.store import Store

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
PRODUCER_OID = "1.2.246.10.12345678"
UNIT_A = "1.2.246.10.12345678.10.1"
UNIT_B = "1.2.246.10.12345678.10.2"
ORGANISER_OID = "1.2.246.10.98765432"


def make_hetu(born: date, individual: int) -> str:
    """A valid identity code for ``born`` with individual number ``individual``."""
    century = {1800: "+", 1900: "-", 2000: "A"}[born.year // 100 * 100]
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    return (f"{born:%d%m}{born.year % 100:02d}{century}{individual:03d}"
            f"{CHECK_CHARS[int(digits) % 31]}")


def test_hetu(n: int = 0, born: date = date(1940, 5, 17)) -> str:
    """The n-th Kela test identity code (individual number 900 + n)."""
    return make_hetu(born, 900 + n)


test_hetu.__test__ = False  # type: ignore[attr-defined]


@dataclass
class World:
    store: Store
    admin: StaffSession
    nurse: StaffSession  # care_worker in unit A
    nurse_b: StaffSession  # care_worker in unit B
    director: StaffSession  # director in unit A and B
    clerk: StaffSession  # admin only, works in unit A
    organiser_register_id: int

    def refresh(self, ctx: StaffSession) -> StaffSession:
        return access.open_session(self.store, ctx.username)


def build_world(store: Store, *, test_mode: bool = True) -> World:
    setup.create_producer(store, name="Hoivakoti Testi Oy", business_id="0737546-2",
                          oid=PRODUCER_OID, test_mode=test_mode)
    setup.create_first_admin(store, username="admin", first_name="Aino", last_name="Admin",
                             title="Toimitusjohtaja")
    admin = access.open_session(store, "admin")
    units.add_unit(store, admin, name="Kotipesä", oid=UNIT_A, assign_self=False)
    units.add_unit(store, admin, name="Metsäpirtti", oid=UNIT_B, assign_self=False)
    org = organisers.add_organiser(store, admin, name="Testin hyvinvointialue",
                                   oid=ORGANISER_OID)
    staff.add_staff(store, admin, username="nurse", first_name="Nina", last_name="Hoitaja",
                    title="Lähihoitaja", roles=["care_worker"], unit_oids=[UNIT_A])
    staff.add_staff(store, admin, username="nurse_b", first_name="Bea", last_name="Hoitaja",
                    title="Lähihoitaja", roles=["care_worker"], unit_oids=[UNIT_B])
    staff.add_staff(store, admin, username="director", first_name="Dora", last_name="Johtaja",
                    title="Vastaava johtaja", roles=["director"], unit_oids=[UNIT_A, UNIT_B])
    staff.add_staff(store, admin, username="clerk", first_name="Kalle", last_name="Toimisto",
                    title="Toimistosihteeri", roles=["admin"], unit_oids=[UNIT_A])
    return World(store, admin, access.open_session(store, "nurse"),
                 access.open_session(store, "nurse_b"), access.open_session(store, "director"),
                 access.open_session(store, "clerk"), org.register_id)


def yesterday() -> date:
    return clock.today() - timedelta(days=1)
