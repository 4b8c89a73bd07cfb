"""Frozen records handed to callers of the services (never live ORM objects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ProducerRecord:
    id: int
    name: str
    business_id: str
    oid: str
    test_mode: bool


@dataclass(frozen=True)
class UnitRecord:
    id: int
    name: str
    oid: str
    active: bool


@dataclass(frozen=True)
class OrganiserRecord:
    id: int
    name: str
    oid: str
    business_id: str | None
    register_id: int


@dataclass(frozen=True)
class StaffRecord:
    id: int
    username: str
    first_name: str
    last_name: str
    title: str
    registration_no: str | None
    work_task: str | None
    roles: tuple[str, ...]
    unit_ids: tuple[int, ...]
    may_see_prohibited: bool
    active: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class ClientRecord:
    """A client. When the client has a security prohibition and the reader lacks the right,
    the covered fields are None and ``prohibited_hidden`` is True (AC-11); the prohibition
    flag itself is always shown."""

    id: int
    first_name: str
    last_name: str
    hetu: str | None
    temporary_oid: str | None
    birth_date: date | None
    minor: bool
    security_prohibition: bool
    prohibited_hidden: bool
    address: str | None
    municipality: str | None
    phone: str | None
    secret_phone: bool

    @property
    def identifier(self) -> str:
        """The identity code, or the temporary OID when there is none (ID-13)."""
        return self.hetu or self.temporary_oid or ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class RelationshipRecord:
    id: int
    client_id: int
    register_id: int
    register_kind: str  # "own" | "organiser"
    usage_code: int
    controller_oid: str
    unit_id: int
    unit_oid: str
    start_on: date
    end_on: date | None
    self_paying: bool
    in_force: bool


@dataclass(frozen=True)
class Restriction:
    """MyKanta display restriction and guardian visibility (rules-documents §2.2, §3.6).

    ``reasons`` are codes of *Motivering för att fördröja eller låta bli att visa en handling*;
    ``guardian_code`` is table 5.4.1 (1 = shown to guardians, the default for minors).
    """

    delay_until: date | None = None
    special_content: bool = False
    reasons: tuple[str, ...] = ()
    text: str | None = None
    guardian_code: str | None = None
    guardian_text: str | None = None
    guardian_refusal_reason: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    id: int
    register_id: int
    case_code: str | None
    name_code: str | None
    name_text: str | None
    service_task: str
    status: str
    joint: bool
    opened_at: datetime
    closed_at: datetime | None
    member_ids: tuple[int, ...]
    restriction: Restriction


@dataclass(frozen=True)
class ServiceRecord:
    id: int
    case_id: int
    client_id: int
    unit_id: int
    social_service: str
    basis: str | None
    actual_start: date
    actual_end: date | None
    end_grounds: str | None
    start_document_id: int | None
    end_document_id: int | None


@dataclass(frozen=True)
class SignatureRecord:
    """System signature of a completed version (rules-documents E14, §3.2)."""

    signer_id: int
    signer_name: str
    signer_title: str
    signed_at: datetime
    method: str


@dataclass(frozen=True)
class Participant:
    name: str
    role: str
    organisation: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Meeting:
    """*Uppgifter om den överläggning där denna plan har upprättats*: date, place, participants."""

    on: date
    place: str
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class Goal:
    """A goal of an implementation plan: name, description, methods and timetable."""

    name: str
    description: str = ""
    methods_and_timetable: str = ""


@dataclass(frozen=True)
class PreviousPlanReview:
    """*Uppnående av målen i föregående plan* (review plans only)."""

    assessment: str | None = None
    assessment_text: str = ""
    client_experience: str = ""


@dataclass(frozen=True)
class PlanContent:
    """Structured content of an implementation plan (rules-documents E11)."""

    social_service: str
    service_start: date | None = None
    service_description: str = ""
    responsible_person: str = ""
    client_situation: str = ""
    current_services: str = ""
    meetings: tuple[Meeting, ...] = ()
    goals: tuple[Goal, ...] = ()
    previous_review: PreviousPlanReview | None = None
    next_review_on: date | None = None


@dataclass(frozen=True)
class DocumentRecord:
    """One version of a document with its metadata (the current one unless asked otherwise)."""

    id: int
    oid: str
    kind: str
    specific_type: str
    version: int
    state: str
    client_ids: tuple[int, ...]
    register_id: int
    case_id: int | None
    case_code: str | None
    unit_id: int
    service_id: int | None
    main_document_id: int | None
    author_id: int
    author_name: str
    stored_by_name: str
    stored_by_title: str
    body: str
    description: str | None
    service_task: str
    service_process: str
    social_service: str | None
    recorded_at: datetime
    created_at: datetime
    updated_at: datetime
    restriction: Restriction
    signature: SignatureRecord | None
    correction_reason: str | None
    nullification_reason: str | None
    reason_text: str | None
    plan: PlanContent | None = None
    content: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page(Generic[T]):
    """A page of results, newest first; pass ``next_cursor`` back to get the next page."""

    items: tuple[T, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class SearchHit:
    document: DocumentRecord
    snippet: str


@dataclass(frozen=True)
class NoteType:
    """A journal-entry type: CLI key, names, and whether it may be used today."""

    key: str
    fi: str
    sv: str
    en: str
    valid_today: bool


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    document_id: int
    document_oid: str
    version: int
    target_register: str
    usage_code: int
    status: str
    enqueued_at: datetime


@dataclass(frozen=True)
class ClientIdentity:
    """A client as named in document metadata: identity code or temporary ID, and name."""

    client_id: int
    hetu: str | None
    temporary_oid: str | None
    first_name: str
    last_name: str

    @property
    def identifier(self) -> str:
        """The identity code once known, else the temporary ID (ID-13, rules-documents E4)."""
        return self.hetu or self.temporary_oid or ""


@dataclass(frozen=True)
class DocumentMetadata:
    """Archiving metadata of one document version (rules-documents §2; MSG-8).

    Field numbers of table 11.2.2 are given in comments. Fields the archive produces itself are
    absent (MSG-7). Signer fields are None for a system signature (L28960-29150).
    """

    document_oid: str
    version: int
    status: str  # "ready-for-archiving" | "nullified" (L25960, [GAP] exact values)
    organiser_oid: str  # 1
    organiser_name: str  # 2
    producer_oid: str | None  # 3 (not on client-relationship or case documents)
    producer_name: str | None  # 4
    service_unit_oid: str  # 7
    service_unit_name: str
    stored_by_first_name: str  # 8
    stored_by_last_name: str  # 9
    clients: tuple[ClientIdentity, ...]  # 10
    case_code: str | None  # 11
    service_process: str | None  # 18
    service_task: str  # 19
    social_service: str | None  # 20
    document_group: str  # 21
    general_type: str | None  # 22
    specific_type: str  # 23 (carebook key)
    specific_type_name: str  # 23 (Swedish name)
    signature_type: str | None  # eArkiv – Underskrift
    signature_method: str | None
    signed_at: datetime | None
    signer_registration_no: str | None  # 28 (None for a system signature)
    description: str | None  # *Beskrivning av handling*; corrector's title
    created_at: datetime  # *Datum för upprättande av handlingen*
    correction_reason: str | None
    nullification_reason: str | None
    restriction: Restriction
    usage_code: int  # MSG-15
    register_controller_oid: str
