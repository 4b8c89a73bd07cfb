"""Journal entries, the client timeline, full-text search, service start/end notes (E9, E10,
RAR-9) and implementation plans (E11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from domain_fixtures import UNIT_A, World, build_world, test_hetu

from carebook.errors import RuleViolationError, ValidationError
from carebook.model.records import Goal, Meeting, Participant, PlanContent, PreviousPlanReview
from carebook.model.services import clients, journal, lifecycle, plans, search, social_services
from carebook.model.store import Store

HOUSING = "serviceboende_med_heldygnsomsorg"


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def _client(w: World, n: int = 1) -> int:
    return clients.add_client(w.store, w.director, hetu=test_hetu(n), first_name="Matti",
                              last_name="Testinen", unit_oid=UNIT_A).id


def test_note_types_lists_the_fifteen_types_with_three_languages() -> None:
    types = {t.key: t for t in journal.note_types()}
    assert len(types) == 15
    assert {"daily", "service-start", "service-end", "visit", "other"} <= set(types)
    daily = types["daily"]
    assert daily.sv == "Anteckning om klientens vardag"
    assert daily.en == "Note on the client's everyday life" and daily.fi and daily.valid_today
    assert not types["disclosure"].valid_today


def test_timeline_pages_newest_first(world: World) -> None:
    cid = _client(world)
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for i in range(7):
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="daily", text=f"Merkintä {i}", complete=True,
                                     recorded_at=start + timedelta(hours=i))
    seen: list[str] = []
    cursor = None
    while True:
        page = journal.client_timeline(world.store, world.nurse, client_id=cid, limit=3,
                                       cursor=cursor)
        seen += [d.body for d in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"Merkintä {i}" for i in reversed(range(7))]
    with pytest.raises(ValidationError):
        journal.client_timeline(world.store, world.nurse, client_id=cid, cursor="garbage")


def test_search_finds_words_in_current_versions_only(world: World) -> None:
    cid, other = _client(world, 1), _client(world, 2)
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="daily", text="Kävi saunassa ja ulkoili",
                                       complete=True).id
    journal.record_journal_entry(world.store, world.nurse, client_id=other,
                                 entry_type="daily", text="Ulkoili pihalla", complete=True)
    hits = search.search_entries(world.store, world.nurse, query="ulkoil")
    assert len(hits) == 2 and all("[" in h.snippet for h in hits)
    assert [h.document.id for h in search.search_entries(world.store, world.nurse,
                                                         query="sauna")] == [doc]
    assert len(search.search_entries(world.store, world.nurse, query="ulkoili",
                                     client_id=other)) == 1
    lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                               reason="factual-error", text="Kävi suihkussa")
    assert search.search_entries(world.store, world.nurse, query="sauna") == []
    assert search.search_entries(world.store, world.nurse_b, query="suihkussa") == []
    with pytest.raises(ValidationError):
        search.search_entries(world.store, world.nurse, query=' "" ')


def test_search_does_not_show_other_users_drafts(world: World) -> None:
    cid = _client(world)
    journal.record_journal_entry(world.store, world.nurse, client_id=cid, entry_type="daily",
                                 text="Luonnos kesken")
    assert len(search.search_entries(world.store, world.nurse, query="luonnos")) == 1
    assert search.search_entries(world.store, world.director, query="luonnos") == []


def test_service_start_and_end_record_actual_dates_e10_rar9(world: World) -> None:
    cid = _client(world)
    started = social_services.start_service(world.store, world.nurse, client_id=cid,
                                            social_service=HOUSING, start_on=date(2026, 3, 2),
                                            basis="decision")
    assert started.actual_start == date(2026, 3, 2) and started.actual_end is None
    note = lifecycle.get_document(world.store, world.nurse, started.start_document_id or 0)
    assert (note.specific_type, note.state, note.social_service) == ("service-start",
                                                                     "completed", HOUSING)
    assert note.content["start_on"] == "2026-03-02"
    with pytest.raises(ValidationError):  # grounds are required
        social_services.end_service(world.store, world.nurse, service_id=started.id,
                                    end_on=date(2026, 5, 1), grounds="  ")
    with pytest.raises(ValidationError):  # date logic
        social_services.end_service(world.store, world.nurse, service_id=started.id,
                                    end_on=date(2026, 3, 1), grounds="Muutti pois")
    ended = social_services.end_service(world.store, world.nurse, service_id=started.id,
                                        end_on=date(2026, 5, 1), grounds="Muutti pois")
    assert (ended.actual_end, ended.end_grounds) == (date(2026, 5, 1), "Muutti pois")
    end_note = lifecycle.get_document(world.store, world.nurse, ended.end_document_id or 0)
    assert end_note.specific_type == "service-end" and end_note.content["grounds"]
    with pytest.raises(RuleViolationError):
        social_services.end_service(world.store, world.nurse, service_id=started.id,
                                    end_on=date(2026, 5, 2), grounds="Uudestaan")
    listed = social_services.list_services(world.store, world.nurse, client_id=cid)
    assert [s.id for s in listed] == [started.id]


def test_start_needs_a_social_service_code_valid_on_the_start_day(world: World) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError):
        social_services.start_service(world.store, world.nurse, client_id=cid,
                                      social_service="hemservice", start_on=date(2026, 1, 1))


def _plan(**kw: object) -> PlanContent:
    base: dict[str, object] = dict(
        social_service=HOUSING, service_start=date(2026, 3, 2),
        service_description="Ympärivuorokautinen palveluasuminen",
        responsible_person="Nina Hoitaja", client_situation="Muuttanut kotiin kotoa",
        current_services="Kotihoito päättyi",
        meetings=(Meeting(date(2026, 3, 5), "Kotipesä",
                          (Participant("Liisa Testinen", "tytär"),
                           Participant("Nina Hoitaja", "omahoitaja", "Hoivakoti", "LH"))),),
        goals=(Goal("Liikkuminen", "Kävelee päivittäin", "Ulkoilu kahdesti viikossa"),
               Goal("Ravitsemus", "Paino pysyy", "Punnitus kuukausittain")),
        next_review_on=date(2026, 9, 1))
    base.update(kw)
    return PlanContent(**base)  # type: ignore[arg-type]


def test_implementation_plan_keeps_its_structure_e11(world: World) -> None:
    cid = _client(world)
    made = plans.record_plan(world.store, world.nurse, client_id=cid, plan=_plan())
    assert made.kind == "plan" and made.specific_type == "aldreservice"
    assert made.plan == _plan()
    assert made.plan is not None and [g.name for g in made.plan.goals] == ["Liikkuminen",
                                                                           "Ravitsemus"]
    with pytest.raises(ValidationError):  # a completed plan's goal needs a name (4.1.9)
        plans.record_plan(world.store, world.nurse, client_id=cid, complete=True,
                          plan=_plan(goals=(Goal(" "),)))
    with pytest.raises(ValidationError):  # no review in the first plan
        plans.record_plan(world.store, world.nurse, client_id=cid,
                          plan=_plan(previous_review=PreviousPlanReview(None, "Hyvin")))
    edited = plans.edit_plan_draft(world.store, world.nurse, document_id=made.id,
                                   plan=_plan(client_situation="Sopeutunut"))
    assert edited.plan is not None and edited.plan.client_situation == "Sopeutunut"
    lifecycle.complete_document(world.store, world.nurse, document_id=made.id)
    review = plans.record_plan(world.store, world.nurse, client_id=cid, complete=True,
                               plan=_plan(previous_review=PreviousPlanReview(
                                   None, "Tavoitteet saavutettiin", "Tyytyväinen")))
    assert review.plan is not None and review.plan.previous_review is not None
    fixed = plans.correct_plan(world.store, world.nurse, document_id=review.id,
                               reason="missing-information",
                               plan=_plan(next_review_on=date(2026, 8, 1),
                                          previous_review=PreviousPlanReview(None, "Hyvin")))
    assert fixed.version == 2 and fixed.plan is not None
    assert fixed.plan.next_review_on == date(2026, 8, 1)
    due = plans.plans_due(world.store, world.nurse, on=date(2026, 8, 15))
    assert [p.id for p in due] == [review.id]


def test_a_plan_draft_keeps_unfinished_rows_and_completing_checks_them(world: World) -> None:
    """An autosave or a lock never loses typing: a meeting without its place and a goal
    without its name are kept in the draft; completing the plan asks for them (4.1.9, E11)."""
    cid = _client(world)
    unfinished = _plan(meetings=(Meeting(date(2026, 3, 5), "", (Participant("", "tytär"),)),),
                       goals=(Goal("", "Kävelee päivittäin"),))
    draft = plans.record_plan(world.store, world.nurse, client_id=cid, plan=unfinished)
    assert draft.state == "draft" and draft.plan == unfinished
    with pytest.raises(ValidationError) as refused:
        lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    assert refused.value.code == "required"
    assert lifecycle.get_document(world.store, world.nurse, draft.id).state == "draft"
    plans.edit_plan_draft(world.store, world.nurse, document_id=draft.id, plan=_plan())
    done = lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    assert done.state == "completed"


def test_timeline_orders_by_instant_whatever_the_callers_time_zone(world: World) -> None:
    from zoneinfo import ZoneInfo

    cid = _client(world)
    helsinki = ZoneInfo("Europe/Helsinki")
    # 09:30 in Helsinki in June (06:30 UTC) is earlier than 08:00 UTC.
    journal.record_journal_entry(world.store, world.nurse, client_id=cid, entry_type="daily",
                                 text="Aamu", complete=True,
                                 recorded_at=datetime(2026, 6, 1, 9, 30, tzinfo=helsinki))
    journal.record_journal_entry(world.store, world.nurse, client_id=cid, entry_type="daily",
                                 text="Myöhemmin", complete=True,
                                 recorded_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    page = journal.client_timeline(world.store, world.nurse, client_id=cid)
    assert [d.body for d in page.items] == ["Myöhemmin", "Aamu"]
    assert page.items[1].recorded_at == datetime(2026, 6, 1, 6, 30, tzinfo=UTC)


def test_administrator_sees_service_periods_but_not_notes(world: World) -> None:
    from carebook.errors import AccessDeniedError

    cid = _client(world)
    social_services.start_service(world.store, world.nurse, client_id=cid,
                                  social_service=HOUSING, start_on=date(2026, 2, 1))
    assert len(social_services.list_services(world.store, world.clerk, client_id=cid)) == 1
    with pytest.raises(AccessDeniedError):
        journal.client_timeline(world.store, world.clerk, client_id=cid)


def test_start_note_written_later_keeps_its_place_and_speaks_the_users_language(
    world: World,
) -> None:
    """E10: a start note recorded on the start day orders the timeline by that day, and its
    default sentence is in the worker's language (it becomes archived content)."""
    from carebook import i18n

    cid = _client(world)
    journal.record_journal_entry(world.store, world.nurse, client_id=cid, entry_type="daily",
                                 text="Tänään", complete=True)
    i18n.set_language("fi")
    try:
        started = social_services.start_service(
            world.store, world.nurse, client_id=cid, social_service=HOUSING,
            start_on=date(2026, 3, 2),
            recorded_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    finally:
        i18n.set_language("en")
    page = journal.client_timeline(world.store, world.nurse, client_id=cid)
    assert [d.specific_type for d in page.items] == ["daily", "service-start"]
    note = lifecycle.get_document(world.store, world.nurse, started.start_document_id or 0)
    text = note.content["text"]
    assert "2.3.2026" in text and not text.startswith("Service started")
