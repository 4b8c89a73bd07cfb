"""Register access right rules, enforced by the register over HTTPS with real certificates."""

from datetime import UTC, date, datetime

import pytest
from rar_world import (
    ANNA,
    BERTIL,
    NOW,
    ORG_UNIT,
    ORGANISER,
    OTHER,
    OTHER_UNIT,
    PRODUCER,
    UNIT,
    Doc,
    doc_oid,
    make_world,
    producer_unit,
    refused,
    relationship,
)

from carebook.protocol.codes import DocumentGroup


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


def test_rar_5_no_unit_in_relationship_means_no_right(world):
    """RAR-5: RAR arises only from the producer's unit in the relationship document."""
    world.org.put_relationship(relationship(ANNA))  # no producer unit recorded
    case = world.org.open_case(__import__("rar_world").case_open(ANNA)).case_code
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope())
    assert (err.code, err.rule, err.status) == ("RAR_NOT_IN_FORCE", "RAR-5", 403)
    err = refused(world.prod.relationship, ORGANISER, ANNA.hetu, usage=2)
    assert err.code == "RAR_NOT_IN_FORCE"


def test_rar_8_window_is_checked_on_the_server_clock(world):
    """RAR-8: RAR starts on the recorded start date and ends after the recorded end date."""
    case = world.open_rar(ANNA)
    world.server.set_clock(datetime(2026, 8, 31, 20, 0, tzinfo=UTC))  # 23:00 in Finland
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope())
    assert (err.code, err.rule) == ("RAR_NOT_IN_FORCE", "RAR-8")
    world.server.set_clock(datetime(2026, 8, 31, 21, 30, tzinfo=UTC))  # 00:30 on 1.9. Finland
    assert world.store(Doc(doc_oid(1), [ANNA], case).envelope()).version == 1
    world.server.set_clock(datetime(2026, 12, 31, 12, 0, tzinfo=UTC))  # end day is inclusive
    assert world.store(Doc(doc_oid(2), [ANNA], case).envelope()).version == 1
    world.server.set_clock(datetime(2027, 1, 1, 12, 0, tzinfo=UTC))
    err = refused(world.store, Doc(doc_oid(3), [ANNA], case).envelope())
    assert err.code == "RAR_NOT_IN_FORCE"


def test_rar_8_organiser_ending_the_unit_closes_rar_at_once(world):
    """RAR-8, RAR-7: recording an end date for the unit ends RAR after that day."""
    case = world.open_rar(ANNA)
    world.store(Doc(doc_oid(1), [ANNA], case).envelope())
    world.org.put_relationship(relationship(ANNA, producer_unit(end=date(2026, 9, 30))))
    err = refused(world.store, Doc(doc_oid(2), [ANNA], case).envelope())
    assert err.code == "RAR_NOT_IN_FORCE"
    result = world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    assert result.rar_in_force is False and result.relationship is None
    assert [u.end for u in result.rar_units] == [date(2026, 9, 30)]


def test_rar_14_reads_need_rar_in_force(world):
    """RAR-14, RAR-10: searches and reads under usage 2 are checked against the window."""
    case = world.open_rar(ANNA)
    receipt = world.store(Doc(doc_oid(1), [ANNA], case).envelope())
    world.server.set_clock(datetime(2027, 2, 1, tzinfo=UTC))
    for call in (lambda: world.prod.cases(ORGANISER, ANNA.hetu, usage=2),
                 lambda: world.prod.documents(ORGANISER, ANNA.hetu, usage=2),
                 lambda: world.prod.document(ORGANISER, receipt.document_oid, usage=2)):
        assert refused(call).code == "RAR_NOT_IN_FORCE"


def test_rar_14_another_producer_without_rar_sees_nothing(world):
    """RAR-14, JOIN-4: only the producer whose unit is recorded has the right."""
    case = world.open_rar(ANNA)
    world.store(Doc(doc_oid(1), [ANNA], case).envelope())
    assert refused(world.other.documents, ORGANISER, ANNA.hetu, usage=2).code == \
        "RAR_NOT_IN_FORCE"
    other_doc = Doc(doc_oid(2, OTHER), [ANNA], case, producer=OTHER, unit=OTHER_UNIT)
    assert refused(world.store, other_doc.envelope(), who=world.other).code == "RAR_NOT_IN_FORCE"


def test_rar_13_document_unit_must_be_the_unit_with_rar(world):
    """RAR-13: the technical relevant connection is the valid unit OID in the relationship."""
    world.server.admin.add_unit(producer=PRODUCER, oid=UNIT + "1", name="Toinen yksikkö")
    case = world.open_rar(ANNA)
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case, unit=UNIT + "1").envelope())
    assert (err.code, err.rule) == ("UNIT_NOT_IN_RELATIONSHIP", "RAR-13")


def test_msg_8_producer_in_metadata_must_be_the_caller(world):
    """MSG-8: the producer metadata names the organisation that stores under RAR."""
    case = world.open_rar(ANNA)
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case, producer=OTHER).envelope())
    assert err.code == "PRODUCER_MISMATCH"


def test_rar_11_case_code_is_discovered_not_invented(world):
    """RAR-11: documents attach to the organiser's case found by searching; an invented
    case code is refused (MSG-10 storage order)."""
    case = world.open_rar(ANNA)
    found = world.prod.cases(ORGANISER, ANNA.hetu, usage=2).cases
    assert [c.case_code for c in found] == [case]
    assert found[0].case.status == "open"
    err = refused(world.store, Doc(doc_oid(1), [ANNA], PRODUCER + ".99.1").envelope())
    assert (err.code, err.rule) == ("STORAGE_ORDER", "MSG-10")


@pytest.mark.parametrize("group", [DocumentGroup.CLIENT_RELATIONSHIP, DocumentGroup.CASE])
def test_rar_16_producer_never_stores_maintained_documents(world, group):
    """RAR-16, RAR-21: client-relationship and case documents are the organiser's."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case).envelope(document_group=group)
    err = refused(world.store, doc)
    assert (err.code, err.rule) == ("MAINTAINED_BY_ORGANISER", "RAR-16")


def test_rar_21_producer_cannot_version_or_nullify_the_case_document(world):
    """RAR-16, RAR-21: not even a new version or a nullification of the organiser's case."""
    case = world.open_rar(ANNA)
    stored = world.org.case(case).document.document
    fields = stored.model_dump(exclude={"content_hash"})
    from carebook.protocol.envelope import Nullification, seal

    version2 = seal({**fields, "version": 2})
    assert refused(world.store, version2).code == "MAINTAINED_BY_ORGANISER"
    nullified = seal({**fields, "version": 2, "nullification": Nullification(
        reason="väärä", nullified_at=NOW)})
    err = refused(world.store, nullified)
    assert (err.code, err.rule) == ("MAINTAINED_BY_ORGANISER", "RAR-21")


def test_rar_15_producer_versions_and_nullifies_its_own_documents(world):
    """RAR-15: while RAR is in force the producer corrects and nullifies what it created."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    v2 = doc.envelope(2, text="Korjattu.")
    assert world.store(v2).version == 2
    receipt = world.store(doc.nullified(v2, 3))
    assert (receipt.version, receipt.status) == (3, "nullified")


def test_rar_17_producer_never_versions_others_documents(world):
    """RAR-17: not the organiser's documents and not another producer's."""
    world.server.admin.add_unit(producer=OTHER, oid=OTHER_UNIT + "2", name="x")
    case = world.open_rar(ANNA, unit=None)
    world.org.put_relationship(relationship(ANNA, producer_unit(), producer_unit(OTHER_UNIT)))
    mine = Doc(doc_oid(1), [ANNA], case)
    world.store(mine.envelope())
    theirs = Doc(doc_oid(1), [ANNA], case, producer=OTHER, unit=OTHER_UNIT)
    err = refused(world.store, theirs.envelope(2), who=world.other)
    assert (err.code, err.rule) == ("NOT_OWN_DOCUMENT", "RAR-17")
    err = refused(world.store, theirs.nullified(theirs.envelope(), 2), who=world.other)
    assert err.code == "NOT_OWN_DOCUMENT"
    # the organiser's own client document
    organisers = Doc(doc_oid(5, ORGANISER), [ANNA], case, producer=ORGANISER, unit=ORG_UNIT)
    world.store(organisers.envelope(), who=world.org, usage=1)
    assert refused(world.store, Doc(doc_oid(5, ORGANISER), [ANNA], case).envelope(2)).code == \
        "NOT_OWN_DOCUMENT"


def test_rar_23_after_rar_ends_only_the_organiser_versions(world):
    """RAR-23: the producer's document is maintained by the organiser after RAR ends."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    world.server.set_clock(datetime(2027, 3, 1, 10, 0, tzinfo=UTC))
    err = refused(world.store, doc.envelope(2, text="Myöhäinen korjaus."))
    assert (err.code, err.rule) == ("RAR_ENDED", "RAR-23")
    receipt = world.store(doc.envelope(2, text="Järjestäjän korjaus."), who=world.org, usage=1)
    assert receipt.version == 2
    history = world.org.versions(doc.document_oid)
    assert [v.receipt.version for v in history.versions] == [1, 2]


def test_rar_18_no_old_documents_under_rar(world):
    """RAR-18: old client documents cannot be stored in the organiser's register under RAR."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case).envelope(document_group=DocumentGroup.OLD)
    err = refused(world.store, doc)
    assert (err.code, err.rule) == ("OLD_DOCUMENT_UNDER_RAR", "RAR-18")


def test_rar_19_nothing_added_to_a_closed_case(world):
    """RAR-19: no new documents and no new versions once the case is closed."""
    case = world.open_rar(ANNA)
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    from rar_world import ORG_AUTHOR

    from carebook.protocol.organiser import CaseClose

    closed = world.org.close_case(case, CaseClose(author=ORG_AUTHOR))
    assert closed.case.status == "closed"
    assert world.prod.cases(ORGANISER, ANNA.hetu, usage=2).cases[0].case.status == "closed"
    err = refused(world.store, Doc(doc_oid(2), [ANNA], case).envelope())
    assert (err.code, err.rule) == ("CASE_CLOSED", "RAR-19")
    assert refused(world.store, doc.envelope(2)).code == "CASE_CLOSED"


def test_rar_28_joint_case_document_lists_all_current_members(world):
    """RAR-28, MSG-17: a joint-case document is for every current member and only them."""
    case = world.open_rar(ANNA, BERTIL)
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope())
    assert (err.code, err.rule) == ("CASE_MEMBERS_MISMATCH", "RAR-28")
    receipt = world.store(Doc(doc_oid(2), [ANNA, BERTIL], case).envelope())
    assert receipt.version == 1
    # after Bertil leaves, documents are for Anna alone; the old composition is refused
    from rar_world import ORG_AUTHOR

    from carebook.protocol.organiser import MemberRemove

    world.server.set_clock(datetime(2026, 10, 2, 9, 0, tzinfo=UTC))
    world.org.remove_member(case, BERTIL.hetu, MemberRemove(author=ORG_AUTHOR))
    err = refused(world.store, Doc(doc_oid(3), [ANNA, BERTIL], case).envelope())
    assert err.code == "CASE_MEMBERS_MISMATCH"
    assert world.store(Doc(doc_oid(4), [ANNA], case).envelope()).version == 1
    # each member finds the joint document in their own list
    bertil_docs = world.prod.documents(ORGANISER, BERTIL.hetu, usage=2).items
    assert doc_oid(2) in [i.document.document_oid for i in bertil_docs]
