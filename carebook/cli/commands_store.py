"""Store commands: ``init``, ``backup``, ``restore``, ``rekey``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from carebook import logs
from carebook.cli import prompts
from carebook.cli.context import Context
from carebook.i18n import _
from carebook.model.services import accounts


def register(sub: Any) -> None:
    """Add the store commands to the top-level subparsers."""
    p = sub.add_parser("init", help=_("create the data store, the producer and the first admin"))
    p.add_argument("--producer-name", required=True, metavar="NAME")
    p.add_argument("--business-id", required=True, metavar="Y-TUNNUS")
    p.add_argument("--producer-oid", required=True, metavar="OID")
    p.add_argument("--admin-username", required=True, metavar="USERNAME")
    p.add_argument("--admin-first", required=True, metavar="NAME")
    p.add_argument("--admin-last", required=True, metavar="NAME")
    p.add_argument("--admin-title", required=True, metavar="TITLE")
    p.add_argument("--test-mode", action="store_true",
                   help=_("a training/test store: only Kela's 900-series test identity codes"))
    p.set_defaults(func=init)

    p = sub.add_parser("backup", help=_("write an encrypted copy of the store (admin)"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(func=backup)

    p = sub.add_parser("restore", help=_("replace the store with a backup (admin)"))
    p.add_argument("--from", dest="source", required=True, type=Path, metavar="FILE")
    p.set_defaults(func=restore)

    p = sub.add_parser("rekey", help=_("rotate the store's key; prints a new recovery code"))
    p.set_defaults(func=rekey)

    p = sub.add_parser("recover", help=_("set a user's new password with the recovery code "
                                         "(code: prompt or CAREBOOK_RECOVERY_CODE)"))
    p.add_argument("--username", required=True)
    p.set_defaults(func=recover)


def _print_recovery_code(ctx: Context, code: str) -> None:
    ctx.out.line()
    ctx.out.line(_("Recovery code (shown only now; write it down and keep it safe):"))
    ctx.out.line(f"    {code}")
    ctx.out.line(_("It opens the store if every password is lost. carebook does not keep it."))


def init(ctx: Context) -> None:
    a: argparse.Namespace = ctx.args
    logs.add_secrets([a.admin_first, a.admin_last, a.producer_name])
    if a.test_mode:
        ctx.out.test_store()
    password = prompts.new_password(a.admin_username)
    result = accounts.init_store(
        ctx.data_dir, producer_name=a.producer_name, business_id=a.business_id,
        producer_oid=a.producer_oid, admin_username=a.admin_username,
        admin_first=a.admin_first, admin_last=a.admin_last, admin_title=a.admin_title,
        password=password, test_mode=a.test_mode)
    logs.add_secrets([result.recovery_code])
    ctx.out.line(_("Created the data store %(path)s.") % {"path": result.store_path})
    ctx.out.field(_("Producer"), f"{result.producer.name} ({result.producer.oid})")
    ctx.out.field(_("Administrator"), result.admin.username)
    if a.test_mode:
        ctx.out.line(_("This is a TEST store: it accepts only Kela's test identity codes "
                       "(individual number 900-999)."))
    _print_recovery_code(ctx, result.recovery_code)


def backup(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        out = accounts.backup(store, staff, out=ctx.args.out)
    ctx.out.line(_("Encrypted backup written to %(path)s (key file %(keys)s).")
                 % {"path": out, "keys": f"{out}.keys"})
    ctx.out.line(_("Keep both files together; the passwords of the backup time open it."))


def restore(ctx: Context) -> None:
    user = ctx.username()
    password = prompts.acting_password(user)
    result = accounts.restore(ctx.data_dir, backup_file=ctx.args.source, username=user,
                              password=password)
    out = ctx.out
    out.line(_("The store was restored from %(path)s.") % {"path": ctx.args.source})
    if result.damaged_copy is not None:
        out.line(_("The damaged store was moved aside (not deleted) as %(path)s.")
                 % {"path": result.damaged_copy})
    if result.safety_copy is not None:
        out.line(_("The replaced store was kept as %(path)s.") % {"path": result.safety_copy})
        out.line(_("%(events)s usage-log events and %(docs)s documents of the replaced store "
                   "are not in the restored store; they remain only in that safety copy.")
                 % {"events": result.lost_events, "docs": result.lost_documents})
    if result.recovery_code_changed:
        out.line(_("The store key changed after this backup was made: the recovery code that "
                   "was valid when this backup was made applies again."))


def recover(ctx: Context) -> None:
    code = prompts.recovery_code()
    password = prompts.new_password(ctx.args.username)
    accounts.recover(ctx.data_dir, recovery_code=code, username=ctx.args.username,
                     new_password=password)
    ctx.out.line(_("The password of %(username)s was set with the recovery code.")
                 % {"username": ctx.args.username})


def rekey(ctx: Context) -> None:
    with ctx.signed_in() as (store, staff):
        code = accounts.rekey(store, staff)
    logs.add_secrets([code])
    ctx.out.line(_("The store's key was rotated. Every password still works; "
                   "the old recovery code no longer does."))
    _print_recovery_code(ctx, code)
