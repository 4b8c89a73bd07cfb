"""What the register answers: receipts, stored documents, search results, pages, log rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from carebook.protocol.documents import CaseBody, UnitPeriod
from carebook.protocol.envelope import DocumentEnvelope


class Receipt(BaseModel):
    """The register's acknowledgement of one stored version.

    Sending the same version again returns the identical receipt (idempotent on document OID,
    version and content hash).
    """

    register_oid: str
    document_oid: str
    version: int
    content_hash: str
    status: Literal["stored", "nullified"]
    archived_at: datetime
    sequence: int = Field(description="Position in the register's change order.")


class StoredDocument(BaseModel):
    """A version as archived: the envelope and its receipt."""

    receipt: Receipt
    document: DocumentEnvelope


class RelationshipResult(BaseModel):
    """Answer to a client-relationship search (MSG-19)."""

    register_oid: str
    client: str
    relationship: StoredDocument | None
    rar_units: list[UnitPeriod] = Field(
        default_factory=list, description="The caller's units with their RAR windows.")
    rar_in_force: bool = False


class CaseResult(BaseModel):
    """A case found in a register (case-code discovery, RAR-11, MSG-22)."""

    case_code: str
    case: CaseBody
    document: StoredDocument


class CaseSearchResult(BaseModel):
    """Answer to a case search."""

    register_oid: str
    client: str
    cases: list[CaseResult]


class DocumentPage(BaseModel):
    """One page of latest versions; nullified documents are left out (MSG-13).

    ``nullified`` lists the OIDs of documents nullified since the cursor, without content, so a
    reader can drop its copies (RAR-25). Pass ``next_cursor`` to get the next page; it is
    opaque. ``more`` is False on the last page (the cursor then marks where to resume later).
    """

    items: list[StoredDocument]
    nullified: list[str] = Field(default_factory=list)
    next_cursor: str
    more: bool


class VersionHistory(BaseModel):
    """Every version of one document, nullified ones included (archivist view, MSG-12)."""

    document_oid: str
    versions: list[StoredDocument]


class UsageLogEntry(BaseModel):
    """One row of the register's own usage log (AC-9)."""

    id: int
    at: datetime
    register_oid: str
    actor_oid: str
    usage_code: int | None
    action: Literal["store", "nullify", "search", "read", "list"]
    client: str | None
    objects: list[str]
    detail: dict[str, Any] = Field(default_factory=dict)
    user: str | None = Field(default=None, description=(
        "The individual named by the stored document (author, else signer); None for reads "
        "and searches, which are signed by the organisation only"))


class UsageLogPage(BaseModel):
    """Rows of the usage log, oldest first."""

    entries: list[UsageLogEntry]


class Ping(BaseModel):
    """Answer of ``GET /v1/ping``: who the register believes the caller is."""

    oid: str


class ClientOverview(BaseModel):
    """Organiser tooling: everything about one client in the caller's own register."""

    register_oid: str
    client: str
    relationship: StoredDocument | None
    cases: list[CaseResult]
    documents: list[StoredDocument]
