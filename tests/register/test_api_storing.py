"""Idempotent storing, conflicts and incremental paging with the opaque cursor."""

import httpx
import pytest
from rar_world import (
    ANNA,
    ORGANISER,
    PRODUCER,
    Doc,
    doc_oid,
    make_world,
    own_register_client,
    refused,
)

from carebook.protocol.envelope import envelope_hash


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


@pytest.fixture
def case(world):
    return world.open_rar(ANNA)


def test_same_request_twice_gives_the_same_receipt(world, case):
    """Storing is idempotent on (document OID, version, content hash): a resend after a
    timeout yields the first receipt and stores nothing new."""
    doc = Doc(doc_oid(1), [ANNA], case).envelope()
    first = world.store(doc)
    assert world.prod.last_status == 201
    again = world.store(doc)
    assert world.prod.last_status == 200
    assert again == first
    history = world.org.versions(doc.document_oid)
    assert len(history.versions) == 1


def test_same_version_with_other_content_is_a_conflict(world, case):
    """Same OID and version with different content: VERSION_CONFLICT, nothing overwritten."""
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    err = refused(world.store, doc.envelope(text="Toinen sisältö."))
    assert (err.code, err.status) == ("VERSION_CONFLICT", 409)
    stored = world.prod.document(ORGANISER, doc.document_oid, usage=2)
    assert stored.document.content.structured["text"] == "Asiakas söi hyvin."


def test_document_oid_belongs_to_one_register(world, case):
    """ID-12: a document OID is unique everywhere; another register cannot reuse it."""
    doc = Doc(doc_oid(1), [ANNA], case)
    world.store(doc.envelope())
    own, code = own_register_client(world, PRODUCER)
    mine = Doc(doc_oid(1), [ANNA], code, organiser=PRODUCER, unit=PRODUCER + ".10")
    err = refused(own.store, PRODUCER, mine.envelope(), usage=1)
    assert err.code in {"DOCUMENT_OID_TAKEN", "VERSION_CONFLICT"}
    err = refused(own.store, PRODUCER, mine.envelope(2), usage=1)
    assert err.code == "DOCUMENT_OID_TAKEN"


def test_content_hash_must_match(world, case):
    """The receipt's hash is the document's; a wrong hash is refused before anything else."""
    doc = Doc(doc_oid(1), [ANNA], case).envelope()
    tampered = doc.model_copy(update={"content_hash": "0" * 64})
    assert refused(world.store, tampered).code == "HASH_MISMATCH"
    assert world.store(doc).content_hash == envelope_hash(doc)


def test_cursor_pages_through_everything_once(world, case):
    """Incremental listing: pages in change order, each document once, resumable later."""
    for n in range(1, 8):
        world.store(Doc(doc_oid(n), [ANNA], case).envelope())
    seen, cursor, pages = [], None, 0
    while True:
        page = world.prod.documents(ORGANISER, ANNA.hetu, usage=2, cursor=cursor, limit=3)
        seen += [i.document.document_oid for i in page.items]
        cursor, pages = page.next_cursor, pages + 1
        if not page.more:
            break
    assert pages == 3
    client_docs = [o for o in seen if o.startswith(PRODUCER)]
    assert client_docs == [doc_oid(n) for n in range(1, 8)]
    assert len(seen) == len(set(seen))
    # later: only what changed since the cursor comes back (a new version replaces v1)
    world.store(Doc(doc_oid(2), [ANNA], case).envelope(2, text="korjattu"))
    later = world.prod.documents(ORGANISER, ANNA.hetu, usage=2, cursor=cursor)
    assert [(i.document.document_oid, i.document.version) for i in later.items] == \
        [(doc_oid(2), 2)]
    assert later.more is False


def test_cursor_is_opaque_and_checked(world, case):
    """A cursor not issued by the register is refused with CURSOR_INVALID."""
    for bad in ("not-a-cursor", "eyJ2IjoyLCJzIjo1fQ"):
        err = refused(world.prod.documents, ORGANISER, ANNA.hetu, usage=2, cursor=bad)
        assert (err.code, err.status) == ("CURSOR_INVALID", 400)


def test_errors_are_machine_readable(world):
    """Every refusal is {"error": {"code", "rule", "message"}} with the documented status."""
    auth = world.server.auth_for(PRODUCER)
    with httpx.Client(base_url=world.server.url, auth=auth,
                      verify=world.server.ssl_context()) as http:
        response = http.get(f"/v1/registers/{ORGANISER}/clients/{ANNA.hetu}/cases",
                            headers={"X-Usage-Situation": "1"})
    assert response.status_code == 403
    assert response.json() == {"error": {
        "code": "USAGE_CODE_MISMATCH", "rule": "MSG-15",
        "message": "Usage situation 1 is for the caller's own register."}}


def test_unsigned_requests_are_refused(world):
    """Every route but /health and the OpenAPI document needs a signed request."""
    with httpx.Client(base_url=world.server.url, verify=world.server.ssl_context()) as http:
        assert http.get("/health").status_code == 200
        spec = http.get("/openapi.json").json()
        assert any(p.startswith("/v1/registers/") for p in spec["paths"])
        for path in ("/v1/ping", f"/v1/registers/{ORGANISER}/clients/x/cases",
                     "/v1/organiser/clients/x", "/v1/archivist/usage-log"):
            response = http.get(path)
            assert response.status_code == 401, path
            assert response.json()["error"]["code"].startswith("AUTH_")


@pytest.mark.parametrize("path", [
    f"/v1/registers/{ORGANISER}/clients/not-a-client/cases",
    "/v1/registers/1.02.3/clients/010150-901D/cases",
    f"/v1/registers/{ORGANISER}/documents/{ORGANISER}.1/versions/0",
    f"/v1/registers/{ORGANISER}/clients/010150-901D/documents?limit=100000",
    "/v1/archivist/usage-log?after_id=-1",
])
def test_malformed_paths_are_invalid_requests(world, path):
    """Identifiers are checked before they reach the database: 422, never a server error."""
    auth = world.server.auth_for(PRODUCER)
    with httpx.Client(base_url=world.server.url, auth=auth,
                      verify=world.server.ssl_context()) as http:
        method = "PUT" if "/versions/" in path else "GET"
        response = http.request(method, path, headers={"X-Usage-Situation": "2"}, json={})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_client_nullify_helper_stores_the_next_version(world, case):
    """MSG-13: RegisterClient.nullify builds the nullified next version of the latest one."""
    doc = Doc(doc_oid(1), [ANNA], case).envelope()
    world.store(doc)
    receipt = world.prod.nullify(ORGANISER, doc, reason="väärä asiakas", usage=2)
    assert (receipt.version, receipt.status) == (2, "nullified")
    assert refused(world.prod.document, ORGANISER, doc.document_oid, usage=2).code == "NOT_FOUND"
