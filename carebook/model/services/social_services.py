"""Start and end of a social service with their journal entries (rules-documents E10; RAR-9).

``start_service`` writes *Anteckning om inledande av socialservice* and records the service's
actual start day; ``end_service`` requires the grounds, writes *Anteckning om upphörande av
socialservice* and records the actual end day. The client relationship's own dates stay with
the organiser (RAR-9): these are the de facto service dates that give the care days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.errors import ConflictError, RuleViolationError, ValidationError
from carebook.i18n import N_, _, format_day
from carebook.model import audit, clock, codesets, validation
from carebook.model.access import (
    READ_CLIENT,
    READ_RECORDS,
    WRITE_RECORDS,
    StaffSession,
    check_client_access,
    require_right,
)
from carebook.model.records import Restriction, ServiceRecord
from carebook.model.services import documents, lifecycle, lookup
from carebook.model.store import Store
from carebook.model.tables.case import Service

START_NOTE = "service-start"
END_NOTE = "service-end"


# Policy (not a national rule): a service start is the day the service de facto began (E10,
# RAR-9), so a start far ahead is almost surely a typing error (2062 for 2026). Up to a year
# ahead is allowed for a start agreed in advance.
MAX_START_AHEAD = timedelta(days=365)


def service_codes(*, on: date | None = None, language: str = "sv") -> list[tuple[str, str]]:
    """``(key, name)`` of the *Socialvård – Socialservice* codes valid on ``on`` (default today).

    The keys are what :func:`start_service` accepts as ``social_service`` (MSG-18: a code is
    used only on days inside its validity). Names are in ``language`` (fi falls back to sv).
    """
    return codesets.valid_codes(codesets.SOCIAL_SERVICE, on=on or clock.today(),
                                language=language)


def _check_start(start_on: date) -> None:
    if start_on > clock.today() + MAX_START_AHEAD:
        raise ValidationError(
            N_("The service start date is more than a year ahead; check the year."),
            code="start_too_far_ahead")


def _record(s: Service) -> ServiceRecord:
    return ServiceRecord(s.id, s.case_id, s.client_id, s.unit_id, s.social_service, s.basis,
                         s.actual_start, s.actual_end, s.end_grounds, s.start_document_id,
                         s.end_document_id)


def _refuse_if_running(session: Session, client_id: int, unit_id: int, code: str) -> None:
    """A service that is still running at the unit is not started a second time.

    Decision (not a Kanta rule): two open periods of one service at one unit make the card,
    the plans' service and the end dialog ambiguous; a wrong start date is fixed by
    correcting the start note, a new period follows the end of the old one.
    """
    running = session.scalar(select(Service).where(
        Service.client_id == client_id, Service.unit_id == unit_id,
        Service.social_service == code, Service.actual_end.is_(None)))
    if running is not None:
        raise ConflictError(
            N_("This service is already running for the client at this unit (since "
               "%(date)s). End it first; if its start date is wrong, correct the start note."),
            code="service_running", date=format_day(running.actual_start))


def start_service(store: Store, ctx: StaffSession, *, client_id: int, social_service: str,
                  start_on: date, text: str = "", case_id: int | None = None,
                  basis: str | None = None, complete: bool = True,
                  restriction: Restriction | None = None,
                  special_reason: str | None = None,
                  recorded_at: datetime | None = None) -> ServiceRecord:
    """Record that a social service de facto started on ``start_on`` (E10, RAR-9).

    Args:
        social_service: key of *Socialvård – Socialservice* valid on the start day.
        text: optional words of the start note; a standard sentence is used when empty.
        basis: decision | voucher | contract (rules-documents E7).
        complete: sign and enqueue the note at once (the default).
        recorded_at: when the note was written (default now); orders the timeline.
    """
    code = codesets.require(codesets.SOCIAL_SERVICE, social_service, on=start_on,
                            field=N_("social service")).key
    _check_start(start_on)
    if basis not in (None, "decision", "voucher", "contract"):
        raise RuleViolationError(N_("Unknown basis of the service."), code="basis")
    # The default sentence is written in the user's language: it becomes archived content.
    note = validation.validate_text(text, field=N_("text"), required=False) or (
        _("Service started on %(date)s.") % {"date": format_day(start_on)})
    with store.session() as session:
        actor = require_right(session, ctx, WRITE_RECORDS)
        placement = documents.place(session, actor, client_id=client_id, case_id=case_id,
                                    special_reason=special_reason)
        _refuse_if_running(session, client_id, placement.unit_id, code)
        service = Service(case_id=placement.case.id, client_id=client_id,
                          unit_id=placement.unit_id, social_service=code, basis=basis,
                          actual_start=start_on)
        session.add(service)
        session.flush()
        doc, version = documents.new_document(
            session, actor, placement, kind="journal", specific_type=START_NOTE,
            client_id=client_id, body=note, social_service=code, service_id=service.id,
            content={"text": note, "start_on": start_on.isoformat(), "social_service": code},
            restriction=restriction or Restriction(), recorded_at=recorded_at)
        service.start_document_id = doc.id
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE, client_id=client_id,
                     objects=[f"{doc.oid}#1"], reason=placement.reason,
                     register=placement.register.controller_oid, detail="service started")
        return _record(service)


def end_service(store: Store, ctx: StaffSession, *, service_id: int, end_on: date,
                grounds: str, text: str = "", complete: bool = True,
                restriction: Restriction | None = None,
                special_reason: str | None = None,
                recorded_at: datetime | None = None) -> ServiceRecord:
    """Record that the service de facto ended on ``end_on`` and on what grounds (E10).

    Raises:
        ValidationError: no grounds, or the end is before the start.
        RuleViolationError: the service has already ended.
    """
    reasons = validation.validate_text(grounds, field=N_("grounds for ending"), max_length=2000)
    with store.session() as session:
        actor = require_right(session, ctx, WRITE_RECORDS)
        service = lookup.get(session, Service, service_id, what=N_("service"))
        if service.actual_end is not None:
            raise RuleViolationError(N_("The service has already ended."), code="ended")
        validation.validate_period(service.actual_start, end_on, field=N_("service"))
        placement = documents.place(session, actor, client_id=service.client_id,
                                    case_id=service.case_id, special_reason=special_reason)
        note = validation.validate_text(text, field=N_("text"), required=False) or (
            _("Service ended on %(date)s. Grounds: %(grounds)s")
            % {"date": format_day(end_on), "grounds": reasons})
        doc, version = documents.new_document(
            session, actor, placement, kind="journal", specific_type=END_NOTE,
            client_id=service.client_id, body=note, social_service=service.social_service,
            service_id=service.id, restriction=restriction or Restriction(),
            content={"text": note, "end_on": end_on.isoformat(), "grounds": reasons,
                     "social_service": service.social_service},
            recorded_at=recorded_at)
        service.actual_end, service.end_grounds, service.end_document_id = end_on, reasons, doc.id
        if complete:
            lifecycle.complete_in_session(session, actor, doc, version, placement.members)
        audit.record(session, actor=actor.username, action=audit.STORE,
                     client_id=service.client_id, objects=[f"{doc.oid}#1"],
                     reason=placement.reason, register=placement.register.controller_oid,
                     detail="service ended")
        return _record(service)


def list_services(store: Store, ctx: StaffSession, *, client_id: int,
                  special_reason: str | None = None) -> list[ServiceRecord]:
    """The client's services, newest start first (logged as a read).

    Service periods are administrative data (invoicing, reports), so administrators may list
    them too; the notes themselves stay journal content.
    """
    with store.session() as session:
        actor = require_right(session, ctx, READ_CLIENT)
        reason = check_client_access(session, actor, client_id, action="read",
                                     special_reason=special_reason)
        rows = session.scalars(select(Service).where(Service.client_id == client_id)
                               .order_by(Service.actual_start.desc(), Service.id.desc())).all()
        audit.record(session, actor=actor.username, action=audit.READ, client_id=client_id,
                     reason=reason, detail="services listed",
                     objects=[str(s.id) for s in rows])
        return [_record(s) for s in rows]


def services_today(store: Store, ctx: StaffSession) -> int:
    """How many services are running today (for a status line; no client data)."""
    with store.session() as session:
        require_right(session, ctx, READ_RECORDS)
        today = clock.today()
        return len(session.scalars(select(Service.id).where(
            Service.actual_start <= today,
            (Service.actual_end.is_(None)) | (Service.actual_end >= today))).all())
