"""Property-based API testing: schemathesis against the register's published OpenAPI.

The schema is fetched from the running register (``/openapi.json``) over HTTPS; every
generated request is signed (CarebookJWS) as the organiser for the organiser and archivist
routes and as a producer for the producer API, against a register that holds organisations,
a client relationship with the producer's RAR window and a case. The checks: no 5xx, status
codes and content types that the schema documents, and bodies that conform to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rar_world import (
    ANNA,
    NOW,
    ORGANISER,
    PRODUCER,
    case_open,
    producer_unit,
    relationship,
    setup_orgs,
)
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 25  # per operation: keeps both databases well under two minutes
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


class SigningAuth(requests.auth.AuthBase):
    """Signs the prepared request exactly as it goes on the wire (method, path+query, body)."""

    def __init__(self, register_server: Any) -> None:
        self._organiser = register_server.auth_for(ORGANISER)
        self._producer = register_server.auth_for(PRODUCER)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
            r.body = body
        target = r.path_url
        signer = self._producer if target.startswith("/v1/registers/") else self._organiser
        r.headers["Authorization"] = signer.header(r.method or "GET", target, body)
        return r


@pytest.fixture
def register_schema(register_server: Any, client_for: Any) -> Any:
    """The register's published schema, with a little world in the register behind it."""
    setup_orgs(register_server.admin)
    register_server.set_clock(NOW)
    organiser = client_for(ORGANISER)
    organiser.put_relationship(relationship(ANNA, producer_unit()))
    organiser.open_case(case_open(ANNA))
    return schemathesis.openapi.from_url(f"{register_server.url}/openapi.json",
                                         verify=str(register_server.ca_path))


@pytest.fixture
def signed_session(register_server: Any) -> Iterator[requests.Session]:
    session = requests.Session()
    session.verify = str(register_server.ca_path)
    session.auth = SigningAuth(register_server)
    yield session
    session.close()


def _fuzz(operation: Any, session: requests.Session, statuses: Counter[int]) -> None:
    verify = session.verify  # schemathesis passes its own ``verify`` unless given one
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    def run(case: Any) -> None:
        response = case.call_and_validate(session=session, checks=CHECKS, verify=verify)
        statuses[response.status_code] += 1

    run()


@pytest.mark.slow
def test_api_conforms_to_its_published_schema(
    register_schema: Any, signed_session: requests.Session,
) -> None:
    """No 5xx on anything a client can send; every answer is what the OpenAPI promises."""
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in register_schema.get_all_operations()]
    assert len(operations) >= 15, "the register publishes its whole API"
    for operation in operations:
        try:
            _fuzz(operation, signed_session, statuses)
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
    # The signing works: requests get past authentication, and some are accepted.
    assert statuses[401] < sum(statuses.values()) / 2, statuses
    assert any(200 <= code < 300 for code in statuses), statuses
