"""Machine-readable errors of the register API: the stable code list.

Every refusal is answered as ``{"error": {"code": "RAR_NOT_IN_FORCE", "rule": "RAR-5",
"message": "..."}}`` with the HTTP status below. Codes never change meaning; new ones are only
added. The desktop keys its translated texts on ``code``; ``message`` is English for logs and
operators. Authentication failures (401, ``AUTH_*``) come from ``carebook.register.auth`` and
are listed in docs/register-identity.md. The table is also in docs/register-api.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class ErrorSpec:
    """What a code means: HTTP status, the rule it enforces and an English description."""

    status: int
    rule: str | None
    description: str


ERRORS: dict[str, ErrorSpec] = {
    # Request shape and lookup
    "INVALID_REQUEST": ErrorSpec(422, None, "The request body or parameters are malformed."),
    "NOT_FOUND": ErrorSpec(404, None, "No such document, case or client relationship here."),
    "REGISTER_NOT_FOUND": ErrorSpec(404, None, "No register with that controller OID."),
    "CURSOR_INVALID": ErrorSpec(400, None, "The paging cursor was not issued by this register."),
    "ORG_NOT_REGISTERED": ErrorSpec(
        403, None, "The certificate is valid but the organisation is not registered here."),
    # Usage situation (MSG-15) and register separation
    "USAGE_CODE_MISSING": ErrorSpec(
        400, "MSG-15", "The request does not state its usage situation (1-4)."),
    "USAGE_CODE_MISMATCH": ErrorSpec(
        403, "MSG-15", "The usage situation does not fit this register and caller."),
    "USAGE_NOT_SUPPORTED": ErrorSpec(
        403, "MSG-15", "Usage situation 3 (disclosure) needs the Consent service, not offered."),
    "EXTENSIVE_RIGHT_DENIED": ErrorSpec(
        403, "PRIV-6", "No extensive right: not granted, or the controller is private."),
    "REGISTER_ACCESS_DENIED": ErrorSpec(
        403, "JOIN-3", "Parties of one shared joining may not use each other's registers."),
    # Register access right
    "RAR_NOT_IN_FORCE": ErrorSpec(
        403, "RAR-8", "No register access right in force for the caller's unit for this client."),
    "RAR_ENDED": ErrorSpec(
        403, "RAR-23", "The access right has ended; only the organiser maintains the documents."),
    "UNIT_NOT_IN_RELATIONSHIP": ErrorSpec(
        403, "RAR-13", "The document's service unit is not the caller's unit with access."),
    "PRODUCER_MISMATCH": ErrorSpec(
        403, "MSG-8", "The producer in the metadata is not the calling organisation."),
    "ORGANISER_MISMATCH": ErrorSpec(
        422, "MSG-8", "The organiser in the metadata is not this register's controller."),
    "MAINTAINED_BY_ORGANISER": ErrorSpec(
        403, "RAR-16", "Only the controller stores client-relationship and case documents."),
    "NOT_OWN_DOCUMENT": ErrorSpec(
        403, "RAR-17", "A producer versions or nullifies only documents it created."),
    "OLD_DOCUMENT_UNDER_RAR": ErrorSpec(
        403, "RAR-18", "Old client documents cannot be stored under register access right."),
    # Versions, nullification, order
    "VERSION_SEQUENCE": ErrorSpec(
        409, "MSG-11", "Version numbers start at 1 and grow by one."),
    "PREVIOUS_NULLIFIED": ErrorSpec(
        409, "MSG-11", "The previous version is nullified; no new version can follow it."),
    "VERSION_CONFLICT": ErrorSpec(
        409, "ID-12", "This document OID and version were stored with different content."),
    "DOCUMENT_OID_TAKEN": ErrorSpec(
        409, "ID-12", "The document OID is already used by another document or register."),
    "HASH_MISMATCH": ErrorSpec(
        422, None, "The content hash does not match the document sent."),
    "NULLIFY_REFERENCED": ErrorSpec(
        409, "MSG-13", "The document is still referred to; nullify what refers to it first."),
    "CASE_CLOSED": ErrorSpec(409, "RAR-19", "Nothing can be added to a closed case."),
    "STORAGE_ORDER": ErrorSpec(
        409, "MSG-10", "Store the client relationship, then the case, then the document."),
    "CASE_CODE_TAKEN": ErrorSpec(409, "ID-9", "Another case document already has this code."),
    "RELATIONSHIP_EXISTS": ErrorSpec(
        409, "MSG-18", "One client-relationship document per person per controller."),
    # Metadata and content checks
    "METADATA_MISSING": ErrorSpec(422, "MSG-8", "Mandatory metadata is missing."),
    "METADATA_NOT_ALLOWED": ErrorSpec(
        422, "MSG-7", "Metadata outside the model for this document group was sent."),
    "SOCIAL_SERVICE_MISSING": ErrorSpec(
        422, "MSG-9", "Social service is mandatory in the implementation of services."),
    "CODE_NOT_VALID": ErrorSpec(
        422, "MSG-18", "A code is unknown or not valid on the archiving date."),
    "SCHEMA_VERSION_UNSUPPORTED": ErrorSpec(
        422, "MSG-14", "Only the current and the previous schema version are accepted."),
    "IDENTITY_INVALID": ErrorSpec(
        422, "MSG-17", "The identity code is malformed or does not match the birth date."),
    "IDENTITY_MISMATCH": ErrorSpec(
        422, "MSG-17", "The identity codes differ between request, metadata and content."),
    "CASE_MEMBERS_MISMATCH": ErrorSpec(
        422, "RAR-28", "A joint-case document must list exactly the case's current members."),
    "GUARDIAN_VISIBILITY_MISSING": ErrorSpec(
        422, "MSG-17", "A minor's document must say whether guardians may see it."),
    "SIGNATURE_MISSING": ErrorSpec(422, "MSG-24", "Every archived document must be signed."),
    "INTERNAL": ErrorSpec(500, None, "The register failed; nothing was stored."),
}


class ErrorDetail(BaseModel):
    """The ``error`` object of every refusal."""

    code: str
    rule: str | None = None
    message: str


class ErrorBody(BaseModel):
    """The body of every refusal: ``{"error": {...}}``."""

    error: ErrorDetail


class RegisterError(Exception):
    """A refusal with a stable code, raised by the register and by ``RegisterClient``.

    Args:
        code: a key of :data:`ERRORS` (or an ``AUTH_*`` code from the signing check).
        message: English detail; defaults to the code's description. Never personal data.
        rule: overrides the code's default rule ID when a more specific rule applies.
        status: HTTP status; defaults to the code's status.
    """

    def __init__(
        self, code: str, message: str | None = None, *, rule: str | None = None,
        status: int | None = None,
    ) -> None:
        spec = ERRORS.get(code)
        self.code = code
        self.rule = rule or (spec.rule if spec else None)
        self.message = message or (spec.description if spec else code)
        self.status = status or (spec.status if spec else 400)
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        """The JSON body the register answers with."""
        return ErrorBody(error=ErrorDetail(code=self.code, rule=self.rule,
                                           message=self.message)).model_dump()
