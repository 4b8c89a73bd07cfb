"""Units of work behind the routes: one short transaction per request, retried when busy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from carebook.protocol.envelope import StoreRequest
from carebook.protocol.errors import RegisterError
from carebook.protocol.results import Receipt
from carebook.register import archive
from carebook.register.access import Access, resolve
from carebook.register.db import Sessions, lock_register

T = TypeVar("T")
ATTEMPTS = 5


def run(
    sessions: Sessions, *, caller: str, register_oid: str, usage: int | None, now: datetime,
    op: Callable[[Session, Access], T],
) -> T:
    """Resolve the caller's access and run ``op`` in one committed transaction.

    Reads go through here too: each writes its usage-log row in the same transaction (AC-9).
    """
    for attempt in range(ATTEMPTS):
        try:
            with sessions.write() as session:
                access = resolve(session, caller_oid=caller, register_oid=register_oid,
                                 usage=usage, now=now)
                result = op(session, access)
                session.commit()
                return result
        except OperationalError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def run_locked(
    sessions: Sessions, *, caller: str, register_oid: str, usage: int | None, now: datetime,
    op: Callable[[Session, Access, int], T],
) -> T:
    """Like :func:`run` but holding the register's write lock and its next sequence number."""

    def locked(session: Session, access: Access) -> T:
        sequence = lock_register(session, register_oid)
        assert sequence is not None  # resolve() found the register
        return op(session, access, sequence)

    return run(sessions, caller=caller, register_oid=register_oid, usage=usage, now=now,
               op=locked)


def store(
    sessions: Sessions, *, caller: str, register_oid: str, usage: int | None, now: datetime,
    request: StoreRequest,
) -> tuple[Receipt, bool]:
    """Store one version; returns the receipt and whether it is new.

    Idempotent on (document OID, version, content hash): a repeat returns the first receipt.
    """
    def op(session: Session, access: Access, sequence: int) -> tuple[Receipt, bool]:
        repeat = archive.repeat_receipt(session, access, request.document)
        if repeat is not None:
            return repeat, False
        return archive.store(session, access, request, sequence=sequence), True

    try:
        return run_locked(sessions, caller=caller, register_oid=register_oid, usage=usage,
                          now=now, op=op)
    except IntegrityError:
        # Another writer stored this OID and version first, in another register (writers of
        # one register serialise on its lock): answer as a repeat or a conflict.
        def again(session: Session, access: Access) -> tuple[Receipt, bool]:
            receipt = archive.repeat_receipt(session, access, request.document)
            if receipt is None:
                raise RegisterError("VERSION_CONFLICT") from None
            return receipt, False

        return run(sessions, caller=caller, register_oid=register_oid, usage=usage, now=now,
                   op=again)
