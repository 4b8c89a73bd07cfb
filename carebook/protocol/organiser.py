"""Requests of the organiser tooling: the controller maintains its own register (RAR-6).

The register turns each request into a new version of the client-relationship or case
document, signed with a system signature in the author's name (MSG-24), and stores it through
the same rules as any document.
"""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from carebook.protocol.documents import CaseName, UnitPeriod
from carebook.protocol.envelope import Author, ClientPerson, ClientRef
from carebook.protocol.identifiers import Oid


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RelationshipUpdate(_Request):
    """Create or update a client's client-relationship document (new version each time).

    Adding a producer's service unit with a start date opens that producer's RAR; giving it an
    end date closes RAR after that day (RAR-5, RAR-7, RAR-8).
    """

    client: ClientPerson
    service_unit_oid: Oid = Field(description="The controller's own unit (metadata §2.1 #7).")
    social_care_start: date
    social_care_end: date | None = None
    old_relationship: bool = False
    service_units: list[UnitPeriod] = Field(default_factory=list)
    author: Author


class CaseOpen(_Request):
    """Open a case; ``case_code`` is generated under the controller's OID when omitted (ID-9)."""

    case_code: Oid | None = None
    case_name: CaseName
    service_task: str
    service_unit_oid: Oid
    members: list[ClientRef] = Field(min_length=1)
    opened_at: AwareDatetime | None = None
    author: Author


class CaseClose(_Request):
    """Close a case (status closed, end time); nothing more can be added (RAR-19)."""

    closed_at: AwareDatetime | None = None
    author: Author


class MemberAdd(_Request):
    """Add a client to a joint case from ``joined_at`` (RAR-27, RAR-28)."""

    client: ClientRef
    joined_at: AwareDatetime | None = None
    author: Author


class MemberRemove(_Request):
    """Remove a client from a joint case at ``left_at`` (RAR-28)."""

    left_at: AwareDatetime | None = None
    author: Author
