"""The archiving outbox as seen by the sync worker (rows written by ``lifecycle``)."""

from __future__ import annotations

from sqlalchemy import select

from carebook.model import clock
from carebook.model.records import OutboxRecord
from carebook.model.store import Store
from carebook.model.tables.document import Document, DocumentVersion
from carebook.model.tables.outbox import OutboxItem


def pending_outbox(store: Store, *, limit: int = 100) -> list[OutboxRecord]:
    """Pending items in enqueue order (the worker sends them in order per client)."""
    with store.session() as session:
        rows = session.execute(
            select(OutboxItem, Document.id, Document.oid, DocumentVersion.version_no)
            .join(DocumentVersion, DocumentVersion.id == OutboxItem.document_version_id)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(OutboxItem.status == "pending").order_by(OutboxItem.id).limit(limit)
        ).all()
        return [OutboxRecord(o.id, doc_id, oid, ver, o.target_register, o.usage_code, o.status,
                             clock.as_utc(o.enqueued_at)) for o, doc_id, oid, ver in rows]
