"""Identifier syntax shared by the desktop and the register: OIDs and Finnish identity codes.

Kept free of ``carebook.model`` (the protocol stands alone) and small on purpose: the register
checks identity consistency itself (MSG-17) with these helpers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu as _hetu

# ISO/ITU OID in dotted form; arcs have no leading zeros. The seeds give no arcs for
# organisations, units, documents or case codes, only "OID format" ([GAP] §9 item 5).
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*)){2,}$")
OID_MAX_LENGTH = 128

_CENTURY = {"+": 1800, "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}


def is_oid(value: str) -> bool:
    """True when ``value`` is a dotted OID of at least three arcs (e.g. ``1.2.246``)."""
    return len(value) <= OID_MAX_LENGTH and bool(_OID.match(value))


def check_oid(value: str) -> str:
    """Pydantic validator: return ``value`` if it is an OID, else raise ``ValueError``."""
    if not is_oid(value):
        raise ValueError("not an OID (dotted digits such as 1.2.246.10.123)")
    return value


Oid = Annotated[str, AfterValidator(check_oid)]
"""A string that must be an OID."""


def is_hetu(value: str) -> bool:
    """True when ``value`` is a valid Finnish personal identity code (PIC, *henkilötunnus*).

    Individual numbers 900–999 are accepted: Kela's test series and temporary codes use them,
    and a register for testing must take them (common ground: never real people in tests).
    """
    try:
        return _hetu.validate(value, allow_temporary=True) == value
    except StdnumError:
        return False


def hetu_birth_date(value: str) -> date:
    """The birth date encoded in a valid identity code (MSG-17: PIC matches the birth date)."""
    century = _CENTURY.get(value[6], 1900)
    return date(century + int(value[4:6]), int(value[2:4]), int(value[0:2]))


def is_client_id(value: str) -> bool:
    """True for a PIC or a temporary identification OID (ID-13)."""
    return is_hetu(value) or is_oid(value)
