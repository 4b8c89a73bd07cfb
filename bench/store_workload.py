"""The storage benchmark's workload, run through the real services (issue #2 item 11).

Everything goes through ``carebook.model.services`` exactly as the CLI and the UI call them,
so every write is its own unit of work with the access check (AC-6), the usage-log event
(AC-8), the signature and the outbox row, and every read is checked and logged too:

* :func:`build_world` — a test-mode producer, two units, care workers and a director, and the
  clients (Kela 900-series test identity codes only). Not timed.
* :func:`plan_entries` — who writes what about whom and when: one client gets ``focus``
  entries (the busy timeline), the rest are spread over the others, over ``days`` days of
  shifts, in the order they happened. Fixed seed.
* :func:`write_entries` — each planned entry is what a care worker does at the end of a
  visit: ``record_journal_entry(..., complete=True)`` (write and sign one entry).
* :func:`open_timeline` — the focus client's newest page through ``client_timeline``.
* :func:`search_all` — full-text search (FTS5) over every client the director may see.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from care_texts import entry_text
from stdnum.fi import hetu as fi_hetu

from carebook.model import access, clock
from carebook.model.access import StaffSession
from carebook.model.records import DocumentRecord, Page, SearchHit
from carebook.model.services import clients, journal, search, setup, staff, units
from carebook.model.store import Store

PRODUCER_OID = "1.2.246.10.29100523.10"
UNIT_OIDS = ("1.2.246.10.29100523.10.1", "1.2.246.10.29100523.10.2")
UNIT_NAMES = ("Kuuselan palvelutalo", "Kuuselan kotihoito")
WORKERS_PER_UNIT = 6
PAGE = 50
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
FIRST_NAMES = ("Aili", "Eino", "Helmi", "Toivo", "Lyyli", "Väinö", "Saima", "Onni", "Elli",
               "Tauno", "Martta", "Yrjö", "Impi", "Veikko", "Hilja", "Arvo")
LAST_NAMES = ("Testinen", "Koekäyttäjä", "Harjoitus", "Mallikas", "Esimerkki", "Kokeilu",
              "Demonen", "Näytteinen")
# Most entries are everyday notes; the other types valid today appear now and then.
ENTRY_TYPES: tuple[tuple[str, int], ...] = (
    ("daily", 80), ("visit", 6), ("functional-ability", 5), ("guidance", 3),
    ("meeting", 2), ("examination", 2), ("other", 2))


@dataclass(frozen=True)
class BenchWorld:
    """One store set up for the benchmark, with the sessions that work in it."""

    store: Store
    director: StaffSession  # works in both units: searches over every client
    workers: tuple[tuple[StaffSession, ...], ...]  # care workers per unit
    client_ids: tuple[int, ...]
    client_units: tuple[int, ...]  # unit index of each client

    @property
    def focus_client(self) -> int:
        """The client with the long timeline (the first one)."""
        return self.client_ids[0]


@dataclass(frozen=True)
class PlannedEntry:
    """One journal entry to write: which client (index), which worker, when, what."""

    client: int
    worker: int
    recorded_at: datetime
    entry_type: str
    text: str


def kela_test_hetu(born: date, individual: int) -> str:
    """A Kela test identity code (individual number 900-999 only; never a real person)."""
    if not 900 <= individual <= 999:
        raise ValueError("Kela test codes use individual numbers 900-999")
    century = {18: "+", 19: "-", 20: "A"}[born.year // 100]
    digits = f"{born:%d%m%y}{individual:03d}"
    code = f"{born:%d%m%y}{century}{individual:03d}{HETU_CHECK[int(digits) % 31]}"
    return str(fi_hetu.validate(code, allow_temporary=True))


def _staff(store: Store, admin: StaffSession) -> tuple[StaffSession, tuple[tuple[StaffSession,
                                                                                   ...], ...]]:
    staff.add_staff(store, admin, username="johtaja", first_name="Johanna", last_name="Kuusela",
                    title="Vastaava johtaja", roles=["director"], unit_oids=list(UNIT_OIDS))
    teams = []
    for u, oid in enumerate(UNIT_OIDS):
        team = []
        for w in range(WORKERS_PER_UNIT):
            name = f"hoitaja{u + 1}{w + 1}"
            staff.add_staff(store, admin, username=name, first_name=FIRST_NAMES[w],
                            last_name="Hoitaja", title="Lähihoitaja", roles=["care_worker"],
                            unit_oids=[oid])
            team.append(access.open_session(store, name))
        teams.append(tuple(team))
    return access.open_session(store, "johtaja"), tuple(teams)


def build_world(store: Store, *, clients_count: int) -> BenchWorld:
    """Producer (test mode), units, staff and ``clients_count`` clients, through the services."""
    setup.create_producer(store, name="Hoivakoti Kuusela Oy (bench)", business_id="2910052-3",
                          oid=PRODUCER_OID, test_mode=True)
    setup.create_first_admin(store, username="admin", first_name="Aino", last_name="Ahonen",
                             title="Järjestelmänvalvoja", roles=(access.ADMIN,))
    admin = access.open_session(store, "admin")
    for name, oid in zip(UNIT_NAMES, UNIT_OIDS, strict=True):
        units.add_unit(store, admin, name=name, oid=oid, assign_self=False)
    director, workers = _staff(store, admin)
    ids, unit_of = [], []
    for i in range(clients_count):
        unit = i % len(UNIT_OIDS)
        born = date(1928, 1, 1) + timedelta(days=97 * i)
        rec = clients.add_client(
            store, director, first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
            last_name=LAST_NAMES[i % len(LAST_NAMES)], unit_oid=UNIT_OIDS[unit],
            hetu=kela_test_hetu(born, 900 + i % 100))
        ids.append(rec.id)
        unit_of.append(unit)
    return BenchWorld(store, director, workers, tuple(ids), tuple(unit_of))


def _shares(entries: int, clients_count: int, focus: int) -> list[int]:
    """Entries per client: ``focus`` for the first, the rest spread evenly over the others."""
    if clients_count == 1:
        return [entries]
    focus = min(focus, entries)
    base, extra = divmod(entries - focus, clients_count - 1)
    return [focus] + [base + (1 if i < extra else 0) for i in range(clients_count - 1)]


def plan_entries(*, entries: int, clients_count: int, focus: int, seed: int = 2026,
                 days: int = 365) -> list[PlannedEntry]:
    """The workload's entries in the order they were written (oldest first)."""
    rng = random.Random(seed)
    first_day = clock.today() - timedelta(days=days)
    types, weights = zip(*ENTRY_TYPES, strict=True)
    planned = []
    for client, count in enumerate(_shares(entries, clients_count, focus)):
        for _ in range(count):
            day = first_day + timedelta(days=rng.randrange(days))
            local = datetime.combine(day, time(rng.randint(7, 21), rng.randrange(60)),
                                     tzinfo=clock.FINLAND)
            at = clock.as_utc(local)  # the services store instants in UTC
            planned.append(PlannedEntry(client, rng.randrange(WORKERS_PER_UNIT), at,
                                        rng.choices(types, weights=weights)[0],
                                        entry_text(rng)))
    planned.sort(key=lambda p: (p.recorded_at, p.client))
    return planned


def write_entries(world: BenchWorld, planned: Iterable[PlannedEntry]) -> int:
    """Write and sign each entry as its care worker does: one unit of work per entry."""
    written = 0
    for p in planned:
        worker = world.workers[world.client_units[p.client]][p.worker]
        journal.record_journal_entry(world.store, worker, client_id=world.client_ids[p.client],
                                     entry_type=p.entry_type, text=p.text, complete=True,
                                     recorded_at=p.recorded_at)
        written += 1
    return written


def open_timeline(world: BenchWorld, *, limit: int = PAGE) -> Page[DocumentRecord]:
    """The focus client's newest page, as their own care worker opens it."""
    worker = world.workers[world.client_units[0]][0]
    return journal.client_timeline(world.store, worker, client_id=world.focus_client,
                                   limit=limit)


def search_all(world: BenchWorld, query: str) -> list[SearchHit]:
    """Full-text search over every client of both units (the director's view)."""
    return search.search_entries(world.store, world.director, query=query)
