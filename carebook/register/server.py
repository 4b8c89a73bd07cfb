"""Running the register: the app with its trust store, over HTTPS only, on uvicorn.

``build_app`` composes :func:`carebook.register.app.create_app` with the PKI directory's
:class:`~carebook.register.pki.TrustStore` and the 401 handler of the signing check.
``serve`` runs it with the PKI directory's server certificate; there is no plain-HTTP mode.
With ``workers > 1`` uvicorn starts that many processes from :func:`app_from_env`, each
building the same app (the register is stateless between requests; share one PostgreSQL).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import platformdirs
import uvicorn
from fastapi import FastAPI

from carebook.errors import CarebookError
from carebook.i18n import N_
from carebook.register.auth import install_auth_errors
from carebook.register.cli_support import database_reason
from carebook.register.pki import TrustStore, server_cert_paths

ENV_DB, ENV_PKI = "CAREBOOK_REGISTER_DB", "CAREBOOK_REGISTER_PKI"


class ServeError(CarebookError):
    """The register cannot start as asked (port in use, bad database URL ...)."""

    code = "SERVE_ERROR"
    default_template = N_("The register could not start.")


def data_dir() -> Path:
    """Where the register keeps its default SQLite file and PKI directory."""
    override = os.environ.get("CAREBOOK_REGISTER_HOME")
    return Path(override) if override else platformdirs.user_data_path("carebook-register")


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'register.db'}"


def default_pki_dir() -> Path:
    return data_dir() / "pki"


def build_app(
    *, db_url: str, pki_dir: Path, clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The register app for ``db_url``, trusting the CA in ``pki_dir``."""
    from carebook.register.app import create_app

    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    trust = TrustStore(pki_dir)
    app = create_app(db_url=db_url, trust=trust, clock=clock)
    app.state.trust = trust
    app.state.clock = clock
    install_auth_errors(app)
    if not any(getattr(route, "path", None) == "/health" for route in app.routes):
        app.add_api_route("/health", _health, methods=["GET"], summary="Liveness check")
    return app


def _health() -> dict[str, str]:
    return {"status": "ok"}


def app_from_env() -> FastAPI:
    """uvicorn factory for worker processes: configuration comes from the environment."""
    return build_app(db_url=os.environ[ENV_DB], pki_dir=Path(os.environ[ENV_PKI]))


def serve(
    *, db_url: str, pki_dir: Path, host: str = "127.0.0.1", port: int = 8443, workers: int = 1,
) -> None:
    """Run the register over HTTPS until interrupted.

    Raises:
        PkiError: no CA or no server certificate in ``pki_dir`` (the message says how to
            make them).
        ServeError: the address is in use, or the app cannot be built for ``db_url``.
    """
    cert, key = server_cert_paths(pki_dir)
    TrustStore(pki_dir)  # fail now, with a clear message, if the CA is missing
    _check_port_free(host, port)
    os.environ[ENV_DB], os.environ[ENV_PKI] = db_url, str(pki_dir)
    try:
        app_from_env()  # build once here so a bad database URL fails before binding
    except CarebookError:
        raise
    except Exception as exc:  # noqa: BLE001 - turned into one clear line for the operator
        raise ServeError(N_("cannot open the register database: %(reason)s"),
                         reason=database_reason(exc), code="SERVE_DB") from exc
    uvicorn.run(
        "carebook.register.server:app_from_env", factory=True, host=host, port=port,
        workers=workers, ssl_certfile=str(cert), ssl_keyfile=str(key),
        log_level="info", server_header=False, proxy_headers=False,
    )


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ServeError(N_("Cannot listen on %(host)s:%(port)s (%(reason)s)."),
                             host=host, port=port, reason=exc.strerror or "",
                             code="SERVE_ADDRESS") from None
