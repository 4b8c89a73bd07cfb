"""A plan in the timeline's detail pane: its parts under headings (rules-documents E11).

The body text of a plan is an unlabelled run of its fields; a reader checking a plan needs to
see which text is the client's situation and which the goals, so the detail pane renders the
structured :class:`~carebook.model.records.PlanContent` instead. Every value is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from carebook.i18n import _
from carebook.model import codesets
from carebook.ui import texts


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _section(title: str, value: str) -> str:
    """A heading and its (already escaped) content; a missing value shows as a dash."""
    return (f"<p style='margin-top:8px; margin-bottom:0'><b>{escape(title)}</b></p>"
            f"<div>{value or '—'}</div>")


def _meetings(plan: Any) -> str:
    rows = []
    for meeting in plan.meetings:
        people = ", ".join(
            escape(", ".join(x for x in (p.name, p.role, p.title or "", p.organisation or "")
                             if x)) for p in meeting.participants)
        lines = (texts.labelled(_("Date"), escape(texts.day(meeting.on))),
                 texts.labelled(_("Place"), escape(meeting.place)),
                 texts.labelled(_("Participants"), people or "—"))
        rows.append(f"<li>{'<br>'.join(lines)}</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def _goals(plan: Any) -> str:
    rows = []
    for goal in plan.goals:
        parts = [f"<b>{escape(goal.name)}</b>"]
        if goal.description:
            parts.append(texts.labelled(_("Description"), _text(goal.description)))
        if goal.methods_and_timetable:
            parts.append(texts.labelled(_("Methods and timetable"),
                                   _text(goal.methods_and_timetable)))
        rows.append(f"<li>{'<br>'.join(parts)}</li>")
    return f"<ol>{''.join(rows)}</ol>" if rows else ""


def _review(plan: Any) -> str:
    from carebook.ui.plan_form import ASSESSMENTS

    review = plan.previous_review
    if review is None:
        return ""
    names = dict(ASSESSMENTS)
    parts = []
    if review.assessment:
        assessment = _(names.get(review.assessment, review.assessment))
        parts.append(texts.labelled(_("Assessment"), escape(assessment)))
    if review.assessment_text:
        parts.append(texts.labelled(_("Assessment in words"), _text(review.assessment_text)))
    if review.client_experience:
        parts.append(texts.labelled(_("The client's experience"),
                                    _text(review.client_experience)))
    return "<br>".join(parts)


def plan_html(plan: Any) -> str:
    """The plan's parts under translated headings, in the order of the plan form."""
    sections = [
        (_("Social service"), escape(texts.code_name(codesets.SOCIAL_SERVICE,
                                                     plan.social_service))),
        (_("Service start date"), escape(texts.day(plan.service_start))),
        (_("Person responsible for the service"), escape(plan.responsible_person)),
        (_("Client's situation"), _text(plan.client_situation)),
        (_("Services the client gets now"), _text(plan.current_services)),
        (_("Content and implementation"), _text(plan.service_description)),
        (_("Meetings"), _meetings(plan)),
        (_("Goals"), _goals(plan)),
        (_("How the goals of the previous plan were met"), _review(plan)),
        (_("Next review date"), escape(texts.day(plan.next_review_on))),
    ]
    return "".join(_section(title, value) for title, value in sections)
