"""``carebook demo``: make (or reuse) the demo store; ``--headless`` says what it holds, without
it the desktop app opens on it (``carebook.__main__`` routes there before the CLI parser; this
path serves callers of :func:`carebook.cli.main`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from carebook.cli.context import Context
from carebook.i18n import _
from carebook.model.services import demo


def register(sub: Any) -> None:
    """Add ``demo`` to the top-level subparsers."""
    p = sub.add_parser("demo", help=_("make or reuse a demo (test) store and summarise it"))
    p.add_argument("--headless", action="store_true",
                   help=_("no window: make the store and print what it holds"))
    p.set_defaults(func=run_demo)


def run_demo(ctx: Context) -> int | None:
    if not ctx.args.headless:
        from carebook.app import run_demo_gui

        argv = ["--data-dir", str(ctx.data_dir)]
        if ctx.args.lang:
            argv += ["--lang", ctx.args.lang]
        return run_demo_gui(argv)
    ctx.out.test_store()
    summary = demo.ensure_demo(ctx.data_dir)
    _print(ctx, summary)


def _print(ctx: Context, s: demo.DemoSummary) -> None:
    out = ctx.out
    out.line(_("Made a new demo store.") if s.created
             else _("The demo store already existed; nothing was added."))
    out.field(_("Store"), s.store_path)
    out.field(_("Producer"), s.producer)
    out.field(_("Test store"), _("yes") if s.test_mode else _("no"))
    out.line()
    out.line(_("Service units:"))
    out.table([_("Name"), "OID"], list(s.units))
    out.line()
    out.line(_("Users (every demo password is '%(password)s'):") % {"password": s.password})
    out.table([_("Username"), _("Name"), _("Roles"), _("Units")],
              [(u.username, u.name, ",".join(u.roles), ",".join(u.unit_oids))
               for u in s.users])
    out.line()
    out.field(_("Clients"), s.clients)
    out.line(_("Documents by type:"))
    out.table([_("Kind"), _("Type"), _("Count")], list(s.documents))
    out.line(_("Documents by state: %(states)s")
             % {"states": ", ".join(f"{k} {n}" for k, n in s.states)})
    out.field(_("Document versions"), s.versions)
    out.field(_("Usage-log events"), s.usage_events)
    out.line()
    command = _command("carebook")
    data_dir = ctx.args.data_dir or s.store_path.parent
    out.line(_("Try: %(cmd)s --data-dir %(dir)s --user hoitaja1 client list")
             % {"cmd": command, "dir": data_dir})
    out.line(_("The password is asked for; for scripts set it in the environment: "
               "CAREBOOK_PASSWORD=%(password)s %(cmd)s --data-dir %(dir)s --user hoitaja1 "
               "client list") % {"password": s.password, "cmd": command, "dir": data_dir})
    out.line(_("The register (the organiser's side): %(cmd)s --help")
             % {"cmd": _command("carebook-register")})


def _command(name: str) -> str:
    """The full path of an installed command beside this Python (relative when it is under
    the current folder, e.g. ``.venv/bin/carebook``), else ``python -m``."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        return f"{sys.executable} -m {name.replace('-', '.')}"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
