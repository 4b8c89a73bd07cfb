"""The service calls the plan editor makes, each run on the DB lane through ``ws.call``.

Compositions of service functions only (no rules here): what the editor needs to know about the
client, saving a draft (new or changed, content then restriction), and saving then completing
in one go so a refused completion still returns the saved draft (nothing typed is lost).
"""

from __future__ import annotations

from dataclasses import dataclass

from carebook.errors import CarebookError
from carebook.model.records import (
    CaseRecord,
    ClientRecord,
    DocumentRecord,
    PlanContent,
    Restriction,
    ServiceRecord,
)


@dataclass(frozen=True)
class PlanContext:
    """What the editor needs to know about the client before the worker starts."""

    client: ClientRecord
    services: tuple[ServiceRecord, ...]
    cases: tuple[CaseRecord, ...]  # open cases the client is a member of
    plans: tuple[DocumentRecord, ...]  # completed plans (earlier plans make a review plan)


def load_context(store, staff, *, client_id: int,  # type: ignore[no-untyped-def]
                 special_reason: str | None = None) -> PlanContext:
    """Client, services, open cases and completed plans (DB lane; each read is logged)."""
    from carebook.model.services import cases, clients, journal, social_services

    client = clients.get_client(store, staff, client_id, special_reason=special_reason)
    services = social_services.list_services(store, staff, client_id=client_id,
                                             special_reason=special_reason)
    open_cases = [c for c in cases.list_cases(store, staff, client_id=client_id,
                                              special_reason=special_reason)
                  if c.status == "open" and client_id in c.member_ids]
    page = journal.client_timeline(store, staff, client_id=client_id, kinds=("plan",),
                                   limit=200, special_reason=special_reason)
    completed = tuple(d for d in page.items if d.state == "completed")
    return PlanContext(client, tuple(services), tuple(open_cases), completed)


def save_draft(store, staff, *, client_id: int,  # type: ignore[no-untyped-def]
               document_id: int | None, plan: PlanContent, plan_type: str | None,
               case_id: int | None, restriction: Restriction | None,
               special_reason: str | None = None) -> DocumentRecord:
    """A new plan draft, or the author's draft changed (content, then restriction if given)."""
    from carebook.model.services import lifecycle, plans

    if document_id is None:
        return plans.record_plan(store, staff, client_id=client_id, plan=plan,
                                 plan_type=plan_type, case_id=case_id, complete=False,
                                 restriction=restriction, special_reason=special_reason)
    record = plans.edit_plan_draft(store, staff, document_id=document_id, plan=plan,
                                   special_reason=special_reason)
    if restriction is not None:
        record = lifecycle.edit_draft(store, staff, document_id=document_id,
                                      restriction=restriction, special_reason=special_reason)
    return record


def save_and_complete(store, staff,  # type: ignore[no-untyped-def]
                      special_reason: str | None = None,
                      **draft: object) -> tuple[DocumentRecord, CarebookError | None]:
    """Save the draft, then complete it. A refused completion comes back with the saved
    draft, so the editor keeps its document id and nothing typed is lost."""
    from carebook.model.services import lifecycle

    record = save_draft(store, staff, special_reason=special_reason, **draft)  # type: ignore[arg-type]
    try:
        done = lifecycle.complete_document(store, staff, document_id=record.id,
                                           special_reason=special_reason)
    except CarebookError as exc:
        return record, exc
    return done, None
