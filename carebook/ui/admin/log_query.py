"""The usage-log viewer's lane work: the first query with the names its pickers need, and
the period bounds (whole Finnish calendar days, as the services count days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from carebook.errors import AccessDeniedError
from carebook.model import clock
from carebook.model.audit import AuditRecord
from carebook.model.records import ClientRecord
from carebook.model.services import clients, organisers, setup, units, usage_log


@dataclass(frozen=True)
class Opened:
    """What the viewer needs when it opens: the events and the names for the pickers."""

    events: list[AuditRecord]
    clients: list[ClientRecord]
    users: list[tuple[str, str]]
    registers: dict[str, str]  # OID of a register, unit or client -> name


def open_view(store: Any, ctx: Any, **filters: Any) -> Opened:
    """The filtered events, the clients, users and register names (``ws.call`` target)."""
    # The log first: a user without the right gets its refusal before anything else is read.
    events = usage_log.usage_log(store, ctx, **filters)
    registers = {o.oid: o.name for o in organisers.list_organisers(store, ctx)}
    producer = setup.producer_info(store)
    registers[producer.oid] = producer.name
    people = clients.list_clients(store, ctx)
    # Other OIDs the log names ("unit added", "client added"): a unit and a client by name.
    try:
        registers.update({u.oid: u.name for u in units.list_units(store, ctx)})
    except AccessDeniedError:
        pass  # an administrator without client rights still reads the log; OIDs stay
    registers.update({c.temporary_oid: f"{c.last_name}, {c.first_name}" for c in people
                      if c.temporary_oid})
    return Opened(events, people, usage_log.log_users(store, ctx), registers)


def day_start(day: date) -> datetime:
    # Whole Finnish calendar days, as the services count days (model.clock).
    return datetime.combine(day, time(0), tzinfo=clock.FINLAND)
