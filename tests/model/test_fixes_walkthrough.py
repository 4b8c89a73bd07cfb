"""Fixes from a new user's walkthrough: control characters, empty plans, code names, the
nullification reason text, input sanity and who may nullify (rules-documents E4, E11, E13;
AC-6; RAR-15, RAR-17)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from domain_fixtures import UNIT_A, World, build_world, test_hetu
from hypothesis import given
from hypothesis import strategies as st

from carebook.errors import CarebookError, ValidationError
from carebook.model import access, clock, codesets, validation
from carebook.model.records import Goal, PlanContent
from carebook.model.services import (
    cases,
    clients,
    journal,
    lifecycle,
    plans,
    social_services,
    staff,
)
from carebook.model.store import Store

HOUSING = "serviceboende_med_heldygnsomsorg"
RED = "\x1b[31m"


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def _client(w: World, n: int = 1) -> int:
    return clients.add_client(w.store, w.director, hetu=test_hetu(n), first_name="Matti",
                              last_name="Testinen", unit_oid=UNIT_A).id


def _note(w: World, cid: int) -> int:
    return journal.record_journal_entry(w.store, w.nurse, client_id=cid, entry_type="daily",
                                        text="Päivä sujui hyvin", complete=True).id


# --- control characters (terminals and PDFs never get raw escapes) --------------------------

@pytest.mark.parametrize("bad", [RED, "\x00", "\x07", "\x7f", "\x9b31m", "\x85", "\x0c"])
def test_free_text_with_control_characters_is_refused_clearly(bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        validation.validate_text(f"Päivä {bad}sujui", field="text")
    assert err.value.code == "control_characters"
    assert "\x1b" not in err.value.message()


def test_tab_and_newline_stay_and_windows_line_ends_become_newlines() -> None:
    assert validation.validate_text("Aamu\r\n\tIlta\rYö", field="text") == "Aamu\n\tIlta\nYö"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_accepted_text_never_holds_a_control_character(text: str) -> None:
    try:
        kept = validation.validate_text(text, field="text", required=False)
    except ValidationError as err:
        assert err.code == "control_characters"
        return
    assert all(ch in "\n\t" or not (ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f) for ch in kept)


def test_note_name_and_nullification_reason_refuse_ansi_escapes(world: World) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError):
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="daily", text=f"{RED}Punainen")
    with pytest.raises(ValidationError):
        clients.add_client(world.store, world.director, hetu=test_hetu(2),
                           first_name=f"{RED}Matti", last_name="Testinen", unit_oid=UNIT_A)
    doc = _note(world, cid)
    with pytest.raises(ValidationError):
        lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                   reason="wrong-person", reason_text=f"Väärä {RED}asiakas")
    with pytest.raises(ValidationError):
        social_services.start_service(world.store, world.nurse, client_id=cid,
                                      social_service=HOUSING, start_on=clock.today(),
                                      text=f"Alkoi{RED}")
    with pytest.raises(ValidationError) as err:
        cases.open_case(world.store, world.director, client_id=cid,
                        service_task=cases.DEFAULT_SERVICE_TASK, name_code="99",
                        name_text=f"Muu{RED} asia")
    assert err.value.code == "control_characters"


# --- plans: no empty plan completed (E11), names of plan types ---------------------------------

def test_completing_an_empty_plan_is_refused_naming_what_is_missing_e11(world: World) -> None:
    cid = _client(world)
    empty = PlanContent(social_service=HOUSING, responsible_person="Nina Hoitaja")
    with pytest.raises(ValidationError) as err:
        plans.record_plan(world.store, world.nurse, client_id=cid, plan=empty, complete=True)
    assert err.value.code == "plan_empty" and err.value.rule == "rules-documents E11"
    assert "situation" in err.value.message() and "goal" in err.value.message()
    draft = plans.record_plan(world.store, world.nurse, client_id=cid, plan=empty)
    with pytest.raises(ValidationError):
        lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    plans.edit_plan_draft(world.store, world.nurse, document_id=draft.id,
                          plan=PlanContent(social_service=HOUSING, goals=(Goal("Liikkuminen"),)))
    done = lifecycle.complete_document(world.store, world.nurse, document_id=draft.id)
    assert done.state == "completed"
    with pytest.raises(ValidationError):  # a correction may not empty it either
        plans.correct_plan(world.store, world.nurse, document_id=draft.id, plan=empty,
                           reason="typing-error")


def test_plan_types_and_services_have_printed_names_not_keys() -> None:
    assert codesets.display_name(codesets.PLAN_TYPE, "aldreservice", "fi") == (
        "Iäkkäiden palvelujen toteuttamissuunnitelma")  # names-fi-en.json
    assert codesets.display_name(codesets.PLAN_TYPE, "aldreservice", "sv") == (
        "Genomförandeplan för äldreservice")
    assert codesets.display_name(codesets.PLAN_TYPE, "genomforandeplan", "fi") == (
        "Toteuttamissuunnitelma")
    assert codesets.display_name(codesets.SOCIAL_SERVICE, HOUSING, "sv") == (
        "Serviceboende med heldygnsomsorg")
    assert codesets.display_name(codesets.SOCIAL_SERVICE, "no-such-code", "sv") == "no-such-code"


def test_service_codes_lists_only_codes_valid_on_the_day() -> None:
    today = dict(social_services.service_codes(on=date(2026, 1, 1)))
    assert today[HOUSING] == "Serviceboende med heldygnsomsorg"
    assert "hemservice" not in today  # retired at the end of 2022 (MSG-18)
    assert "hemservice" in dict(social_services.service_codes(on=date(2022, 6, 1)))
    assert social_services.service_codes() == social_services.service_codes(on=clock.today())


# --- the nullification reason text is kept (E13) ----------------------------------------------

def test_nullification_reason_text_is_in_the_version_history_e13(world: World) -> None:
    cid = _client(world)
    doc = _note(world, cid)
    lifecycle.nullify_document(world.store, world.nurse, document_id=doc, reason="wrong-person",
                               reason_text="Kirjattu väärän asiakkaan tietoihin")
    history = lifecycle.document_versions(world.store, world.nurse, doc)
    assert [(v.version, v.state, v.reason_text) for v in history] == [
        (1, "completed", None), (2, "nullified", "Kirjattu väärän asiakkaan tietoihin")]


# --- input sanity ---------------------------------------------------------------------------

def test_birth_date_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        clients.add_client(world.store, world.director, first_name="Tuleva", last_name="Lapsi",
                           unit_oid=UNIT_A, birth_date=clock.today() + timedelta(days=1))
    assert err.value.code == "birth_in_future"


def test_temporary_id_without_birth_date_is_accepted_e4_id13(world: World) -> None:
    made = clients.add_client(world.store, world.director, first_name="Ilman",
                              last_name="Tunnusta", unit_oid=UNIT_A)
    assert made.temporary_oid and made.birth_date is None


def test_service_start_more_than_a_year_ahead_is_refused(world: World) -> None:
    cid = _client(world)
    too_far = clock.today() + social_services.MAX_START_AHEAD + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        social_services.start_service(world.store, world.nurse, client_id=cid,
                                      social_service=HOUSING, start_on=too_far)
    assert err.value.code == "start_too_far_ahead"
    near = social_services.start_service(world.store, world.nurse, client_id=cid,
                                         social_service=HOUSING,
                                         start_on=clock.today() + timedelta(days=30))
    assert near.actual_start == clock.today() + timedelta(days=30)


@pytest.mark.parametrize("roles", [["care_worker"], ["director"], ["admin", "care_worker"]])
def test_care_worker_without_a_unit_is_refused_ac6(world: World, roles: list[str]) -> None:
    with pytest.raises(ValidationError) as err:
        staff.add_staff(world.store, world.admin, username="uusi", first_name="Uusi",
                        last_name="Hoitaja", title="Lähihoitaja", roles=roles)
    assert err.value.code == "unit_required"
    assert "uusi" not in [s.username for s in staff.list_staff(world.store, world.admin)]


def test_staff_registration_number_refuses_escapes(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        staff.add_staff(world.store, world.admin, username="uusi", first_name="Uusi",
                        last_name="Hoitaja", title="Lähihoitaja", roles=["care_worker"],
                        unit_oids=[UNIT_A], registration_no=f"{RED}1234")
    assert err.value.code == "control_characters"


def test_admin_only_user_needs_no_unit(world: World) -> None:
    made = staff.add_staff(world.store, world.admin, username="paakayttaja", first_name="Pää",
                           last_name="Käyttäjä", title="Pääkäyttäjä", roles=["admin"])
    assert made.roles == ("admin",) and made.unit_ids == ()


# --- who may nullify (RAR-15, RAR-17, AC-6) -------------------------------------------------

def test_colleague_in_the_unit_may_nullify_another_workers_note_rar15_ac6(world: World) -> None:
    staff.add_staff(world.store, world.admin, username="nurse2", first_name="Noora",
                    last_name="Hoitaja", title="Lähihoitaja", roles=["care_worker"],
                    unit_oids=[UNIT_A])
    colleague = access.open_session(world.store, "nurse2")
    cid = _client(world)
    doc = _note(world, cid)
    with pytest.raises(CarebookError):  # nurse_b works in UNIT_B only: no connection (AC-6)
        lifecycle.nullify_document(world.store, world.nurse_b, document_id=doc,
                                   reason="wrong-person")
    gone = lifecycle.nullify_document(world.store, colleague, document_id=doc,
                                      reason="wrong-person", reason_text="Väärä asiakas")
    assert gone.state == "nullified" and gone.stored_by_name.startswith("Noora")
