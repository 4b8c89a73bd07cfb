"""The demo store: a test-mode producer with units, staff, clients and three months of records.

Everything is made through the services, as staff would make it: units and users by the
administrator, clients, service start/end notes, journal entries and plans by the care workers
of each unit, one correction and one nullification. Identity codes are Kela's 900-series test
codes, and the store is a test store, so it says so everywhere (issue #2 item 9).

The store is built in a staging folder and moved into place when complete, so an interrupted
run leaves nothing half-made; a second run finds the store and only summarises it.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from carebook.errors import StoreExistsError, WrongPasswordError
from carebook.i18n import N_
from carebook.model import access, clock
from carebook.model.access import StaffSession
from carebook.model.keyslots import SlotPolicy
from carebook.model.records import Goal, Meeting, Participant, PlanContent
from carebook.model.services import (
    accounts,
    clients,
    journal,
    lifecycle,
    organisers,
    plans,
    setup,
    social_services,
    staff,
    units,
)
from carebook.model.services.demo_data import (
    CLIENTS,
    ENTRY_TEXTS,
    ORGANISER,
    PRODUCER,
    UNITS,
    USERS,
    DemoClient,
    kela_test_hetu,
)
from carebook.model.store import Store
from carebook.model.tables.audit import AuditEvent
from carebook.model.tables.client import Client
from carebook.model.tables.document import Document
from carebook.paths import ensure_private_dir, slots_path, store_path

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented password of the public demo store
ADMIN = "admin"
DAYS = 91  # three months of records


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    roles: tuple[str, ...]
    unit_oids: tuple[str, ...]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo store holds (counts only: no client data)."""

    store_path: Path
    created: bool
    password: str
    producer: str
    test_mode: bool
    units: tuple[tuple[str, str], ...]
    users: tuple[DemoUser, ...]
    clients: int
    documents: tuple[tuple[str, str, int], ...]  # (kind, type, count) of current versions
    states: tuple[tuple[str, int], ...]
    versions: int
    usage_events: int


def ensure_demo(data_dir: Path, *, policy: SlotPolicy | None = None) -> DemoSummary:
    """Make the demo store in ``data_dir`` unless it exists; summarise it either way."""
    data_dir = ensure_private_dir(data_dir)
    final = store_path(data_dir)
    created = False
    if not accounts.store_exists(data_dir):
        accounts.set_aside_orphan_keys(data_dir)
        staging = ensure_private_dir(data_dir / f".demo-{os.urandom(4).hex()}")
        try:
            _build(staging, policy=policy)
            os.replace(slots_path(store_path(staging)), slots_path(final))
            os.replace(store_path(staging), final)
            created = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return summarise(data_dir, created=created, policy=policy)


def _build(data_dir: Path, *, policy: SlotPolicy | None) -> None:
    accounts.init_store(
        data_dir, producer_name=PRODUCER["name"], business_id=PRODUCER["business_id"],
        producer_oid=PRODUCER["oid"], admin_username=ADMIN, admin_first="Aino",
        admin_last="Ahonen", admin_title="Järjestelmänvalvoja", password=DEMO_PASSWORD,
        test_mode=True, admin_roles=(access.ADMIN,), policy=policy)
    store, admin = accounts.sign_in(data_dir, ADMIN, DEMO_PASSWORD, policy=policy)
    try:
        _organisation(store, admin)
        sessions = {u["username"]: access.open_session(store, u["username"]) for u in USERS}
        today = clock.today()
        for n, person in enumerate(CLIENTS, start=1):
            _client_records(store, sessions, person, number=n, today=today)
        _correct_and_nullify(store, sessions)
    finally:
        store.close()


def _organisation(store: Store, admin: StaffSession) -> None:
    for unit in UNITS:
        units.add_unit(store, admin, name=unit["name"], oid=unit["oid"])
    organisers.add_organiser(store, admin, name=ORGANISER["name"], oid=ORGANISER["oid"],
                             business_id=ORGANISER["business_id"])
    for user in USERS:
        accounts.add_user(
            store, admin, username=user["username"], password=DEMO_PASSWORD,
            first_name=user["first"], last_name=user["last"], title=user["title"],
            roles=tuple(user["roles"]), unit_oids=tuple(user["units"]),
            registration_no=user.get("registration_no"), work_task=user["work_task"],
            may_see_prohibited=bool(user.get("may_see_prohibited")))


def _client_records(store: Store, sessions: dict[str, StaffSession], person: DemoClient, *,
                    number: int, today: date) -> None:
    worker = sessions[person.worker]
    rar = person.case_code is not None
    first_day = today - timedelta(days=DAYS)
    rec = clients.add_client(
        store, worker, first_name=person.first, last_name=person.last,
        unit_oid=person.unit_oid, hetu=kela_test_hetu(person.born, 900 + number),
        organiser_oid=ORGANISER["oid"] if rar else None,
        rar_start=first_day - timedelta(days=30) if rar else None,
        case_code=person.case_code, service_task=person.service_task,
        security_prohibition=person.security_prohibition, address=person.address,
        municipality=person.municipality, phone=person.phone)
    service = social_services.start_service(
        store, worker, client_id=rec.id, social_service=person.social_service,
        start_on=first_day, basis="decision" if rar else "contract",
        text=f"Palvelu alkoi {first_day:%d.%m.%Y}. Asiakas ja omainen perehdytetty.",
        recorded_at=datetime.combine(first_day, time(9, 0), tzinfo=clock.FINLAND))
    _plan(store, worker, client_id=rec.id, person=person, start=first_day, today=today)
    _entries(store, sessions, person, client_id=rec.id, first_day=first_day, today=today)
    if person.ends_after_days is not None:
        social_services.end_service(
            store, worker, service_id=service.id,
            end_on=first_day + timedelta(days=person.ends_after_days),
            grounds="Asiakas muutti omaisten luo toiselle paikkakunnalle.",
            recorded_at=datetime.combine(first_day + timedelta(days=person.ends_after_days),
                                         time(14, 0), tzinfo=clock.FINLAND))


def _plan(store: Store, worker: StaffSession, *, client_id: int, person: DemoClient,
          start: date, today: date) -> None:
    me = staff.get_staff(store, worker, worker.username)
    content = PlanContent(
        social_service=person.social_service, service_start=start,
        service_description=person.plan_service, responsible_person=me.full_name,
        client_situation=person.situation, current_services=person.plan_service,
        meetings=(Meeting(start + timedelta(days=7), person.unit_name, (
            Participant(me.full_name, "omahoitaja", title=me.title),
            Participant("Asiakas", "asiakas"))),),
        goals=tuple(Goal(name, description, methods) for name, description, methods
                    in person.goals),
        next_review_on=today + timedelta(days=90))
    plans.record_plan(store, worker, client_id=client_id, plan=content, complete=True,
                      recorded_at=datetime.combine(start + timedelta(days=7), time(13, 0),
                                                   tzinfo=clock.FINLAND))


def _entries(store: Store, sessions: dict[str, StaffSession], person: DemoClient, *,
             client_id: int, first_day: date, today: date) -> None:
    writers = [sessions[person.worker], sessions["johtaja"]]
    day, n = first_day + timedelta(days=1), 0
    while day < today and (person.ends_after_days is None
                           or day < first_day + timedelta(days=person.ends_after_days)):
        entry_type, text = ENTRY_TEXTS[n % len(ENTRY_TEXTS)]
        at = datetime.combine(day, time(8 + n % 10, 15), tzinfo=clock.FINLAND)
        writer = writers[1] if n % 9 == 8 else writers[0]
        journal.record_journal_entry(store, writer, client_id=client_id, entry_type=entry_type,
                                     text=text, complete=True, recorded_at=at)
        day, n = day + timedelta(days=3 + n % 2), n + 1


def _correct_and_nullify(store: Store, sessions: dict[str, StaffSession]) -> None:
    """One correction (hoitaja1) and one nullification (hoitaja2), as staff would do them."""
    for username, action in (("hoitaja1", "correct"), ("hoitaja2", "nullify")):
        ctx = sessions[username]
        first = clients.list_clients(store, ctx)[0]
        page = journal.client_timeline(store, ctx, client_id=first.id, limit=5,
                                       kinds=("journal",))
        doc = next(d for d in page.items if d.specific_type == "daily")
        if action == "correct":
            lifecycle.correct_document(
                store, ctx, document_id=doc.id, reason="typing-error",
                text=doc.body + " (Korjattu: kellonaika oli 14.30, ei 13.30.)")
        else:
            lifecycle.nullify_document(
                store, ctx, document_id=doc.id, reason="wrong-person",
                reason_text="Kirjattu väärän asiakkaan tietoihin.")


def summarise(data_dir: Path, *, created: bool, policy: SlotPolicy | None = None
              ) -> DemoSummary:
    """Counts of what the demo store holds (signs in as the demo administrator).

    Raises:
        StoreExistsError: the folder holds another store (or the demo password was changed).
    """
    try:
        store, admin = accounts.sign_in(data_dir, ADMIN, DEMO_PASSWORD, policy=policy)
    except WrongPasswordError:
        raise StoreExistsError(
            N_("%(path)s holds a store that is not the demo store, or its demo password was "
               "changed. Choose another folder with --data-dir."), code="not_demo_store",
            path=str(store_path(data_dir))) from None
    try:
        unit_rows = units.list_units(store, admin)
        oid_of = {u.id: u.oid for u in unit_rows}
        users = tuple(DemoUser(u.username, u.full_name, u.roles,
                               tuple(oid_of[i] for i in u.unit_ids))
                      for u in staff.list_staff(store, admin))
        producer = setup.producer_info(store)
        with store.session() as session:
            # Counts only (no client data), so this reads the tables directly.
            docs = session.execute(select(Document.kind, Document.specific_type, func.count())
                                   .group_by(Document.kind, Document.specific_type)).all()
            states = Counter(session.scalars(select(Document.state)).all())
            n_clients = session.scalar(select(func.count()).select_from(Client)) or 0
            versions = session.scalar(select(func.sum(Document.current_version))) or 0
            events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return DemoSummary(
            store.path, created, DEMO_PASSWORD, producer.name, producer.test_mode,
            tuple((u.name, u.oid) for u in unit_rows), users, n_clients,
            tuple((k, t, c) for k, t, c in sorted(docs)), tuple(sorted(states.items())),
            int(versions), events)
    finally:
        store.close()
