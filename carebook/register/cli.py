"""``carebook-register``: serve the register, manage its local PKI, and the organiser's tools.

Subcommands: ``serve``, ``pki init|issue|issue-server|revoke``, and whatever
:func:`carebook.register.organiser_cli.add_subcommands` adds. Errors print one translated line
on stderr (exit status 1); never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from carebook.errors import CarebookError
from carebook.i18n import _, set_language
from carebook.register import cli_support, organiser_cli, pki, server

PROG = "carebook-register"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog=PROG, description=_("The carebook register service."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serve(commands)
    _add_pki(commands)
    organiser_cli.add_subcommands(commands)
    return parser


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("serve", help=_("run the register over HTTPS"))
    p.add_argument("--db", help=_("database URL (default: a SQLite file in the data folder; "
                                  "postgresql://... for PostgreSQL)"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8443)
    p.add_argument("--pki-dir", type=Path, help=_("PKI directory with the CA and the server "
                                                  "certificate"))
    p.add_argument("--workers", type=_positive, default=1)
    p.set_defaults(func=_serve)


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(_("a port is 1-65535, not %(value)s") % {"value": text})
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("%(value)s is not a positive whole number")
                                         % {"value": text})
    return value


def _add_pki(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("pki", help=_("local certificate authority for demos and tests"))
    sub = p.add_subparsers(dest="pki_command", required=True, metavar="ACTION")
    init = sub.add_parser("init", help=_("create a CA"))
    init.add_argument("--name", default="carebook local CA")
    init.set_defaults(func=_pki_init)
    issue = sub.add_parser("issue", help=_("issue an organisation certificate"))
    issue.add_argument("--org", required=True, metavar="OID")
    issue.add_argument("--name")
    issue.add_argument("--days", type=int, default=365)
    issue.set_defaults(func=_pki_issue)
    srv = sub.add_parser("issue-server", help=_("issue the register's TLS certificate"))
    srv.add_argument("--host", action="append", dest="hosts",
                     help=_("host name or IP (repeatable; default localhost, 127.0.0.1, ::1)"))
    srv.add_argument("--days", type=int, default=825)
    srv.set_defaults(func=_pki_issue_server)
    rev = sub.add_parser("revoke", help=_("revoke certificates (updates the CRL)"))
    which = rev.add_mutually_exclusive_group(required=True)
    which.add_argument("--serial", type=int)
    which.add_argument("--org", metavar="OID")
    rev.set_defaults(func=_pki_revoke)
    for action in (init, issue, srv, rev):
        action.add_argument("--dir", type=Path, default=None,
                            help=_("PKI directory (default: the data folder's pki)"))


def _dir(args: argparse.Namespace, name: str = "dir") -> Path:
    value: Path | None = getattr(args, name)
    return value if value is not None else server.default_pki_dir()


def _serve(args: argparse.Namespace) -> int:
    server.serve(db_url=args.db or server.default_db_url(), pki_dir=_dir(args, "pki_dir"),
                 host=args.host, port=args.port, workers=args.workers)
    return 0


def _pki_init(args: argparse.Namespace) -> int:
    path = pki.init_ca(_dir(args), name=args.name)
    print(_("CA certificate: %(path)s") % {"path": path})
    return 0


def _pki_issue(args: argparse.Namespace) -> int:
    issued = pki.issue_org(_dir(args), args.org, name=args.name, days=args.days)
    _print_issued(issued)
    return 0


def _pki_issue_server(args: argparse.Namespace) -> int:
    hosts = args.hosts or ["localhost", "127.0.0.1", "::1"]
    _print_issued(pki.issue_server(_dir(args), hosts=hosts, days=args.days))
    return 0


def _print_issued(issued: pki.IssuedCert) -> None:
    print(_("serial: %(serial)s") % {"serial": issued.serial})
    print(_("certificate: %(path)s") % {"path": issued.cert_path})
    print(_("key: %(path)s") % {"path": issued.key_path})
    print(_("valid until: %(date)s") % {"date": issued.not_after.isoformat()})


def _pki_revoke(args: argparse.Namespace) -> int:
    serials = pki.revoke(_dir(args), serial=args.serial, oid=args.org)
    for serial in serials:
        print(_("revoked: %(serial)s") % {"serial": serial})
    if not serials:
        print(_("already revoked"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``carebook-register``; returns the exit status."""
    set_language()
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    try:
        if func is not None:
            return func(args)
        return organiser_cli.run(args)
    except CarebookError as exc:
        return _fail(exc.message(), exc.code)
    except cli_support.CliError as exc:
        return _fail(exc.message, exc.code)
    except SQLAlchemyError as exc:
        error = cli_support.database_error(exc)
        return _fail(error.message, error.code)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or type(exc).__name__}{where}", "OS_ERROR")
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the last guard: never a traceback to a user
        return _fail(_("unexpected failure; details are in %(log)s")
                     % {"log": _log_failure()}, "INTERNAL")


def _fail(message: str, code: str) -> int:
    print(f"{PROG}: {_('error')}: {message} ({code})", file=sys.stderr)
    return 1


def _log_failure() -> Path:
    """Append the current exception's traceback to the register's error log (0600)."""
    log = server.data_dir() / "carebook-register-errors.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(f"--- {datetime.now(UTC).isoformat()}\n{traceback.format_exc()}")
    return log


if __name__ == "__main__":
    sys.exit(main())
