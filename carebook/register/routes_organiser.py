"""Organiser tooling (``/v1/organiser``): the controller maintains its own register.

Authenticated as the controller; always usage situation 1 on the caller's own register (a
producer uses the same tooling for its self-paying clients' register, PRIV-2).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from carebook.protocol.codes import UsageCode
from carebook.protocol.organiser import (
    CaseClose,
    CaseOpen,
    MemberAdd,
    MemberRemove,
    RelationshipUpdate,
)
from carebook.protocol.results import CaseResult, ClientOverview, Receipt
from carebook.register import organiser, queries, service, usage_log
from carebook.register.access import Access
from carebook.register.deps import ERROR_RESPONSES, Caller, ClientPath, OidPath, now, sessions

router = APIRouter(prefix="/v1/organiser", responses=ERROR_RESPONSES, tags=["organiser"])
OWN = int(UsageCode.OWN_REGISTER)


@router.put("/relationships/{client}", response_model=Receipt)
def put_relationship(
    request: Request, client: ClientPath, body: RelationshipUpdate, caller: Caller,
) -> Receipt:
    """Create or update the client's relationship document, with producers' units and
    their start and end dates (this opens and closes RAR, RAR-5, RAR-8)."""
    return service.run_locked(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a, seq: organiser.update_relationship(
            s, a, seq, client=client, update=body))


@router.post("/cases", response_model=CaseResult, status_code=201)
def open_case(request: Request, body: CaseOpen, caller: Caller) -> CaseResult:
    """Open a case (case code generated under the caller's OID unless given, ID-9)."""
    return service.run_locked(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a, seq: organiser.open_case(s, a, seq, request=body))


@router.post("/cases/{case_code}/close", response_model=CaseResult)
def close_case(request: Request, case_code: OidPath, body: CaseClose, caller: Caller) -> CaseResult:
    """Close the case (RAR-19: nothing more can be attached to it)."""
    return service.run_locked(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a, seq: organiser.change_case(
            s, a, seq, case_code=case_code, author=body.author,
            change=lambda c: organiser.close(c, body.closed_at or a.now)))


@router.post("/cases/{case_code}/members", response_model=CaseResult)
def add_member(request: Request, case_code: OidPath, body: MemberAdd, caller: Caller) -> CaseResult:
    """Add a client to a joint case from ``joined_at`` (RAR-27, RAR-28)."""
    return service.run_locked(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a, seq: organiser.change_case(
            s, a, seq, case_code=case_code, author=body.author,
            change=lambda c: organiser.add_member(c, body.client, body.joined_at or a.now)))


@router.post("/cases/{case_code}/members/{client}/remove", response_model=CaseResult)
def remove_member(
    request: Request, case_code: OidPath, client: ClientPath, body: MemberRemove, caller: Caller,
) -> CaseResult:
    """Remove a client from a joint case at ``left_at`` (RAR-28)."""
    return service.run_locked(
        sessions(request), caller=caller.oid, register_oid=caller.oid, usage=OWN,
        now=now(request), op=lambda s, a, seq: organiser.change_case(
            s, a, seq, case_code=case_code, author=body.author,
            change=lambda c: organiser.remove_member(c, client, body.left_at or a.now)))


@router.get("/cases/{case_code}", response_model=CaseResult)
def get_case(request: Request, case_code: OidPath, caller: Caller) -> CaseResult:
    """The case's latest version."""

    def op(session: Session, access: Access) -> CaseResult:
        result = organiser.case_result(session, access.register_oid, case_code)
        usage_log.record(session, access, action="read", client=None, objects=[case_code],
                         detail={"view": "case"})
        return result

    return service.run(sessions(request), caller=caller.oid, register_oid=caller.oid,
                       usage=OWN, now=now(request), op=op)


@router.get("/clients/{client}", response_model=ClientOverview)
def client_overview(request: Request, client: ClientPath, caller: Caller) -> ClientOverview:
    """Everything current about a client: relationship, cases and latest documents."""

    def op(session: Session, access: Access) -> ClientOverview:
        rel = queries.relationship(session, access, client)
        found = queries.cases(session, access, client)
        docs = queries.documents(session, access, client, cursor=None, limit=queries.MAX_PAGE)
        return ClientOverview(register_oid=access.register_oid, client=client,
                              relationship=rel.relationship, cases=found.cases,
                              documents=docs.items)

    return service.run(sessions(request), caller=caller.oid, register_oid=caller.oid,
                       usage=OWN, now=now(request), op=op)
