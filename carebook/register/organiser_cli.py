"""``carebook-register`` subcommands for administration and the organiser's tooling.

Local administration works directly on the register database (``--db URL``):

    org add --oid OID --name NAME --kind organiser|producer|host|tenant [--host OID]
    org list
    unit add --producer OID --oid UNIT_OID --name NAME

The organiser's tooling goes over HTTPS with the organisation's certificate
(``--url https://127.0.0.1:PORT --cert org.pem --key org.key --ca ca.pem``):

    client-relationship set --client PIC --first-name F --last-name L --birth-date YYYY-MM-DD
        --unit OWN_UNIT_OID --social-care-start DATE [--producer-unit UNIT:START[:END]]...
    case open --member PIC... --name-code CODE --service-task TASK --unit OWN_UNIT_OID
    case close --case-code OID
    member add|remove --case-code OID --client PIC
    client show --client PIC
    history --client PIC | --document OID
    usage-log [--client PIC]

Every tooling command takes ``--author "First Last"`` where it writes. Results print as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError

from carebook.i18n import _
from carebook.protocol.client import RegisterClient
from carebook.protocol.documents import CaseName, UnitPeriod
from carebook.protocol.envelope import Author, ClientPerson, ClientRef
from carebook.protocol.errors import RegisterError
from carebook.protocol.identifiers import is_hetu, is_oid
from carebook.protocol.organiser import (
    CaseClose,
    CaseOpen,
    MemberAdd,
    MemberRemove,
    RelationshipUpdate,
)
from carebook.register import cli_support, codes_cli
from carebook.register.access import KINDS
from carebook.register.admin import Admin

PROG = "carebook-register"


def add_subcommands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``org``, ``unit``, ``client-relationship``, ``case``, ``member``, ``client``,
    ``history`` and ``usage-log`` to the ``carebook-register`` parser."""
    org = commands.add_parser("org", help=_("register organisations and their kinds"))
    org_sub = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")
    add = _local(org_sub.add_parser("add", help=_("add an organisation and its register")),
                 _org_add)
    add.add_argument("--oid", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--host", metavar="OID", help=_("the host of a tenant"))
    _local(org_sub.add_parser("list", help=_("list organisations")), _org_list)
    unit = commands.add_parser("unit", help=_("producers' service units"))
    unit_sub = unit.add_subparsers(dest="unit_command", required=True, metavar="ACTION")
    uadd = _local(unit_sub.add_parser("add", help=_("add a producer's service unit")), _unit_add)
    uadd.add_argument("--producer", required=True, metavar="OID")
    uadd.add_argument("--oid", required=True)
    uadd.add_argument("--name", required=True)
    _add_tooling(commands)
    codes_cli.add_subcommand(commands)


def _add_tooling(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rel = commands.add_parser("client-relationship", help=_("client-relationship documents"))
    rel_sub = rel.add_subparsers(dest="rel_command", required=True, metavar="ACTION")
    rset = _remote(rel_sub.add_parser("set", help=_("create or update (new version)")),
                   _relationship_set, author=True)
    for flag in ("--client", "--first-name", "--last-name", "--birth-date", "--unit",
                 "--social-care-start"):
        rset.add_argument(flag, required=True)
    rset.add_argument("--social-care-end")
    rset.add_argument("--producer-unit", action="append", default=[],
                      metavar="UNIT_OID:START[:END]",
                      help=_("a producer's unit and its RAR window (repeatable)"))
    case = commands.add_parser("case", help=_("open and close cases"))
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    copen = _remote(case_sub.add_parser("open", help=_("open a case")), _case_open, author=True)
    copen.add_argument("--member", action="append", required=True, metavar="PIC")
    copen.add_argument("--name-code", required=True, metavar="CODE", help=_(
        "case name, e.g. vard_och_omsorg; list: carebook-register codes case-names"))
    copen.add_argument("--name-text")
    copen.add_argument("--classification", default="2023", choices=("2023", "2017"))
    copen.add_argument("--service-task", required=True, metavar="CODE", help=_(
        "service task: %(codes)s (carebook-register codes service-tasks)")
        % {"codes": ", ".join(codes_cli.code_set("service-tasks").codes)})
    copen.add_argument("--unit", required=True)
    copen.add_argument("--case-code")
    cclose = _remote(case_sub.add_parser("close", help=_("close a case")), _case_close,
                     author=True)
    cclose.add_argument("--case-code", required=True)
    member = commands.add_parser("member", help=_("joint-case members"))
    member_sub = member.add_subparsers(dest="member_command", required=True, metavar="ACTION")
    for name, handler, text in (("add", _member_add, _("add a client to a joint case")),
                                ("remove", _member_remove,
                                 _("remove a client from a joint case"))):
        p = _remote(member_sub.add_parser(name, help=text), handler, author=True)
        p.add_argument("--case-code", required=True)
        p.add_argument("--client", required=True)
    client = commands.add_parser("client", help=_("read a client's data in the register"))
    client_sub = client.add_subparsers(dest="client_command", required=True, metavar="ACTION")
    show = _remote(client_sub.add_parser("show", help=_("relationship, cases, documents")),
                   _client_show)
    show.add_argument("--client", required=True)
    hist = _remote(commands.add_parser("history", help=_("every version (archivist view)")),
                   _history)
    which = hist.add_mutually_exclusive_group(required=True)
    which.add_argument("--client")
    which.add_argument("--document")
    log = _remote(commands.add_parser("usage-log", help=_("the register's usage log")),
                  _usage_log)
    log.add_argument("--client")
    log.add_argument("--after-id", type=int, default=0)


def _local(parser: argparse.ArgumentParser, handler: Callable[..., int]) -> argparse.ArgumentParser:
    parser.add_argument("--db", help=_("database URL (default: the data folder's SQLite file)"))
    parser.set_defaults(organiser_action=handler, organiser_remote=False)
    return parser


def _remote(parser: argparse.ArgumentParser, handler: Callable[..., int], *,
            author: bool = False) -> argparse.ArgumentParser:
    parser.add_argument("--url", required=True, help=_("https://host:port of the register"))
    parser.add_argument("--cert", required=True, help=_("the organisation's certificate"))
    parser.add_argument("--key", required=True, help=_("the organisation's private key"))
    parser.add_argument("--ca", required=True, help=_("CA certificate of the register"))
    if author:
        parser.add_argument("--author", required=True, metavar='"FIRST LAST"')
        parser.add_argument("--author-title")
    parser.set_defaults(organiser_action=handler, organiser_remote=True)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the subcommand ``args`` selected; print errors as one line (exit status 1)."""
    action: Callable[..., int] | None = getattr(args, "organiser_action", None)
    if action is None:
        return 2
    try:
        if args.organiser_remote:
            return _run_remote(args, action)
        try:
            admin = Admin.open(args.db or _default_db())
        except SQLAlchemyError as exc:
            raise cli_support.database_error(exc) from None
        try:
            return action(args, admin)
        finally:
            admin.close()
    except RegisterError as exc:
        rule = f", {exc.rule}" if exc.rule else ""
        print(f"{PROG}: {_('error')}: {exc.message} ({exc.code}{rule})", file=sys.stderr)
        return 1
    except cli_support.CliError as exc:
        print(f"{PROG}: {_('error')}: {exc.message} ({exc.code})", file=sys.stderr)
        return 1
    except (ValidationError, ValueError) as exc:
        error, invalid = _("error"), _("invalid value")  # outside the f-string: extractable
        print(f"{PROG}: {error}: {invalid}: {_brief(exc)} (INVALID_VALUE)", file=sys.stderr)
        return 1


def _run_remote(args: argparse.Namespace, action: Callable[..., int]) -> int:
    cli_support.check_url(args.url)
    auth = cli_support.org_auth(args.cert, args.key)
    context = cli_support.ca_context(args.ca)
    try:
        with RegisterClient(args.url, auth=auth, verify=context) as client:
            return action(args, client)
    except httpx.HTTPError as exc:
        raise cli_support.connection_error(exc, args.url) from None


def _default_db() -> str:
    """The data folder's SQLite file; the folder is made on first use (as ``serve`` does)."""
    from carebook.register.server import data_dir, default_db_url

    data_dir().mkdir(parents=True, exist_ok=True)
    return default_db_url()


def _brief(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                         for e in exc.errors(include_input=False))
    return str(exc)


def _print(result: BaseModel | list[Any] | dict[str, Any]) -> int:
    if isinstance(result, BaseModel):
        print(result.model_dump_json(indent=2))
    else:
        print(json.dumps([r.model_dump(mode="json") if isinstance(r, BaseModel) else r
                          for r in result] if isinstance(result, list) else result, indent=2,
                         ensure_ascii=False))
    return 0


def _author(args: argparse.Namespace) -> Author:
    first, _sep, last = args.author.strip().rpartition(" ")
    if not first or not last:
        raise ValueError(_("--author needs a first and a last name"))
    return Author(first_name=first, last_name=last, title=args.author_title)


def _client_ref(value: str) -> ClientRef:
    if is_hetu(value):
        return ClientRef(hetu=value)
    if is_oid(value):
        return ClientRef(temporary_oid=value)
    raise ValueError(_("%(value)s is neither a valid personal identity code nor a temporary "
                       "identification OID") % {"value": value})


def _org_add(args: argparse.Namespace, admin: Admin) -> int:
    record = admin.add_org(oid=args.oid, name=args.name, kind=args.kind, host=args.host)
    return _print({"oid": record.oid, "name": record.name, "kind": record.kind,
                   "host": record.host_oid})


def _org_list(args: argparse.Namespace, admin: Admin) -> int:
    return _print([{"oid": o.oid, "name": o.name, "kind": o.kind, "host": o.host_oid,
                    "units": list(o.units)} for o in admin.organisations()])


def _unit_add(args: argparse.Namespace, admin: Admin) -> int:
    admin.add_unit(producer=args.producer, oid=args.oid, name=args.name)
    return _print({"unit": args.oid, "producer": args.producer, "name": args.name})


def _unit_period(spec: str) -> UnitPeriod:
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(_("--producer-unit is UNIT_OID:START[:END]"))
    end = date.fromisoformat(parts[2]) if len(parts) == 3 and parts[2] else None
    return UnitPeriod(role="producer", unit_oid=parts[0], unit_name=parts[0],
                      start=date.fromisoformat(parts[1]), end=end)


def _relationship_set(args: argparse.Namespace, client: RegisterClient) -> int:
    ref = _client_ref(args.client)
    person = ClientPerson(hetu=ref.hetu, temporary_oid=ref.temporary_oid,
                          first_name=args.first_name, last_name=args.last_name,
                          birth_date=date.fromisoformat(args.birth_date))
    update = RelationshipUpdate(
        client=person, service_unit_oid=args.unit,
        social_care_start=date.fromisoformat(args.social_care_start),
        social_care_end=date.fromisoformat(args.social_care_end) if args.social_care_end
        else None,
        service_units=[_unit_period(s) for s in args.producer_unit], author=_author(args))
    return _print(client.put_relationship(update))


def _case_open(args: argparse.Namespace, client: RegisterClient) -> int:
    codes_cli.check_case_codes(classification=args.classification, name_code=args.name_code,
                               service_task=args.service_task)
    request = CaseOpen(case_code=args.case_code, case_name=CaseName(
        classification=args.classification, code=args.name_code, text=args.name_text),
        service_task=args.service_task, service_unit_oid=args.unit,
        members=[_client_ref(m) for m in args.member], author=_author(args))
    return _print(client.open_case(request))


def _case_close(args: argparse.Namespace, client: RegisterClient) -> int:
    return _print(client.close_case(args.case_code, CaseClose(author=_author(args))))


def _member_add(args: argparse.Namespace, client: RegisterClient) -> int:
    return _print(client.add_member(args.case_code, MemberAdd(
        client=_client_ref(args.client), author=_author(args))))


def _member_remove(args: argparse.Namespace, client: RegisterClient) -> int:
    return _print(client.remove_member(args.case_code, args.client,
                                       MemberRemove(author=_author(args))))


def _client_show(args: argparse.Namespace, client: RegisterClient) -> int:
    return _print(client.client_overview(args.client))


def _history(args: argparse.Namespace, client: RegisterClient) -> int:
    if args.document:
        return _print(client.versions(args.document))
    return _print(client.client_history(args.client))


def _usage_log(args: argparse.Namespace, client: RegisterClient) -> int:
    return _print(client.usage_log(client=args.client, after_id=args.after_id))
