"""Usage log: every read, search, store, version, nullification, export, login and failed login.

Each event is hash-chained to the one before (``hash = sha256(prev_hash || canonical row)``), so
an altered, removed or reordered row breaks the chain at that row. Events are written in the same
transaction as the work they describe, so a rolled-back action leaves no event and a committed
one always has its event.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.model.tables.audit import AuditEvent

GENESIS = "0" * 64

# Actions (stable strings; they are also export values).
READ = "read"
SEARCH = "search"
STORE = "store"
VERSION = "version"
NULLIFY = "nullify"
EXPORT = "export"
LOGIN = "login"
FAILED_LOGIN = "failed_login"
ADMIN = "admin"
ACTIONS = (READ, SEARCH, STORE, VERSION, NULLIFY, EXPORT, LOGIN, FAILED_LOGIN, ADMIN)


@dataclass(frozen=True)
class AuditRecord:
    """A usage-log event as handed to callers."""

    id: int
    at: datetime
    actor: str | None
    action: str
    client_id: int | None
    objects: tuple[str, ...]
    register: str | None
    reason: str | None
    detail: str | None


def _canonical(
    *,
    at: datetime,
    actor: str | None,
    action: str,
    client_id: int | None,
    objects: str,
    register: str | None,
    reason: str | None,
    detail: str | None,
) -> bytes:
    # The row id is part of the chain input so that reordering rows is detected too.
    body = [at.astimezone(UTC).isoformat(), actor, action, client_id, objects, register, reason,
            detail]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _chain(prev_hash: str, row_id: int, canonical: bytes) -> str:
    h = hashlib.sha256()
    h.update(prev_hash.encode())
    h.update(str(row_id).encode())
    h.update(canonical)
    return h.hexdigest()


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    client_id: int | None = None,
    objects: Sequence[str] = (),
    register: str | None = None,
    reason: str | None = None,
    detail: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event in the caller's transaction.

    Args:
        session: the unit of work the logged action runs in.
        actor: the staff username (None for system events).
        action: one of :data:`ACTIONS`.
        client_id: the client whose data was touched, if any.
        objects: OIDs or ids of the documents touched.
        register: the register (controller) concerned, if any.
        reason: special-reason code when access was without relevant connection.
        detail: a short non-personal note (never names or identity codes).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    row_id = (last.id + 1) if last else 1
    when = at or datetime.now(UTC)
    objs = json.dumps(list(objects), ensure_ascii=False)
    canonical = _canonical(at=when, actor=actor, action=action, client_id=client_id,
                           objects=objs, register=register, reason=reason, detail=detail)
    session.add(AuditEvent(
        id=row_id, at=when, actor=actor, action=action, client_id=client_id, objects=objs,
        register=register, reason=reason, detail=detail, prev_hash=prev_hash,
        hash=_chain(prev_hash, row_id, canonical),
    ))
    session.flush()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str | None = None


def verify(session: Session) -> VerifyResult:
    """Walk the chain; report the first row that was altered, removed or reordered."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if ev.id != expected_id:
            return VerifyResult(False, checked, expected_id, "missing")
        if ev.prev_hash != prev_hash:
            return VerifyResult(False, checked, ev.id, "reordered")
        at = ev.at if ev.at.tzinfo else ev.at.replace(tzinfo=UTC)
        canonical = _canonical(at=at, actor=ev.actor, action=ev.action, client_id=ev.client_id,
                               objects=ev.objects, register=ev.register, reason=ev.reason,
                               detail=ev.detail)
        if _chain(prev_hash, ev.id, canonical) != ev.hash:
            return VerifyResult(False, checked, ev.id, "altered")
        prev_hash = ev.hash
        expected_id += 1
        checked += 1
    return VerifyResult(True, checked)


def _to_record(ev: AuditEvent) -> AuditRecord:
    return AuditRecord(
        id=ev.id, at=ev.at if ev.at.tzinfo else ev.at.replace(tzinfo=UTC), actor=ev.actor,
        action=ev.action, client_id=ev.client_id, objects=tuple(json.loads(ev.objects)),
        register=ev.register, reason=ev.reason, detail=ev.detail,
    )


def events(
    session: Session,
    *,
    client_id: int | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[AuditRecord]:
    """Events in log order, filtered."""
    q = select(AuditEvent).order_by(AuditEvent.id)
    if client_id is not None:
        q = q.where(AuditEvent.client_id == client_id)
    if actor is not None:
        q = q.where(AuditEvent.actor == actor)
    if since is not None:
        q = q.where(AuditEvent.at >= since)
    if until is not None:
        q = q.where(AuditEvent.at < until)
    for ev in session.scalars(q):
        yield _to_record(ev)


CSV_HEADER = ("id", "at", "actor", "action", "client_id", "objects", "register", "reason",
              "detail")


def write_csv(rows: Iterable[AuditRecord], out: Path) -> int:
    """Write rows to ``out`` atomically (temp file, fsync, replace, 0600). Returns the count."""
    import os
    import tempfile

    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".audit-", dir=out.parent)
    count = 0
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_HEADER)
            for r in rows:
                w.writerow([r.id, r.at.isoformat(), r.actor or "", r.action,
                            "" if r.client_id is None else r.client_id, " ".join(r.objects),
                            r.register or "", r.reason or "", r.detail or ""])
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
