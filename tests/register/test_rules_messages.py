"""Messaging and archiving rules (MSG-*) enforced by the register on every store."""

from datetime import UTC, datetime

import pytest
from rar_world import (
    ANNA,
    BERTIL,
    MINOR,
    ORGANISER,
    Doc,
    case_open,
    doc_oid,
    kela_test_hetu,
    make_world,
    producer_unit,
    refused,
    relationship,
)

from carebook.protocol.codes import SCHEMA_VERSION_PREVIOUS, DocumentGroup
from carebook.protocol.envelope import Content, seal


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


@pytest.fixture
def case(world):
    return world.open_rar(ANNA)


def test_msg_11_first_version_is_one(world, case):
    """MSG-11: the first version has number 1."""
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(2))
    assert (err.code, err.rule) == ("VERSION_SEQUENCE", "MSG-11")


def test_msg_11_next_version_is_previous_plus_one(world, case):
    """MSG-11: a new version is previous + 1; gaps are refused."""
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    err = refused(world.store, doc.envelope(3))
    assert err.code == "VERSION_SEQUENCE" and "2" in err.message
    assert world.store(doc.envelope(2, text="toinen")).version == 2


def test_msg_11_no_version_after_a_nullified_one(world, case):
    """MSG-11, MSG-13: the previous version must not be nullified."""
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    world.store(doc.nullified(v1, 2))
    err = refused(world.store, doc.envelope(3, text="herätys"))
    assert (err.code, err.rule) == ("PREVIOUS_NULLIFIED", "MSG-11")


def test_msg_13_nullified_documents_are_hidden_but_kept(world, case):
    """MSG-13: stored as a new version, gone from searches and fetches, kept for the archivist."""
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    page = world.prod.documents(ORGANISER, ANNA.hetu, usage=2)
    assert doc.document_oid in [i.document.document_oid for i in page.items]
    receipt = world.store(doc.nullified(v1, 2))
    assert receipt.status == "nullified"
    page = world.prod.documents(ORGANISER, ANNA.hetu, usage=2)
    assert doc.document_oid not in [i.document.document_oid for i in page.items]
    assert page.nullified == [doc.document_oid]
    assert {i.document.document_group for i in page.items} == {
        DocumentGroup.CLIENT_RELATIONSHIP, DocumentGroup.CASE}
    assert refused(world.prod.document, ORGANISER, doc.document_oid, usage=2).code == "NOT_FOUND"
    history = world.org.versions(doc.document_oid)
    assert [(v.receipt.version, v.receipt.status) for v in history.versions] == \
        [(1, "stored"), (2, "nullified")]
    assert history.versions[1].document.nullification.reason


def test_msg_13_attachment_before_its_main_document(world, case):
    """MSG-13: order attachments → documents; never nullify what is referred to."""
    main = Doc(doc_oid(1), [ANNA], case)
    main_v1 = main.envelope()
    world.store(main_v1)
    attachment = Doc(doc_oid(2), [ANNA], case, extra={
        "document_group": DocumentGroup.PHASE2, "general_type": "annan_klienthandling",
        "specific_type": "bilaga", "main_document_oid": main.document_oid})
    att_v1 = attachment.envelope()
    world.store(att_v1)
    err = refused(world.store, main.nullified(main_v1, 2))
    assert (err.code, err.rule) == ("NULLIFY_REFERENCED", "MSG-13")
    world.store(attachment.nullified(att_v1, 2))
    assert world.store(main.nullified(main_v1, 2)).status == "nullified"


def test_msg_13_case_only_after_its_documents_then_relationship(world, case):
    """MSG-13: documents → case → client relationship, each only when unreferenced."""
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    case_doc = world.org.case(case).document.document
    case_null = case_doc.model_dump(exclude={"content_hash"})
    from carebook.protocol.envelope import Nullification

    mark = Nullification(reason="väärä asiakas", nullified_at=world.server.clock())
    case_null.update(version=case_doc.version + 1, nullification=mark)
    err = refused(world.store, seal(case_null), who=world.org, usage=1)
    assert err.code == "NULLIFY_REFERENCED"
    rel = world.org.client_overview(ANNA.hetu).relationship.document
    rel_null = rel.model_dump(exclude={"content_hash"})
    rel_null.update(version=rel.version + 1, nullification=mark)
    assert refused(world.store, seal(rel_null), who=world.org, usage=1).code == \
        "NULLIFY_REFERENCED"
    world.store(doc.nullified(v1, 2))
    assert world.store(seal(case_null), who=world.org, usage=1).status == "nullified"
    assert world.store(seal(rel_null), who=world.org, usage=1).status == "nullified"
    assert world.org.client_overview(ANNA.hetu).relationship is None


def test_msg_10_storage_order_relationship_case_document(world):
    """MSG-10: relationship → case → document."""
    err = refused(world.org.open_case, case_open(BERTIL))
    assert (err.code, err.rule) == ("STORAGE_ORDER", "MSG-10")
    world.org.put_relationship(relationship(BERTIL, producer_unit()))
    err = refused(world.store, Doc(doc_oid(1), [BERTIL], ORGANISER + ".2.5").envelope())
    assert err.code == "STORAGE_ORDER"
    code = world.org.open_case(case_open(BERTIL)).case_code
    assert world.store(Doc(doc_oid(1), [BERTIL], code).envelope()).version == 1


@pytest.mark.parametrize("missing", ["service_unit_oid", "author", "case_code", "service_task",
                                     "signature", "organiser", "specific_type"])
def test_msg_8_mandatory_metadata(world, case, missing):
    """MSG-8, MSG-9, MSG-24: service unit, author, case code, service task, signature ..."""
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(**{missing: None}))
    assert err.code in {"METADATA_MISSING", "SIGNATURE_MISSING"}
    assert err.rule in {"MSG-8", "MSG-9", "MSG-24"}
    assert err.status == 422


def test_msg_9_social_service_in_service_implementation(world, case):
    """MSG-9: social service is mandatory when the process is implementation of services."""
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(social_services=[]))
    assert (err.code, err.rule) == ("SOCIAL_SERVICE_MISSING", "MSG-9")
    doc = Doc(doc_oid(1), [ANNA], case).envelope(
        social_services=[], service_process="bedomning_av_servicebehovet")
    assert world.store(doc).version == 1


def test_msg_7_no_producer_metadata_on_a_relationship_document(world):
    """MSG-7: metadata outside the model for the group is refused (producer on a relationship
    document, §2.1 #3)."""
    world.org.put_relationship(relationship(ANNA, producer_unit()))
    stored = world.org.client_overview(ANNA.hetu).relationship.document
    data = stored.model_dump(exclude={"content_hash"})
    data.update(version=stored.version + 1, producer={"oid": ORGANISER, "name": "x"})
    err = refused(world.store, seal(data), who=world.org, usage=1)
    assert (err.code, err.rule) == ("METADATA_NOT_ALLOWED", "MSG-7")


def test_msg_7_unknown_fields_are_refused(world, case):
    """MSG-7: metadata outside the metadata model must not be sent."""
    import httpx

    doc = Doc(doc_oid(1), [ANNA], case).envelope().model_dump(mode="json")
    doc["favourite_colour"] = "blue"
    auth = world.server.auth_for("1.2.246.10.2001.1")
    with httpx.Client(base_url=world.server.url, auth=auth,
                      verify=world.server.ssl_context()) as http:
        response = http.put(f"/v1/registers/{ORGANISER}/documents/{doc['document_oid']}"
                            "/versions/1", json={"clients": [ANNA.hetu], "document": doc},
                            headers={"X-Usage-Situation": "2"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert ANNA.hetu not in response.text  # never echo identity codes


def test_msg_18_codes_must_be_valid_on_the_archiving_date(world, case):
    """MSG-18: 'Hemservice' was retired at the end of 2022; unknown codes are refused too."""
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(
        social_services=["hemservice"]))
    assert (err.code, err.rule) == ("CODE_NOT_VALID", "MSG-18")
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(service_task="nope"))
    assert err.code == "CODE_NOT_VALID"


def test_msg_18_case_name_2017_classification_ended(world):
    """MSG-18, §1.6: the 2017 case-name classification ended 31.8.2024."""
    world.org.put_relationship(relationship(BERTIL, producer_unit()))
    request = case_open(BERTIL)
    old = request.model_copy(update={"case_name": request.case_name.model_copy(
        update={"classification": "2017"})})
    assert refused(world.org.open_case, old).code == "CODE_NOT_VALID"


def test_msg_13_nullification_skips_code_checks(world, case):
    """MSG-13: code checks are relaxed when nullifying (codes may have expired since)."""
    doc = Doc(doc_oid(1), [ANNA], case)
    v1 = doc.envelope()
    world.store(v1)
    world.server.set_clock(datetime(2026, 12, 1, tzinfo=UTC))
    nullified = doc.nullified(v1, 2)
    data = nullified.model_dump(exclude={"content_hash"})
    data["content"]["schema_version"] = "2019.1"  # long unsupported
    assert world.store(seal(data)).status == "nullified"


def test_msg_14_schema_version_current_or_previous(world, case):
    """MSG-14: only the current and the previous schema version are accepted."""
    old = Content(structured={"clients": [ANNA.model_dump(mode="json")]}, xhtml="<p/>",
                  schema_version="2024.1")
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(content=old))
    assert (err.code, err.rule) == ("SCHEMA_VERSION_UNSUPPORTED", "MSG-14")
    previous = old.model_copy(update={"schema_version": SCHEMA_VERSION_PREVIOUS})
    assert world.store(Doc(doc_oid(1), [ANNA], case).envelope(content=previous)).version == 1


def test_msg_17_identity_code_identical_in_request_metadata_content(world, case):
    """MSG-17: the PIC is identical in the message, the metadata and the document."""
    doc = Doc(doc_oid(1), [ANNA], case).envelope()
    err = refused(world.prod.store, ORGANISER, doc, usage=2, clients=[BERTIL.hetu])
    assert (err.code, err.rule) == ("IDENTITY_MISMATCH", "MSG-17")
    other_content = Content(structured={"clients": [BERTIL.model_dump(mode="json")]},
                            xhtml="<p/>", schema_version=doc.content.schema_version)
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(content=other_content))
    assert err.code == "IDENTITY_MISMATCH"


def test_msg_17_identity_code_matches_birth_date(world, case):
    """MSG-17: the PIC must be in accepted form and match the birth date."""
    wrong_birth = ANNA.model_copy(update={"birth_date": ANNA.birth_date.replace(day=2)})
    content = Content(structured={"clients": [wrong_birth.model_dump(mode="json")]},
                      xhtml="<p/>", schema_version="2026.1")
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(content=content))
    assert (err.code, err.rule) == ("IDENTITY_INVALID", "MSG-17")
    bad = kela_test_hetu("01011950", 905)[:-1] + "X"
    err = refused(world.org.put_relationship, relationship(
        ANNA.model_copy(update={"hetu": bad}), producer_unit()))
    assert err.code in {"IDENTITY_INVALID", "IDENTITY_MISMATCH"}


def test_msg_17_minor_documents_carry_guardian_visibility(world):
    """MSG-17, MSG-8: a minor's documents say whether guardians may see them."""
    case = world.open_rar(MINOR)
    err = refused(world.store, Doc(doc_oid(1), [MINOR], case).envelope())
    assert (err.code, err.rule) == ("GUARDIAN_VISIBILITY_MISSING", "MSG-17")
    from carebook.protocol.envelope import Restrictions

    doc = Doc(doc_oid(1), [MINOR], case).envelope(
        restrictions=Restrictions(guardian_disclosure="1"))
    assert world.store(doc).version == 1


def test_msg_24_every_document_is_signed(world, case):
    """MSG-24: from phase 2 every archived document is signed."""
    err = refused(world.store, Doc(doc_oid(1), [ANNA], case).envelope(signature=None))
    assert (err.code, err.rule) == ("SIGNATURE_MISSING", "MSG-24")
