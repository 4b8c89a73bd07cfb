"""``carebook-register codes``: the values ``case open`` accepts, and their check before sending.

    codes case-names [--classification 2023|2017]
    codes service-tasks
    codes social-services

The code sets are the packaged ones (``carebook.protocol.codes``); they carry the slug codes
the register stores (MSG-18), not the national numeric codes, so a numeric code is answered
with the list of valid slugs.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from carebook.i18n import _
from carebook.protocol.codes import CASE_NAME_SETS, CodeSet, code_sets
from carebook.register.access import LOCAL_ZONE
from carebook.register.cli_support import CliError

LISTS = {"case-names": "case_name", "service-tasks": "service_task",
         "social-services": "social_service"}


def add_subcommand(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``codes LIST`` to the ``carebook-register`` parser."""
    p = commands.add_parser("codes", help=_("list the valid case-name, service-task and "
                                            "social-service codes"))
    p.add_argument("list", choices=sorted(LISTS), metavar="LIST",
                   help=_("case-names, service-tasks or social-services"))
    p.add_argument("--classification", default="2023", choices=sorted(CASE_NAME_SETS),
                   help=_("case-name classification (default 2023)"))
    p.set_defaults(func=_codes)


def code_set(list_name: str, classification: str = "2023") -> CodeSet:
    """The code set behind ``codes LIST``."""
    key = LISTS[list_name]
    return code_sets()[CASE_NAME_SETS[classification] if key == "case_name" else key]


def _codes(args: argparse.Namespace) -> int:
    today = datetime.now(UTC).astimezone(LOCAL_ZONE).date()  # the day in Finland (MSG-18)
    for code in code_set(args.list, args.classification).codes.values():
        if code.valid_on(today):
            print(f"{code.code}\t{code.en} / {code.sv}")
    return 0


def check_case_codes(*, classification: str, name_code: str, service_task: str) -> None:
    """Refuse a case-name or service-task code that is in no code set, listing the valid ones.

    Raises:
        CliError: CODE_NOT_VALID naming the option, the valid values and ``codes LIST``.
    """
    for option, list_name, value in (("--name-code", "case-names", name_code),
                                     ("--service-task", "service-tasks", service_task)):
        codes = code_set(list_name, classification)
        if value in codes.codes:
            continue  # validity on the archiving date is the register's check (MSG-18)
        valid = ", ".join(codes.codes)
        raise CliError(_("%(option)s %(value)s is not a valid code; valid values: %(valid)s "
                         "(see carebook-register codes %(list)s)")
                       % {"option": option, "value": value, "valid": valid or "-",
                          "list": list_name}, "CODE_NOT_VALID")
