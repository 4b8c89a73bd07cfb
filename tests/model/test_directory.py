"""The client directory (issue 4 item 4): the clients of the user's units by name or identity
code, active or also ended, in Finnish/Swedish order; every listing logged as a search (AC-8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain_fixtures import UNIT_A, UNIT_B, World, build_world, test_hetu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebook.errors import NoRelevantConnectionError, ValidationError
from carebook.model import audit, clock, collation
from carebook.model.services import clients, directory, social_services, units
from carebook.model.store import Store


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def _add(w: World, first: str, last: str, *, n: int | None = None, unit: str = UNIT_A) -> int:
    return clients.add_client(w.store, w.director, first_name=first, last_name=last,
                              unit_oid=unit, hetu=test_hetu(n) if n is not None else None).id


def _names(rows: list[directory.ClientListing]) -> list[str]:
    return [r.client.full_name for r in rows]


def test_search_by_name_part_identity_code_prefix_and_temporary_oid(world: World) -> None:
    _add(world, "Elsa", "Mäkinen", n=1)
    _add(world, "Toivo", "Virtanen", n=2)
    temp = _add(world, "Olli", "Ohto")
    code = test_hetu(2)
    found = directory.client_directory(world.store, world.nurse, query="mäki")
    assert _names(found) == ["Elsa Mäkinen"]
    assert _names(directory.client_directory(world.store, world.nurse,
                                             query="ELSA MÄKINEN")) == ["Elsa Mäkinen"]
    assert _names(directory.client_directory(world.store, world.nurse,
                                             query=code.lower())) == ["Toivo Virtanen"]
    assert _names(directory.client_directory(world.store, world.nurse,
                                             query=code[:10])) == ["Toivo Virtanen"]
    # A code matches from its start only: the check character alone finds nobody by code.
    assert directory.client_directory(world.store, world.nurse, query=code[3:9]) == []
    oid = next(r for r in directory.client_directory(world.store, world.nurse)
               if r.id == temp).client.temporary_oid
    assert oid and _names(directory.client_directory(world.store, world.nurse,
                                                     query=oid)) == ["Olli Ohto"]


def test_ended_clients_only_when_asked_with_their_end_date(world: World) -> None:
    """RAR-8: a relationship whose window is over leaves the active list."""
    gone = _add(world, "Väinö", "Laine", n=3)
    _add(world, "Aili", "Aho", n=4)
    rel = clients.list_relationships(world.store, world.director, gone)[0]
    end = clock.today() - timedelta(days=2)
    clients.set_relationship_window(world.store, world.director, relationship_id=rel.id,
                                    start_on=rel.start_on - timedelta(days=30), end_on=end)
    active = directory.client_directory(world.store, world.nurse)
    assert _names(active) == ["Aili Aho"] and active[0].active and active[0].last_end is None
    both = directory.client_directory(world.store, world.nurse, include_ended=True)
    ended = next(r for r in both if r.id == gone)
    assert not ended.active and ended.last_end == end
    assert _names(both) == ["Aili Aho", "Väinö Laine"]


def test_care_worker_of_another_unit_does_not_see_the_client(world: World) -> None:
    """AC-6: the directory lists the clients of the user's own units only."""
    _add(world, "Elsa", "Mäkinen", n=1, unit=UNIT_A)
    _add(world, "Eino", "Koskinen", n=2, unit=UNIT_B)
    assert _names(directory.client_directory(world.store, world.nurse_b)) == ["Eino Koskinen"]
    assert directory.client_directory(world.store, world.nurse_b, query="Mäkinen") == []
    director = directory.client_directory(world.store, world.director)
    assert _names(director) == ["Eino Koskinen", "Elsa Mäkinen"]
    unit_b = units.unit_by_oid(world.store, world.director, UNIT_B).id
    only_b = directory.client_directory(world.store, world.director, unit_id=unit_b)
    assert _names(only_b) == ["Eino Koskinen"] and only_b[0].unit_ids == (unit_b,)
    # Asking for a unit the user does not work in shows nobody.
    assert directory.client_directory(world.store, world.nurse, unit_id=unit_b) == []


def test_order_puts_a_ring_a_umlaut_o_umlaut_after_z(world: World) -> None:
    for n, (first, last) in enumerate((("Olavi", "Öberg"), ("Anna", "Zetterberg"),
                                       ("Aarne", "Äijälä"), ("Aku", "Åkerman"),
                                       ("Erkki", "aho"))):
        _add(world, first, last, n=n)
    rows = directory.client_directory(world.store, world.nurse)
    assert [r.client.last_name for r in rows] == ["aho", "Zetterberg", "Åkerman", "Äijälä",
                                                  "Öberg"]


def test_listing_is_written_to_the_usage_log_as_a_search(world: World) -> None:
    """AC-8: a listing of clients is a search event naming the clients shown."""
    cid = _add(world, "Elsa", "Mäkinen", n=1)
    directory.client_directory(world.store, world.nurse, query="Elsa")
    with world.store.session() as session:
        last = list(audit.events(session))[-1]
    assert last.action == audit.SEARCH and last.actor == "nurse"
    assert str(cid) in last.objects


def test_security_prohibited_client_is_listed_with_fields_hidden(world: World) -> None:
    """AC-11: the marker always shows; the covered fields are hidden without the right."""
    clients.add_client(world.store, world.director, first_name="Helmi", last_name="Nieminen",
                       unit_oid=UNIT_A, hetu=test_hetu(5), security_prohibition=True,
                       address="Salainen 1")
    row = directory.client_directory(world.store, world.nurse)[0]
    assert row.client.security_prohibition and row.client.prohibited_hidden
    assert row.client.address is None


def test_my_units_are_the_users_units_in_order(world: World) -> None:
    assert [u.name for u in directory.my_units(world.store, world.nurse)] == ["Kotipesä"]
    assert [u.name for u in directory.my_units(world.store, world.director)] == [
        "Kotipesä", "Metsäpirtti"]


NAME = st.text(alphabet="abcxyzåäöABZÅÄÖéü", min_size=1, max_size=6)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=4))
def test_directory_is_always_in_name_order(world: World, names: list[tuple[str, str]]) -> None:
    """Whatever the names, the listing is sorted by (last, first) in the Nordic alphabet."""
    for first, last in names:
        _add(world, first.capitalize(), last.capitalize())
    rows = directory.client_directory(world.store, world.nurse)
    keys = [collation.name_key(r.client.last_name, r.client.first_name) for r in rows]
    assert keys == sorted(keys)
    assert len(rows) >= len(names)


HOUSING_SERVICE = "serviceboende_med_heldygnsomsorg"


def _with_service(w: World, first: str, last: str, *, n: int) -> tuple[int, int]:
    """A client whose relationship began a month ago, with a service started 20 days ago."""
    cid = _add(w, first, last, n=n)
    rel = clients.list_relationships(w.store, w.director, cid)[0]
    clients.set_relationship_window(w.store, w.director, relationship_id=rel.id,
                                    start_on=clock.today() - timedelta(days=30), end_on=None)
    service = social_services.start_service(w.store, w.nurse, client_id=cid,
                                            social_service=HOUSING_SERVICE,
                                            start_on=clock.today() - timedelta(days=20))
    return cid, service.id


def test_client_whose_only_service_ended_is_ended_e10(world: World) -> None:
    """Issue 4 item 4: "ended clients" are those whose service has ended (E10), even while
    the relationship window is still open; the listing carries the service's end date."""
    gone, service = _with_service(world, "Elsa", "Mäkinen", n=1)
    _add(world, "Aili", "Aho", n=2)  # no service recorded yet: still active
    end = clock.today() - timedelta(days=1)
    social_services.end_service(world.store, world.nurse, service_id=service, end_on=end,
                                grounds="Muutti omaisten luo.")
    assert _names(directory.client_directory(world.store, world.nurse)) == ["Aili Aho"]
    both = directory.client_directory(world.store, world.nurse, include_ended=True)
    assert _names(both) == ["Aili Aho", "Elsa Mäkinen"]
    ended = next(r for r in both if r.id == gone)
    assert not ended.active and ended.last_end == end


def test_service_ending_today_or_later_keeps_the_client_active(world: World) -> None:
    cid, service = _with_service(world, "Elsa", "Mäkinen", n=1)
    social_services.end_service(world.store, world.nurse, service_id=service,
                                end_on=clock.today(), grounds="Muutti omaisten luo.")
    active = directory.client_directory(world.store, world.nurse)
    assert [r.id for r in active] == [cid] and active[0].last_end is None


def test_one_running_service_keeps_the_client_active(world: World) -> None:
    cid, first = _with_service(world, "Elsa", "Mäkinen", n=1)
    social_services.end_service(world.store, world.nurse, service_id=first,
                                end_on=clock.today() - timedelta(days=2), grounds="Vaihtui.")
    social_services.start_service(world.store, world.nurse, client_id=cid,
                                  social_service=HOUSING_SERVICE,
                                  start_on=clock.today() - timedelta(days=1))
    assert [r.id for r in directory.client_directory(world.store, world.nurse)] == [cid]


def test_find_by_identity_in_own_unit_needs_no_reason_ac6(world: World) -> None:
    cid = _add(world, "Elsa", "Mäkinen", n=1)
    found = directory.find_by_identity(world.store, world.nurse, identifier=test_hetu(1).lower())
    assert found is not None and found.id == cid and found.active
    # Only the complete code finds the client.
    assert directory.find_by_identity(world.store, world.nurse,
                                      identifier=test_hetu(1)[:10]) is None


def test_find_by_identity_in_another_unit_asks_for_a_reason_and_logs_it_ac7(
        world: World) -> None:
    """AC-6/AC-7/AC-8: a worker of another unit finds the client only with a special reason,
    which is written to the usage log with the search."""
    cid = _add(world, "Elsa", "Mäkinen", n=1, unit=UNIT_A)
    with pytest.raises(NoRelevantConnectionError):
        directory.find_by_identity(world.store, world.nurse_b, identifier=test_hetu(1))
    with pytest.raises(ValidationError):
        directory.find_by_identity(world.store, world.nurse_b, identifier=test_hetu(1),
                                   special_reason="curiosity")
    found = directory.find_by_identity(world.store, world.nurse_b, identifier=test_hetu(1),
                                       special_reason="substitute")
    assert found is not None and found.id == cid
    unit_a = units.unit_by_oid(world.store, world.director, UNIT_A).id
    assert found.unit_ids == (unit_a,)
    with world.store.session() as session:
        last = list(audit.events(session))[-1]
    assert (last.action, last.actor, last.client_id, last.reason) == (
        audit.SEARCH, "nurse_b", cid, "substitute")


def test_find_by_identity_of_nobody_returns_none_and_is_logged(world: World) -> None:
    assert directory.find_by_identity(world.store, world.nurse_b,
                                      identifier=test_hetu(9)) is None
    with world.store.session() as session:
        last = list(audit.events(session))[-1]
    assert last.action == audit.SEARCH and last.actor == "nurse_b" and last.client_id is None
