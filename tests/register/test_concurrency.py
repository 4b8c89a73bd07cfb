"""Eight clients store 2,000 documents and versions at once: nothing lost, nothing doubled.

Eight PCs of one care home (eight RegisterClients of the producer, each on its own thread and
connections) race on a shared set of documents in the organiser's register, served over HTTPS
by ``carebook-register serve --workers 2`` (two processes sharing the database, as in
production; the server's own clock, so the RAR window is built around today). Each
store names the next version it believes in; when another PC got there first the register
refuses (VERSION_CONFLICT or VERSION_SEQUENCE, MSG-11, ID-12) and the PC re-reads the latest
version and tries again. Every tenth store is sent twice, as a resend after a timeout would
be, and must get the same receipt. Afterwards the archivist view must show, per document,
versions 1..N with no gap, each one exactly a store some PC was told succeeded.
"""

from __future__ import annotations

import random
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rar_world import (
    ANNA,
    BERTIL,
    CELIA,
    ORGANISER,
    PRODUCER,
    Doc,
    case_open,
    doc_oid,
    producer_unit,
    relationship,
    setup_orgs,
)

from carebook.protocol.auth import OrgAuth
from carebook.protocol.client import RegisterClient
from carebook.protocol.codes import UsageCode
from carebook.protocol.errors import RegisterError
from carebook.register import pki
from carebook.register.admin import Admin

CLIENTS = 8
STORES = 2_000
DOCUMENTS = 48
HOME_SHARE = 0.8
RETRY_CODES = {"VERSION_CONFLICT", "VERSION_SEQUENCE"}


@dataclass
class Pc:
    """One PC's view: what the register told it was stored."""

    number: int
    client: Any
    stored: dict[tuple[str, int], str] = field(default_factory=dict)
    refusals: int = 0


def _latest_version(pc: Pc, oid: str) -> int:
    try:
        return pc.client.document(ORGANISER, oid, usage=UsageCode.NORMAL_RAR).document.version
    except RegisterError as exc:
        if exc.code != "NOT_FOUND":
            raise
        return 0


def _work(pc: Pc, docs: list[Doc], quota: int) -> None:
    rng = random.Random(pc.number)
    # Mostly the PC's own clients' documents, sometimes anyone's: real races, few of them.
    home = docs[pc.number::CLIENTS]
    known: dict[str, int] = {}
    done = 0
    while done < quota:
        doc = rng.choice(home if rng.random() < HOME_SHARE else docs)
        version = known.get(doc.document_oid, 0) + 1
        envelope = doc.envelope(version, text=f"PC {pc.number}, store {done}")
        try:
            receipt = pc.client.store(ORGANISER, envelope, usage=UsageCode.NORMAL_RAR)
        except RegisterError as exc:
            if exc.code not in RETRY_CODES:
                raise
            pc.refusals += 1
            known[doc.document_oid] = _latest_version(pc, doc.document_oid)
            continue
        assert (receipt.document_oid, receipt.version) == (doc.document_oid, version)
        if done % 10 == 0:  # a resend after a lost answer: same receipt, no new version
            again = pc.client.store(ORGANISER, envelope, usage=UsageCode.NORMAL_RAR)
            assert again == receipt
        pc.stored[(doc.document_oid, version)] = receipt.content_hash
        known[doc.document_oid] = version
        done += 1


def _race(pcs: list[Pc], docs: list[Doc]) -> None:
    errors: list[BaseException] = []

    def run(pc: Pc) -> None:
        try:
            _work(pc, docs, STORES // CLIENTS)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(pc,)) for pc in pcs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _world(db_url: str, url: str, ca: Any, pki_dir: Path) -> list[Doc]:
    """Organisations, three clients with the producer's RAR open since 60 days, one case each."""
    admin = Admin.open(db_url)
    try:
        setup_orgs(admin)
    finally:
        admin.close()
    today = datetime.now(UTC).date()
    window = producer_unit(start=today - timedelta(days=60), end=None)
    people = [ANNA, BERTIL, CELIA]
    cases = {}
    with _client(url, ca, pki_dir, ORGANISER) as organiser:
        for person in people:
            organiser.put_relationship(relationship(person, window))
            cases[person.hetu] = organiser.open_case(case_open(person)).case_code
    created = datetime.now(UTC) - timedelta(minutes=1)
    return [Doc(doc_oid(n), [people[n % 3]], cases[people[n % 3].hetu],
                extra={"created_at": created}) for n in range(DOCUMENTS)]


def _client(url: str, ca: Any, pki_dir: Path, oid: str) -> RegisterClient:
    cert, key = pki_dir / "orgs" / f"{oid}.pem", pki_dir / "orgs" / f"{oid}.key"
    if not cert.exists():
        pki.issue_org(pki_dir, oid)
    return RegisterClient(url, auth=OrgAuth(cert, key), verify=ca)


@pytest.mark.slow
def test_eight_clients_lose_and_double_no_version(
    db_url: str, pki_dir: Path, serve: Callable[..., Any],
) -> None:
    """MSG-11: versions 1..N, contiguous; ID-12: one content per (OID, version)."""
    served = serve("--db", db_url, "--workers", "2")
    ca = ssl.create_default_context(cafile=str(served.ca))
    docs = _world(db_url, served.url, ca, pki_dir)
    pcs = [Pc(number=n, client=_client(served.url, ca, pki_dir, PRODUCER))
           for n in range(CLIENTS)]
    try:
        _race(pcs, docs)
    finally:
        for pc in pcs:
            pc.client.close()

    claimed: dict[tuple[str, int], str] = {}
    for pc in pcs:
        for key, content_hash in pc.stored.items():
            assert key not in claimed, f"two PCs were told they stored {key}"
            claimed[key] = content_hash
    assert len(claimed) == STORES
    archived: dict[tuple[str, int], str] = {}
    with _client(served.url, ca, pki_dir, ORGANISER) as organiser:
        for doc in docs:
            history = organiser.versions(doc.document_oid).versions
            numbers = [v.receipt.version for v in history]
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), doc.document_oid
            for version in history:
                key = (doc.document_oid, version.receipt.version)
                archived[key] = version.receipt.content_hash
    assert archived == claimed, "every archived version is a confirmed store and vice versa"
    assert sum(pc.refusals for pc in pcs) > 0, "the PCs really raced for the same documents"
