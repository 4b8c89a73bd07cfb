"""Full-text search over documents (SQLite FTS5, ``tables/search.py``).

Only documents of clients the user has a relevant connection to are searched (AC-6, AC-7); a
single client without connection may be searched with a special reason. Nullified documents
are not found (MSG-13) and drafts only by their author. Each search is logged (AC-8) with the
number of hits, never with the words searched (they may name people).
"""

from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock
from carebook.model.access import READ_RECORDS, StaffSession, check_client_access, require_right
from carebook.model.records import SearchHit
from carebook.model.services import documents
from carebook.model.store import Store
from carebook.model.tables.case import Case
from carebook.model.tables.client import ClientRelationship
from carebook.model.tables.document import Document, DocumentVersion
from carebook.model.tables.search import FTS_TABLE

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_HITS = 200


def fts_query(words: str) -> str:
    """An FTS5 query matching every word (the last one as a prefix); no operator syntax."""
    tokens = _WORD.findall(words or "")
    if not tokens:
        raise ValidationError(N_("Type at least one word to search for."), code="empty_search")
    quoted = [f'"{t}"' for t in tokens[:20]]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_entries(store: Store, ctx: StaffSession, *, query: str, client_id: int | None = None,
                   limit: int = 50, special_reason: str | None = None) -> list[SearchHit]:
    """Documents whose current text matches every word of ``query``, newest first (by
    creation)."""
    match = fts_query(query)
    limit = max(1, min(limit, MAX_HITS))
    with store.session() as session:
        actor = require_right(session, ctx, READ_RECORDS)
        reason = None
        if client_id is not None:
            reason = check_client_access(session, actor, client_id, action="search",
                                         special_reason=special_reason)
            allowed = [client_id]
        else:
            today = clock.today()
            allowed = list(session.scalars(select(ClientRelationship.client_id).where(
                ClientRelationship.unit_id.in_(actor.unit_ids),
                ClientRelationship.start_on <= today,
                (ClientRelationship.end_on.is_(None)) | (ClientRelationship.end_on >= today))
                .distinct()))
        hits = _hits(session, match, allowed, actor, limit) if allowed else []
        audit.record(session, actor=actor.username, action=audit.SEARCH, client_id=client_id,
                     objects=[h.document.oid for h in hits], reason=reason,
                     detail=f"full-text search, {len(hits)} hits")
        return hits


def _hits(session: Session, match: str, allowed: list[int], actor: StaffSession,
          limit: int) -> list[SearchHit]:
    marks = ",".join(str(int(c)) for c in allowed)
    restricted = ",".join(f"'{t}'" for t in documents.RESTRICTED_TYPES)
    rows = session.execute(text(
        f"SELECT d.id, snippet({FTS_TABLE}, 0, '[', ']', '…', 12) FROM {FTS_TABLE} "
        f"JOIN document d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH :q AND d.state != 'nullified' "
        "AND (d.state != 'draft' OR d.author_id = :me) "
        f"AND (d.specific_type NOT IN ({restricted}) OR d.author_id = :me OR :director) "
        f"AND EXISTS (SELECT 1 FROM document_client dc WHERE dc.document_id = d.id "
        f"AND dc.client_id IN ({marks})) "
        # FTS5 walks its rowids (= document ids, creation order) newest first and stops at
        # the limit, so a common word does not sort every match.
        f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT :n"),
        {"q": match, "me": actor.user_id, "n": limit,
         "director": "director" in actor.roles}).all()
    snippets = {int(r[0]): str(r[1]) for r in rows}
    if not snippets:
        return []
    pairs = session.execute(select(Document, DocumentVersion).join(
        DocumentVersion, (DocumentVersion.document_id == Document.id)
        & (DocumentVersion.version_no == Document.current_version))
        .where(Document.id.in_(snippets))).all()
    users = documents.users_by_id(session, {v.author_id for _, v in pairs}
                                  | {v.stored_by_id for _, v in pairs}
                                  | {v.signed_by_id for _, v in pairs if v.signed_by_id})
    codes = dict(session.execute(select(Case.id, Case.case_code).where(
        Case.id.in_({d.case_id for d, _ in pairs if d.case_id}))).all())
    by_id = {d.id: documents.to_record(session, d, v, users, codes) for d, v in pairs}
    return [SearchHit(by_id[i], snippets[i]) for i in snippets if i in by_id]
