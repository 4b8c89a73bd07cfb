"""Structured content of the maintained documents: client relationship and case (E5, E6).

These are what ``content.structured`` holds for the document groups
``klientrelationshandling`` and ``arendehandling``. The register reads RAR windows (RAR-5,
RAR-8) from the client-relationship document and status and members from the case document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from carebook.protocol.envelope import ClientPerson, ClientRef
from carebook.protocol.identifiers import Oid


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitPeriod(_Body):
    """A service unit in the client relationship with its start and end dates (E5).

    For ``role="producer"`` (or ``"subcontractor"``) the dates are the producer's register
    access right window: it starts on ``start`` and ends after ``end`` (RAR-5, RAR-8).
    """

    role: Literal["organiser", "producer", "subcontractor"]
    unit_oid: Oid
    unit_name: str = Field(min_length=1)
    producer_oid: Oid | None = None
    service_task: str | None = None
    start: date
    end: date | None = None

    def in_force_on(self, day: date) -> bool:
        """True when ``day`` lies in the window (both ends inclusive, RAR-8)."""
        return self.start <= day and (self.end is None or day <= self.end)


class ClientRelationshipBody(_Body):
    """Content of a client-relationship document (*klientrelationshandling*, E5)."""

    client: ClientPerson
    social_care_start: date
    social_care_end: date | None = None
    old_relationship: bool = False
    service_units: list[UnitPeriod] = Field(default_factory=list)


class CaseName(_Body):
    """*Ärendets namn* (§2.1 #12): classification version, code, and text for code 99."""

    classification: Literal["2023", "2017"] = "2023"
    code: str = Field(min_length=1)
    text: str | None = None


class CaseMember(_Body):
    """A client of the case with join and leave times (joint cases, RAR-27, RAR-28)."""

    client: ClientRef
    joined_at: AwareDatetime
    left_at: AwareDatetime | None = None

    def active_at(self, moment: datetime) -> bool:
        """True when the client belongs to the case at ``moment``."""
        return self.joined_at <= moment and (self.left_at is None or moment < self.left_at)


class CaseBody(_Body):
    """Content of a case document (*ärendehandling*, E6)."""

    case_name: CaseName
    service_task: str
    status: Literal["open", "closed"]
    opened_at: AwareDatetime
    closed_at: AwareDatetime | None = None
    members: list[CaseMember] = Field(min_length=1)

    def active_members(self, moment: datetime) -> set[str]:
        """Identity keys of the members at ``moment``."""
        return {m.client.key for m in self.members if m.active_at(moment)}
