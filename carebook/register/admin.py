"""Local administration on the register database: organisations and producers' units.

An organisation's *kind* (organiser, producer, shared-joining host, tenant of a host) and a
tenant's host are recorded here, not in its certificate. Adding an organisation also creates
its register: one register per controller (JOIN-2, PRIV-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from carebook.protocol.errors import RegisterError
from carebook.protocol.identifiers import is_oid
from carebook.register.access import HOST, KINDS, TENANT
from carebook.register.db import Sessions, make_engine, upgrade
from carebook.register.tables import Organisation, Register, ServiceUnit

NAME_MAX = 200


@dataclass(frozen=True)
class OrgRecord:
    """An organisation as the admin tools show it."""

    oid: str
    name: str
    kind: str
    host_oid: str | None
    units: tuple[str, ...] = ()


class Admin:
    """Direct administration of one register database (no HTTP, no certificate)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @classmethod
    def open(cls, db_url: str) -> Admin:
        """Open (and create or upgrade) the database at ``db_url``."""
        engine = make_engine(db_url)
        upgrade(engine)
        return cls(Sessions(engine))

    def close(self) -> None:
        self._sessions.engine.dispose()

    def add_org(self, *, oid: str, name: str, kind: str, host: str | None = None) -> OrgRecord:
        """Register an organisation and create its register.

        Raises:
            RegisterError: INVALID_REQUEST for a bad OID, kind or host link.
        """
        _check(oid=oid, name=name, kind=kind, host=host)
        with self._sessions.write() as session:
            if session.get(Organisation, oid) is not None:
                raise RegisterError("INVALID_REQUEST", f"Organisation {oid} already exists.",
                                    status=409)
            if host is not None:
                host_row = session.get(Organisation, host)
                if host_row is None or host_row.kind != HOST:
                    raise RegisterError("INVALID_REQUEST", f"{host} is not a registered host.")
            session.add(Organisation(oid=oid, name=name, kind=kind, host_oid=host,
                                     created_at=datetime.now(UTC)))
            session.flush()
            session.add(Register(controller_oid=oid, sequence=0))
            session.commit()
        return OrgRecord(oid=oid, name=name, kind=kind, host_oid=host)

    def add_unit(self, *, producer: str, oid: str, name: str) -> None:
        """Record a service unit of a producer (its OID from THL's register, ID-4).

        Raises:
            RegisterError: INVALID_REQUEST for a bad OID, unknown producer or duplicate.
        """
        if not is_oid(oid) or not name.strip() or len(name) > NAME_MAX:
            raise RegisterError("INVALID_REQUEST", "A unit needs an OID and a name.")
        with self._sessions.write() as session:
            org = session.get(Organisation, producer)
            if org is None or org.kind == "organiser":
                raise RegisterError("INVALID_REQUEST",
                                    f"{producer} is not a registered producer.")
            if session.get(ServiceUnit, oid) is not None:
                raise RegisterError("INVALID_REQUEST", f"Unit {oid} already exists.", status=409)
            session.add(ServiceUnit(oid=oid, producer_oid=producer, name=name.strip()))
            session.commit()

    def organisations(self) -> list[OrgRecord]:
        """Every organisation with its units."""
        with self._sessions.read() as session:
            units: dict[str, list[str]] = {}
            for unit in session.scalars(select(ServiceUnit).order_by(ServiceUnit.oid)):
                units.setdefault(unit.producer_oid, []).append(unit.oid)
            return [OrgRecord(oid=o.oid, name=o.name, kind=o.kind, host_oid=o.host_oid,
                              units=tuple(units.get(o.oid, ())))
                    for o in session.scalars(select(Organisation).order_by(Organisation.oid))]


def _check(*, oid: str, name: str, kind: str, host: str | None) -> None:
    if not is_oid(oid):
        raise RegisterError("INVALID_REQUEST", f"{oid!r} is not an OID.")
    if not name.strip() or len(name) > NAME_MAX:
        raise RegisterError("INVALID_REQUEST", f"The name is 1-{NAME_MAX} characters.")
    if kind not in KINDS:
        raise RegisterError("INVALID_REQUEST", f"Kind must be one of {', '.join(KINDS)}.")
    if kind == TENANT and host is None:
        raise RegisterError("INVALID_REQUEST", "--host OID is needed with --kind tenant: a "
                            "tenant names the shared-joining host it belongs to.")
    if kind != TENANT and host is not None:
        raise RegisterError("INVALID_REQUEST", f"--host is only for --kind tenant, not {kind}.")
