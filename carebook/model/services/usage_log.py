"""Reading and verifying the usage log (AC-8): for the responsible director and administrators.

Reading the log is itself logged (the log shows who looked at whose data).
"""

from __future__ import annotations

from datetime import datetime

from carebook.model import audit
from carebook.model.access import READ_USAGE_LOG, StaffSession, require_right
from carebook.model.audit import AuditRecord, VerifyResult
from carebook.model.store import Store


def usage_log(store: Store, ctx: StaffSession, *, client_id: int | None = None,
              actor: str | None = None, since: datetime | None = None,
              until: datetime | None = None) -> list[AuditRecord]:
    """Usage-log events filtered by client, acting user and time (``since`` ≤ at < ``until``).

    Raises:
        AccessDeniedError: the user is neither director nor administrator.
    """
    with store.session() as session:
        reader = require_right(session, ctx, READ_USAGE_LOG)
        rows = list(audit.events(session, client_id=client_id, actor=actor, since=since,
                                 until=until))
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
