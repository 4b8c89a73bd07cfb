"""Journal entries (*anteckning i en klientjournal*, rules-documents E9) and the client timeline.

Fifteen entry types with short English keys (``daily`` for *Anteckning om klientens vardag*,
``service-start``, ``service-end`` …; :func:`note_types`). The start and end notes are written
by :mod:`carebook.model.services.social_services`, which also records the actual dates (E10).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, literal, select, tuple_
from sqlalchemy.orm import Session

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, codesets, validation
from carebook.model.access import READ_RECORDS, WRITE_RECORDS, StaffSession, require_right
from carebook.model.records import DocumentRecord, NoteType, Page, Restriction
from carebook.model.services import documents, lifecycle
from carebook.model.store import Store
from carebook.model.tables.case import Case
from carebook.model.tables.document import Document, DocumentClient, DocumentVersion

SERVICE_NOTES = ("service-start", "service-end")
MAX_PAGE = 200


def note_types() -> list[NoteType]:
    """The 15 journal-entry types with fi/sv/en names and whether each is valid today."""
    today = clock.today()
    return [NoteType(c.key, c.fi or c.sv, c.sv, c.en, c.valid_on(today))
            for c in codesets.codeset(codesets.JOURNAL_ENTRY_TYPE).codes]


def record_journal_entry(store: Store, ctx: StaffSession, *, client_id: int, entry_type: str,
                         text: str, special_reason: str | None = None,
                         case_id: int | None = None, complete: bool = False,
                         restriction: Restriction | None = None,
                         social_service: str | None = None,
                         recorded_at: datetime | None = None) -> DocumentRecord:
    """Write a journal entry for a client as a draft, or completed when ``complete``.

    Args:
        entry_type: a key of :func:`note_types` valid today (MSG-18).
        text: the entry's text (required).
        special_reason: special-reason code when the user has no relevant connection (AC-6).
        case_id: the case; may be left out when the client has exactly one open case.
        complete: sign and enqueue at once (journal entries are archived as soon as they are
            finished, rules-documents E9).
        restriction: MyKanta restriction of the entry; the case's is always added (§4.1.20).
        recorded_at: when the event happened (default now); orders the timeline.

    Raises:
        NoRelevantConnectionError, AccessDeniedError, ValidationError, RuleViolationError.
    """
    key = codesets.require(codesets.JOURNAL_ENTRY_TYPE, entry_type, on=clock.today(),
                           field=N_("entry type")).key
    if key in SERVICE_NOTES:
        raise ValidationError(
            N_("Start and end notes are written with 'service start' and 'service end', "
               "which also record the service's dates."), code="use_service_commands",
            rule="RAR-9")
    body = validation.validate_text(text, field=N_("text"))
    with store.session() as session:
        actor = require_right(session, ctx, WRITE_RECORDS)
        placement = documents.place(session, actor, client_id=client_id, case_id=case_id,
                                    special_reason=special_reason)
        doc, version = documents.new_document(
            session, actor, placement, kind="journal", specific_type=key, client_id=client_id,
            body=body, content={"text": body}, restriction=restriction or Restriction(),
            social_service=social_service, recorded_at=recorded_at)
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[f"{doc.oid}#1"], reason=placement.reason,
                     register=placement.register.controller_oid,
                     detail="journal entry " + ("completed" if complete else "drafted"))
        return documents.to_record(session, doc, version)


def _cursor(doc: Document) -> str:
    return f"{clock.as_utc(doc.recorded_at).isoformat()}|{doc.id}"


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, doc_id = cursor.split("|")
        return datetime.fromisoformat(at), int(doc_id)
    except ValueError:
        raise ValidationError(N_("The page cursor is not valid."), code="bad_cursor") from None


def client_timeline(store: Store, ctx: StaffSession, *, client_id: int, limit: int = 50,
                    cursor: str | None = None, kinds: tuple[str, ...] | None = None,
                    include_nullified: bool = False,
                    special_reason: str | None = None) -> Page[DocumentRecord]:
    """The client's documents, newest first, one page at a time (logged as a read).

    Nullified documents are left out as if they never existed (MSG-13) unless asked for;
    drafts are shown to their author only.
    """
    limit = max(1, min(limit, MAX_PAGE))
    with store.session() as session:
        actor = require_right(session, ctx, READ_RECORDS)
        lookup_reason = documents.place_check(session, actor, client_id, special_reason)
        q = _timeline_query(actor, client_id, kinds, include_nullified)
        if cursor:
            at, doc_id = _parse_cursor(cursor)
            q = q.where(tuple_(DocumentClient.recorded_at, DocumentClient.document_id)
                        < tuple_(at, doc_id))
        rows = [(d, v) for d, v in session.execute(q.limit(limit + 1)).all()]
        more = len(rows) > limit
        rows = rows[:limit]
        records = _records(session, rows)
        audit.record(session, actor=actor.username, action=audit.READ, client_id=client_id,
                     objects=[f"{r.oid}#{r.version}" for r in records], reason=lookup_reason,
                     detail="timeline page")
        return Page(tuple(records), _cursor(rows[-1][0]) if more else None)


def _timeline_query(actor: StaffSession, client_id: int, kinds: tuple[str, ...] | None,
                    include_nullified: bool) -> Select[Document, DocumentVersion]:
    q = (select(Document, DocumentVersion)
         .join(DocumentClient, DocumentClient.document_id == Document.id)
         .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
               & (DocumentVersion.version_no == Document.current_version))
         .where(DocumentClient.client_id == client_id)
         .where((Document.state != "draft") | (Document.author_id == actor.user_id))
         .where(Document.specific_type.not_in(documents.RESTRICTED_TYPES)
                | (Document.author_id == actor.user_id) | literal("director" in actor.roles))
         .order_by(DocumentClient.recorded_at.desc(), DocumentClient.document_id.desc()))
    if not include_nullified:
        q = q.where(Document.state != "nullified")
    if kinds:
        q = q.where(Document.kind.in_(kinds))
    return q


def _records(session: Session,
             pairs: list[tuple[Document, DocumentVersion]]) -> list[DocumentRecord]:
    user_ids = {v.author_id for _, v in pairs} | {v.stored_by_id for _, v in pairs} | {
        v.signed_by_id for _, v in pairs if v.signed_by_id}
    users = documents.users_by_id(session, user_ids)
    case_ids = {d.case_id for d, _ in pairs if d.case_id}
    codes = dict(session.execute(select(Case.id, Case.case_code)
                                 .where(Case.id.in_(case_ids))).all())
    return [documents.to_record(session, d, v, users, codes) for d, v in pairs]

