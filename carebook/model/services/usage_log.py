"""Reading and verifying the usage log (AC-8): for the responsible director and administrators.

Reading the log is itself logged (the log shows who looked at whose data).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, collation
from carebook.model.access import READ_USAGE_LOG, StaffSession, require_right
from carebook.model.audit import AuditRecord, VerifyResult
from carebook.model.store import Store
from carebook.model.tables.staff import StaffUser


def usage_log(store: Store, ctx: StaffSession, *, client_id: int | None = None,
              actor: str | None = None, since: datetime | None = None,
              until: datetime | None = None) -> list[AuditRecord]:
    """Usage-log events filtered by client, acting user and time (``since`` ≤ at < ``until``).

    Raises:
        AccessDeniedError: the user is neither director nor administrator.
    """
    with store.session() as session:
        reader = require_right(session, ctx, READ_USAGE_LOG)
        rows = list(audit.events(session, client_id=client_id, actor=actor, since=_utc(since),
                                 until=_utc(until)))
        audit.record(session, actor=reader.username, action=audit.READ, client_id=client_id,
                     detail=f"usage log read, {len(rows)} events")
        return rows


def verify_usage_log(store: Store, ctx: StaffSession) -> VerifyResult:
    """Walk the hash chain; the result names the first altered, removed or reordered row."""
    with store.session() as session:
        reader = require_right(session, ctx, READ_USAGE_LOG)
        result = audit.verify(session)
        audit.record(session, actor=reader.username, action=audit.ADMIN,
                     detail="usage log verified" if result.ok else "usage log check failed")
        return result


def _utc(value: datetime | None) -> datetime | None:
    # The log keeps UTC wall times; a bound given in Finnish (or any) time is compared as UTC.
    return None if value is None else clock.as_utc(value)


def export_usage_events(store: Store, ctx: StaffSession, *, out: Path,
                        client_id: int | None = None, actor: str | None = None,
                        since: datetime | None = None, until: datetime | None = None,
                        through_id: int | None = None) -> int:
    """Write the filtered usage-log events to ``out`` as CSV; returns how many were written.

    The filters are those of :func:`usage_log` (``since`` ≤ at < ``until``), so a report holds
    exactly the events the director was looking at (AC-8: reports for the client and for the
    supervising organisation). ``through_id`` leaves out events newer than the last one shown
    (reading the log is logged too, and would otherwise join a client's report).

    The file is written atomically with 0600 permissions before the ``export`` event is
    committed; if the event cannot be committed the file is removed, so no export exists that
    the log does not show.

    Raises:
        AccessDeniedError: the user is neither director nor administrator.
        ValidationError: ``out`` is a folder, its folder is missing or cannot be written.
    """
    from carebook.model.services.accounts import writable_target  # accounts imports us

    out = writable_target(out)
    with store.session() as session:
        reader = require_right(session, ctx, READ_USAGE_LOG)
        rows = [r for r in audit.events(session, client_id=client_id, actor=actor,
                                        since=_utc(since), until=_utc(until))
                if through_id is None or r.id <= through_id]
        count = _write(rows, out)
        try:
            audit.record(session, actor=reader.username, action=audit.EXPORT,
                         client_id=client_id, detail=_export_detail(
                             count, actor=actor, since=since, until=until))
            session.commit()
        except BaseException:
            out.unlink(missing_ok=True)
            raise
    return count


def _write(rows: list[AuditRecord], out: Path) -> int:
    try:
        return audit.write_csv(rows, out)
    except OSError as exc:
        raise ValidationError(N_("The file %(path)s cannot be written: %(reason)s."),
                              code="cannot_write", path=str(out),
                              reason=exc.strerror or exc.__class__.__name__) from None


def _export_detail(count: int, *, actor: str | None, since: datetime | None,
                   until: datetime | None) -> str:
    # Usernames and instants only: the detail never holds client names or identity codes.
    parts = [f"usage log exported, {count} events"]
    if actor is not None:
        parts.append(f"user {actor}")
    if since is not None:
        parts.append(f"from {clock.as_utc(since).isoformat()}")
    if until is not None:
        parts.append(f"before {clock.as_utc(until).isoformat()}")
    return "; ".join(parts)


def log_users(store: Store, ctx: StaffSession) -> list[tuple[str, str]]:
    """``(username, full name)`` of every staff user, also deactivated ones, by name.

    For the user filter of the usage-log viewer: the director may read the log (AC-8) but not
    manage staff, so the names come from here rather than from ``staff.list_staff``.

    Raises:
        AccessDeniedError: the user is neither director nor administrator.
    """
    with store.session() as session:
        require_right(session, ctx, READ_USAGE_LOG)
        users = session.execute(select(StaffUser.username, StaffUser.first_name,
                                       StaffUser.last_name)).all()
    ordered = sorted(users, key=lambda u: (collation.name_key(u[2], u[1]), u[0]))
    return [(username, f"{first} {last}") for username, first, last in ordered]
