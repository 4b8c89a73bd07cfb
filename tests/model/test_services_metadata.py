"""Archiving metadata (rules-documents §2, MSG-8) and client identity changes (ID-13, AC-11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from domain_fixtures import (
    ORGANISER_OID,
    PRODUCER_OID,
    UNIT_A,
    World,
    build_world,
    test_hetu,
)

from carebook.errors import AccessDeniedError, RuleViolationError, ValidationError
from carebook.model import clock
from carebook.model.services import clients, journal, lifecycle, metadata
from carebook.model.store import Store


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def test_metadata_of_an_own_register_entry_msg8(world: World) -> None:
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(1), first_name="Matti",
                             last_name="Testinen", unit_oid=UNIT_A).id
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="daily", text="Hyvä päivä", complete=True)
    meta = metadata.document_metadata(world.store, world.nurse, doc.id)
    assert (meta.organiser_oid, meta.producer_oid) == (PRODUCER_OID, PRODUCER_OID)  # PRIV-1
    assert meta.service_unit_oid == UNIT_A and meta.usage_code == 1
    assert (meta.stored_by_first_name, meta.stored_by_last_name) == ("Nina", "Hoitaja")
    assert [c.hetu for c in meta.clients] == [test_hetu(1)]
    assert meta.document_group == "Anteckning i en klientjournal"
    assert meta.general_type == "Anteckning i en klientjournal"
    assert meta.specific_type_name == "Anteckning om klientens vardag"
    assert meta.service_process and meta.service_task == "23" and meta.case_code
    assert meta.status == "ready-for-archiving" and meta.signature_method == "system"
    assert meta.signer_registration_no is None  # hidden for a system signature


def test_metadata_under_rar_names_the_organiser_and_the_producer(world: World) -> None:
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(2), first_name="Liisa",
                             last_name="Testinen", unit_oid=UNIT_A, organiser_oid=ORGANISER_OID,
                             rar_start=clock.today() - timedelta(5),
                             case_code=ORGANISER_OID + ".3.3").id
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="visit", text="Käynti", complete=True)
    gone = lifecycle.nullify_document(world.store, world.nurse, document_id=doc.id,
                                      reason="wrong-person")
    meta = metadata.document_metadata(world.store, world.nurse, doc.id)
    assert (meta.organiser_oid, meta.producer_oid, meta.usage_code) == (ORGANISER_OID,
                                                                       PRODUCER_OID, 2)
    assert meta.case_code == ORGANISER_OID + ".3.3"
    assert meta.version == gone.version == 2 and meta.status == "nullified"
    assert meta.nullification_reason == "wrong-person"


def test_temporary_id_becomes_an_identity_code_once_id13(world: World) -> None:
    temp = clients.add_client(world.store, world.director, first_name="Ilman",
                              last_name="Tunnusta", unit_oid=UNIT_A)
    made = clients.set_client_hetu(world.store, world.nurse, client_id=temp.id,
                                   hetu=test_hetu(3))
    assert made.hetu == test_hetu(3) and made.temporary_oid == temp.temporary_oid
    with pytest.raises(RuleViolationError) as err:
        clients.set_client_hetu(world.store, world.nurse, client_id=temp.id,
                                hetu=test_hetu(4))
    assert err.value.rule == "ID-13"


def test_temporary_id_birth_date_must_match_the_identity_code(world: World) -> None:
    temp = clients.add_client(world.store, world.director, first_name="Ilman",
                              last_name="Tunnusta", unit_oid=UNIT_A,
                              birth_date=date(1950, 1, 1))
    with pytest.raises(ValidationError):
        clients.set_client_hetu(world.store, world.nurse, client_id=temp.id,
                                hetu=test_hetu(5))


def test_prohibited_contact_data_changed_only_with_the_right_ac11(world: World) -> None:
    cid = clients.add_client(world.store, world.director, hetu=test_hetu(6), first_name="Sala",
                             last_name="Inen", unit_oid=UNIT_A, security_prohibition=True).id
    with pytest.raises(AccessDeniedError):
        clients.update_client(world.store, world.nurse, client_id=cid, address="Katu 2")
    renamed = clients.update_client(world.store, world.nurse, client_id=cid, last_name="Uusi")
    assert renamed.last_name == "Uusi" and renamed.security_prohibition
    lifted = clients.update_client(world.store, world.nurse, client_id=cid,
                                   security_prohibition=False)
    assert not lifted.security_prohibition and not lifted.prohibited_hidden
