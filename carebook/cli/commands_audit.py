"""Usage-log commands: ``audit verify|export|list`` (AC-8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carebook.cli import options
from carebook.cli.context import Context
from carebook.errors import CarebookError
from carebook.i18n import N_, _
from carebook.model import clock
from carebook.model.services import accounts, usage_log


class TamperedLogError(CarebookError):
    """The hash chain of the usage log is broken (exit status 1)."""

    code = "usage_log_tampered"
    default_template = N_(
        "The usage log has been tampered with: event %(row)s was %(problem)s "
        "(%(checked)s events before it are intact).")


PROBLEMS = {"altered": N_("altered"), "missing": N_("removed"), "reordered": N_("reordered")}


def register(sub: Any) -> None:
    """Add ``audit`` to the top-level subparsers."""
    audit = sub.add_parser("audit", help=_("the usage log")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    audit.add_parser("verify", help=_("check that no event was altered, removed or reordered")
                     ).set_defaults(func=audit_verify)
    p = audit.add_parser("export", help=_("write one client's usage log as CSV"))
    options.add_client(p)
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(func=audit_export)
    p = audit.add_parser("list", help=_("show usage-log events"))
    p.add_argument("--client", metavar="ID")
    p.add_argument("--actor", metavar="USERNAME")
    p.set_defaults(func=audit_list)


def audit_verify(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        result = usage_log.verify_usage_log(store, staff)
    if not result.ok:
        problem = _(PROBLEMS.get(result.problem or "", result.problem or "altered"))
        raise TamperedLogError(row=result.first_bad_id, problem=problem, checked=result.checked)
    ctx.out.line(_("The usage log is intact: %(n)s events checked.") % {"n": result.checked})


def audit_export(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client)
        count = accounts.export_usage_log(store, staff, client_id=client_id, out=a.out)
    ctx.out.line(_("Wrote %(n)s events to %(path)s. The file holds client data: keep it safe.")
                 % {"n": count, "path": a.out})


def audit_list(ctx: Context) -> None:
    a = ctx.args
    with ctx.signed_in() as (store, staff):
        client_id = accounts.client_id_for(store, staff, a.client) if a.client else None
        rows = usage_log.usage_log(store, staff, client_id=client_id, actor=a.actor)
    ctx.out.table(
        [_("Event"), _("When"), _("User"), _("Action"), _("Client"), _("Reason"), _("Detail")],
        [(r.id, r.at.astimezone(clock.FINLAND).strftime("%Y-%m-%d %H:%M:%S"), r.actor or "",
          r.action, r.client_id or "", r.reason or "", r.detail or "") for r in rows])
