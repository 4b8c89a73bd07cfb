"""The client card (issue 4 item 4): identity with the security-prohibition marker and hidden
fields (AC-11), minor marker, relationship and RAR window status (RAR-8), case code, services
with actual start/end, plans with their next review date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carebook.model.services import directory


def _card_for(qtbot, workspace, sign_in, username, last_name):
    from carebook.ui.client_card import ClientCard

    sign_in(username)
    store, staff = workspace.store, workspace.staff
    rows = workspace.db.call_blocking(lambda: directory.client_directory(store, staff,
                                                                   include_ended=True))
    client_id = next(r.id for r in rows if r.client.last_name == last_name)
    card = ClientCard(workspace)
    qtbot.addWidget(card)
    card.resize(1000, 260)
    card.show()
    with qtbot.waitSignal(card.loaded, timeout=10_000):
        card.set_client(client_id)
    return card


def test_prohibited_client_fields_are_hidden_without_the_right(qtbot, workspace, sign_in,
                                                                screenshot_dir):
    """AC-11: hoitaja1 lacks the right: marker shown, address and phone hidden."""
    card = _card_for(qtbot, workspace, sign_in, "hoitaja1", "Nieminen")
    assert card.title.text() == "Nieminen, Helmi"
    assert "SECURITY PROHIBITION" in card.markers.text() and card.markers.isVisible()
    assert card.body.text().count("hidden (security prohibition)") == 2
    assert "Salainen" not in card.body.text()
    card.grab().save(str(screenshot_dir / "client_card_prohibited.png"))


def test_director_with_the_right_sees_the_protected_address(qtbot, workspace, sign_in):
    card = _card_for(qtbot, workspace, sign_in, "johtaja", "Nieminen")
    assert "Salainen osoite 1" in card.body.text()
    assert "SECURITY PROHIBITION" in card.markers.text()


def test_card_shows_relationship_case_service_and_plan_review(qtbot, workspace, sign_in):
    card = _card_for(qtbot, workspace, sign_in, "hoitaja1", "Mäkinen")
    body, more = card.body.text(), card.more.text()
    assert "Kuuselan palvelutalo" in body and "Demo-hyvinvointialue" in body
    assert "(RAR)" in body and "in force" in body
    assert "1.2.246.10.76543212.10.3.1001" in more  # the organiser's case code (RAR-11)
    assert "24-hour service housing" in more and "started" in more
    assert "next review" in more
    assert not card.markers.isVisible()


def test_minor_marker_for_a_child_client(qtbot, workspace, sign_in):
    card = _card_for(qtbot, workspace, sign_in, "hoitaja2", "Lehtonen")
    assert "Minor" in card.markers.text()


def test_ended_service_shows_its_end(qtbot, workspace, sign_in):
    card = _card_for(qtbot, workspace, sign_in, "hoitaja1", "Laine")
    assert "ended" in card.more.text()


@dataclass
class _Window:
    start_on: date
    end_on: date | None


def test_window_status_names_start_in_force_and_end():
    from carebook.ui.client_card import window_status

    today = date(2026, 6, 1)
    assert window_status(_Window(date(2026, 7, 1), None), today).startswith("starts on")
    assert window_status(_Window(date(2026, 1, 1), date(2026, 5, 1)), today).startswith(
        "ended on")
    assert window_status(_Window(date(2026, 1, 1), None), today) == "in force"
    assert window_status(_Window(date(2026, 1, 1), date(2026, 12, 31)), today).startswith(
        "in force until")
