"""Organisation commands: ``unit``, ``organiser`` and ``user`` (staff and their passwords)."""

from __future__ import annotations

from typing import Any

from carebook import logs
from carebook.cli import prompts
from carebook.cli.context import Context
from carebook.i18n import _
from carebook.model.access import ROLES
from carebook.model.services import accounts, organisers, staff, units


def register(sub: Any) -> None:
    """Add ``unit``, ``organiser`` and ``user`` to the top-level subparsers."""
    unit = sub.add_parser("unit", help=_("service units of the producer")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = unit.add_parser("add", help=_("add a service unit with its OID"))
    p.add_argument("--name", required=True)
    p.add_argument("--oid", required=True)
    p.set_defaults(func=unit_add)
    unit.add_parser("list", help=_("list the service units")).set_defaults(func=unit_list)

    org = sub.add_parser("organiser", help=_("organisers (welfare areas)")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = org.add_parser("add", help=_("add an organiser and its register"))
    p.add_argument("--name", required=True)
    p.add_argument("--oid", required=True)
    p.add_argument("--business-id", metavar="Y-TUNNUS")
    p.set_defaults(func=organiser_add)
    org.add_parser("list", help=_("list the organisers")).set_defaults(func=organiser_list)

    user = sub.add_parser("user", help=_("staff users and passwords")).add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = user.add_parser("add", help=_("add a staff user (password: prompt or "
                                      "CAREBOOK_NEW_PASSWORD)"))
    p.add_argument("--username", required=True)
    p.add_argument("--first", required=True, metavar="NAME")
    p.add_argument("--last", required=True, metavar="NAME")
    p.add_argument("--title", required=True)
    p.add_argument("--role", action="append", choices=ROLES, dest="roles",
                   help=_("a role (repeat for several; default care_worker)"))
    p.add_argument("--unit", action="append", dest="units", metavar="OID", default=[],
                   help=_("a unit where the user works (repeat for several)"))
    p.add_argument("--registration-no", metavar="NUMBER")
    p.add_argument("--work-task", choices=["1", "2", "3"],
                   help=_("work-task category: 1 broad client responsibility, "
                          "2 implementation of services, 3 administration"))
    p.add_argument("--may-see-prohibited", action="store_true",
                   help=_("may see data covered by a security prohibition"))
    p.set_defaults(func=user_add)
    p = user.add_parser("passwd", help=_("change your password, or (admin) set another "
                                         "user's"))
    p.add_argument("username", nargs="?")
    p.set_defaults(func=user_passwd)
    p = user.add_parser("remove", help=_("remove a user (documents keep their author)"))
    p.add_argument("username")
    p.set_defaults(func=user_remove)
    p = user.add_parser("list", help=_("list the staff users"))
    p.add_argument("--all", action="store_true", help=_("include removed users"))
    p.set_defaults(func=user_list)


def unit_add(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        unit = units.add_unit(store, staff_ctx, name=ctx.args.name, oid=ctx.args.oid)
    ctx.out.line(_("Added the service unit %(name)s (%(oid)s).")
                 % {"name": unit.name, "oid": unit.oid})


def unit_list(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        rows = units.list_units(store, staff_ctx)
    ctx.out.table([_("Name"), "OID", _("Active")],
                  [(u.name, u.oid, _("yes") if u.active else _("no")) for u in rows])


def organiser_add(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        org = organisers.add_organiser(store, staff_ctx, name=ctx.args.name, oid=ctx.args.oid,
                                       business_id=ctx.args.business_id)
    ctx.out.line(_("Added the organiser %(name)s (%(oid)s).")
                 % {"name": org.name, "oid": org.oid})


def organiser_list(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        rows = organisers.list_organisers(store, staff_ctx)
    ctx.out.table([_("Name"), "OID", _("Business ID")],
                  [(o.name, o.oid, o.business_id) for o in rows])


def user_add(ctx: Context) -> None:
    a = ctx.args
    logs.add_secrets([a.first, a.last])
    with ctx.signed_in() as (store, staff_ctx):
        password = prompts.new_password(a.username)
        rec = accounts.add_user(
            store, staff_ctx, username=a.username, password=password, first_name=a.first,
            last_name=a.last, title=a.title, roles=tuple(a.roles or ("care_worker",)),
            unit_oids=tuple(a.units), registration_no=a.registration_no,
            work_task=a.work_task, may_see_prohibited=a.may_see_prohibited)
    ctx.out.line(_("Added the user %(username)s (%(roles)s).")
                 % {"username": rec.username, "roles": ", ".join(rec.roles)})


def user_passwd(ctx: Context) -> None:
    target = ctx.args.username
    with ctx.signed_in() as (store, staff_ctx):
        if target in (None, staff_ctx.username):
            # The password just used to sign in proves the change (the key slot checks it).
            old = ctx.password or prompts.acting_password(staff_ctx.username)
            new = prompts.new_password(staff_ctx.username)
            accounts.change_password(store, staff_ctx, old_password=old, new_password=new)
            ctx.out.line(_("Your password was changed."))
            return
        new = prompts.new_password(target)
        accounts.reset_password(store, staff_ctx, username=target, new_password=new)
    ctx.out.line(_("The password of %(username)s was set.") % {"username": target})


def user_remove(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        rec = accounts.remove_user(store, staff_ctx, username=ctx.args.username)
    ctx.out.line(_("Removed the user %(username)s; their documents keep them as author.")
                 % {"username": rec.username})


def user_list(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff_ctx):
        rows = staff.list_staff(store, staff_ctx, include_inactive=ctx.args.all)
        unit_oids = {u.id: u.oid for u in units.list_units(store, staff_ctx)}
    ctx.out.table(
        [_("Username"), _("Name"), _("Title"), _("Roles"), _("Units"), _("Active")],
        [(r.username, r.full_name, r.title, ",".join(r.roles),
          ",".join(unit_oids.get(u, str(u)) for u in r.unit_ids),
          _("yes") if r.active else _("no")) for r in rows])
