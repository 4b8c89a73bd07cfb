"""Record commands: ``note``, ``service`` and ``plan``.

``note add`` completes (signs) the entry at once, as journal entries are archived when they are
finished (rules-documents E9); ``--draft`` keeps it as a draft for ``note complete``. Plans are
drafts until ``plan complete``, because they are agreed with the client first (E11).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from carebook import logs
from carebook.cli import options
from carebook.cli.context import Context
from carebook.errors import RuleViolationError
from carebook.i18n import N_, _, current_language
from carebook.model import clock
from carebook.model.records import DocumentRecord, Goal, Meeting, PlanContent
from carebook.model.services import (
    accounts,
    journal,
    lifecycle,
    plans,
    search,
    social_services,
)

STATES = {"draft": N_("draft"), "completed": N_("completed"), "nullified": N_("nullified")}


def _state(state: str) -> str:
    return _(STATES.get(state, state))


def register(sub: Any) -> None:
    """Add ``note``, ``service`` and ``plan`` to the top-level subparsers."""
    _register_notes(sub)
    _register_services(sub)
    _register_plans(sub)


def _register_notes(sub: Any) -> None:
    note = sub.add_parser("note", help=_("journal entries")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    note.add_parser("types", help=_("list the journal-entry types")).set_defaults(
        func=note_types)
    p = note.add_parser("add", help=_("write a journal entry (completed unless --draft)"))
    options.add_client(p)
    p.add_argument("--type", required=True, metavar="TYPE", help=_("see 'note types'"))
    options.add_text(p)
    p.add_argument("--draft", action="store_true", help=_("keep it as a draft"))
    options.add_special_reason(p)
    p.set_defaults(func=note_add)
    p = note.add_parser("list", help=_("a client's documents, newest first"))
    options.add_client(p)
    p.add_argument("--limit", type=options.positive_int, default=50)
    p.add_argument("--include-nullified", action="store_true")
    options.add_special_reason(p)
    p.set_defaults(func=note_list)
    p = note.add_parser("search", help=_("full-text search in the entries of your clients"))
    p.add_argument("query", metavar="WORDS")
    p.add_argument("--client", metavar="ID", help=_("only this client's entries"))
    p.add_argument("--limit", type=options.positive_int, default=50)
    options.add_special_reason(p)
    p.set_defaults(func=note_search)
    p = note.add_parser("show", help=_("one document with its versions"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    options.add_special_reason(p)
    p.set_defaults(func=note_show)
    p = note.add_parser("complete", help=_("complete (sign) your draft"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    options.add_special_reason(p)
    p.set_defaults(func=note_complete)
    p = note.add_parser("correct", help=_("correct a completed document (new version)"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    p.add_argument("--reason", required=True, metavar="CODE",
                   help="typing-error, factual-error, missing-information, metadata, visibility")
    options.add_text(p)
    options.add_special_reason(p)
    p.set_defaults(func=note_correct)
    p = note.add_parser("edit", help=_("change the text of your own draft"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    options.add_text(p)
    options.add_special_reason(p)
    p.set_defaults(func=note_edit)
    p = note.add_parser("nullify", help=_("nullify a completed document"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    p.add_argument("--reason", required=True, metavar="CODE",
                   help="wrong-person, wrong-case, erroneous")
    p.add_argument("--reason-text")
    options.add_special_reason(p)
    p.set_defaults(func=note_nullify)


def _register_services(sub: Any) -> None:
    service = sub.add_parser("service", help=_("social services: start and end")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = service.add_parser("start", help=_("record the start of a social service (start note)"))
    options.add_client(p)
    p.add_argument("--service", required=True, metavar="CODE",
                   help=_("social service code, e.g. serviceboende_med_heldygnsomsorg"))
    p.add_argument("--start", required=True, type=options.iso_date, metavar="DATE")
    options.add_text(p, required=False, default="")
    p.add_argument("--basis", choices=["decision", "voucher", "contract"])
    options.add_special_reason(p)
    p.set_defaults(func=service_start)
    p = service.add_parser("end", help=_("record the end of a social service (end note)"))
    p.add_argument("--service-id", required=True, type=options.positive_int, metavar="N")
    p.add_argument("--end", required=True, type=options.iso_date, metavar="DATE")
    p.add_argument("--grounds", required=True)
    options.add_text(p, required=False, default="")
    options.add_special_reason(p)
    p.set_defaults(func=service_end)
    p = service.add_parser("list", help=_("a client's services"))
    options.add_client(p)
    options.add_special_reason(p)
    p.set_defaults(func=service_list)


def _register_plans(sub: Any) -> None:
    plan = sub.add_parser("plan", help=_("implementation plans")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = plan.add_parser("add", help=_("write an implementation plan (a draft)"))
    options.add_client(p)
    p.add_argument("--service", required=True, metavar="CODE", help=_("social service code"))
    p.add_argument("--service-start", type=options.iso_date, metavar="DATE")
    p.add_argument("--description", default="", help=_("the service in words"))
    p.add_argument("--responsible", default="", help=_("the responsible person"))
    p.add_argument("--situation", default="", help=_("the client's situation"))
    p.add_argument("--current-services", default="")
    p.add_argument("--goal", action="append", default=[], metavar="NAME",
                   help=_("a goal (repeat for several)"))
    p.add_argument("--meeting", type=options.iso_date, metavar="DATE",
                   help=_("date of the meeting where the plan was made"))
    p.add_argument("--meeting-place", default="", metavar="PLACE")
    p.add_argument("--next-review", type=options.iso_date, metavar="DATE")
    p.add_argument("--complete", action="store_true", help=_("complete (sign) it at once"))
    options.add_special_reason(p)
    p.set_defaults(func=plan_add)
    p = plan.add_parser("complete", help=_("complete (sign) your plan draft"))
    p.add_argument("document", type=options.positive_int, metavar="DOC")
    options.add_special_reason(p)
    p.set_defaults(func=note_complete)


def _doc_line(ctx: Context, doc: DocumentRecord, verb: str) -> None:
    ctx.out.line(_("%(verb)s document %(id)s (%(type)s, version %(version)s, %(state)s).")
                 % {"verb": verb, "id": doc.id, "type": doc.specific_type,
                    "version": doc.version, "state": _state(doc.state)})


def note_types(ctx: Context) -> None:
    lang = current_language()
    rows = [(t.key, t.fi if lang == "fi" else t.sv if lang == "sv" else t.en)
            for t in journal.note_types() if t.valid_today]
    ctx.out.table([_("Type"), _("Name")], rows)


class SavedAsDraftError(RuleViolationError):
    """RAR-11: the entry was kept as a draft because the case code is not known yet."""

    code = "no_case_code"
    default_template = N_(
        "Saved as draft %(id)s; do not add it again. The organiser's case code is not known "
        "yet (RAR-11): record it with 'carebook client case-code --client %(client)s "
        "--case-code OID', then run 'carebook note complete %(id)s'.")


def note_add(ctx: Context) -> None:
    a = ctx.args
    logs.add_secrets([a.client])
    text = options.text_value(a.text)
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)

        def record(complete: bool) -> DocumentRecord:
            return journal.record_journal_entry(
                store, staff, client_id=client_id, entry_type=a.type, text=text,
                special_reason=a.special_reason, complete=complete)

        try:
            doc = record(not a.draft)
        except RuleViolationError as refused:
            if refused.code != "no_case_code":
                raise
            # RAR-11: nothing is lost: the text is kept as a draft, completed once the
            # organiser's case code is known.
            doc = record(False)
            _doc_line(ctx, doc, _("Saved as a draft"))
            raise SavedAsDraftError(id=doc.id, client=client_id, rule="RAR-11") from None
    _doc_line(ctx, doc, _("Saved"))


def note_list(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)
        page = journal.client_timeline(store, staff, client_id=client_id, limit=a.limit,
                                       include_nullified=a.include_nullified,
                                       special_reason=a.special_reason)
    ctx.out.table(
        [_("Doc"), _("When"), _("Type"), _("Version"), _("State"), _("Author"), _("Text")],
        [(d.id, _local(d.recorded_at), d.specific_type, d.version,
          _state(d.state), d.author_name, _short(d.body)) for d in page.items])
    if page.next_cursor:
        ctx.out.line(_("(more entries: use --limit)"))


def _local(at: datetime) -> str:
    """A time as Finnish local time (the store keeps UTC)."""
    return clock.as_utc(at).astimezone(clock.FINLAND).strftime("%Y-%m-%d %H:%M")


def note_search(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client) if a.client else None
        hits = search.search_entries(store, staff, query=a.query, client_id=client_id,
                                     limit=a.limit, special_reason=a.special_reason)
    ctx.out.table([_("Doc"), _("Client"), _("When"), _("Type"), _("Text")],
                  [(h.document.id, ",".join(str(c) for c in h.document.client_ids),
                    _local(h.document.recorded_at), h.document.specific_type,
                    _short(h.snippet)) for h in hits])


def _short(text: str, width: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def note_show(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        versions = lifecycle.document_versions(store, staff, ctx.args.document,
                                               special_reason=ctx.args.special_reason)
    for doc in versions:
        ctx.out.line(_("Version %(version)s (%(state)s), %(type)s, %(when)s")
                     % {"version": doc.version, "state": _state(doc.state),
                        "type": doc.specific_type, "when": _local(doc.recorded_at)})
        ctx.out.field(_("Author"), doc.author_name)
        if doc.signature is not None:
            ctx.out.field(_("Signed"), f"{doc.signature.signer_name}, "
                                       f"{_local(doc.signature.signed_at)}")
        if doc.correction_reason:
            ctx.out.field(_("Correction reason"), doc.correction_reason)
        if doc.nullification_reason:
            ctx.out.field(_("Nullification reason"), doc.nullification_reason)
        ctx.out.line(doc.body)
        ctx.out.line()


def note_complete(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        doc = lifecycle.complete_document(store, staff, document_id=ctx.args.document,
                                          special_reason=ctx.args.special_reason)
    _doc_line(ctx, doc, _("Completed"))


def note_correct(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        doc = lifecycle.correct_document(store, staff, document_id=a.document, reason=a.reason,
                                         text=options.text_value(a.text),
                                         special_reason=a.special_reason)
    _doc_line(ctx, doc, _("Corrected"))


def note_edit(ctx: Context) -> None:
    a = ctx.args
    text = options.text_value(a.text)
    with ctx.signed_in() as (store, staff):
        doc = lifecycle.edit_draft(store, staff, document_id=a.document, text=text,
                                   special_reason=a.special_reason)
    _doc_line(ctx, doc, _("Changed the draft"))


def note_nullify(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        doc = lifecycle.nullify_document(store, staff, document_id=a.document, reason=a.reason,
                                         reason_text=a.reason_text,
                                         special_reason=a.special_reason)
    _doc_line(ctx, doc, _("Nullified"))


def service_start(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)
        rec = social_services.start_service(
            store, staff, client_id=client_id, social_service=a.service, start_on=a.start,
            text=options.text_value(a.text) or "", basis=a.basis, special_reason=a.special_reason)
    ctx.out.line(_("Service number %(id)s started on %(day)s; the start note is document "
                   "%(doc)s.") % {"id": rec.id, "day": rec.actual_start,
                                  "doc": rec.start_document_id})


def service_end(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        rec = social_services.end_service(store, staff, service_id=a.service_id, end_on=a.end,
                                          grounds=a.grounds, text=options.text_value(a.text) or "",
                                          special_reason=a.special_reason)
    ctx.out.line(_("Service number %(id)s ended on %(day)s; the end note is document %(doc)s.")
                 % {"id": rec.id, "day": rec.actual_end, "doc": rec.end_document_id})


def service_list(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, ctx.args.client)
        rows = social_services.list_services(store, staff, client_id=client_id,
                                             special_reason=ctx.args.special_reason)
    ctx.out.table([_("Number"), _("Social service"), _("Started"), _("Ended")],
                  [(s.id, s.social_service, s.actual_start, s.actual_end or "") for s in rows])


def plan_add(ctx: Context) -> None:
    a = ctx.args
    meetings = (Meeting(a.meeting, a.meeting_place or "-"),) if a.meeting else ()
    content = PlanContent(
        social_service=a.service, service_start=a.service_start,
        service_description=a.description, responsible_person=a.responsible,
        client_situation=a.situation, current_services=a.current_services,
        meetings=meetings, goals=tuple(Goal(name) for name in a.goal),
        next_review_on=a.next_review)
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)
        doc = plans.record_plan(store, staff, client_id=client_id, plan=content,
                                complete=a.complete, special_reason=a.special_reason)
    _doc_line(ctx, doc, _("Saved"))
