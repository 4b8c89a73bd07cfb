"""The archivist view: every version incl. nullified ones, and the register's usage log."""

import pytest
from rar_world import ANNA, BERTIL, ORGANISER, PRODUCER, Doc, doc_oid, make_world, refused


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


def test_archivist_sees_every_version_including_nullified(world):
    """MSG-12, MSG-13: old and nullified versions stay available to the controller only."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    v2 = doc.envelope(2, text="korjaus")
    world.store(v2)
    world.store(doc.nullified(v2, 3))
    history = world.org.client_history(ANNA.hetu)
    by_oid = {h.document_oid: h for h in history}
    assert [v.receipt.status for v in by_oid[doc.document_oid].versions] == \
        ["stored", "stored", "nullified"]
    assert len(history) == 3  # relationship, case, journal entry
    # the producer has no archivist view of the organiser's register: it sees its own
    # (empty) register only
    assert refused(world.prod.versions, doc.document_oid).code == "NOT_FOUND"


def test_usage_log_records_producer_searches_and_reads(world):
    """AC-9: the register logs searches, reads, stores and nullifications with the actor,
    usage situation and client."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    world.prod.cases(ORGANISER, ANNA.hetu, usage=2)
    world.prod.documents(ORGANISER, ANNA.hetu, usage=2)
    world.prod.document(ORGANISER, doc.document_oid, usage=2)
    world.store(doc.nullified(v1, 2))
    log = world.org.usage_log(client=ANNA.hetu).entries
    producer_rows = [(e.action, e.usage_code) for e in log if e.actor_oid == PRODUCER]
    assert producer_rows == [("store", 2), ("search", 2), ("search", 2), ("list", 2),
                             ("read", 2), ("nullify", 2)]
    read = next(e for e in log if e.action == "read" and e.actor_oid == PRODUCER)
    assert read.objects == [f"{doc.document_oid}/1"]
    assert all(e.register_oid == ORGANISER for e in log)


def test_usage_log_is_per_register_and_filterable(world):
    """The log belongs to the register's controller; other clients' rows are filtered out."""
    world.open_rar(ANNA)
    world.open_rar(BERTIL)
    world.prod.cases(ORGANISER, BERTIL.hetu, usage=2)
    assert {e.client for e in world.org.usage_log(client=BERTIL.hetu).entries} == {BERTIL.hetu}
    everything = world.org.usage_log().entries
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    later = world.org.usage_log(after_id=everything[-2].id).entries
    assert [e.id for e in later] == [everything[-1].id]
    assert world.prod.usage_log().entries == []  # the producer's own register: untouched
