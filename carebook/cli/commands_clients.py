"""Client commands: ``client add|list|show``."""

from __future__ import annotations

from typing import Any

from carebook import logs
from carebook.cli import options
from carebook.cli.context import Context
from carebook.errors import AccessDeniedError, NotFoundError, ValidationError
from carebook.i18n import N_, _
from carebook.model.access import StaffSession
from carebook.model.records import ClientRecord
from carebook.model.services import accounts, cases, clients, organisers, social_services
from carebook.model.store import Store


def register(sub: Any) -> None:
    """Add ``client`` to the top-level subparsers."""
    client = sub.add_parser("client", help=_("clients")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = client.add_parser("add", help=_("add a client with a relationship at a unit"))
    p.add_argument("--hetu", metavar="ID",
                   help=_("personal identity code (without it a temporary OID is made)"))
    p.add_argument("--first", required=True, metavar="NAME")
    p.add_argument("--last", required=True, metavar="NAME")
    p.add_argument("--unit", required=True, metavar="OID")
    p.add_argument("--birth-date", type=options.iso_date, metavar="DATE",
                   help=_("birth date of a client without an identity code"))
    p.add_argument("--organiser", metavar="OID",
                   help=_("the organiser whose register the client is in (RAR)"))
    p.add_argument("--organiser-name", metavar="NAME",
                   help=_("name of a new organiser (added when the OID is not yet known)"))
    p.add_argument("--rar-start", type=options.iso_date, metavar="DATE",
                   help=_("start of the unit's register access right for the client"))
    p.add_argument("--rar-end", type=options.iso_date, metavar="DATE")
    p.add_argument("--case-code", metavar="OID", help=_("the organiser's case code"))
    p.add_argument("--security-prohibition", action="store_true",
                   help=_("the client has a security prohibition (turvakielto)"))
    p.add_argument("--address")
    p.add_argument("--municipality")
    p.add_argument("--phone")
    p.add_argument("--secret-phone", action="store_true",
                   help=_("the client asked to keep the phone number secret"))
    options.add_special_reason(p)
    p.set_defaults(func=client_add)

    p = client.add_parser("list", help=_("clients of your units"))
    p.add_argument("--name", help=_("part of a first or last name"))
    p.set_defaults(func=client_list)

    p = client.add_parser("case-code", help=_("record the organiser's case code of the "
                                              "client's case (RAR-11)"))
    options.add_client(p)
    p.add_argument("--case-code", required=True, metavar="OID",
                   help=_("the case code found in the organiser's register"))
    p.add_argument("--case", type=options.positive_int, metavar="N",
                   help=_("the case number, when the client has several open cases"))
    options.add_special_reason(p)
    p.set_defaults(func=client_case_code)

    p = client.add_parser("show", help=_("one client's data, relationships and services"))
    p.add_argument("client", metavar="ID")
    options.add_special_reason(p)
    p.set_defaults(func=client_show)


def _organiser(store: Store, staff: StaffSession, ctx: Context) -> None:
    """Add the organiser of ``--organiser`` first when this store does not know it yet."""
    oid = ctx.args.organiser
    if oid is None or organisers.organiser_register_id(store, staff, oid) is not None:
        return
    name = ctx.args.organiser_name or oid
    organisers.add_organiser(store, staff, name=name, oid=oid)
    ctx.out.line(_("Added the organiser %(oid)s.") % {"oid": oid})


def client_add(ctx: Context) -> None:
    a = ctx.args
    logs.add_secrets([a.first, a.last, a.address, a.phone])
    with ctx.signed_in() as (store, staff):
        _organiser(store, staff, ctx)
        rec = clients.add_client(
            store, staff, first_name=a.first, last_name=a.last, unit_oid=a.unit, hetu=a.hetu,
            birth_date=a.birth_date, organiser_oid=a.organiser, rar_start=a.rar_start,
            rar_end=a.rar_end, case_code=a.case_code,
            security_prohibition=a.security_prohibition, address=a.address,
            municipality=a.municipality, phone=a.phone, secret_phone=a.secret_phone,
            special_reason=a.special_reason)
    where = (_("in the register of organiser %(oid)s (RAR)") % {"oid": a.organiser}
             if a.organiser else _("self-paying, in the producer's own register"))
    ctx.out.line(_("Added client number %(id)s, %(where)s.") % {"id": rec.id, "where": where})


def client_case_code(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)
        case_id = a.case or _case_without_code(store, staff, client_id, a.special_reason)
        rec = cases.set_case_code(store, staff, case_id=case_id, case_code=a.case_code,
                                  special_reason=a.special_reason)
    ctx.out.line(_("Recorded the case code %(code)s for case %(case)s of client %(client)s. "
                   "Drafts waiting for it can now be completed with "
                   "'carebook note complete DOC'.")
                 % {"code": rec.case_code, "case": rec.id, "client": client_id})


def _case_without_code(store: Store, staff: StaffSession, client_id: int,
                       special_reason: str | None) -> int:
    """The client's one open case that still lacks its case code (RAR-11)."""
    open_cases = [c for c in cases.list_cases(store, staff, client_id=client_id,
                                              special_reason=special_reason)
                  if c.case_code is None and c.closed_at is None]
    if not open_cases:
        raise NotFoundError(N_("Client %(client)s has no open case waiting for a case code."),
                            code="no_case_without_code", client=client_id)
    if len(open_cases) > 1:
        raise ValidationError(N_("Client %(client)s has several open cases without a case "
                                 "code (%(cases)s); choose one with --case N."),
                              code="several_cases", client=client_id,
                              cases=", ".join(str(c.id) for c in open_cases))
    return open_cases[0].id


def _flags(c: ClientRecord) -> str:
    flags = []
    if c.minor:
        flags.append(_("minor"))
    if c.security_prohibition:
        flags.append(_("SECURITY PROHIBITION"))
    return ", ".join(flags)


def client_list(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        rows = clients.list_clients(store, staff, name=ctx.args.name)
    ctx.out.table([_("Number"), _("Name"), _("Identity code"), _("Notes")],
                  [(c.id, f"{c.last_name}, {c.first_name}", c.identifier, _flags(c))
                   for c in rows])


def client_show(ctx: Context) -> None:
    reason = ctx.args.special_reason
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, ctx.args.client)
        c = clients.get_client(store, staff, client_id, special_reason=reason)
        rels = clients.list_relationships(store, staff, client_id, special_reason=reason)
        try:
            services = social_services.list_services(store, staff, client_id=client_id,
                                                     special_reason=reason)
        except AccessDeniedError:  # an administrator does not read records (AC-4)
            services = []
    _show(ctx, c)
    ctx.out.line()
    ctx.out.line(_("Client relationships:"))
    ctx.out.table(
        [_("Register"), _("Usage code"), _("Unit"), _("From"), _("To"), _("In force")],
        [(r.controller_oid, r.usage_code, r.unit_oid, r.start_on, r.end_on or "",
          _("yes") if r.in_force else _("no")) for r in rels])
    ctx.out.line()
    ctx.out.line(_("Services:"))
    ctx.out.table([_("Number"), _("Social service"), _("Started"), _("Ended")],
                  [(s.id, s.social_service, s.actual_start, s.actual_end or "")
                   for s in services])


def _show(ctx: Context, c: ClientRecord) -> None:
    if c.security_prohibition:
        ctx.out.line(_("!! This client has a SECURITY PROHIBITION (turvakielto). !!"))
    ctx.out.field(_("Number"), c.id)
    ctx.out.field(_("Name"), c.full_name)
    ctx.out.field(_("Identity code"), c.identifier)
    ctx.out.field(_("Birth date"), c.birth_date)
    if c.minor:
        ctx.out.line(_("The client is a minor: documents are visible to guardians."))
    if c.prohibited_hidden:
        ctx.out.line(_("Address data is hidden: you have no right to see it."))
    else:
        ctx.out.field(_("Address"), c.address)
        ctx.out.field(_("Municipality"), c.municipality)
    ctx.out.field(_("Phone"), c.phone)
