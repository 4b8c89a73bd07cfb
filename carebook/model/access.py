"""Staff sessions, role rights and the relevant-connection check (AC-2 … AC-6, AC-11).

Rights table (which role may do what; a user may hold several roles, AC-2):

=====================  =======  ===========  ========  ==========================================
right                  admin    care_worker  director  what it covers
=====================  =======  ===========  ========  ==========================================
manage_organisation    yes      -            yes       units, organisers (producer set-up)
manage_staff           yes      -            -         add/remove users, roles, units
register_client        yes      yes          yes       add clients, relationships, cases
read_client            yes      yes          yes       client identity data (not journal content)
read_records           -        yes          yes       journal entries, plans, timeline, search
write_records          -        yes          yes       draft/complete/correct/nullify, services
manage_cases           -        yes          yes       case restrictions, case codes, closing
read_usage_log         yes      -            yes       usage log reports and verification (AC-8)
=====================  =======  ===========  ========  ==========================================

* ``admin`` is administration only: an administrator who is not in client work does not read
  journal content unless also given a care role (issue #2 item 7; AC-4 administrative tasks).
* ``care_worker`` implements social services (AC-4 category "implementation").
* ``director`` is the responsible director (*vastaava johtaja*, RAR-4): broad client
  responsibility (AC-4 category 1), reads and records for the clients of the director's units
  and reads the usage log.
* Seeing data covered by a security prohibition is a separate per-user right
  (``may_see_prohibited``), given to as few workers as possible (AC-11).

Every service call re-reads the user's row: a deactivated user or a removed unit takes effect
immediately, also for a session opened earlier (AC-6: re-checked after each login).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carebook.errors import AccessDeniedError, NoRelevantConnectionError
from carebook.i18n import N_
from carebook.model import clock, codesets
from carebook.model.store import Store
from carebook.model.tables.client import Client, ClientRelationship
from carebook.model.tables.organisation import StoreInfo
from carebook.model.tables.staff import StaffRole, StaffUnit, StaffUser

ADMIN = "admin"
CARE_WORKER = "care_worker"
DIRECTOR = "director"
ROLES = (ADMIN, CARE_WORKER, DIRECTOR)

MANAGE_ORGANISATION = "manage_organisation"
MANAGE_STAFF = "manage_staff"
REGISTER_CLIENT = "register_client"
READ_CLIENT = "read_client"
READ_RECORDS = "read_records"
WRITE_RECORDS = "write_records"
MANAGE_CASES = "manage_cases"
READ_USAGE_LOG = "read_usage_log"

RIGHTS: dict[str, frozenset[str]] = {
    MANAGE_ORGANISATION: frozenset({ADMIN, DIRECTOR}),
    MANAGE_STAFF: frozenset({ADMIN}),
    REGISTER_CLIENT: frozenset({ADMIN, CARE_WORKER, DIRECTOR}),
    READ_CLIENT: frozenset({ADMIN, CARE_WORKER, DIRECTOR}),
    READ_RECORDS: frozenset({CARE_WORKER, DIRECTOR}),
    WRITE_RECORDS: frozenset({CARE_WORKER, DIRECTOR}),
    MANAGE_CASES: frozenset({CARE_WORKER, DIRECTOR}),
    READ_USAGE_LOG: frozenset({ADMIN, DIRECTOR}),
}


@dataclass(frozen=True)
class StaffSession:
    """An authenticated staff user (made by sign-in after the store is unlocked)."""

    user_id: int
    username: str
    roles: frozenset[str]
    unit_ids: frozenset[int]
    may_see_prohibited: bool
    test_mode: bool


def _load(session: Session, username: str) -> StaffSession:
    # One round trip: services call this on every request (AC-6 re-check).
    roles = (select(func.group_concat(StaffRole.role)).where(StaffRole.user_id == StaffUser.id)
             .scalar_subquery())
    units = (select(func.group_concat(StaffUnit.unit_id))
             .where(StaffUnit.user_id == StaffUser.id).scalar_subquery())
    test_mode = select(StoreInfo.test_mode).where(StoreInfo.id == 1).scalar_subquery()
    row = session.execute(select(StaffUser.id, StaffUser.active, StaffUser.may_see_prohibited,
                                 roles, units, test_mode)
                          .where(StaffUser.username == username)).first()
    if row is None or not row[1]:
        raise AccessDeniedError(N_("This user does not exist or has been deactivated."),
                                code="inactive_user")
    return StaffSession(
        user_id=row[0], username=username,
        roles=frozenset(r for r in (row[3] or "").split(",") if r),
        unit_ids=frozenset(int(u) for u in str(row[4] or "").split(",") if u),
        may_see_prohibited=bool(row[2]), test_mode=bool(row[5]))


def open_session(store: Store, username: str) -> StaffSession:
    """The session of active user ``username`` (called by sign-in after unlocking).

    Raises:
        AccessDeniedError: the user does not exist or is deactivated.
    """
    with store.session() as session:
        return _load(session, username)


def current(session: Session, ctx: StaffSession) -> StaffSession:
    """``ctx`` refreshed from the store (roles, units and active flag as they are now)."""
    fresh = _load(session, ctx.username)
    if fresh.user_id != ctx.user_id:
        raise AccessDeniedError(code="session_mismatch")
    return fresh


def has_right(ctx: StaffSession, right: str) -> bool:
    """Whether any of the session's roles grants ``right``."""
    return bool(ctx.roles & RIGHTS[right])


def require_right(session: Session, ctx: StaffSession, right: str) -> StaffSession:
    """Refresh ``ctx`` and check that it holds ``right``; return the fresh session.

    Raises:
        AccessDeniedError: the user's roles do not give this right (AC-2, AC-5).
    """
    fresh = current(session, ctx)
    if not has_right(fresh, right):
        raise AccessDeniedError(
            N_("Your role does not allow this (%(right)s)."), code="role_denied",
            rule="AC-2", right=right)
    return fresh


def relationships_in_force(session: Session, client_id: int,
                           on: date | None = None) -> list[ClientRelationship]:
    """The client's relationships whose window contains ``on`` (default today), RAR-8."""
    day = on or clock.today()
    rows = session.scalars(select(ClientRelationship)
                           .where(ClientRelationship.client_id == client_id)).all()
    return [r for r in rows if r.start_on <= day and (r.end_on is None or day <= r.end_on)]


def has_relevant_connection(session: Session, ctx: StaffSession, client_id: int) -> bool:
    """AC-6: one of the user's units is a unit of the client's relationships in force."""
    return any(r.unit_id in ctx.unit_ids for r in relationships_in_force(session, client_id))


def check_client_access(session: Session, ctx: StaffSession, client: Client | int, *,
                        action: str, special_reason: str | None) -> str | None:
    """Check relevant connection before anything of ``client`` is read or written (AC-6).

    Without a connection the caller must give a code of *THL – Särskild anledning till åtkomst
    till klientuppgifter* (here the [GAP] keys of ``special_access_reason``). The returned code
    must be logged in the audit event of the action (AC-8).

    Returns:
        The validated special-reason code when it was needed, else None.

    Raises:
        NoRelevantConnectionError: no connection and no special reason.
        ValidationError: the special reason is not a known, valid code.
    """
    client_id = client if isinstance(client, int) else client.id
    if has_relevant_connection(session, ctx, client_id):
        return None
    return require_special_reason(action=action, special_reason=special_reason)


def require_special_reason(*, action: str, special_reason: str | None) -> str:
    """The validated special-reason code for an access without relevant connection (AC-6).

    Raises:
        NoRelevantConnectionError: no reason was given.
        ValidationError: the reason is not a known, valid code.
    """
    if not special_reason:
        raise NoRelevantConnectionError(rule="AC-6", action=action)
    code = codesets.require(codesets.SPECIAL_ACCESS_REASON, special_reason,
                            on=clock.today(), field=N_("special reason"))
    return code.key
