"""Full-text index of document text (SQLite FTS5).

Alembic autogenerate does not see virtual tables, so the DDL is exposed as raw statements in
:data:`EXTRA_DDL`; the migration runs them, and ``Base.metadata.create_all`` runs them through
the ``after_create`` hook below. Rows: ``rowid`` = document id, ``body`` = the text of the
document's current version. Nullified documents are removed (MSG-13: as if they never existed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text

from carebook.model.tables.document import DocumentVersion

FTS_TABLE = "document_fts"

EXTRA_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 0')",
]


@event.listens_for(DocumentVersion.__table__, "after_create")
def _create_fts(_target: Any, connection: Any, **_kw: Any) -> None:
    for statement in EXTRA_DDL:
        connection.execute(text(statement))
