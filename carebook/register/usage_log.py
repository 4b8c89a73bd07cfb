"""The register's own usage log (AC-9): stores, nullifications, searches and reads."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.protocol.envelope import DocumentEnvelope
from carebook.protocol.results import UsageLogEntry
from carebook.register.access import Access
from carebook.register.tables import UsageEvent


def record(
    session: Session, access: Access, *, action: str, client: str | None,
    objects: list[str], detail: dict[str, Any] | None = None,
) -> None:
    """Add one event in the caller's transaction (so a store and its log row commit together)."""
    session.add(UsageEvent(
        at=access.now, register_oid=access.register_oid, actor_oid=access.caller_oid,
        usage_code=int(access.usage), action=action, client_key=client,
        objects=json.dumps(objects), detail=json.dumps(detail or {}, sort_keys=True)))


def users_of(doc: DocumentEnvelope) -> dict[str, str]:
    """The individual users a stored document names (author, signer) for its log row (AC-9).

    Requests are signed by the organisation only; the person is known from the document's own
    metadata, so reads and searches (which carry no document) stay organisation-level.
    """
    named: dict[str, str] = {}
    if doc.author is not None:
        named["user"] = f"{doc.author.first_name} {doc.author.last_name}"
    if doc.signature is not None:
        named["signer"] = f"{doc.signature.signer_first_name} {doc.signature.signer_last_name}"
    return named


def entries(
    session: Session, register_oid: str, *, client: str | None = None, after_id: int = 0,
    limit: int = 500,
) -> list[UsageLogEntry]:
    """The register's events after ``after_id``, oldest first, optionally for one client."""
    query = (select(UsageEvent).where(UsageEvent.register_oid == register_oid,
                                      UsageEvent.id > after_id)
             .order_by(UsageEvent.id).limit(limit))
    if client is not None:
        query = query.where(UsageEvent.client_key == client)
    return [UsageLogEntry(id=e.id, at=e.at, register_oid=e.register_oid, actor_oid=e.actor_oid,
                          usage_code=e.usage_code, action=e.action,  # type: ignore[arg-type]
                          client=e.client_key, objects=json.loads(e.objects),
                          detail=detail, user=detail.get("user") or detail.get("signer"))
            for e, detail in ((e, json.loads(e.detail)) for e in session.scalars(query))]
