"""MSG-11, MSG-13 and idempotency as a state machine: random sequences of stores, repeats,
conflicting resends, gaps and nullifications against the real register over HTTPS."""

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from rar_world import ANNA, NOW, Doc, doc_oid, make_world, refused

from carebook.protocol.envelope import Nullification


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


def test_msg_11_msg_13_version_numbering_state_machine(world):
    """Whatever the order of requests, the register keeps versions 1..n without gaps or
    duplicates, never stores after a nullified version, and answers repeats with the first
    receipt (MSG-11, MSG-13, ID-12)."""
    case = world.open_rar(ANNA)
    numbers = itertools.count(1)

    class Versions(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.doc = Doc(doc_oid(next(numbers)), [ANNA], case)
            self.stored: dict[int, tuple[str, bool]] = {}  # version -> (text, nullified)
            self.receipts: dict[int, object] = {}

        def envelope(self, version: int, text: str, nullify: bool):
            mark = Nullification(reason="väärä asiakas", nullified_at=NOW) if nullify else None
            return self.doc.envelope(version, text=text, nullification=mark)

        def expected(self, version: int, text: str, nullify: bool) -> str:
            n = len(self.stored)
            if version in self.stored:
                return "repeat" if self.stored[version] == (text, nullify) else "VERSION_CONFLICT"
            if version != n + 1 or (n == 0 and nullify):
                return "VERSION_SEQUENCE"
            if n and self.stored[n][1]:
                return "PREVIOUS_NULLIFIED"
            return "stored"

        @rule(version=st.integers(min_value=1, max_value=5), text=st.sampled_from("ab"),
              nullify=st.booleans())
        def store(self, version: int, text: str, nullify: bool) -> None:
            outcome = self.expected(version, text, nullify)
            doc = self.envelope(version, text, nullify)
            if outcome in ("stored", "repeat"):
                receipt = world.store(doc)
                assert receipt.status == ("nullified" if nullify else "stored")
                if outcome == "repeat":
                    assert receipt == self.receipts[version]
                self.stored[version] = (text, nullify)
                self.receipts[version] = receipt
            else:
                assert refused(world.store, doc).code == outcome

        @invariant()
        def archive_holds_exactly_what_was_accepted(self) -> None:
            if not self.stored:
                return
            history = world.org.versions(self.doc.document_oid).versions
            assert [v.receipt.version for v in history] == list(range(1, len(self.stored) + 1))
            assert [v.receipt.status == "nullified" for v in history] == \
                [self.stored[n][1] for n in sorted(self.stored)]

    run_state_machine_as_test(Versions, settings=settings(
        max_examples=12, stateful_step_count=8, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
