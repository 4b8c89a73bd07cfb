"""The register's FastAPI application: producer API, organiser tooling, archivist view.

``create_app`` opens (creating or upgrading) the database, keeps the trust store and clock on
``app.state`` and protects every route except ``/health`` and the OpenAPI documents with
:func:`carebook.register.auth.authenticated_org`. Requests are independent: no state is kept
between them, so several workers can share one PostgreSQL database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from carebook.protocol.errors import ERRORS, ErrorBody, RegisterError
from carebook.register import routes_archivist, routes_organiser, routes_producer
from carebook.register.auth import install_auth_errors
from carebook.register.db import Sessions, make_engine, upgrade

if TYPE_CHECKING:
    from carebook.register.pki import TrustStore

log = logging.getLogger(__name__)
API_VERSION = "1.0"


def create_app(
    *, db_url: str, trust: TrustStore, clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """Build the register app on ``db_url`` (SQLite file or ``postgresql://``)."""
    engine = make_engine(db_url)
    upgrade(engine)
    app = FastAPI(
        title="carebook register", version=API_VERSION, openapi_url="/openapi.json",
        description="Reference register with the Kanta Client Data Archive's rules. "
                    "Errors: see docs/register-api.md.",
        responses={422: {"model": ErrorBody}, 401: {"model": ErrorBody}},
    )
    app.state.engine = engine
    app.state.sessions = Sessions(engine)
    app.state.trust = trust
    app.state.clock = clock
    app.add_api_route("/health", _health, methods=["GET"], summary="Liveness check")
    for module in (routes_producer, routes_organiser, routes_archivist):
        app.include_router(module.router)
    _install_errors(app)
    install_auth_errors(app)
    return app


def _health() -> dict[str, str]:
    return {"status": "ok"}


def _install_errors(app: FastAPI) -> None:
    async def register_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RegisterError)
        return JSONResponse(status_code=exc.status, content=exc.body())

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError | ValidationError)
        return _error_response(RegisterError("INVALID_REQUEST", _describe(exc.errors())))

    async def internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("register request failed: %s", type(exc).__name__, exc_info=exc)
        return _error_response(RegisterError("INTERNAL"))

    app.add_exception_handler(RegisterError, register_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(ValidationError, invalid)
    app.add_exception_handler(Exception, internal)


def _error_response(error: RegisterError) -> JSONResponse:
    return JSONResponse(status_code=error.status, content=error.body())


def _describe(errors: Any) -> str:
    # Never echo input values: they may hold identity codes or names.
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or ERRORS["INVALID_REQUEST"].description
