"""The document envelope: metadata (Kanta metadata model, rules-documents.md §2) plus content.

One envelope is one version of one document. Field names map one to one to the metadata model;
the row in §2.1 is given in each field's description. Archive-produced metadata (archiving
time, sequence) is never sent (MSG-7) and lives in :class:`~carebook.protocol.results.Receipt`.
Unknown fields are refused: metadata outside the model must not be sent (MSG-7).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from carebook.protocol.codes import DocumentGroup
from carebook.protocol.identifiers import Oid


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientRef(_Strict):
    """*Klientens personbeteckning* (§2.1 #10): a PIC or a temporary identification OID."""

    hetu: str | None = Field(default=None, max_length=11,
                             description="Personal identity code (PIC).")
    temporary_oid: Oid | None = Field(default=None, description="Temporary ID (ID-13).")

    @model_validator(mode="after")
    def _exactly_one(self) -> ClientRef:
        if (self.hetu is None) == (self.temporary_oid is None):
            raise ValueError("give exactly one of hetu and temporary_oid")
        return self

    @property
    def key(self) -> str:
        """The identity as one string (the PIC, else the temporary OID)."""
        return self.hetu or self.temporary_oid or ""


class ClientPerson(ClientRef):
    """A client as written in document content: identity, name and birth date (MSG-17)."""

    first_name: str = Field(min_length=1)
    last_name: str = Field(min_length=1)
    birth_date: date


class Organisation(_Strict):
    """An organisation's OID and name (§2.1 #1–6)."""

    oid: Oid
    name: str = Field(min_length=1)


class Author(_Strict):
    """The professional who stored the document (§2.1 #8–9), title in *Beskrivning* (E12)."""

    first_name: str = Field(min_length=1)
    last_name: str = Field(min_length=1)
    title: str | None = None


class Signature(_Strict):
    """Electronic signature data (§2.1 #27–32, E14, MSG-24)."""

    method: Literal["professional", "system", "client"]
    signer_first_name: str = Field(min_length=1)
    signer_last_name: str = Field(min_length=1)
    signer_registration_number: str | None = None
    signer_hetu: str | None = None
    identification_method: str = Field(min_length=1)
    signed_at: AwareDatetime


class Restrictions(_Strict):
    """MyKanta display control (§2.2, MSG-25) and a minor's guardian visibility (MSG-17)."""

    delayed_until: date | None = None
    delay_reasons: list[str] = Field(default_factory=list)
    reason_text: str | None = Field(default=None, max_length=500)
    special_content: bool = False
    guardian_disclosure: str | None = Field(default=None, description="Codes 1–4, table 5.4.1.")
    guardian_override_reason: str | None = None


class Correction(_Strict):
    """*Motivering för rättelse i en handling* and when (E12, MSG-12)."""

    reason: str = Field(min_length=1)
    corrected_at: AwareDatetime


class Nullification(_Strict):
    """The nullified mark of a version (E13, MSG-13): reason and time."""

    reason: str = Field(min_length=1)
    nullified_at: AwareDatetime


class Content(_Strict):
    """The document itself: structured JSON (always with an XHTML display form, MSG-5)."""

    structured: dict[str, Any] | None = None
    xhtml: str = Field(min_length=1)
    schema_version: str | None = Field(default=None, description="Structure version (MSG-14).")


class DocumentEnvelope(_Strict):
    """One version of a document with its archiving metadata.

    ``document_oid`` is the document's permanent OID (the CDA set id, ID-12 [INFERENCE]);
    ``version`` is 1 for the first version and previous + 1 after (MSG-11).
    """

    document_oid: Oid
    version: int = Field(ge=1, le=2**31 - 1)
    document_group: DocumentGroup = Field(description="§2.1 #21 Handlingsgrupp")
    general_type: str | None = Field(default=None, description="§2.1 #22")
    specific_type: str | None = Field(default=None, description="§2.1 #23")
    case_code: Oid | None = Field(default=None, description="§2.1 #11 Ärendenummer")
    linked_case_code: Oid | None = Field(default=None, description="§2.1 #16")
    main_document_oid: Oid | None = Field(default=None, description="Attachment's main (E15)")
    clients: list[ClientRef] = Field(min_length=1, description="§2.1 #10, repeated")
    organiser: Organisation | None = Field(default=None, description="§2.1 #1–2")
    producer: Organisation | None = Field(default=None, description="§2.1 #3–4")
    subcontractor: Organisation | None = Field(default=None, description="§2.1 #5–6")
    service_unit_oid: Oid | None = Field(default=None, description="§2.1 #7 Serviceenhet")
    service_process: str | None = Field(default=None, description="§2.1 #18")
    service_task: str | None = Field(default=None, description="§2.1 #19")
    social_services: list[str] = Field(default_factory=list, description="§2.1 #20")
    author: Author | None = Field(default=None, description="§2.1 #8–9 stored by")
    created_at: AwareDatetime = Field(description="Datum för upprättande av handlingen")
    signature: Signature | None = None
    restrictions: Restrictions = Field(default_factory=Restrictions)
    correction: Correction | None = None
    nullification: Nullification | None = None
    content: Content
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="See envelope_hash().")

    @property
    def set_id(self) -> str:
        """The CDA set id: the same for every version of the document (ID-12 [INFERENCE])."""
        return self.document_oid

    @property
    def client_keys(self) -> list[str]:
        """The clients' identities as strings, in order."""
        return [c.key for c in self.clients]

    @property
    def nullified(self) -> bool:
        """True when this version is the nullified mark (MSG-13)."""
        return self.nullification is not None


class StoreRequest(_Strict):
    """Body of ``PUT .../documents/{oid}/versions/{n}``: the message-level client identities
    (which must equal the metadata's and the content's, MSG-17) and the envelope.

    Nullifying is storing a new version whose envelope carries ``nullification`` (MSG-13).
    """

    clients: list[str] = Field(min_length=1)
    document: DocumentEnvelope


def envelope_hash(envelope: DocumentEnvelope | dict[str, Any]) -> str:
    """SHA-256 (hex) over the canonical JSON of the envelope without ``content_hash``.

    Both sides compute it over the parsed model, so equal documents hash equally whatever the
    JSON spacing or time-zone spelling. Storing is idempotent on (OID, version, this hash).
    """
    data = envelope.model_dump(mode="json") if isinstance(envelope, BaseModel) else envelope
    data = {k: v for k, v in data.items() if k != "content_hash"}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(fields: dict[str, Any]) -> DocumentEnvelope:
    """Build an envelope from ``fields`` (without ``content_hash``) and fill in the hash."""
    draft = DocumentEnvelope.model_validate({**fields, "content_hash": "0" * 64})
    return draft.model_copy(update={"content_hash": envelope_hash(draft)})


def nullification_of(
    previous: DocumentEnvelope, *, reason: str, at: datetime, author: Author | None = None,
    signature: Signature | None = None,
) -> DocumentEnvelope:
    """The nullified version that follows ``previous`` (MSG-13: stored as a new version with
    the nullified mark; a system signature is allowed, E13)."""
    fields = previous.model_dump(exclude={"content_hash"})
    fields.update(version=previous.version + 1,
                  nullification=Nullification(reason=reason, nullified_at=at))
    if author is not None:
        fields["author"] = author
    if signature is not None:
        fields["signature"] = signature
    return seal(fields)
