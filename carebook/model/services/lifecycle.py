"""Document lifecycle (ARCHITECTURE §4): draft → completed (signed, frozen, enqueued for
archiving) → corrected (new version) → nullified (new version marked nullified).

* Drafts are edited, completed or discarded by their author only.
* Completing signs with a system signature (signer, time, method; MSG-24, rules-documents §3.2)
  and writes an outbox row in the same transaction.
* A correction is version + 1 with reason code, corrector, corrector's title and time (MSG-12,
  rules-documents E12). A nullified document is never versioned again (MSG-11).
* Nullification is a new version in the order attachments → documents → case (MSG-13).
* Under RAR: the organiser's case code is required to complete (RAR-11); only own documents are
  versioned or nullified (RAR-17), only while the RAR window is in force (RAR-15), never in a
  closed case (RAR-19), and never case or client-relationship documents (RAR-16).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.errors import AccessDeniedError, RuleViolationError, ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, codesets, validation
from carebook.model.access import (
    READ_RECORDS,
    WRITE_RECORDS,
    StaffSession,
    check_client_access,
    require_right,
)
from carebook.model.records import DocumentRecord, Restriction
from carebook.model.services import cases, documents, lookup, plan_content, restrictions
from carebook.model.store import Store
from carebook.model.tables.case import Case
from carebook.model.tables.document import Document, DocumentClient, DocumentVersion
from carebook.model.tables.organisation import Register
from carebook.model.tables.outbox import OutboxItem
from carebook.model.tables.staff import StaffUser

SIGNATURE_METHOD = "system"  # system signature based on strong authentication (MSG-24)


def open_document(session: Session, ctx: StaffSession, document_id: int, *, right: str,
                  special_reason: str | None) -> tuple[StaffSession, Document, str | None]:
    """Refresh the session, check the role right and relevant connection for a document.

    Drafts are visible to their author only (they stay on the PC where they were written);
    restricted entry types too, and to the director (E9).
    """
    actor = require_right(session, ctx, right)
    doc = session.get(Document, document_id)
    if doc is None or not documents.may_read(actor, doc):
        raise documents.lookup_error(document_id)
    reason = check_client_access(session, actor, doc.client_id, action=right,
                                 special_reason=special_reason)
    return actor, doc, reason


def _register(session: Session, doc: Document) -> Register:
    return lookup.get(session, Register, doc.register_id, what=N_("register"))


def _audit(session: Session, actor: StaffSession, doc: Document, *, action: str,
           reason: str | None, detail: str) -> None:
    audit.record(session, actor=actor.username, action=action, client_id=doc.client_id,
                 objects=[f"{doc.oid}#{doc.current_version}"], reason=reason,
                 register=_register(session, doc).controller_oid, detail=detail)


def _require_author_draft(actor: StaffSession, doc: Document) -> None:
    if doc.state != "draft":
        raise RuleViolationError(N_("The document is completed; make a correction instead."),
                                 code="not_draft", rule="rules-documents 4.1.26")
    if doc.author_id != actor.user_id:
        raise AccessDeniedError(N_("Only the author may change a draft."), code="not_author")


def _require_case_open(session: Session, doc: Document) -> Case | None:
    case = session.get(Case, doc.case_id) if doc.case_id else None
    if case is not None and case.status != "open":
        raise RuleViolationError(N_("The case is closed; its documents cannot be changed."),
                                 code="case_closed", rule="RAR-19")
    return case


def _content_hash(doc: Document, v: DocumentVersion) -> str:
    canonical = json.dumps([doc.oid, v.version_no, v.state, v.body, v.content, v.clients,
                            v.description, v.correction_reason, v.nullification_reason],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _sign_and_enqueue(session: Session, actor: StaffSession, doc: Document,
                      v: DocumentVersion) -> None:
    now = clock.utc_now()
    v.signed_by_id, v.signed_at, v.signature_method = actor.user_id, now, SIGNATURE_METHOD
    v.updated_at = now
    v.content_hash = _content_hash(doc, v)
    session.flush()
    register = _register(session, doc)
    session.add(OutboxItem(document_version_id=v.id, register_id=register.id,
                           target_register=register.controller_oid,
                           usage_code=register.usage_code, enqueued_at=now, status="pending",
                           attempts=0))


def _refresh_members(session: Session, doc: Document, v: DocumentVersion,
                     members: list[int] | None) -> None:
    """RAR-28: a joint-case document carries the members current when it is completed."""
    if doc.case_id is None:
        return
    if members is None:
        members = cases.members(session, doc.case_id)
    if json.loads(v.clients) == members:
        return
    v.clients = json.dumps(members)
    for row in session.scalars(select(DocumentClient).where(DocumentClient.document_id
                                                            == doc.id)):
        session.delete(row)
    session.flush()
    session.add_all([DocumentClient(document_id=doc.id, client_id=m,
                                    recorded_at=doc.recorded_at) for m in members])


def _any_minor(session: Session, v: DocumentVersion) -> bool:
    return any(validation.is_minor(lookup.client(session, c).birth_date, clock.today())
               for c in json.loads(v.clients))


def complete_in_session(session: Session, actor: StaffSession, doc: Document,
                        version: DocumentVersion | None = None,
                        members: Sequence[int] | None = None) -> None:
    """Complete (sign and freeze) the author's draft ``doc`` inside an open unit of work.

    ``version`` and ``members`` may be passed when the caller has just made the draft in this
    unit of work (saves look-ups; the members are then current by construction).
    """
    _require_author_draft(actor, doc)
    case = _require_case_open(session, doc)
    documents.require_in_force(session, doc)
    if _register(session, doc).kind == "organiser" and (case is None or not case.case_code):
        raise RuleViolationError(
            N_("The organiser's case code is not known yet; the document cannot be completed "
               "before it is found in the organiser's register."), code="no_case_code",
            rule="RAR-11")
    main = session.get(Document, doc.main_document_id) if doc.main_document_id else None
    if main is not None and main.state != "completed":
        raise RuleViolationError(N_("Complete the main document before its attachment."),
                                 code="main_not_completed", rule="MSG-10")
    v = version or documents.version(session, doc)
    if doc.kind != "plan" and not v.body.strip():
        raise ValidationError(N_("The text must not be empty."), code="required")
    if doc.kind == "plan":
        # A draft may hold unfinished rows; completing checks every field (E11).
        plan = plan_content.from_json(json.loads(v.content or "{}"))
        plan_content.validate(plan, first_plan=plan.previous_review is None)
        plan_content.require_content(plan)
    _refresh_members(session, doc, v, list(members) if members is not None else None)
    # §4.1.18: guardian visibility for minors is re-checked at signing time.
    restrictions.store_on_version(v, restrictions.validate(
        restrictions.of_version(v), minor=_any_minor(session, v), on=clock.today()))
    v.state = doc.state = "completed"
    _sign_and_enqueue(session, actor, doc, v)


def complete_document(store: Store, ctx: StaffSession, *, document_id: int,
                      special_reason: str | None = None) -> DocumentRecord:
    """Complete a draft: system signature, frozen, enqueued for archiving in this transaction.

    Raises:
        AccessDeniedError: not the author, or no right.
        RuleViolationError: RAR-11 (no organiser case code), RAR-15, RAR-19.
    """
    with store.session() as session:
        actor, doc, reason = open_document(session, ctx, document_id, right=WRITE_RECORDS,
                                           special_reason=special_reason)
        complete_in_session(session, actor, doc)
        _audit(session, actor, doc, action=audit.STORE, reason=reason, detail="completed")
        return documents.to_record(session, doc, documents.version(session, doc))


def edit_draft(store: Store, ctx: StaffSession, *, document_id: int, text: str | None = None,
               restriction: Restriction | None = None,
               special_reason: str | None = None) -> DocumentRecord:
    """Change the text or restriction of the author's own draft."""
    with store.session() as session:
        actor, doc, reason = open_document(session, ctx, document_id, right=WRITE_RECORDS,
                                           special_reason=special_reason)
        _require_author_draft(actor, doc)
        v = documents.version(session, doc)
        if text is not None:
            v.body = validation.validate_text(text, field=N_("text"))
            documents.index(session, doc.id, v.body)
        if restriction is not None:
            _set_restriction(session, doc, v, restriction)
        v.updated_at = clock.utc_now()
        _audit(session, actor, doc, action=audit.STORE, reason=reason, detail="draft saved")
        return documents.to_record(session, doc, v)


def _set_restriction(session: Session, doc: Document, v: DocumentVersion,
                     restriction: Restriction) -> None:
    case = session.get(Case, doc.case_id) if doc.case_id else None
    placement_register = _register(session, doc)
    if placement_register.kind == "organiser" and restriction.guardian_code not in (None, "1"):
        raise RuleViolationError(N_("Only the organiser may restrict guardians' access."),
                                 code="guardian_by_producer", rule="RAR-20")
    restrictions.require_future_delay(restriction, before=v.delay_until, on=clock.today())
    merged = restrictions.inherit(restrictions.of_case(case), restriction) if case else (
        restriction)
    restrictions.store_on_version(v, restrictions.validate(
        merged, minor=_any_minor(session, v), on=clock.today()))


def discard_draft(store: Store, ctx: StaffSession, *, document_id: int) -> None:
    """Delete the author's own draft (never archived, so nothing else refers to it)."""
    with store.session() as session:
        actor, doc, reason = open_document(session, ctx, document_id, right=WRITE_RECORDS,
                                           special_reason=None)
        _require_author_draft(actor, doc)
        if session.scalar(select(Document.id).where(Document.main_document_id == doc.id)):
            raise RuleViolationError(N_("Remove the draft's attachments first."),
                                     code="has_attachments", rule="MSG-13")
        _audit(session, actor, doc, action=audit.STORE, reason=reason, detail="draft discarded")
        documents.index(session, doc.id, None)
        for row in session.scalars(select(DocumentClient).where(DocumentClient.document_id
                                                                == doc.id)):
            session.delete(row)
        session.delete(documents.version(session, doc))
        session.flush()
        session.delete(doc)


def _require_versionable(session: Session, doc: Document) -> None:
    if doc.state == "draft":
        raise RuleViolationError(N_("The document is a draft; edit it instead."),
                                 code="is_draft")
    if doc.state == "nullified":
        raise RuleViolationError(N_("The document is nullified; it cannot be changed."),
                                 code="nullified", rule="MSG-11")
    register = _register(session, doc)
    if register.kind == "organiser" and doc.kind in documents.ORGANISER_ONLY_KINDS:
        raise RuleViolationError(N_("Only the organiser versions this document."),
                                 code="rar_organiser_document", rule="RAR-16")
    # Who may correct or nullify: the rules bind it to the producer, not to the author. RAR-15
    # and RAR-17 allow the producer to version and nullify documents it created itself; AC-2,
    # AC-3 and AC-6 let any worker with the write right and a relevant connection (a unit of
    # the client's relationship, or a coded special reason) process them. rules-documents E13
    # records the nullifying user as stored-by of the new version. So a colleague in the same
    # unit may nullify another worker's completed note; a worker of another unit may not
    # without a special reason (checked in open_document).
    if not doc.own:
        raise RuleViolationError(
            N_("The document was made by the organiser or another producer; only its maker "
               "may correct or nullify it."), code="not_own_document", rule="RAR-17")
    _require_case_open(session, doc)
    documents.require_in_force(session, doc)


def new_version(session: Session, actor: StaffSession, doc: Document, *, state: str,
                changes: dict[str, Any]) -> DocumentVersion:
    """Version current+1 of ``doc`` copying the current one, with ``changes`` applied."""
    previous = documents.version(session, doc)
    copied = {c.key: getattr(previous, c.key) for c in DocumentVersion.__table__.columns
              if c.key not in ("id", "version_no")}
    now = clock.utc_now()
    copied.update(state=state, created_at=now, updated_at=now, stored_by_id=actor.user_id,
                  correction_reason=None, nullification_reason=None, reason_text=None,
                  signed_by_id=None, signed_at=None, signature_method=None, content_hash=None)
    copied.update(changes)
    v = DocumentVersion(version_no=previous.version_no + 1, **copied)
    session.add(v)
    doc.current_version, doc.state = v.version_no, state
    session.flush()
    return v


def correct_document(store: Store, ctx: StaffSession, *, document_id: int, reason: str,
                     text: str | None = None, content: dict[str, Any] | None = None,
                     restriction: Restriction | None = None,
                     special_reason: str | None = None) -> DocumentRecord:
    """Correct a completed document: a new signed version (+1) with reason code, corrector,
    corrector's title (in *Beskrivning av handling*) and time (MSG-12, E12).

    Raises:
        RuleViolationError: draft or nullified document, RAR-15/16/17/19.
        ValidationError: unknown or expired reason code, empty text.
    """
    code = codesets.require(codesets.CORRECTION_REASON, reason, on=clock.today(),
                            field=N_("correction reason")).key
    with store.session() as session:
        actor, doc, access_reason = open_document(session, ctx, document_id,
                                                  right=WRITE_RECORDS,
                                                  special_reason=special_reason)
        _require_versionable(session, doc)
        corrector = lookup.get(session, StaffUser, actor.user_id, what=N_("user"))
        changes: dict[str, Any] = {"correction_reason": code}
        if doc.kind != "attachment":
            changes["description"] = corrector.title
        if text is not None:
            changes["body"] = validation.validate_text(text, field=N_("text"))
            if content is None and doc.kind == "journal":
                old = json.loads(documents.version(session, doc).content or "{}")
                content = {**old, "text": changes["body"]}
        if content is not None:
            changes["content"] = json.dumps(content, ensure_ascii=False, default=str)
        v = new_version(session, actor, doc, state="completed", changes=changes)
        if restriction is not None:
            _set_restriction(session, doc, v, restriction)
        _sign_and_enqueue(session, actor, doc, v)
        documents.index(session, doc.id, v.body)
        _audit(session, actor, doc, action=audit.VERSION, reason=access_reason,
               detail=f"corrected: {code}")
        return documents.to_record(session, doc, v)


def nullify_document(store: Store, ctx: StaffSession, *, document_id: int, reason: str,
                     reason_text: str | None = None,
                     special_reason: str | None = None) -> DocumentRecord:
    """Nullify a completed document: a new version marked nullified (MSG-13).

    Attachments first: a document is not nullified while an attachment still refers to it.
    Codes are checked in simplified form (no validity date) as the archive does (MSG-13).
    """
    code = codesets.require(codesets.NULLIFICATION_REASON, reason, on=None,
                            field=N_("nullification reason")).key
    with store.session() as session:
        actor, doc, access_reason = open_document(session, ctx, document_id,
                                                  right=WRITE_RECORDS,
                                                  special_reason=special_reason)
        _require_versionable(session, doc)
        live = session.scalar(select(Document.id).where(Document.main_document_id == doc.id,
                                                        Document.state != "nullified"))
        if live is not None:
            raise RuleViolationError(
                N_("Nullify the document's attachments first (order: attachments, documents, "
                   "case)."), code="nullify_order", rule="MSG-13")
        text = validation.validate_text(reason_text or "", field=N_("reason"), required=False,
                                        max_length=validation.MAX_REASON_TEXT) or None
        v = new_version(session, actor, doc, state="nullified",
                        changes={"nullification_reason": code, "reason_text": text})
        _sign_and_enqueue(session, actor, doc, v)
        documents.index(session, doc.id, None)
        _audit(session, actor, doc, action=audit.NULLIFY, reason=access_reason,
               detail=f"nullified: {code}")
        return documents.to_record(session, doc, v)


def get_document(store: Store, ctx: StaffSession, document_id: int, *,
                 version: int | None = None,
                 special_reason: str | None = None) -> DocumentRecord:
    """One document (its current version unless ``version`` is given); logged as a read."""
    with store.session() as session:
        actor, doc, reason = open_document(session, ctx, document_id, right=READ_RECORDS,
                                           special_reason=special_reason)
        v = documents.version(session, doc, version)
        audit.record(session, actor=actor.username, action=audit.READ, client_id=doc.client_id,
                     objects=[f"{doc.oid}#{v.version_no}"], reason=reason,
                     register=_register(session, doc).controller_oid, detail="document read")
        return documents.to_record(session, doc, v)


def document_versions(store: Store, ctx: StaffSession, document_id: int, *,
                      special_reason: str | None = None) -> list[DocumentRecord]:
    """Every version of a document, oldest first (the version history, MSG-12)."""
    with store.session() as session:
        actor, doc, reason = open_document(session, ctx, document_id, right=READ_RECORDS,
                                           special_reason=special_reason)
        rows = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id
                                                             == doc.id)
                               .order_by(DocumentVersion.version_no)).all()
        audit.record(session, actor=actor.username, action=audit.READ, client_id=doc.client_id,
                     objects=[f"{doc.oid}#{v.version_no}" for v in rows], reason=reason,
                     register=_register(session, doc).controller_oid,
                     detail="version history read")
        return [documents.to_record(session, doc, v) for v in rows]
