"""Producer API (``/v1``): searches, document lists and fetches, storing and nullifying.

Every call names the register (its controller's OID) and states its usage situation in the
``X-Usage-Situation`` header (MSG-15). Nullifying is storing the next version with the
``nullification`` mark (MSG-13).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from carebook.protocol.envelope import StoreRequest
from carebook.protocol.results import (
    CaseSearchResult,
    DocumentPage,
    Ping,
    Receipt,
    RelationshipResult,
    StoredDocument,
)
from carebook.register import queries, rules, service
from carebook.register.deps import (
    ERROR_RESPONSES,
    Caller,
    ClientPath,
    OidPath,
    UsageHeader,
    VersionPath,
    now,
    sessions,
    usage_code,
)

router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
REG = "/registers/{register_oid}"


@router.get("/ping", response_model=Ping, tags=["service"])
def ping(caller: Caller) -> Ping:
    """Authenticated no-op: the caller's OID (the benchmark's baseline)."""
    return Ping(oid=caller.oid)


@router.get(REG + "/clients/{client}/relationship", response_model=RelationshipResult,
            tags=["producer"])
def search_relationship(
    request: Request, register_oid: OidPath, client: ClientPath, caller: Caller,
    usage: UsageHeader = None,
) -> RelationshipResult:
    """The client's client-relationship document and the caller's RAR windows (MSG-19)."""
    return service.run(sessions(request), caller=caller.oid, register_oid=register_oid,
                       usage=usage_code(usage), now=now(request),
                       op=lambda s, a: queries.relationship(s, a, client))


@router.get(REG + "/clients/{client}/cases", response_model=CaseSearchResult, tags=["producer"])
def search_cases(
    request: Request, register_oid: OidPath, client: ClientPath, caller: Caller,
    usage: UsageHeader = None,
) -> CaseSearchResult:
    """The client's cases with their codes: case-code discovery under RAR (RAR-11)."""
    return service.run(sessions(request), caller=caller.oid, register_oid=register_oid,
                       usage=usage_code(usage), now=now(request),
                       op=lambda s, a: queries.cases(s, a, client))


@router.get(REG + "/clients/{client}/documents", response_model=DocumentPage, tags=["producer"])
def list_documents(
    request: Request, register_oid: OidPath, client: ClientPath, caller: Caller,
    usage: UsageHeader = None,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=100, ge=1, le=queries.MAX_PAGE),
) -> DocumentPage:
    """Latest versions of the client's documents after ``cursor``; nullified left out."""
    return service.run(sessions(request), caller=caller.oid, register_oid=register_oid,
                       usage=usage_code(usage), now=now(request),
                       op=lambda s, a: queries.documents(s, a, client, cursor=cursor,
                                                         limit=limit))


@router.get(REG + "/documents/{document_oid}", response_model=StoredDocument, tags=["producer"])
def fetch_document(
    request: Request, register_oid: OidPath, document_oid: OidPath, caller: Caller,
    usage: UsageHeader = None,
) -> StoredDocument:
    """The latest version of a document (not found once nullified, MSG-13)."""
    return service.run(sessions(request), caller=caller.oid, register_oid=register_oid,
                       usage=usage_code(usage), now=now(request),
                       op=lambda s, a: queries.document(s, a, document_oid))


@router.put(REG + "/documents/{document_oid}/versions/{version}", response_model=Receipt,
            status_code=201, tags=["producer"],
            responses={200: {"model": Receipt, "description": "Repeat of a stored version"}})
def store_version(
    request: Request, response: Response, register_oid: OidPath, document_oid: OidPath,
    version: VersionPath,
    body: StoreRequest, caller: Caller, usage: UsageHeader = None,
) -> Receipt:
    """Store a document (version 1), a new version, or a nullification (a version with the
    ``nullification`` mark). 201 when stored now, 200 with the same receipt on a repeat."""
    rules.check_shape(body, document_oid=document_oid, version=version)
    receipt, new = service.store(sessions(request), caller=caller.oid,
                                 register_oid=register_oid, usage=usage_code(usage),
                                 now=now(request), request=body)
    response.status_code = 201 if new else 200
    return receipt
