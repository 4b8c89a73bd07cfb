"""Archivist view (``/v1/archivist``) for the register's controller: every version,
nullified ones included (MSG-12, MSG-13), and the register's usage log (AC-9)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from carebook.protocol.codes import UsageCode
from carebook.protocol.results import UsageLogPage, VersionHistory
from carebook.register import queries, service, usage_log
from carebook.register.deps import (
    ERROR_RESPONSES,
    MAX_DB_INT,
    Caller,
    ClientPath,
    ClientQuery,
    OidPath,
    now,
    sessions,
)

router = APIRouter(prefix="/v1/archivist", responses=ERROR_RESPONSES, tags=["archivist"])
OWN = int(UsageCode.OWN_REGISTER)


@router.get("/documents/{document_oid}/versions", response_model=VersionHistory)
def document_versions(request: Request, document_oid: OidPath, caller: Caller) -> VersionHistory:
    """Every version of one document in the caller's register."""
    return service.run(sessions(request), caller=caller.oid, register_oid=caller.oid,
                       usage=OWN, now=now(request),
                       op=lambda s, a: queries.history(s, a, document_oid))


@router.get("/clients/{client}/documents", response_model=list[VersionHistory])
def client_documents(request: Request, client: ClientPath, caller: Caller) -> list[VersionHistory]:
    """Every document of a client with all versions."""
    return service.run(sessions(request), caller=caller.oid, register_oid=caller.oid,
                       usage=OWN, now=now(request),
                       op=lambda s, a: queries.client_history(s, a, client))


@router.get("/usage-log", response_model=UsageLogPage)
def read_usage_log(
    request: Request, caller: Caller, client: ClientQuery = None,
    after_id: int = Query(default=0, ge=0, le=MAX_DB_INT),
    limit: int = Query(default=500, ge=1, le=5000),
) -> UsageLogPage:
    """The register's usage log: stores, nullifications, searches and reads, oldest first."""
    return service.run(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a: UsageLogPage(entries=usage_log.entries(
            s, a.register_oid, client=client, after_id=after_id, limit=limit)))
