"""Implementation plans (*genomförandeplan*, rules-documents E11).

One plan covers exactly one service; a review is a new plan document for the same service whose
review group records how the previous plan's goals were met (E11, L22900-22922). The plan type
follows the case's service task (e.g. *Genomförandeplan för äldreservice*).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, codesets
from carebook.model.access import READ_RECORDS, WRITE_RECORDS, StaffSession, require_right
from carebook.model.records import DocumentRecord, PlanContent, Restriction
from carebook.model.services import documents, lifecycle, plan_content
from carebook.model.store import Store
from carebook.model.tables.document import Document, DocumentVersion

ANY_PLAN = "genomforandeplan"


def record_plan(store: Store, ctx: StaffSession, *, client_id: int, plan: PlanContent,
                plan_type: str | None = None, case_id: int | None = None,
                complete: bool = False, restriction: Restriction | None = None,
                special_reason: str | None = None,
                recorded_at: datetime | None = None) -> DocumentRecord:
    """Write an implementation plan (draft unless ``complete``).

    Args:
        plan: the structured content; ``plan.previous_review`` only when an earlier plan of
            the same service exists (a review plan).
        plan_type: key of the implementation-plan types; default from the case's service task.
    """
    with store.session() as session:
        actor = require_right(session, ctx, WRITE_RECORDS)
        placement = documents.place(session, actor, client_id=client_id, case_id=case_id,
                                    special_reason=special_reason)
        earlier = session.scalar(select(Document.id).join(
            DocumentVersion, (DocumentVersion.document_id == Document.id)
            & (DocumentVersion.version_no == Document.current_version))
            .where(Document.kind == "plan", Document.client_id == client_id,
                   Document.state == "completed",
                   DocumentVersion.social_service == plan.social_service).limit(1))
        checked = plan_content.validate(plan, first_plan=earlier is None, draft=not complete)
        kind = plan_type or codesets.plan_type_for_task(placement.case.service_task) or ANY_PLAN
        if kind != ANY_PLAN:
            kind = codesets.require(codesets.PLAN_TYPE, kind, on=clock.today(),
                                    field=N_("plan type")).key
        doc, version = documents.new_document(
            session, actor, placement, kind="plan", specific_type=kind, client_id=client_id,
            body=plan_content.plain_text(checked), content=plan_content.to_json(checked),
            restriction=restriction or Restriction(), social_service=checked.social_service,
            next_review_on=checked.next_review_on, recorded_at=recorded_at)
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[f"{doc.oid}#1"], reason=placement.reason,
                     register=placement.register.controller_oid,
                     detail="plan " + ("completed" if complete else "drafted"))
        return documents.to_record(session, doc, version)


def edit_plan_draft(store: Store, ctx: StaffSession, *, document_id: int, plan: PlanContent,
                    special_reason: str | None = None) -> DocumentRecord:
    """Replace the content of the author's own plan draft."""
    with store.session() as session:
        actor, doc, reason = lifecycle.open_document(session, ctx, document_id,
                                                     right=WRITE_RECORDS,
                                                     special_reason=special_reason)
        if doc.kind != "plan":
            raise ValidationError(N_("This document is not a plan."), code="not_plan")
        lifecycle._require_author_draft(actor, doc)
        v = documents.version(session, doc)
        checked = plan_content.validate(plan, first_plan=plan.previous_review is None,
                                        draft=True)
        v.content = _dump(checked)
        v.body = plan_content.plain_text(checked)
        v.social_service, v.next_review_on = checked.social_service, checked.next_review_on
        v.updated_at = clock.utc_now()
        documents.index(session, doc.id, v.body)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=doc.client_id,
                     objects=[f"{doc.oid}#{v.version_no}"], reason=reason,
                     detail="plan draft saved")
        return documents.to_record(session, doc, v)


def correct_plan(store: Store, ctx: StaffSession, *, document_id: int, plan: PlanContent,
                 reason: str, special_reason: str | None = None) -> DocumentRecord:
    """Correct a completed plan: a new version with the new content (MSG-12).

    A correction may not empty the plan (rules-documents E11, ``plan_empty``).
    """
    checked = plan_content.validate(plan, first_plan=plan.previous_review is None)
    plan_content.require_content(checked)
    record = lifecycle.correct_document(
        store, ctx, document_id=document_id, reason=reason,
        text=plan_content.plain_text(checked) or None,
        content=plan_content.to_json(checked), special_reason=special_reason)
    with store.session() as session:
        v = session.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == document_id,
            DocumentVersion.version_no == record.version))
        assert v is not None
        v.social_service, v.next_review_on = checked.social_service, checked.next_review_on
    return record


def _dump(plan: PlanContent) -> str:
    import json

    return json.dumps(plan_content.to_json(plan), ensure_ascii=False)


def plans_due(store: Store, ctx: StaffSession, *, on: date | None = None) -> list[DocumentRecord]:
    """Completed plans of the user's clients whose next review date is on or before ``on``."""
    day = on or clock.today()
    with store.session() as session:
        actor = require_right(session, ctx, READ_RECORDS)
        rows = session.execute(
            select(Document, DocumentVersion).join(
                DocumentVersion, (DocumentVersion.document_id == Document.id)
                & (DocumentVersion.version_no == Document.current_version))
            .where(Document.kind == "plan", Document.state == "completed",
                   Document.unit_id.in_(actor.unit_ids),
                   DocumentVersion.next_review_on <= day)
            .order_by(DocumentVersion.next_review_on)).all()
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     objects=[f"{d.oid}#{v.version_no}" for d, v in rows],
                     detail="plans due for review")
        return [documents.to_record(session, d, v) for d, v in rows]
