"""Rules the desktop app's tester walks found unchecked, now checked in the services.

* A MyKanta delay a person sets is a day still to come (rules-documents §3.6, L8286-8308): the
  date is when MyKanta may first show the document, so today or a past day delays nothing and
  is refused. A delay that has already run out stays on later versions unchanged, so an old
  entry can still be corrected. The same holds for case-level delays (§4.1.20).
* A plan's meeting records the people who took part (E11, L23001-23030).
* A running service is not started a second time at the unit (a decision, not a Kanta rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from domain_fixtures import UNIT_A, World, build_world, test_hetu
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from carebook import i18n
from carebook.errors import ValidationError
from carebook.model import clock
from carebook.model.records import Meeting, Participant, PlanContent, Restriction
from carebook.model.services import cases, clients, journal, lifecycle, plans, restrictions
from carebook.model.store import Store
from carebook.model.tables.document import DocumentVersion

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(before)


def _client(w: World) -> int:
    return clients.add_client(w.store, w.director, hetu=test_hetu(1), first_name="Matti",
                              last_name="Testinen", unit_oid=UNIT_A).id


def _delay(days: int) -> Restriction:
    return Restriction(delay_until=clock.today() + timedelta(days), reasons=("1",))


@given(new=st.none() | DAYS, before=st.none() | DAYS, on=DAYS)
def test_a_new_delay_must_be_after_today_an_unchanged_one_may_have_run_out(
        new: date | None, before: date | None, on: date) -> None:
    refused = new is not None and new != before and new <= on
    try:
        restrictions.require_future_delay(Restriction(delay_until=new), before=before, on=on)
    except ValidationError as err:
        assert refused and err.code == "delay_not_future" and err.rule == "rules-documents 3.6"
    else:
        assert not refused


@pytest.mark.parametrize("days", [-3, 0])
def test_an_entry_delayed_to_today_or_the_past_is_refused_and_not_recorded(
        world: World, days: int) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError) as err:
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="daily", text="Päivä sujui",
                                     restriction=_delay(days))
    assert err.value.code == "delay_not_future"
    with use_language("fi"):
        shown = err.value.text()
    assert "OmaKanta" in shown and "(rules-documents" not in shown
    assert journal.client_timeline(world.store, world.nurse, client_id=cid).items == ()


def test_tomorrow_is_the_first_day_a_delay_may_end(world: World) -> None:
    cid = _client(world)
    made = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                        entry_type="daily", text="Päivä sujui",
                                        restriction=_delay(1))
    assert made.restriction.delay_until == clock.today() + timedelta(1)


def test_a_delay_that_ran_out_survives_a_correction_but_cannot_be_moved_to_the_past(
        world: World) -> None:
    cid = _client(world)
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="daily", text="Päivä sujui",
                                       restriction=_delay(10), complete=True)
    ran_out = clock.today() - timedelta(days=2)
    with world.store.session() as session:  # as if ten days had passed since it was written
        session.execute(update(DocumentVersion).where(DocumentVersion.document_id == doc.id)
                        .values(delay_until=ran_out))
    kept = Restriction(delay_until=ran_out, reasons=("1",))
    fixed = lifecycle.correct_document(world.store, world.nurse, document_id=doc.id,
                                       reason="missing-information", text="Päivä sujui hyvin",
                                       restriction=kept)
    assert fixed.version == 2 and fixed.restriction.delay_until == ran_out
    with pytest.raises(ValidationError) as err:
        lifecycle.correct_document(world.store, world.nurse, document_id=doc.id,
                                   reason="visibility",
                                   restriction=Restriction(delay_until=ran_out - timedelta(1),
                                                           reasons=("1",)))
    assert err.value.code == "delay_not_future"
    assert lifecycle.get_document(world.store, world.nurse, doc.id).version == 2


def test_a_draft_cannot_be_given_a_past_delay(world: World) -> None:
    cid = _client(world)
    draft = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                         entry_type="daily", text="Luonnos")
    with pytest.raises(ValidationError) as err:
        lifecycle.edit_draft(world.store, world.nurse, document_id=draft.id,
                             restriction=_delay(-1))
    assert err.value.code == "delay_not_future"
    after = lifecycle.get_document(world.store, world.nurse, draft.id)
    assert after.restriction.delay_until is None


def test_a_case_cannot_be_delayed_to_the_past(world: World) -> None:
    cid = _client(world)
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    with pytest.raises(ValidationError) as err:
        cases.set_case_restriction(world.store, world.nurse, case_id=case_id,
                                   restriction=_delay(-30))
    assert err.value.code == "delay_not_future"
    case = cases.list_cases(world.store, world.nurse, client_id=cid)[0]
    assert case.restriction.delay_until is None


def test_a_plan_meeting_nobody_attended_is_refused_at_completion_e11(world: World) -> None:
    """E11 (L23001-23030): a meeting records date, place and participants. A draft may hold
    a meeting with nobody yet (autosave); completing asks for the people who took part."""
    cid = _client(world)
    plan = PlanContent(social_service="serviceboende_med_heldygnsomsorg",
                       service_start=date(2026, 3, 2), client_situation="Muutti kotoa",
                       meetings=(Meeting(date(2026, 3, 5), "Kotipesä"),))
    draft = plans.record_plan(world.store, world.nurse, client_id=cid, plan=plan)
    assert draft.state == "draft"
    with pytest.raises(ValidationError) as err:
        lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    assert err.value.code == "meeting_without_participants"
    with use_language("fi"):
        assert "osallistuja" in err.value.text()
    assert lifecycle.get_document(world.store, world.nurse, draft.id).state == "draft"
    attended = (Meeting(date(2026, 3, 5), "Kotipesä", (Participant("Liisa Testinen", "tytär"),)),)
    plans.edit_plan_draft(world.store, world.nurse, document_id=draft.id,
                          plan=PlanContent(**{**plan.__dict__, "meetings": attended}))
    done = lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    assert done.state == "completed"


def test_a_running_service_is_not_started_twice_at_the_unit(world: World) -> None:
    """Decision (not a Kanta rule): a second open period of one service at one unit is
    refused with the running period's start; after its end a new period may start."""
    from carebook.errors import ConflictError
    from carebook.model.services import social_services

    cid = _client(world)
    first = social_services.start_service(
        world.store, world.nurse, client_id=cid, social_service="hemvard",
        start_on=clock.today() - timedelta(days=10))
    with pytest.raises(ConflictError) as err:
        social_services.start_service(world.store, world.nurse, client_id=cid,
                                      social_service="hemvard", start_on=clock.today())
    assert err.value.code == "service_running"
    assert len(social_services.list_services(world.store, world.nurse, client_id=cid)) == 1
    social_services.end_service(world.store, world.nurse, service_id=first.id,
                                end_on=clock.today() - timedelta(days=1), grounds="Tauko")
    again = social_services.start_service(world.store, world.nurse, client_id=cid,
                                          social_service="hemvard", start_on=clock.today())
    assert again.actual_start == clock.today() and again.id != first.id
