"""Structured content of an implementation plan (rules-documents E11) to and from JSON.

Validation follows §4.1.9-10 and §4.1.13: repeatable groups (meetings, participants, goals) have
any number of entries; once an optional group is used its mandatory fields are required (a goal
needs a name, a meeting a date, a place and at least one participant, a participant a name
and a role); the planned
service is coded with *Socialvård – Socialservice*; dates are real dates in order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carebook.errors import ValidationError
from carebook.i18n import N_
from carebook.model import clock, codesets, validation
from carebook.model.records import Goal, Meeting, Participant, PlanContent, PreviousPlanReview

MAX_FIELD = 20_000


def validate(plan: PlanContent, *, first_plan: bool, draft: bool = False) -> PlanContent:
    """Check ``plan``; the review group is allowed only when a previous plan exists.

    A ``draft`` may hold unfinished rows (a meeting without its place yet, a goal without a
    name): an autosave or a lock must never throw away what was typed. Completing the plan
    checks it again without ``draft`` (lifecycle.complete_in_session).
    """
    codesets.require(codesets.SOCIAL_SERVICE, plan.social_service, on=clock.today(),
                     field=N_("social service"))
    label = _draft_label if draft else validation.validate_label
    for m in plan.meetings:
        label(m.place, field=N_("meeting place"))
        if not m.participants and not draft:
            # E11 (L23001-23030): a meeting records its date, place and the people who took
            # part; a meeting nobody attended is an unfinished row, not a record.
            raise ValidationError(
                N_("Each meeting needs at least one participant with a name and a role: add "
                   "the people who took part, or remove the meeting."),
                code="meeting_without_participants", rule="rules-documents E11")
        for p in m.participants:
            if p.name.strip() or not draft:
                validation.validate_name(p.name, field=N_("participant name"))
            label(p.role, field=N_("participant role"))
    for g in plan.goals:
        label(g.name, field=N_("goal name"))
        for text in (g.description, g.methods_and_timetable):
            validation.validate_text(text, field=N_("goal"), required=False, max_length=MAX_FIELD)
    if plan.previous_review is not None and first_plan:
        raise ValidationError(N_("The first plan of a service has no review of a previous plan."),
                              code="no_previous_plan", rule="rules-documents E11")
    if plan.next_review_on is not None and plan.service_start is not None:
        validation.validate_period(plan.service_start, plan.next_review_on,
                                   field=N_("next review date"))
    for text in (plan.client_situation, plan.current_services, plan.service_description):
        validation.validate_text(text, field=N_("plan"), required=False, max_length=MAX_FIELD)
    validation.validate_text(plan.responsible_person, field=N_("person responsible"),
                             required=False, max_length=MAX_FIELD)
    if plan.previous_review is not None:
        for text in (plan.previous_review.assessment_text,
                     plan.previous_review.client_experience):
            validation.validate_text(text, field=N_("review"), required=False,
                                     max_length=MAX_FIELD)
    return plan


def _draft_label(value: str, *, field: str) -> str:
    """A one-line label that may still be empty in a draft (length and characters checked)."""
    return validation.validate_text(value, field=field, required=False, max_length=200)


def require_content(plan: PlanContent) -> None:
    """Refuse to complete a plan with nothing in it (rules-documents E11).

    E11 (L22005-22015): the plan describes the service, its goals and how it is carried out.
    Each field is optional on its own, but a completed plan needs at least the client's
    situation, the description of the service or one goal.

    Raises:
        ValidationError: code ``plan_empty``, naming the missing parts.
    """
    if plan.client_situation.strip() or plan.service_description.strip() or plan.goals:
        return
    raise ValidationError(
        N_("The plan cannot be completed without content: write the client's situation, the "
           "content and implementation of the service, or at least one goal."),
        code="plan_empty", rule="rules-documents E11")


def to_json(plan: PlanContent) -> dict[str, Any]:
    """A JSON-ready dict of the plan's content."""
    review = plan.previous_review
    return {
        "social_service": plan.social_service,
        "service_start": plan.service_start.isoformat() if plan.service_start else None,
        "service_description": plan.service_description,
        "responsible_person": plan.responsible_person,
        "client_situation": plan.client_situation,
        "current_services": plan.current_services,
        "meetings": [{"on": m.on.isoformat(), "place": m.place,
                      "participants": [{"name": p.name, "role": p.role,
                                        "organisation": p.organisation, "title": p.title}
                                       for p in m.participants]} for m in plan.meetings],
        "goals": [{"name": g.name, "description": g.description,
                   "methods_and_timetable": g.methods_and_timetable} for g in plan.goals],
        "previous_review": None if review is None else {
            "assessment": review.assessment, "assessment_text": review.assessment_text,
            "client_experience": review.client_experience},
        "next_review_on": plan.next_review_on.isoformat() if plan.next_review_on else None,
    }


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def from_json(data: dict[str, Any]) -> PlanContent:
    """The plan stored by :func:`to_json`."""
    review = data.get("previous_review")
    return PlanContent(
        social_service=data.get("social_service", ""),
        service_start=_day(data.get("service_start")),
        service_description=data.get("service_description", ""),
        responsible_person=data.get("responsible_person", ""),
        client_situation=data.get("client_situation", ""),
        current_services=data.get("current_services", ""),
        meetings=tuple(Meeting(date.fromisoformat(m["on"]), m["place"], tuple(
            Participant(p["name"], p["role"], p.get("organisation"), p.get("title"))
            for p in m.get("participants", []))) for m in data.get("meetings", [])),
        goals=tuple(Goal(g["name"], g.get("description", ""), g.get("methods_and_timetable", ""))
                    for g in data.get("goals", [])),
        previous_review=None if not review else PreviousPlanReview(
            review.get("assessment"), review.get("assessment_text", ""),
            review.get("client_experience", "")),
        next_review_on=_day(data.get("next_review_on")),
    )


def plain_text(plan: PlanContent) -> str:
    """The plan's words for the full-text index and the display form."""
    parts = [plan.service_description, plan.responsible_person, plan.client_situation,
             plan.current_services]
    parts += [f"{g.name} {g.description} {g.methods_and_timetable}" for g in plan.goals]
    if plan.previous_review:
        parts += [plan.previous_review.assessment_text, plan.previous_review.client_experience]
    return "\n".join(p for p in parts if p).strip()
