"""Register throughput over HTTPS on loopback: documents stored per second, and the baseline.

For SQLite and PostgreSQL, with 1 and with 8 clients (processes), this measures

* ``store``: new journal entries stored by a producer into the organiser's register under RAR
  (every rule of the producer API runs, each store is one transaction);
* ``ping``: the trivial authenticated endpoint ``GET /v1/ping`` of the same server (TLS,
  request signing and its verification, routing, JSON — everything but rules and storage);

and prints the rates and the ratio ``store/ping`` (the share of the baseline rate left once
rules and storage run). The register runs as ``carebook-register serve`` in a subprocess (one
uvicorn worker). PostgreSQL comes from ``CAREBOOK_TEST_PG_URL``, else ``scripts/pg-cluster
start``. Each measurement lasts ``--seconds`` (default 4); the whole run stays well under three
minutes.

    .venv/bin/python bench/register.py [--seconds 4] [--db sqlite,postgres] [--clients 1,8]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "register"))  # the rule tests' world and builders

from rar_world import (  # noqa: E402
    ANNA,
    ORGANISER,
    PRODUCER,
    Doc,
    case_open,
    producer_unit,
    relationship,
    setup_orgs,
)

from carebook.protocol.auth import OrgAuth  # noqa: E402
from carebook.protocol.client import RegisterClient  # noqa: E402
from carebook.protocol.codes import USAGE_HEADER, UsageCode  # noqa: E402
from carebook.protocol.envelope import StoreRequest  # noqa: E402
from carebook.register import pki  # noqa: E402
from carebook.register.admin import Admin  # noqa: E402

PREBUILT = {1: 3000, 8: 800}  # request bodies made before the clock starts, per client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _database(kind: str, workdir: Path) -> Any:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'register.db'}"
        return
    admin_url = os.environ.get("CAREBOOK_TEST_PG_URL") or _start_pg_cluster()
    name = f"carebook_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start_pg_cluster() -> str:
    out = subprocess.run([str(ROOT / "scripts" / "pg-cluster"), "start"], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1]


@contextmanager
def _server(db_url: str, pki_dir: Path, workdir: Path) -> Any:
    port = _free_port()
    log = (workdir / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "carebook.register.cli", "serve", "--db", db_url,
         "--pki-dir", str(pki_dir), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CAREBOOK_LANG": "en"})
    url = f"https://127.0.0.1:{port}"
    verify = ssl.create_default_context(cafile=str(pki_dir / pki.CA_CERT))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", verify=verify, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the register did not start; see {workdir}/serve.log") \
                        from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _prepare(db_url: str, pki_dir: Path, url: str) -> str:
    """Organisations, a relationship with the producer's RAR open from 60 days ago, a case."""
    admin = Admin.open(db_url)
    setup_orgs(admin)
    admin.close()
    issued = pki.issue_org(pki_dir, ORGANISER)
    pki.issue_org(pki_dir, PRODUCER)
    verify = ssl.create_default_context(cafile=str(pki_dir / pki.CA_CERT))
    auth = OrgAuth(issued.cert_path, issued.key_path)
    with RegisterClient(url, auth=auth, verify=verify) as organiser:
        window = producer_unit(start=date.today() - timedelta(days=60), end=None)
        organiser.put_relationship(relationship(ANNA, window))
        return organiser.open_case(case_open(ANNA)).case_code


def _bodies(worker: int, case_code: str, count: int) -> list[tuple[str, bytes]]:
    now = datetime.now(UTC) - timedelta(minutes=1)
    out = []
    for n in range(count):
        oid = f"{PRODUCER}.88.{worker}.{n}.{uuid.uuid4().int % 10**9}"
        envelope = Doc(oid, [ANNA], case_code).envelope(1, created_at=now,
                                                        text=f"Merkintä {worker}/{n}")
        body = StoreRequest(clients=envelope.client_keys, document=envelope)
        path = f"/v1/registers/{ORGANISER}/documents/{oid}/versions/1"
        out.append((path, body.model_dump_json().encode("utf-8")))
    return out


def _client(kind: str, url: str, pki_dir: Path, case_code: str, *, worker: int, clients: int,
            seconds: float, barrier: Any, results: Any) -> None:
    oid = PRODUCER if kind == "store" else ORGANISER
    auth = OrgAuth(pki_dir / "orgs" / f"{oid}.pem", pki_dir / "orgs" / f"{oid}.key")
    verify = ssl.create_default_context(cafile=str(pki_dir / pki.CA_CERT))
    bodies = _bodies(worker, case_code, PREBUILT[clients]) if kind == "store" else []
    headers = {USAGE_HEADER: str(int(UsageCode.NORMAL_RAR)), "content-type": "application/json"}
    done, error = 0, ""
    with httpx.Client(base_url=url, auth=auth, verify=verify, timeout=60) as http:
        http.get("/v1/ping").raise_for_status()  # connection and TLS session up
        barrier.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and done < (len(bodies) if bodies else 10**9):
            if kind == "ping":
                response = http.get("/v1/ping")
            else:
                path, body = bodies[done]
                response = http.put(path, content=body, headers=headers)
            if response.status_code >= 300:
                error = f"{kind}: HTTP {response.status_code} {response.text[:300]}"
                break
            done += 1
    results.put((worker, done, error))


def _measure(kind: str, clients: int, *, url: str, pki_dir: Path, case_code: str,
             seconds: float) -> tuple[float, bool]:
    """Rate over ``seconds`` of ``clients`` processes; True if they ran out of bodies."""
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(clients + 1, timeout=120), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(kind, url, pki_dir, case_code), kwargs={
        "worker": w, "clients": clients, "seconds": seconds, "barrier": barrier,
        "results": results}) for w in range(clients)]
    for proc in procs:
        proc.start()
    barrier.wait()
    started = time.monotonic()
    outcomes = [results.get(timeout=seconds + 120) for _ in procs]
    elapsed = min(time.monotonic() - started, seconds)
    for proc in procs:
        proc.join(timeout=30)
    errors = [e for _, _, e in outcomes if e]
    if errors:
        raise SystemExit(errors[0])
    total = sum(done for _, done, _ in outcomes)
    short = kind == "store" and any(done >= PREBUILT[clients] for _, done, _ in outcomes)
    return total / elapsed, short


def _run_db(kind: str, client_counts: list[int], seconds: float) -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="carebook-bench-") as tmp:
        workdir = Path(tmp)
        pki_dir = workdir / "pki"
        pki.init_ca(pki_dir)
        pki.issue_server(pki_dir)
        with _database(kind, workdir) as db_url, _server(db_url, pki_dir, workdir) as url:
            case_code = _prepare(db_url, pki_dir, url)
            for clients in client_counts:
                ping, _ = _measure("ping", clients, url=url, pki_dir=pki_dir,
                                   case_code=case_code, seconds=seconds)
                store, short = _measure("store", clients, url=url, pki_dir=pki_dir,
                                        case_code=case_code, seconds=seconds)
                rows.append([kind, str(clients), f"{store:8.1f}", f"{ping:8.1f}",
                             f"{store / ping:6.3f}", f"{1000 / store - 1000 / ping:7.2f}"
                             + (" (bodies ran out: lower bound)" if short else "")])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--clients", default="1,8")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.clients.split(",")]
    for c in counts:
        PREBUILT.setdefault(c, 800)
    started = time.monotonic()
    rows = []
    for kind in args.db.split(","):
        rows += _run_db(kind, counts, args.seconds)
    head = ["db", "clients", "stores/s", "pings/s", "store/ping", "ms per store - ms per ping"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"register over HTTPS on loopback, 1 uvicorn worker, {os.cpu_count()} CPUs "
          f"(load average {load}), {args.seconds:g} s per figure")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    print(f"total run time {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
