"""Staff users: add, list, roles, units, deactivate (rules-documents E3; AC-2, AC-5, AC-6).

Key slots (passwords) are kept by ``services.accounts``; these functions manage the user rows.
A user row is never deleted, because documents name their author and signer (E3, E14):
removing a user deactivates the row and clears its roles and units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from carebook.errors import ConflictError, NotFoundError, ValidationError
from carebook.i18n import N_
from carebook.model import audit, clock, codesets, validation
from carebook.model.access import ADMIN, MANAGE_STAFF, ROLES, StaffSession, require_right
from carebook.model.records import StaffRecord
from carebook.model.store import Store
from carebook.model.tables.organisation import ServiceUnit
from carebook.model.tables.staff import StaffRole, StaffUnit, StaffUser


def to_staff_record(session: Session, user: StaffUser) -> StaffRecord:
    roles = tuple(sorted(session.scalars(select(StaffRole.role)
                                         .where(StaffRole.user_id == user.id))))
    units = tuple(sorted(session.scalars(select(StaffUnit.unit_id)
                                         .where(StaffUnit.user_id == user.id))))
    return StaffRecord(user.id, user.username, user.first_name, user.last_name, user.title,
                       user.registration_no, user.work_task, roles, units,
                       user.may_see_prohibited, user.active)


def _user(session: Session, username: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise NotFoundError(N_("No user named %(name)s."), code="no_user", name=username[:64])
    return user


def _check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(sorted(set(roles)))
    unknown = [r for r in wanted if r not in ROLES]
    if unknown:
        raise ValidationError(N_("Unknown role %(role)s (known: admin, care_worker, director)."),
                              code="unknown_role", role=unknown[0][:32])
    return wanted


def _unit_ids(session: Session, unit_oids: Iterable[str]) -> list[int]:
    ids = []
    for oid in unit_oids:
        unit_id = session.scalar(select(ServiceUnit.id).where(ServiceUnit.oid == oid))
        if unit_id is None:
            raise NotFoundError(N_("No service unit with OID %(oid)s."), code="no_unit",
                                oid=oid[:128])
        ids.append(unit_id)
    return ids


def _require_units(roles: Iterable[str], unit_oids: Sequence[str]) -> None:
    """rules-documents E3 / AC-6: the service units where a worker works are mandatory, since
    the relevant connection to a client exists only through them. An admin-only user does
    administration and reads no records (access.py rights table), so may have no unit;
    registering a client then needs a special reason like any work outside one's units."""
    if set(roles) - {ADMIN} and not unit_oids:
        raise ValidationError(
            N_("Choose at least one unit where the user works: care workers and directors see "
               "only the clients of their own units."), code="unit_required", rule="AC-6")


def _grant(session: Session, user: StaffUser, roles: Iterable[str],
           unit_oids: Iterable[str]) -> None:
    """Give ``user`` these roles and units (a new user, or one working again)."""
    session.add_all([StaffRole(user_id=user.id, role=r) for r in roles])
    session.add_all([StaffUnit(user_id=user.id, unit_id=u)
                     for u in _unit_ids(session, unit_oids)])


def add_staff(store: Store, ctx: StaffSession, *, username: str, first_name: str,
              last_name: str, title: str, roles: Iterable[str] = ("care_worker",),
              unit_oids: Iterable[str] = (), registration_no: str | None = None,
              work_task: str | None = None, may_see_prohibited: bool = False) -> StaffRecord:
    """Add a staff user (admin only). ``unit_oids`` are the units where the user works (AC-6).

    Raises:
        ConflictError: the username is taken.
        ValidationError: a care worker or director without a unit (``unit_required``).
    """
    username = validation.validate_username(username)
    wanted_roles = _check_roles(roles)
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
            raise ConflictError(N_("The username %(name)s is already in use."),
                                code="username_taken", name=username)
        unit_oids = list(unit_oids)
        _require_units(wanted_roles, unit_oids)
        if work_task is not None:
            work_task = codesets.require(codesets.WORK_TASK, work_task, on=clock.today(),
                                         field=N_("work task")).key
        user = StaffUser(
            username=username,
            first_name=validation.validate_name(first_name, field=N_("first name")),
            last_name=validation.validate_name(last_name, field=N_("last name")),
            title=validation.validate_label(title, field=N_("title")),
            registration_no=validation.validate_text(
                registration_no or "", field=N_("registration number"), required=False,
                max_length=40) or None, work_task=work_task,
            may_see_prohibited=may_see_prohibited, active=True, created_at=clock.utc_now())
        session.add(user)
        session.flush()
        _grant(session, user, wanted_roles, unit_oids)
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail="user added")
        session.flush()
        return to_staff_record(session, user)


def list_staff(store: Store, ctx: StaffSession, *,
               include_inactive: bool = False) -> list[StaffRecord]:
    """Every staff user (admin only), by username."""
    with store.session() as session:
        require_right(session, ctx, MANAGE_STAFF)
        q = select(StaffUser).order_by(StaffUser.username)
        if not include_inactive:
            q = q.where(StaffUser.active.is_(True))
        return [to_staff_record(session, u) for u in session.scalars(q)]


def get_staff(store: Store, ctx: StaffSession, username: str) -> StaffRecord:
    """One user: anybody may read their own row; others need the admin role."""
    with store.session() as session:
        if username != ctx.username:
            require_right(session, ctx, MANAGE_STAFF)
        return to_staff_record(session, _user(session, username))


def set_roles(store: Store, ctx: StaffSession, *, username: str,
              roles: Iterable[str]) -> StaffRecord:
    """Replace a user's roles (admin only). The last active admin keeps the admin role."""
    wanted = _check_roles(roles)
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        user = _user(session, username)
        if "admin" not in wanted:
            _keep_an_admin(session, user.id)
        session.execute(delete(StaffRole).where(StaffRole.user_id == user.id))
        session.add_all([StaffRole(user_id=user.id, role=r) for r in wanted])
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail="roles set: " + ",".join(wanted))
        session.flush()
        return to_staff_record(session, user)


def set_units(store: Store, ctx: StaffSession, *, username: str,
              unit_oids: Iterable[str]) -> StaffRecord:
    """Replace the units where a user works (admin only; AC-6 relevant connection)."""
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        user = _user(session, username)
        unit_ids = _unit_ids(session, unit_oids)
        session.execute(delete(StaffUnit).where(StaffUnit.user_id == user.id))
        session.add_all([StaffUnit(user_id=user.id, unit_id=u) for u in sorted(set(unit_ids))])
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail="units set")
        session.flush()
        return to_staff_record(session, user)


def set_prohibited_right(store: Store, ctx: StaffSession, *, username: str,
                         allowed: bool) -> StaffRecord:
    """Give or take the right to see security-prohibited data (AC-11, admin only)."""
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        user = _user(session, username)
        user.may_see_prohibited = allowed
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail=f"may see prohibited data: {allowed}")
        session.flush()
        return to_staff_record(session, user)


def deactivate_staff(store: Store, ctx: StaffSession, *, username: str) -> StaffRecord:
    """Deactivate a user (admin only): the user can no longer sign in or call services.

    The row stays because documents name their authors and signers. Roles and units are
    cleared. Nobody deactivates themselves, and the last active admin stays.
    """
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        user = _user(session, username)
        if user.id == actor.user_id:
            raise ValidationError(N_("You cannot remove your own user."), code="self_removal")
        _keep_an_admin(session, user.id)
        user.active = False
        session.execute(delete(StaffRole).where(StaffRole.user_id == user.id))
        session.execute(delete(StaffUnit).where(StaffUnit.user_id == user.id))
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail="user deactivated")
        session.flush()
        return to_staff_record(session, user)


remove_staff = deactivate_staff


def reactivate_staff(store: Store, ctx: StaffSession, *, username: str, roles: Iterable[str],
                     unit_oids: Iterable[str] = ()) -> StaffRecord:
    """Let a deactivated user work again (admin only), with roles and units chosen anew.

    Deactivation cleared them, and the user may come back to other tasks or units. The same
    rule as for a new user holds: care workers and directors work in at least one unit (AC-6).

    Raises:
        ValidationError: the user is active already, or a unit is missing.
    """
    wanted_roles = _check_roles(roles)
    unit_oids = list(unit_oids)
    with store.session() as session:
        actor = require_right(session, ctx, MANAGE_STAFF)
        user = _user(session, username)
        if user.active:
            raise ValidationError(N_("%(name)s is active already."), code="already_active",
                                  name=username)
        if not wanted_roles:  # a user coming back to no task would sign in to nothing
            raise ValidationError(N_("Choose at least one role."), code="role_required")
        _require_units(wanted_roles, unit_oids)
        user.active = True
        _grant(session, user, wanted_roles, unit_oids)
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=[username],
                     detail="user reactivated")
        session.flush()
        return to_staff_record(session, user)


def _keep_an_admin(session: Session, losing_user_id: int) -> None:
    others = session.scalar(
        select(StaffUser.id).join(StaffRole, StaffRole.user_id == StaffUser.id)
        .where(StaffRole.role == "admin", StaffUser.active.is_(True),
               StaffUser.id != losing_user_id).limit(1))
    if others is None:
        raise ValidationError(N_("At least one active administrator must remain."),
                              code="last_admin")
