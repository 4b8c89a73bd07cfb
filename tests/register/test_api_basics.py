"""Smoke: the app over HTTPS answers ping and the organiser/producer happy path works."""

from rar_world import (
    ANNA,
    NOW,
    ORGANISER,
    PRODUCER,
    Doc,
    case_open,
    doc_oid,
    producer_unit,
    relationship,
    setup_orgs,
)

from carebook.protocol.codes import UsageCode


def test_ping_names_the_caller(register_server, client_for):
    setup_orgs(register_server.admin)
    assert client_for(PRODUCER).ping() == PRODUCER


def test_producer_stores_journal_entry_under_rar(register_server, client_for):
    """RAR-5, RAR-8: a producer with an in-force window stores into the organiser's register."""
    setup_orgs(register_server.admin)
    register_server.set_clock(NOW)
    org = client_for(ORGANISER)
    org.put_relationship(relationship(ANNA, producer_unit()))
    case = org.open_case(case_open(ANNA))
    prod = client_for(PRODUCER)
    found = prod.cases(ORGANISER, ANNA.hetu, usage=UsageCode.NORMAL_RAR)
    assert [c.case_code for c in found.cases] == [case.case_code]
    doc = Doc(doc_oid(1), [ANNA], case.case_code).envelope()
    receipt = prod.store(ORGANISER, doc, usage=UsageCode.NORMAL_RAR)
    assert receipt.version == 1 and receipt.status == "stored"
    page = prod.documents(ORGANISER, ANNA.hetu, usage=UsageCode.NORMAL_RAR)
    assert doc.document_oid in [i.document.document_oid for i in page.items]
