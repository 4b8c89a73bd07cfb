"""Shared route plumbing: the authenticated caller, the usage header, the server clock."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request

from carebook.protocol.codes import USAGE_HEADER
from carebook.protocol.errors import ErrorBody
from carebook.register.auth import authenticated_org, server_now
from carebook.register.db import Sessions
from carebook.register.pki import OrgIdentity

Caller = Annotated[OrgIdentity, Depends(authenticated_org)]
UsageHeader = Annotated[str | None, Header(
    alias=USAGE_HEADER, description="Usage situation 1-4 (MSG-15, 1.2.246.537.6.1289.201901).")]

# Path and query values are checked before they reach the database: OIDs, and client
# identities (a PIC or a temporary OID). Anything else is INVALID_REQUEST, never a 500.
OID_PATTERN = r"^[0-2](\.(0|[1-9][0-9]*)){2,}$"
CLIENT_PATTERN = r"^([0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]|[0-2](\.(0|[1-9][0-9]*)){2,})$"
MAX_DB_INT = 2**62

OidPath = Annotated[str, Path(pattern=OID_PATTERN, max_length=128)]
ClientPath = Annotated[str, Path(pattern=CLIENT_PATTERN, max_length=128,
                                 description="PIC or temporary identification OID")]
ClientQuery = Annotated[str | None, Query(pattern=CLIENT_PATTERN, max_length=128)]
VersionPath = Annotated[int, Path(ge=1, le=2**31 - 1)]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": "Refused: see error.code (docs/register-api.md)"}
    for status in (400, 401, 403, 404, 409, 422)
}


def usage_code(header: str | None) -> int | None:
    """The header's usage code as an int (None when absent or not a number)."""
    if header is None or not header.strip().isdigit():
        return None
    return int(header.strip())


def sessions(request: Request) -> Sessions:
    """The app's session factories."""
    found: Sessions = request.app.state.sessions
    return found


def now(request: Request) -> datetime:
    """The server's clock (tests set ``app.state.clock``)."""
    return server_now(request.app)
