"""Accounts: set-up, sign-in and the administration of passwords, users and the store.

This is where the key slots (``model.keyslots`` through ``model.store``) meet the staff rows
(``services.staff``): a staff user can sign in only while both exist. Every administrative action
is written to the usage log (AC-8) in the store it concerns.

Sign-in writes a ``login`` event and copies the failed unlocks recorded in the key-slot file
since the last sign-in into ``failed_login`` events (AC-8; issue #2 item 4). A wrong password and
an unknown username give the same :class:`WrongPasswordError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.errors import (
    AccessDeniedError,
    KeyFileMissingError,
    NotFoundError,
    StoreExistsError,
    StoreMissingError,
    ValidationError,
    WrongPasswordError,
)
from carebook.i18n import N_
from carebook.model import access, audit, validation
from carebook.model.access import StaffSession
from carebook.model.keyslots import KeySlots, SlotPolicy
from carebook.model.records import ProducerRecord, StaffRecord
from carebook.model.services import lookup, restoring, setup, staff, usage_log
from carebook.model.store import Store
from carebook.model.tables.client import Client
from carebook.model.tables.staff import StaffUser
from carebook.paths import ensure_private_dir, fsync_dir, slots_path, store_path

RECOVERY_NAME = "@recovery"


@dataclass(frozen=True)
class InitResult:
    """What ``init`` made. ``recovery_code`` is shown once and never stored in clear."""

    recovery_code: str
    store_path: Path
    producer: ProducerRecord
    admin: StaffRecord


def writable_target(out: Path) -> Path:
    """``out`` made absolute, if its folder exists and may be written (else a clear error)."""
    out = out.expanduser().resolve()
    if out.is_dir():
        raise ValidationError(N_("%(path)s is a folder; give the name of a new file in it."),
                              code="target_is_folder", path=str(out))
    if not out.parent.is_dir():
        raise ValidationError(N_("The folder %(path)s does not exist."), code="no_folder",
                              path=str(out.parent))
    if not os.access(out.parent, os.W_OK):
        raise ValidationError(N_("The folder %(path)s cannot be written to."),
                              code="folder_not_writable", path=str(out.parent))
    return out


MIN_PASSWORD_LENGTH = 8


def check_password(password: str) -> None:
    """Refuse passwords too short to protect a store of client data (a policy)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(N_("The password must be at least %(n)s characters long."),
                              code="weak_password", n=MIN_PASSWORD_LENGTH)


def store_exists(data_dir: Path) -> bool:
    """Whether a store file is already in ``data_dir``."""
    return store_path(data_dir).exists()


def set_aside_orphan_keys(data_dir: Path) -> None:
    """A key file without its store is what a crash between init's two renames leaves; it
    opens nothing, so it is moved aside (never deleted) for a new init."""
    keys = slots_path(store_path(data_dir))
    if keys.exists() and not store_exists(data_dir):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        os.replace(keys, keys.with_name(f"{keys.name}.orphan-{stamp}"))


def init_store(
    data_dir: Path,
    *,
    producer_name: str,
    business_id: str,
    producer_oid: str,
    admin_username: str,
    admin_first: str,
    admin_last: str,
    admin_title: str,
    password: str,
    test_mode: bool,
    admin_roles: tuple[str, ...] = setup.FIRST_ADMIN_ROLES,
    policy: SlotPolicy | None = None,
) -> InitResult:
    """Create the store, its key slots, the producer and the first administrator.

    Everything is built in a private staging folder inside ``data_dir`` and moved into place
    only when complete, so a failure (bad input, full disk, a crash) leaves no half-made store
    under the real name.

    Raises:
        StoreExistsError: ``data_dir`` already has a store.
        ValidationError: bad producer data, Y-tunnus, OID or admin names.
    """
    check_password(password)
    data_dir = ensure_private_dir(data_dir)
    final = store_path(data_dir)
    if store_exists(data_dir):
        raise StoreExistsError(path=str(final))
    set_aside_orphan_keys(data_dir)
    staging = Path(ensure_private_dir(data_dir / f".init-{os.urandom(4).hex()}"))
    try:
        result = _build(staging / final.name, producer_name=producer_name,
                        business_id=business_id, producer_oid=producer_oid,
                        admin_username=admin_username, admin_first=admin_first,
                        admin_last=admin_last, admin_title=admin_title, password=password,
                        test_mode=test_mode, admin_roles=admin_roles, policy=policy)
        if store_exists(data_dir) or slots_path(final).exists():
            raise StoreExistsError(path=str(final))
        # The key file first: a store file without keys would look like a damaged store.
        os.replace(slots_path(staging / final.name), slots_path(final))
        os.replace(staging / final.name, final)
        fsync_dir(data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return InitResult(result.recovery_code, final, result.producer, result.admin)


def _build(path: Path, *, producer_name: str, business_id: str, producer_oid: str,
           admin_username: str, admin_first: str, admin_last: str, admin_title: str,
           password: str, test_mode: bool, admin_roles: tuple[str, ...],
           policy: SlotPolicy | None) -> InitResult:
    store, code = Store.initialise(path, username=admin_username.strip(), password=password,
                                   policy=policy)
    try:
        producer = setup.create_producer(store, name=producer_name, business_id=business_id,
                                         oid=producer_oid, test_mode=test_mode)
        admin = setup.create_first_admin(store, username=admin_username, first_name=admin_first,
                                         last_name=admin_last, title=admin_title,
                                         roles=admin_roles)
    finally:
        store.close()
    return InitResult(code, path, producer, admin)


def sign_in(data_dir: Path, username: str, password: str, *,
            policy: SlotPolicy | None = None) -> tuple[Store, StaffSession]:
    """Unlock the store with a staff user's password and open a staff session.

    Raises:
        StoreMissingError: no store in ``data_dir``.
        WrongPasswordError: unknown user, wrong password or a deactivated user (the same
            error for all three, AC-12 identification).
        CorruptStoreError, NewerSchemaError: the store cannot be used (left untouched).
    """
    path = store_path(data_dir)
    if not path.exists():
        raise StoreMissingError(path=str(path))
    if not slots_path(path).exists():
        raise KeyFileMissingError(path=str(slots_path(path)))
    store = Store.unlock(path, username=username, password=password, policy=policy)
    try:
        ctx = access.open_session(store, username)
    except AccessDeniedError:
        _log_failures(store, extra=username)
        store.close()
        raise WrongPasswordError() from None
    _log_login(store, ctx)
    return store, ctx


def _log_login(store: Store, ctx: StaffSession) -> None:
    slots = _slots(store)
    pending = slots.pending_failures()
    with store.session() as session:
        known = _known_usernames(session)
        for rec in pending:
            _record_failure(session, rec.username, count=rec.count, at=rec.last_at, known=known)
        audit.record(session, actor=ctx.username, action=audit.LOGIN)
    for rec in pending:
        slots.clear_failures(rec.username)


def _log_failures(store: Store, *, extra: str) -> None:
    with store.session() as session:
        _record_failure(session, extra, count=1, at=datetime.now(UTC),
                        known=_known_usernames(session), detail="deactivated user")


def _record_failure(session: Session, username: str, *, count: int, at: datetime,
                    known: set[str], detail: str | None = None) -> None:
    # A typed name that is no user may be anything (even a password typed in the wrong
    # field), so it never goes into the log; only known usernames are named.
    actor = username if username in known else None
    what = "recovery code" if username == RECOVERY_NAME else (
        "user" if actor else "unknown username")
    audit.record(session, actor=actor, action=audit.FAILED_LOGIN, at=at,
                 detail=detail or f"{count} failed unlock(s) of {what}")


def _known_usernames(session: Session) -> set[str]:
    return set(session.scalars(select(StaffUser.username)))


def _slots(store: Store) -> KeySlots:
    if store.slots is None:
        store.slots = KeySlots.load(slots_path(store.path))
    return store.slots


ADMIN_ONLY = {
    "backup written": N_("Only an administrator can make backups."),
    "data key rotated": N_("Only an administrator can change the store key."),
    "store replaced from a backup": N_("Only an administrator can restore a backup."),
    "restored from a backup": N_("Only an administrator can restore a backup."),
}


def admin_event(store: Store, ctx: StaffSession, *, right: str, detail: str,
                objects: tuple[str, ...] = ()) -> StaffSession:
    """Check ``right`` and log the admin action; returns the refreshed session.

    Raises:
        AccessDeniedError: the user lacks ``right`` (for backup, restore and rekey the
            message says that only an administrator may do it).
    """
    with store.session() as session:
        try:
            actor = access.require_right(session, ctx, right)
        except AccessDeniedError:
            template = ADMIN_ONLY.get(detail.split(";")[0])
            if template is None:
                raise
            raise AccessDeniedError(template, code="admin_only") from None
        audit.record(session, actor=actor.username, action=audit.ADMIN, objects=list(objects),
                     detail=detail)
        return actor


_admin_event = admin_event


def add_user(store: Store, ctx: StaffSession, *, username: str, password: str,
             first_name: str, last_name: str, title: str, roles: tuple[str, ...],
             unit_oids: tuple[str, ...] = (), registration_no: str | None = None,
             work_task: str | None = None, may_see_prohibited: bool = False) -> StaffRecord:
    """A staff user with a key slot for ``password`` (admin only).

    The key slot is made first and taken back if the staff row cannot be made, so a user
    always has both or neither. The username is checked before the password, in the order the
    form asks for them.
    """
    validation.validate_username(username)
    check_password(password)
    with store.session() as session:
        access.require_right(session, ctx, access.MANAGE_STAFF)
    store.add_user_key(username.strip(), password)
    try:
        return staff.add_staff(store, ctx, username=username, first_name=first_name,
                               last_name=last_name, title=title, roles=roles,
                               unit_oids=unit_oids, registration_no=registration_no,
                               work_task=work_task, may_see_prohibited=may_see_prohibited)
    except BaseException:
        _slots(store).remove_user(username.strip())
        raise


def reactivate_user(store: Store, ctx: StaffSession, *, username: str, password: str,
                    roles: tuple[str, ...], unit_oids: tuple[str, ...] = ()) -> StaffRecord:
    """A deactivated user works again: a new key slot for ``password`` (the old one was
    deleted) and roles and units chosen anew (admin only). Both or neither, as in add_user.
    """
    check_password(password)
    if staff.get_staff(store, ctx, username).active:  # admin only; an active user's slot
        raise ValidationError(N_("%(name)s is active already."),  # is never touched
                              code="already_active", name=username)
    with contextlib.suppress(NotFoundError):  # a slot left by an older deactivation
        _slots(store).remove_user(username)
    store.add_user_key(username, password)
    try:
        return staff.reactivate_staff(store, ctx, username=username, roles=roles,
                                      unit_oids=unit_oids)
    except BaseException:
        _slots(store).remove_user(username)
        raise


def change_password(store: Store, ctx: StaffSession, *, old_password: str,
                    new_password: str) -> None:
    """The signed-in user changes their own password (the old one proves it)."""
    check_password(new_password)
    _slots(store).change_password(ctx.username, old_password, new_password)
    with store.session() as session:
        audit.record(session, actor=ctx.username, action=audit.ADMIN, objects=[ctx.username],
                     detail="own password changed")


def reset_password(store: Store, ctx: StaffSession, *, username: str,
                   new_password: str) -> None:
    """An administrator sets a new password for ``username`` (device slot dropped)."""
    check_password(new_password)
    admin_event(store, ctx, right=access.MANAGE_STAFF, objects=(username,),
                 detail="password reset")
    store.set_user_password(username, new_password)


def remove_user(store: Store, ctx: StaffSession, *, username: str) -> StaffRecord:
    """Remove a user: the key slot is deleted, the row deactivated (documents keep their
    author and signer, rules-documents E3/E14). Admin only; not oneself, not the last admin.
    """
    record = staff.deactivate_staff(store, ctx, username=username)
    with contextlib.suppress(NotFoundError):
        _slots(store).remove_user(username)
    return record


def rekey(store: Store, ctx: StaffSession) -> str:
    """Rotate the data key (admin only). Returns the new recovery code; show it once."""
    admin_event(store, ctx, right=access.MANAGE_STAFF, detail="data key rotated")
    return store.rekey()


def backup(store: Store, ctx: StaffSession, *, out: Path) -> Path:
    """An encrypted copy of the store at ``out`` with its key slots at ``<out>.keys``.

    Admin only (a backup holds every client). Logged before the copy, so the backup contains
    its own event.
    """
    out = writable_target(out)
    if out.exists():
        raise StoreExistsError(path=str(out))
    admin_event(store, ctx, right=access.MANAGE_STAFF, detail="backup written")
    store.backup_to(out)
    return out


def restore(data_dir: Path, *, backup_file: Path, username: str, password: str,
            policy: SlotPolicy | None = None) -> restoring.RestoreResult:
    """Replace the store in ``data_dir`` with a backup; see :func:`restoring.restore`."""
    return restoring.restore(data_dir, backup_file=backup_file, username=username,
                             password=password, policy=policy)


def client_id_for(store: Store, ctx: StaffSession, identifier: str) -> int:
    """The client number for ``identifier``: a number as shown by client lists, or an
    identity code / temporary OID. A code look-up is logged as a search (AC-8); the access
    check (AC-6) is made by the service that then reads or writes the client.

    Raises:
        NotFoundError: no such client.
    """
    text = identifier.strip()
    if text.isdigit():
        with store.session() as session:
            # One wording for every unknown client number (the same as the services').
            lookup.get(session, Client, int(text), what=N_("client"))
        return int(text)
    wanted = text.upper()
    with store.session() as session:
        actor = access.require_right(session, ctx, access.READ_CLIENT)
        client_id = session.scalar(select(Client.id).where(
            (Client.hetu == wanted) | (Client.temporary_oid == text)))
        audit.record(session, actor=actor.username, action=audit.SEARCH,
                     client_id=client_id, detail="client looked up by identifier")
    if client_id is None:
        # The typed code is not echoed: it may be a real person's.
        raise NotFoundError(N_("No client with this identity code was found."),
                            code="not_found")
    return int(client_id)


def export_usage_log(store: Store, ctx: StaffSession, *, client_id: int, out: Path) -> int:
    """Write one client's usage-log events to ``out`` as CSV (atomic, 0600); returns the count.

    For the client's or the supervisor's report (AC-8). The export itself is logged.
    """
    out = writable_target(out)
    rows = usage_log.usage_log(store, ctx, client_id=client_id)
    try:
        count = audit.write_csv(rows, out)
    except OSError as exc:
        raise ValidationError(N_("The file %(path)s cannot be written: %(reason)s."),
                              code="cannot_write", path=str(out),
                              reason=exc.strerror or exc.__class__.__name__) from None
    with store.session() as session:
        audit.record(session, actor=ctx.username, action=audit.EXPORT, client_id=client_id,
                     detail=f"usage log exported, {count} events")
    return count


def recover(data_dir: Path, *, recovery_code: str, username: str, new_password: str,
            policy: SlotPolicy | None = None) -> None:
    """Set a new password for ``username`` with the recovery code (every password lost).

    The user must be an active staff user; the use of the recovery code is logged (AC-8).

    Raises:
        WrongPasswordError: the recovery code is not right (counted and slowed down).
        NotFoundError: no active user of that name.
    """
    check_password(new_password)
    store = Store.unlock_with_recovery(store_path(data_dir), code=recovery_code, policy=policy)
    try:
        with store.session() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None or not user.active:
                raise NotFoundError(N_("No user named %(username)s."), code="user_not_found",
                                    username=username[:64])
            audit.record(session, actor=None, action=audit.ADMIN, objects=[username],
                         detail="password set with the recovery code")
        store.set_user_password(username, new_password)
    finally:
        store.close()
