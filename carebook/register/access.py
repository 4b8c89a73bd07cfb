"""Who may use which register under which usage situation (MSG-15, JOIN-3, JOIN-4, PRIV-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.protocol.codes import UsageCode
from carebook.protocol.errors import RegisterError
from carebook.register.tables import Organisation, Register

ORGANISER, PRODUCER, HOST, TENANT = "organiser", "producer", "host", "tenant"
KINDS = (ORGANISER, PRODUCER, HOST, TENANT)

try:
    # RAR windows are calendar dates set by a Finnish organiser (RAR-8): Finnish time decides.
    LOCAL_ZONE: ZoneInfo | None = ZoneInfo("Europe/Helsinki")
except ZoneInfoNotFoundError:  # pragma: no cover - systems without a tz database
    LOCAL_ZONE = None


@dataclass(frozen=True)
class Access:
    """A caller's standing in one register for one request."""

    register_oid: str
    caller_oid: str
    caller_kind: str
    usage: UsageCode
    now: datetime

    @property
    def controller(self) -> bool:
        """True when the caller keeps this register (its own register, usage code 1)."""
        return self.caller_oid == self.register_oid

    @property
    def today(self) -> date:
        """The server's date in Finland (RAR windows are dates, RAR-8)."""
        return (self.now.astimezone(LOCAL_ZONE) if LOCAL_ZONE else self.now).date()


def shared_joining(a: Organisation, b: Organisation) -> bool:
    """True when ``a`` and ``b`` are parties of one shared joining (host and tenants, JOIN-1)."""
    hosts_a = {a.oid, a.host_oid} - {None}
    hosts_b = {b.oid, b.host_oid} - {None}
    return bool(a.host_oid or b.host_oid) and bool(hosts_a & hosts_b)


def resolve(
    session: Session, *, caller_oid: str, register_oid: str, usage: int | None, now: datetime,
) -> Access:
    """Check that the usage situation fits the register and the caller (MSG-15).

    Raises:
        RegisterError: ORG_NOT_REGISTERED, REGISTER_NOT_FOUND, USAGE_CODE_MISSING,
            USAGE_CODE_MISMATCH, USAGE_NOT_SUPPORTED, EXTENSIVE_RIGHT_DENIED or
            REGISTER_ACCESS_DENIED.
    """
    orgs = {o.oid: o for o in session.scalars(
        select(Organisation).where(Organisation.oid.in_({caller_oid, register_oid})))}
    caller = orgs.get(caller_oid)
    if caller is None:
        raise RegisterError("ORG_NOT_REGISTERED")
    controller = orgs.get(register_oid)
    if controller is None or session.get(Register, register_oid) is None:
        raise RegisterError("REGISTER_NOT_FOUND")
    if usage not in tuple(UsageCode):
        raise RegisterError("USAGE_CODE_MISSING",
                            "State the usage situation 1-4 in the X-Usage-Situation header.")
    code = UsageCode(usage)
    _check(caller, controller, code)
    return Access(register_oid=register_oid, caller_oid=caller.oid, caller_kind=caller.kind,
                  usage=code, now=now)


def _check(caller: Organisation, controller: Organisation, code: UsageCode) -> None:
    own = caller.oid == controller.oid
    if code is UsageCode.OTHER_CONTROLLER:
        raise RegisterError("USAGE_NOT_SUPPORTED", rule="PRIV-6" if caller.kind != ORGANISER
                            else "MSG-15")
    if code is UsageCode.EXTENSIVE_RAR:
        private = controller.kind != ORGANISER or own
        raise RegisterError(
            "EXTENSIVE_RIGHT_DENIED", rule="PRIV-6" if private else "EXT-1",
            message=("A private controller's register gives no extensive right." if private
                     else "No extensive register access right is granted in this register."))
    if code is UsageCode.OWN_REGISTER and not own:
        _foreign(caller, controller, "Usage situation 1 is for the caller's own register.")
    if code is UsageCode.NORMAL_RAR:
        if own:
            raise RegisterError("USAGE_CODE_MISMATCH",
                                "This is the caller's own register: use usage situation 1.")
        if controller.kind != ORGANISER:
            _foreign(caller, controller, "Usage situation 2 is for an organiser's register.")
        if caller.kind == ORGANISER:
            raise RegisterError("USAGE_CODE_MISMATCH",
                                "Register access right is a producer's right (RAR-1).")


def _foreign(caller: Organisation, controller: Organisation, message: str) -> None:
    if shared_joining(caller, controller):
        # JOIN-3: shared joining gives neither host nor tenants a right to each other's data.
        raise RegisterError("REGISTER_ACCESS_DENIED")
    raise RegisterError("USAGE_CODE_MISMATCH", message)
