"""Set-up, organisation, staff and clients (issue #2 item 5; ID-4, ID-8, ID-13, RAR-8, MSG-17)."""

from __future__ import annotations

from datetime import date

import pytest
from domain_fixtures import (
    ORGANISER_OID,
    PRODUCER_OID,
    UNIT_A,
    World,
    build_world,
    make_hetu,
    test_hetu,
)

from carebook.errors import ConflictError, NotFoundError, RuleViolationError, ValidationError
from carebook.model import access, oids
from carebook.model.services import cases, clients, journal, organisers, setup, staff, units
from carebook.model.store import Store


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def test_producer_needs_a_valid_business_id_and_oid_id8_id4(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        setup.create_producer(store, name="Firma", business_id="1234567-8", oid=PRODUCER_OID,
                              test_mode=True)
    assert err.value.code == "invalid_business_id"
    with pytest.raises(ValidationError) as err:
        setup.create_producer(store, name="Firma", business_id="0737546-2", oid="1.2.x",
                              test_mode=True)
    assert err.value.code == "invalid_oid"
    made = setup.create_producer(store, name="Firma", business_id="07375462", oid=PRODUCER_OID,
                                 test_mode=False)
    assert made.business_id == "0737546-2" and not made.test_mode
    with pytest.raises(ConflictError):
        setup.create_producer(store, name="Toinen", business_id="0737546-2",
                              oid="1.2.246.10.1", test_mode=False)


def test_first_admin_only_once_and_with_admin_and_director_roles(store: Store) -> None:
    setup.create_producer(store, name="Firma", business_id="0737546-2", oid=PRODUCER_OID,
                          test_mode=True)
    admin = setup.create_first_admin(store, username="owner", first_name="Olli",
                                     last_name="Omistaja", title="Toimitusjohtaja")
    assert admin.roles == ("admin", "director")
    with pytest.raises(ConflictError):
        setup.create_first_admin(store, username="other", first_name="Otto",
                                 last_name="Toinen", title="Johtaja")
    assert access.open_session(store, "owner").roles == frozenset({"admin", "director"})


def test_production_store_rejects_test_identity_codes_msg17(store: Store) -> None:
    world = build_world(store, test_mode=False)
    with pytest.raises(ValidationError) as err:
        clients.add_client(store, world.director, hetu=test_hetu(1), first_name="Testi",
                           last_name="Henkilö", unit_oid=UNIT_A)
    assert err.value.code == "hetu_test_in_production"
    real_series = make_hetu(date(1950, 1, 1), 123)
    added = clients.add_client(store, world.director, hetu=real_series, first_name="Oikea",
                               last_name="Henkilö", unit_oid=UNIT_A)
    assert added.hetu == real_series


def test_test_store_rejects_ordinary_identity_codes_msg17(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        clients.add_client(world.store, world.director, hetu=make_hetu(date(1950, 1, 1), 123),
                           first_name="Oikea", last_name="Henkilö", unit_oid=UNIT_A)
    assert err.value.code == "hetu_not_test"


def test_client_without_identity_code_gets_a_temporary_oid_id13(world: World) -> None:
    one = clients.add_client(world.store, world.director, first_name="Ilman", last_name="Tunnusta",
                             unit_oid=UNIT_A, birth_date=date(1980, 1, 2))
    two = clients.add_client(world.store, world.director, first_name="Toinen",
                             last_name="Tunnukseton", unit_oid=UNIT_A)
    assert one.hetu is None and one.temporary_oid and two.temporary_oid
    assert one.temporary_oid != two.temporary_oid
    assert oids.is_under(one.temporary_oid, PRODUCER_OID)
    assert one.identifier == one.temporary_oid and one.birth_date == date(1980, 1, 2)


def test_same_identity_code_cannot_be_added_twice(world: World) -> None:
    clients.add_client(world.store, world.director, hetu=test_hetu(1), first_name="Eka",
                       last_name="Kerta", unit_oid=UNIT_A)
    with pytest.raises(ConflictError):
        clients.add_client(world.store, world.director, hetu=test_hetu(1), first_name="Toka",
                           last_name="Kerta", unit_oid=UNIT_A)


def test_self_paying_client_in_own_register_with_generated_case_code_priv1_id9(
        world: World) -> None:
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(2), first_name="Oma",
                             last_name="Maksaja", unit_oid=UNIT_A).id
    rel = clients.list_relationships(world.store, world.director, cid)[0]
    assert (rel.register_kind, rel.usage_code, rel.self_paying, rel.in_force) == (
        "own", 1, True, True)
    case = cases.list_cases(world.store, world.director, client_id=cid)[0]
    assert case.case_code is not None and oids.is_under(case.case_code, PRODUCER_OID)
    assert case.service_task == "23"


def test_organiser_client_mirrors_the_rar_window_rar5_rar8(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        clients.add_client(world.store, world.director, hetu=test_hetu(3), first_name="Alue",
                           last_name="Asiakas", unit_oid=UNIT_A, organiser_oid=ORGANISER_OID)
    assert err.value.rule == "RAR-8"
    with pytest.raises(NotFoundError):
        clients.add_client(world.store, world.director, hetu=test_hetu(3), first_name="Alue",
                           last_name="Asiakas", unit_oid=UNIT_A, organiser_oid="1.2.246.99",
                           rar_start=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        clients.add_client(world.store, world.director, hetu=test_hetu(3), first_name="Alue",
                           last_name="Asiakas", unit_oid=UNIT_A, organiser_oid=ORGANISER_OID,
                           rar_start=date(2026, 2, 1), rar_end=date(2026, 1, 1))
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(3), first_name="Alue",
                             last_name="Asiakas", unit_oid=UNIT_A, organiser_oid=ORGANISER_OID,
                             rar_start=date(2025, 1, 1), case_code=ORGANISER_OID + ".9.1").id
    rel = clients.list_relationships(world.store, world.director, cid)[0]
    assert (rel.register_kind, rel.usage_code, rel.controller_oid) == ("organiser", 2,
                                                                      ORGANISER_OID)
    assert cases.list_cases(world.store, world.director,
                            client_id=cid)[0].case_code == ORGANISER_OID + ".9.1"


def test_adding_a_client_at_a_foreign_unit_needs_a_special_reason_ac6(world: World) -> None:
    from carebook.errors import NoRelevantConnectionError

    with pytest.raises(NoRelevantConnectionError):
        clients.add_client(world.store, world.nurse_b, hetu=test_hetu(4), first_name="Vieras",
                           last_name="Yksikkö", unit_oid=UNIT_A)
    made = clients.add_client(world.store, world.nurse_b, hetu=test_hetu(4), first_name="Vieras",
                              last_name="Yksikkö", unit_oid=UNIT_A, special_reason="transfer")
    assert made.last_name == "Yksikkö"


def test_client_list_shows_the_users_clients_by_name(world: World) -> None:
    for n, last in enumerate(["Öhman", "Aalto", "Mäki"]):
        clients.add_client(world.store, world.director, hetu=test_hetu(20 + n),
                           first_name="Testi", last_name=last, unit_oid=UNIT_A)
    names = [c.last_name for c in clients.list_clients(world.store, world.nurse)]
    assert sorted(names) == sorted(["Öhman", "Aalto", "Mäki"])
    assert [c.last_name for c in clients.list_clients(world.store, world.nurse,
                                                      name="mäk")] == ["Mäki"]


def test_units_organisers_and_staff(world: World) -> None:
    with pytest.raises(ValidationError):
        units.add_unit(world.store, world.admin, name="Huono", oid="99.1")
    with pytest.raises(ConflictError):
        units.add_unit(world.store, world.admin, name="Sama", oid=UNIT_A)
    made = units.add_unit(world.store, world.admin, name="Uusi koti", oid=UNIT_A + "9")
    assert made.oid == UNIT_A + "9"
    assert made.id in access.open_session(world.store, "admin").unit_ids  # assign_self
    assert units.unit_by_oid(world.store, world.nurse, UNIT_A).name == "Kotipesä"
    assert [o.oid for o in organisers.list_organisers(world.store, world.nurse)] == [
        ORGANISER_OID]
    with pytest.raises(ConflictError):
        organisers.add_organiser(world.store, world.admin, name="Sama", oid=ORGANISER_OID)
    with pytest.raises(ConflictError):
        staff.add_staff(world.store, world.admin, username="nurse", first_name="Nina",
                        last_name="Kaksi", title="Hoitaja")
    with pytest.raises(ValidationError):
        staff.add_staff(world.store, world.admin, username="bad name", first_name="Nina",
                        last_name="Kaksi", title="Hoitaja")
    with pytest.raises(ValidationError):
        staff.add_staff(world.store, world.admin, username="x", first_name="Nina",
                        last_name="Kaksi", title="Hoitaja", roles=["superuser"])
    names = [s.username for s in staff.list_staff(world.store, world.admin)]
    assert names == ["admin", "clerk", "director", "nurse", "nurse_b"]
    staff.remove_staff(world.store, world.admin, username="nurse_b")
    assert "nurse_b" not in [s.username for s in staff.list_staff(world.store, world.admin)]
    gone = staff.get_staff(world.store, world.admin, "nurse_b")
    assert not gone.active and gone.roles == () and gone.unit_ids == ()


def test_second_case_with_a_coded_name_4_1_15_id9(world: World) -> None:
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(30),
                             first_name="Kaksi", last_name="Asiaa", unit_oid=UNIT_A).id
    with pytest.raises(ValidationError) as err:
        cases.open_case(world.store, world.nurse, client_id=cid, service_task="23",
                        name_code="99")
    assert err.value.code == "case_name_text"
    other = cases.open_case(world.store, world.nurse, client_id=cid, service_task="aldreservice",
                            name_code="99", name_text="Kuntoutus")
    assert other.case_code and other.name_text == "Kuntoutus" and other.service_task == "23"
    named = cases.open_case(world.store, world.nurse, client_id=cid, service_task="23",
                            name_code="vard_och_omsorg")
    assert named.name_code == "vard_och_omsorg"
    assert len(cases.list_cases(world.store, world.nurse, client_id=cid)) == 3
    with pytest.raises(RuleViolationError):  # no relationship in the organiser's register
        cases.open_case(world.store, world.nurse, client_id=cid, service_task="23",
                        organiser_oid=ORGANISER_OID)
    # With several open cases the writer must choose one.
    with pytest.raises(ValidationError) as err:
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="daily", text="x")
    assert err.value.code == "choose_case"


def test_document_unit_is_the_clients_unit_not_the_writers_id6(world: World) -> None:
    """The director works in units A and B; a unit-B client's entry names unit B."""
    from domain_fixtures import UNIT_B

    cid = clients.add_client(world.store, world.director, hetu=test_hetu(31),
                             first_name="Bee", last_name="Yksikkö", unit_oid=UNIT_B).id
    doc = journal.record_journal_entry(world.store, world.director, client_id=cid,
                                       entry_type="daily", text="x")
    assert doc.unit_id == units.unit_by_oid(world.store, world.director, UNIT_B).id


def test_alert_for_a_client_without_an_open_case_rar28(world: World) -> None:
    from carebook.model.services import relationships

    cid = clients.add_client(world.store, world.director, hetu=test_hetu(32),
                             first_name="Ilman", last_name="Asiaa", unit_oid=UNIT_A).id
    assert relationships.clients_without_open_case(world.store, world.nurse) == []
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    cases.close_case(world.store, world.nurse, case_id=case_id)
    assert relationships.clients_without_open_case(world.store, world.nurse) == [cid]
    assert relationships.clients_without_open_case(world.store, world.nurse_b) == []
