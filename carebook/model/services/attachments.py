"""Attachments (*Bilaga*, rules-documents E15): exactly one main document, a description that
names it, optional own restriction; never a plan or decision as an attachment."""

from __future__ import annotations

import base64
import hashlib
import json

from carebook.errors import RuleViolationError, ValidationError
from carebook.i18n import N_
from carebook.model import audit, validation
from carebook.model.access import READ_RECORDS, WRITE_RECORDS, StaffSession
from carebook.model.records import DocumentRecord, Restriction
from carebook.model.services import documents, lifecycle
from carebook.model.store import Store

ATTACHMENT = "bilaga"
MEDIA_TYPES = ("application/pdf", "application/xhtml+xml")  # E15: PDF/A or XHTML
MAX_BYTES = 20 * 1024 * 1024


def add_attachment(store: Store, ctx: StaffSession, *, main_document_id: int,
                   description: str, data: bytes, media_type: str = "application/pdf",
                   complete: bool = False, restriction: Restriction | None = None,
                   special_reason: str | None = None) -> DocumentRecord:
    """Attach a PDF/A or XHTML file to a journal entry (draft or completed).

    Raises:
        ValidationError: no description (§4.1.16), wrong media type, empty or too large file.
        RuleViolationError: the main document is an attachment itself or is nullified (§4.1.17).
    """
    name = validation.validate_label(description, field=N_("description"))
    if media_type not in MEDIA_TYPES:
        raise ValidationError(N_("An attachment must be PDF/A or XHTML."), code="media_type",
                              rule="rules-documents E15")
    if not data or len(data) > MAX_BYTES:
        raise ValidationError(N_("The attachment is empty or larger than 20 MB."),
                              code="attachment_size")
    with store.session() as session:
        actor, main, reason = lifecycle.open_document(session, ctx, main_document_id,
                                                      right=WRITE_RECORDS,
                                                      special_reason=special_reason)
        if main.kind != "journal" or main.state == "nullified":
            raise RuleViolationError(
                N_("An attachment belongs to exactly one journal entry that is not nullified."),
                code="attachment_main", rule="rules-documents 4.1.17")
        placement = documents.place(session, actor, client_id=main.client_id,
                                    case_id=main.case_id, special_reason=special_reason)
        doc, version = documents.new_document(
            session, actor, placement, kind="attachment", specific_type=ATTACHMENT,
            client_id=main.client_id, body=name, description=name,
            main_document_id=main.id, restriction=restriction or Restriction(),
            content={"media_type": media_type, "sha256": hashlib.sha256(data).hexdigest(),
                     "data": base64.b64encode(data).decode()})
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE,
                     client_id=main.client_id, objects=[f"{doc.oid}#1", main.oid],
                     reason=reason, register=placement.register.controller_oid,
                     detail="attachment added")
        return documents.to_record(session, doc, version)


def attachment_data(store: Store, ctx: StaffSession, document_id: int, *,
                    special_reason: str | None = None) -> tuple[str, bytes]:
    """The media type and bytes of an attachment's current version (logged as a read)."""
    with store.session() as session:
        actor, doc, reason = lifecycle.open_document(session, ctx, document_id,
                                                     right=READ_RECORDS,
                                                     special_reason=special_reason)
        if doc.kind != "attachment":
            raise documents.lookup_error(document_id)  # no attachment with this number
        v = documents.version(session, doc)
        content = json.loads(v.content)
        audit.record(session, actor=actor.username, action=audit.READ, client_id=doc.client_id,
                     objects=[f"{doc.oid}#{v.version_no}"], reason=reason,
                     detail="attachment opened")
        return str(content["media_type"]), base64.b64decode(content["data"])
