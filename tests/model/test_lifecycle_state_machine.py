"""Rule-based state machine for the document lifecycle (hypothesis.stateful).

Random sequences of draft / edit / complete / correct / nullify / discard, with attachments,
must keep: versions numbered 1..n without gaps (MSG-11), completed versions unchanged forever
(rules-documents 4.1.26), nullified documents never versioned again (MSG-11), attachments
nullified before their main document (MSG-13), and exactly one outbox row for every completed or
nullified version (ARCHITECTURE §4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from domain_fixtures import UNIT_A, World, build_world, make_hetu
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from carebook.errors import CarebookError
from carebook.model.services import attachments, clients, journal, lifecycle
from carebook.model.store import Store
from carebook.model.tables.document import Document, DocumentVersion
from carebook.model.tables.outbox import OutboxItem

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäö ", min_size=1, max_size=30).filter(
    lambda s: s.strip() != "")


@dataclass
class Model:
    kind: str
    state: str = "draft"
    bodies: dict[int, str] = field(default_factory=dict)  # version → text
    main: int | None = None


class DocumentLifecycle(RuleBasedStateMachine):
    world: ClassVar[World]
    clients_made: ClassVar[int] = 0

    docs = Bundle("docs")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[int, Model] = {}
        self.client_id = 0

    @initialize()
    def new_client(self) -> None:
        n = DocumentLifecycle.clients_made
        DocumentLifecycle.clients_made += 1
        hetu = make_hetu(date(1930, 1, 1) + timedelta(days=n), 900 + n % 100)
        self.client_id = clients.add_client(self.world.store, self.world.director, hetu=hetu,
                                            first_name="Kone", last_name="Tila",
                                            unit_oid=UNIT_A).id

    @property
    def store(self) -> Store:
        return self.world.store

    def _expect_refusal(self, call: object) -> None:
        try:
            call()  # type: ignore[operator]
        except CarebookError:
            return
        raise AssertionError("the service allowed an action the lifecycle forbids")

    @rule(target=docs, text=words)
    def draft(self, text: str) -> int:
        doc = journal.record_journal_entry(self.store, self.world.nurse,
                                           client_id=self.client_id, entry_type="daily",
                                           text=text)
        self.model[doc.id] = Model("journal", bodies={1: doc.body})
        return doc.id

    @rule(target=docs, main=docs, name=words)
    def attach(self, main: int, name: str) -> int:
        m = self.model.get(main)
        if m is None or m.kind != "journal" or m.state == "nullified":
            self._expect_refusal(lambda: attachments.add_attachment(
                self.store, self.world.nurse, main_document_id=main, description=name,
                data=b"%PDF-1.7"))
            return main
        att = attachments.add_attachment(self.store, self.world.nurse, main_document_id=main,
                                         description=name, data=b"%PDF-1.7")
        self.model[att.id] = Model("attachment", bodies={1: att.body}, main=main)
        return att.id

    @rule(doc=docs, text=words)
    def edit(self, doc: int, text: str) -> None:
        m = self.model.get(doc)
        if m is None or m.state != "draft":
            self._expect_refusal(lambda: lifecycle.edit_draft(
                self.store, self.world.nurse, document_id=doc, text=text))
            return
        m.bodies[1] = lifecycle.edit_draft(self.store, self.world.nurse, document_id=doc,
                                           text=text).body

    @rule(doc=docs)
    def complete(self, doc: int) -> None:
        m = self.model.get(doc)
        main_ok = m is not None and (m.main is None or self.model[m.main].state == "completed")
        if m is None or m.state != "draft" or not main_ok:
            self._expect_refusal(lambda: lifecycle.complete_document(
                self.store, self.world.nurse, document_id=doc))
            return
        lifecycle.complete_document(self.store, self.world.nurse, document_id=doc)
        m.state = "completed"

    @rule(doc=docs, text=words)
    def correct(self, doc: int, text: str) -> None:
        m = self.model.get(doc)
        if m is None or m.state != "completed":
            self._expect_refusal(lambda: lifecycle.correct_document(
                self.store, self.world.nurse, document_id=doc, reason="typing-error",
                text=text))
            return
        made = lifecycle.correct_document(self.store, self.world.director, document_id=doc,
                                          reason="typing-error", text=text)
        m.bodies[made.version] = made.body

    @rule(doc=docs)
    def nullify(self, doc: int) -> None:
        m = self.model.get(doc)
        live_children = any(c.main == doc and c.state != "nullified"
                            for c in self.model.values())
        if m is None or m.state != "completed" or live_children:
            self._expect_refusal(lambda: lifecycle.nullify_document(
                self.store, self.world.nurse, document_id=doc, reason="erroneous"))
            return
        made = lifecycle.nullify_document(self.store, self.world.nurse, document_id=doc,
                                          reason="erroneous")
        m.state = "nullified"
        m.bodies[made.version] = made.body

    @rule(doc=consumes(docs))
    def discard(self, doc: int) -> None:
        m = self.model.get(doc)
        has_children = any(c.main == doc for c in self.model.values())
        if m is None or m.state != "draft" or has_children:
            self._expect_refusal(lambda: lifecycle.discard_draft(
                self.store, self.world.nurse, document_id=doc))
            return
        lifecycle.discard_draft(self.store, self.world.nurse, document_id=doc)
        del self.model[doc]

    @invariant()
    def versions_contiguous_frozen_and_enqueued(self) -> None:
        with self.store.session() as s:
            for doc_id, m in self.model.items():
                row = s.get(Document, doc_id)
                assert row is not None and row.state == m.state
                versions = s.scalars(select(DocumentVersion).where(
                    DocumentVersion.document_id == doc_id)
                    .order_by(DocumentVersion.version_no)).all()
                assert [v.version_no for v in versions] == list(range(1, len(m.bodies) + 1))
                assert {v.version_no: v.body for v in versions} == m.bodies
                assert row.current_version == len(versions)
                assert all(v.state != "nullified" for v in versions[:-1])
                signed = [v.id for v in versions if v.state != "draft"]
                queued = s.scalar(select(func.count()).select_from(OutboxItem).where(
                    OutboxItem.document_version_id.in_(signed))) if signed else 0
                assert queued == len(signed)
                assert all(v.signed_at is not None for v in versions if v.state != "draft")


def test_document_lifecycle_state_machine(tmp_path: Path, data_key: bytes) -> None:
    store = Store.create(tmp_path / "machine.db", data_key)
    try:
        DocumentLifecycle.world = build_world(store)
        run_state_machine_as_test(DocumentLifecycle, settings=settings(
            max_examples=30, stateful_step_count=12, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    finally:
        store.close()
