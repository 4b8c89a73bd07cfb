"""Usage situations (MSG-15), shared joining isolation (JOIN-2–JOIN-4) and PRIV-6."""

import pytest
from rar_world import (
    ANNA,
    HOST,
    ORGANISER,
    PRODUCER,
    TENANT_A,
    TENANT_A_UNIT,
    TENANT_B,
    Doc,
    case_open,
    doc_oid,
    make_world,
    own_register_client,
    producer_unit,
    refused,
    relationship,
)


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


def test_msg_15_usage_code_is_mandatory(world):
    """MSG-15, PH-7: every request states its usage situation."""
    world.open_rar(ANNA)
    err = refused(world.prod.cases, ORGANISER, ANNA.hetu, usage=None)
    assert (err.code, err.rule, err.status) == ("USAGE_CODE_MISSING", "MSG-15", 400)
    assert refused(world.prod.cases, ORGANISER, ANNA.hetu, usage=7).code == "USAGE_CODE_MISSING"


def test_msg_15_usage_1_is_only_for_the_callers_own_register(world):
    """MSG-15: usage 1 = own register; a producer cannot use it on the organiser's."""
    world.open_rar(ANNA)
    err = refused(world.prod.cases, ORGANISER, ANNA.hetu, usage=1)
    assert (err.code, err.rule) == ("USAGE_CODE_MISMATCH", "MSG-15")


def test_msg_15_usage_2_is_for_an_organisers_register_and_a_producer(world):
    """MSG-15: usage 2 (normal RAR) is a producer's use of an organiser's register."""
    world.open_rar(ANNA)
    own, _ = own_register_client(world, PRODUCER)
    assert refused(own.cases, PRODUCER, ANNA.hetu, usage=2).code == "USAGE_CODE_MISMATCH"
    assert refused(world.org.cases, ORGANISER, ANNA.hetu, usage=2).code == "USAGE_CODE_MISMATCH"
    assert refused(world.other.cases, PRODUCER, ANNA.hetu, usage=2).code == "USAGE_CODE_MISMATCH"


def test_msg_15_usage_3_disclosure_is_not_offered(world):
    """MSG-15, PRIV-6: usage 3 is disclosure, which needs the Consent service."""
    world.open_rar(ANNA)
    err = refused(world.prod.cases, ORGANISER, ANNA.hetu, usage=3)
    assert err.code == "USAGE_NOT_SUPPORTED" and err.rule == "PRIV-6"


def test_priv_6_private_controller_gets_no_extensive_right(world):
    """PRIV-6, EXT-1: no extensive right through a private register; none granted here."""
    world.open_rar(ANNA)
    own, _ = own_register_client(world, PRODUCER)
    err = refused(own.cases, PRODUCER, ANNA.hetu, usage=4)
    assert (err.code, err.rule) == ("EXTENSIVE_RIGHT_DENIED", "PRIV-6")
    err = refused(world.prod.cases, ORGANISER, ANNA.hetu, usage=4)
    assert (err.code, err.rule) == ("EXTENSIVE_RIGHT_DENIED", "EXT-1")


def test_priv_3_producer_keeps_its_own_register_with_usage_1(world):
    """PRIV-1–PRIV-3: a self-paying client's documents live in the producer's own register,
    kept apart from the organiser's (PRIV-8)."""
    own, code = own_register_client(world, PRODUCER)
    doc = Doc(doc_oid(1), [ANNA], code, organiser=PRODUCER, unit=PRODUCER + ".10")
    assert own.store(PRODUCER, doc.envelope(), usage=1).register_oid == PRODUCER
    assert own.documents(PRODUCER, ANNA.hetu, usage=1).items
    # the organiser does not see the producer's own register (usage 1 is own register only)
    assert refused(world.org.documents, PRODUCER, ANNA.hetu, usage=1).code == \
        "USAGE_CODE_MISMATCH"
    # and the organiser's register knows nothing of it
    world.org.put_relationship(relationship(ANNA, producer_unit()))
    assert doc.document_oid not in [d.document.document_oid for d in
                                    world.org.client_overview(ANNA.hetu).documents]


def test_join_3_tenants_see_nothing_of_each_other(world):
    """JOIN-2, JOIN-3: each tenant is a controller; shared joining gives no cross-use."""
    a, _ = own_register_client(world, TENANT_A)
    b = world.client_for(TENANT_B)
    for usage in (1, 2):
        err = refused(b.documents, TENANT_A, ANNA.hetu, usage=usage)
        assert (err.code, err.rule) == ("REGISTER_ACCESS_DENIED", "JOIN-3")
    assert a.documents(TENANT_A, ANNA.hetu, usage=1).items


def test_join_3_host_sees_nothing_of_tenants_and_tenants_nothing_of_host(world):
    """JOIN-3: the main joiner gets no right to a tenant's register, nor a tenant to its."""
    own_register_client(world, TENANT_A)
    host, _ = own_register_client(world, HOST)
    tenant = world.client_for(TENANT_A)
    for usage in (1, 2):
        assert refused(host.cases, TENANT_A, ANNA.hetu, usage=usage).code == \
            "REGISTER_ACCESS_DENIED"
        assert refused(tenant.cases, HOST, ANNA.hetu, usage=usage).code == \
            "REGISTER_ACCESS_DENIED"


def test_join_4_tenant_rar_does_not_extend_to_other_tenants(world):
    """JOIN-4: RAR through shared joining is the tenant's own; another tenant of the same
    host has no right to the organiser's register."""
    world.org.put_relationship(relationship(ANNA, producer_unit(TENANT_A_UNIT)))
    code = world.org.open_case(case_open(ANNA)).case_code
    a = world.client_for(TENANT_A)
    doc = Doc(doc_oid(1, TENANT_A), [ANNA], code, producer=TENANT_A, unit=TENANT_A_UNIT)
    assert a.store(ORGANISER, doc.envelope(), usage=2).version == 1
    b = world.client_for(TENANT_B)
    assert refused(b.documents, ORGANISER, ANNA.hetu, usage=2).code == "RAR_NOT_IN_FORCE"
    host = world.client_for(HOST)
    assert refused(host.documents, ORGANISER, ANNA.hetu, usage=2).code == "RAR_NOT_IN_FORCE"


def test_unregistered_organisation_is_refused(world):
    """A valid certificate is not enough: the register must know the organisation's kind."""
    stranger = world.client_for("1.2.246.10.9999.1")
    assert stranger.ping() == "1.2.246.10.9999.1"
    err = refused(stranger.cases, ORGANISER, ANNA.hetu, usage=2)
    assert (err.code, err.status) == ("ORG_NOT_REGISTERED", 403)
    assert refused(world.prod.cases, "1.2.246.10.4040.1", ANNA.hetu, usage=2).code == \
        "REGISTER_NOT_FOUND"
