"""``RegisterClient``: the register API over HTTPS for the desktop's sync and the tooling.

Every method returns protocol models or raises :class:`RegisterError` with the register's
stable code (``AUTH_*`` codes on 401 come from the signing check).
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter

from carebook.protocol.codes import USAGE_HEADER
from carebook.protocol.envelope import (
    ClientRef,
    DocumentEnvelope,
    StoreRequest,
    nullification_of,
)
from carebook.protocol.errors import RegisterError
from carebook.protocol.organiser import (
    CaseClose,
    CaseOpen,
    MemberAdd,
    MemberRemove,
    RelationshipUpdate,
)
from carebook.protocol.results import (
    CaseResult,
    CaseSearchResult,
    ClientOverview,
    DocumentPage,
    Ping,
    Receipt,
    RelationshipResult,
    StoredDocument,
    UsageLogPage,
    VersionHistory,
)

M = TypeVar("M", bound=BaseModel)
_HISTORIES = TypeAdapter(list[VersionHistory])


def _seg(value: str) -> str:
    return quote(value, safe="")


class RegisterClient:
    """A connection to one register.

    Args:
        base_url: ``https://host:port`` of the register.
        auth: request signing (``carebook.protocol.auth.OrgAuth``).
        verify: CA bundle path or SSL context used to check the register's certificate.
        timeout: seconds per request.
    """

    def __init__(
        self, base_url: str, *, auth: httpx.Auth, verify: str | ssl.SSLContext,
        timeout: float = 30.0,
    ) -> None:
        context = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        self._http = httpx.Client(base_url=base_url, auth=auth, verify=context, timeout=timeout)
        self.last_status: int | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegisterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- service -------------------------------------------------------------------------
    def ping(self) -> str:
        """The caller's OID as the register authenticated it."""
        return self._call("GET", "/v1/ping", Ping).oid

    # -- producer API --------------------------------------------------------------------
    def relationship(self, register: str, client: str, *, usage: int) -> RelationshipResult:
        """Search a client's relationship document in ``register`` (MSG-19)."""
        return self._call("GET", f"{self._reg(register)}/clients/{_seg(client)}/relationship",
                          RelationshipResult, usage=usage)

    def cases(self, register: str, client: str, *, usage: int) -> CaseSearchResult:
        """Search the client's cases (case-code discovery, RAR-11)."""
        return self._call("GET", f"{self._reg(register)}/clients/{_seg(client)}/cases",
                          CaseSearchResult, usage=usage)

    def documents(
        self, register: str, client: str, *, usage: int, cursor: str | None = None,
        limit: int = 100,
    ) -> DocumentPage:
        """One page of the client's latest documents after ``cursor``."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._call("GET", f"{self._reg(register)}/clients/{_seg(client)}/documents",
                          DocumentPage, usage=usage, params=params)

    def document(self, register: str, document_oid: str, *, usage: int) -> StoredDocument:
        """The latest version of one document."""
        return self._call("GET", f"{self._reg(register)}/documents/{_seg(document_oid)}",
                          StoredDocument, usage=usage)

    def store(self, register: str, document: DocumentEnvelope, *, usage: int,
              clients: list[str] | None = None) -> Receipt:
        """Store a version (or a nullification); the same call again returns the same receipt."""
        body = StoreRequest(clients=clients or document.client_keys, document=document)
        path = (f"{self._reg(register)}/documents/{_seg(document.document_oid)}"
                f"/versions/{document.version}")
        return self._call("PUT", path, Receipt, usage=usage, json=body.model_dump(mode="json"))

    def nullify(self, register: str, previous: DocumentEnvelope, *, reason: str, usage: int,
                at: datetime | None = None) -> Receipt:
        """Nullify ``previous`` (the latest version) by storing its nullified next version."""
        moment = at or datetime.now(UTC)
        return self.store(register, nullification_of(previous, reason=reason, at=moment),
                          usage=usage)

    # -- organiser tooling ---------------------------------------------------------------
    def put_relationship(self, update: RelationshipUpdate) -> Receipt:
        """Create or update a client's relationship document in the caller's register."""
        return self._call("PUT", f"/v1/organiser/relationships/{_seg(update.client.key)}",
                          Receipt, json=update.model_dump(mode="json"))

    def open_case(self, request: CaseOpen) -> CaseResult:
        return self._call("POST", "/v1/organiser/cases", CaseResult,
                          json=request.model_dump(mode="json"))

    def close_case(self, case_code: str, request: CaseClose) -> CaseResult:
        return self._call("POST", f"/v1/organiser/cases/{_seg(case_code)}/close", CaseResult,
                          json=request.model_dump(mode="json"))

    def add_member(self, case_code: str, request: MemberAdd) -> CaseResult:
        return self._call("POST", f"/v1/organiser/cases/{_seg(case_code)}/members", CaseResult,
                          json=request.model_dump(mode="json"))

    def remove_member(self, case_code: str, client: ClientRef | str,
                      request: MemberRemove) -> CaseResult:
        key = client.key if isinstance(client, ClientRef) else client
        return self._call(
            "POST", f"/v1/organiser/cases/{_seg(case_code)}/members/{_seg(key)}/remove",
            CaseResult, json=request.model_dump(mode="json"))

    def case(self, case_code: str) -> CaseResult:
        return self._call("GET", f"/v1/organiser/cases/{_seg(case_code)}", CaseResult)

    def client_overview(self, client: str) -> ClientOverview:
        return self._call("GET", f"/v1/organiser/clients/{_seg(client)}", ClientOverview)

    # -- archivist view ------------------------------------------------------------------
    def versions(self, document_oid: str) -> VersionHistory:
        """Every version of a document in the caller's register, nullified ones included."""
        return self._call("GET", f"/v1/archivist/documents/{_seg(document_oid)}/versions",
                          VersionHistory)

    def client_history(self, client: str) -> list[VersionHistory]:
        response = self._send("GET", f"/v1/archivist/clients/{_seg(client)}/documents")
        return _HISTORIES.validate_python(response.json())

    def usage_log(self, *, client: str | None = None, after_id: int = 0,
                  limit: int = 500) -> UsageLogPage:
        params: dict[str, Any] = {"after_id": after_id, "limit": limit}
        if client:
            params["client"] = client
        return self._call("GET", "/v1/archivist/usage-log", UsageLogPage, params=params)

    # -- plumbing ------------------------------------------------------------------------
    @staticmethod
    def _reg(register: str) -> str:
        return f"/v1/registers/{_seg(register)}"

    def _call(self, method: str, path: str, model: type[M], *, usage: int | None = None,
              **kwargs: Any) -> M:
        return model.model_validate(self._send(method, path, usage=usage, **kwargs).json())

    def _send(self, method: str, path: str, *, usage: int | None = None,
              **kwargs: Any) -> httpx.Response:
        headers = {USAGE_HEADER: str(usage)} if usage is not None else {}
        response = self._http.request(method, path, headers=headers, **kwargs)
        self.last_status = response.status_code
        if response.status_code >= 400:
            raise _error(response)
        return response


def _error(response: httpx.Response) -> RegisterError:
    try:
        detail = response.json()["error"]
        return RegisterError(str(detail["code"]), str(detail.get("message") or ""),
                             rule=detail.get("rule"), status=response.status_code)
    except (ValueError, KeyError, TypeError):
        return RegisterError("INTERNAL", f"HTTP {response.status_code}",
                             status=response.status_code)

