"""The implementation-plan editor (rules-documents E11): a structured form with meetings and
goals, draft autosave, completion with refusals shown in place, and correction (MSG-12)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from carebook.model import clock
from carebook.model.records import Goal, Meeting, Participant, PlanContent, PreviousPlanReview
from carebook.model.services import clients, journal, lifecycle, plans
from carebook.ui.plan_editor import open_plan_editor
from carebook.ui.plan_form import GOALS, MEETINGS, REVIEW, SITUATION


@pytest.fixture
def client_id(workspace, sign_in):
    """Toivo Virtanen: hoitaja1's care-home client in the producer's own register."""
    sign_in("hoitaja1")
    rows = clients.list_clients(workspace.store, workspace.staff, name="Toivo")
    return rows[0].id


@pytest.fixture(autouse=True)
def close_editors(qtbot):
    """The editor deletes itself on close; close any left open (without saving)."""
    yield
    for dialog in OPEN:
        if shiboken6.isValid(dialog) and dialog.isVisible():
            dialog._close_now()
    OPEN.clear()


OPEN: list = []


def opened(qtbot, workspace, client_id, **kwargs):
    dialog = open_plan_editor(None, workspace, client_id=client_id, **kwargs)
    OPEN.append(dialog)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.form.isEnabled(),
                    timeout=10_000)
    return dialog


def type_text(widget, text: str) -> None:
    """Type ``text`` as key events (QTest cannot type ä and ö)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def plan_docs(workspace, client_id):
    page = journal.client_timeline(workspace.store, workspace.staff, client_id=client_id,
                                   kinds=("plan",))
    return list(page.items)


def add_meeting(qtbot, editor, *, on: date, place: str, people: list[list[str]]):
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.date.setDate(QDate(on))
    type_text(editor.place, place)
    for person in people:
        qtbot.mouseClick(editor.add_person, Qt.MouseButton.LeftButton)
        row = editor.table.rowCount() - 1
        for column, text in enumerate(person):
            editor.table.item(row, column).setText(text)


def add_goal(qtbot, editor, name: str, description: str, methods: str):
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    type_text(editor.name, name)
    type_text(editor.description, description)
    type_text(editor.methods, methods)


def test_a_filled_plan_with_reordered_goals_is_completed_exactly(qtbot, workspace, client_id):
    """E11: two meetings with participants and three goals, the second moved to the top;
    Ctrl+Return completes and the store holds exactly that content in that order."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    assert form.social_service() == "serviceboende_med_heldygnsomsorg"  # the running service
    day1, day2 = clock.today() - timedelta(days=3), clock.today() - timedelta(days=1)
    add_meeting(qtbot, form.meetings, on=day1, place="Kuuselan palvelutalo",
                people=[["Toivo Virtanen", "asiakas", "", ""],
                        ["Anna Testinen", "omahoitaja", "Kuuselan palvelutalo", "lähihoitaja"]])
    add_meeting(qtbot, form.meetings, on=day2, place="Puhelin",
                people=[["Liisa Virtanen", "tytär", "", ""]])
    add_goal(qtbot, form.goals, "Liikkuu turvallisesti", "Ei kaatumisia", "Kävelyharjoitus")
    add_goal(qtbot, form.goals, "Syö hyvin", "Paino pysyy", "Punnitus kerran kuussa")
    add_goal(qtbot, form.goals, "Pitää yhteyttä", "Soittaa tyttärelle", "Viikoittain")
    form.goals.list.setCurrentRow(1)
    qtbot.mouseClick(form.goals.up_button, Qt.MouseButton.LeftButton)
    assert form.goals.list.item(0).text() == "1. Syö hyvin"
    type_text(form.situation, "Asuu palvelutalossa.")
    type_text(form.responsible, "Anna Testinen")
    form.next_review.check.setChecked(True)
    form.next_review.date.setDate(QDate(clock.today() + timedelta(days=90)))

    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        qtbot.keyClick(form.situation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert finished.args == [QDialog.DialogCode.Accepted]
    newest = plan_docs(workspace, client_id)[0]
    stored = lifecycle.get_document(workspace.store, workspace.staff, newest.id)
    assert stored.state == "completed" and stored.signature is not None
    assert stored.specific_type == "aldreservice"  # the case's service task (E11)
    plan = stored.plan
    assert plan.meetings == (
        Meeting(day1, "Kuuselan palvelutalo", (
            Participant("Toivo Virtanen", "asiakas"),
            Participant("Anna Testinen", "omahoitaja", "Kuuselan palvelutalo", "lähihoitaja"))),
        Meeting(day2, "Puhelin", (Participant("Liisa Virtanen", "tytär"),)))
    assert plan.goals == (Goal("Syö hyvin", "Paino pysyy", "Punnitus kerran kuussa"),
                          Goal("Liikkuu turvallisesti", "Ei kaatumisia", "Kävelyharjoitus"),
                          Goal("Pitää yhteyttä", "Soittaa tyttärelle", "Viikoittain"))
    assert plan.client_situation == "Asuu palvelutalossa."
    assert plan.responsible_person == "Anna Testinen"
    assert plan.next_review_on == clock.today() + timedelta(days=90)


def test_goals_are_edited_with_the_keyboard(qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id)
    goals = dialog.form.goals
    dialog.form.tabs.setCurrentIndex(GOALS)
    for name in ("Yksi", "Kaksi"):
        add_goal(qtbot, goals, name, "", "")
    goals.list.setFocus()
    goals.list.setCurrentRow(1)
    qtbot.keyClick(goals.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [g.name for g in goals.goals()] == ["Kaksi", "Yksi"]
    qtbot.keyClick(goals.list, Qt.Key.Key_Delete)
    assert [g.name for g in goals.goals()] == ["Yksi"]
    assert not goals.up_button.isEnabled() and not goals.down_button.isEnabled()


def test_autosave_makes_a_draft_and_later_edits_update_it(qtbot, workspace, client_id):
    """The first change saves a draft after a pause; later changes update the same draft."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=30)
    before = {d.id for d in plan_docs(workspace, client_id)}
    type_text(dialog.form.situation, "Ensimmäinen versio.")
    qtbot.waitUntil(lambda: dialog.document is not None
                    and dialog.status.text().startswith("Draft saved at"), timeout=10_000)
    draft_id = dialog.document.id
    assert draft_id not in before
    stored = lifecycle.get_document(workspace.store, workspace.staff, draft_id)
    assert stored.state == "draft" and stored.plan.client_situation == "Ensimmäinen versio."

    type_text(dialog.form.situation, " Lisäys.")
    qtbot.waitUntil(lambda: lifecycle.get_document(
        workspace.store, workspace.staff, draft_id).plan.client_situation
        == "Ensimmäinen versio. Lisäys.", timeout=10_000)
    assert dialog.document.id == draft_id
    assert len(plan_docs(workspace, client_id)) == len(before) + 1


def test_ctrl_s_saves_now_and_closing_saves_what_was_typed(qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    type_text(dialog.form.description, "Apu aamuisin.")
    qtbot.keyClick(dialog.form.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.document is not None, timeout=10_000)
    draft_id = dialog.document.id
    type_text(dialog.form.description, " Ja illalla.")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.close()
    stored = lifecycle.get_document(workspace.store, workspace.staff, draft_id)
    assert stored.plan.service_description == "Apu aamuisin. Ja illalla."


def test_reopening_a_draft_restores_every_field(qtbot, workspace, client_id):
    """A review plan (an earlier plan of the service exists) with every field filled."""
    plan = PlanContent(
        social_service="serviceboende_med_heldygnsomsorg", service_start=date(2026, 1, 5),
        service_description="Palveluasuminen.", responsible_person="Anna Testinen",
        client_situation="Muisti heikentynyt.", current_services="Fysioterapia.",
        meetings=(Meeting(date(2026, 2, 1), "Palvelutalo", (
            Participant("Toivo Virtanen", "asiakas"),
            Participant("Anna Testinen", "omahoitaja", "Kuusela", "sairaanhoitaja"))),
            Meeting(date(2026, 2, 8), "Koti")),
        goals=(Goal("Yksi", "Kuvaus 1", "Keino 1"), Goal("Kaksi", "", "")),
        previous_review=PreviousPlanReview("partly_achieved", "Osittain.", "Tyytyväinen."),
        next_review_on=date(2027, 1, 1))
    draft = plans.record_plan(workspace.store, workspace.staff, client_id=client_id, plan=plan)
    dialog = opened(qtbot, workspace, client_id, document=draft)
    form = dialog.form
    assert form.plan() == plan
    assert not form.review_group.isHidden() and form.first_note.isHidden()
    assert form.situation.toPlainText() == "Muisti heikentynyt."
    assert form.meetings.list.count() == 2 and form.meetings.table.rowCount() == 2
    assert form.goals.list.item(1).text() == "2. Kaksi"
    assert form.assessment.currentText() == "Partly achieved"
    assert not dialog.plan_type.isEnabled()


def test_a_refusal_shows_in_place_points_at_the_section_and_keeps_the_input(
        qtbot, workspace, client_id):
    """§4.1.9-10: a used goal needs a name; the goals tab opens on the nameless goal."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    type_text(form.situation, "Tilanne kirjattu.")
    add_goal(qtbot, form.goals, "Nimetty", "", "")
    add_goal(qtbot, form.goals, "", "Kuvaus ilman nimeä", "")
    form.tabs.setCurrentIndex(SITUATION)
    qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "Goal name" in dialog.error.text()
    assert form.tabs.currentIndex() == GOALS and form.goals.list.currentRow() == 1
    assert dialog.isVisible()
    assert form.situation.toPlainText() == "Tilanne kirjattu."
    assert [g.description for g in form.goals.goals()] == ["", "Kuvaus ilman nimeä"]


def test_a_meeting_nobody_attended_is_not_completed_and_the_meetings_tab_opens(
        qtbot, workspace, client_id):
    """E11 (L23001-23030): a meeting records the people who took part. An added participant
    row left empty is not kept; completing then says a participant is missing, on the
    meetings tab, and the draft with its meeting is kept."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    type_text(form.situation, "Tilanne kirjattu.")
    add_meeting(qtbot, form.meetings, on=clock.today(), place="Palvelutalo",
                people=[["", "", "", ""]])
    form.tabs.setCurrentIndex(SITUATION)
    qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "at least one participant" in dialog.error.text()
    assert "rules-documents" not in dialog.error.text()
    assert form.tabs.currentIndex() == MEETINGS and dialog.isVisible()
    stored = lifecycle.get_document(workspace.store, workspace.staff, dialog.document.id)
    assert stored.state == "draft" and stored.plan.meetings[0].place == "Palvelutalo"


def test_an_empty_plan_is_kept_as_a_draft_and_the_situation_tab_opens(
        qtbot, workspace, client_id):
    """E11 plan_empty: completing refuses, but the draft is saved and the editor stays."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    add_meeting(qtbot, form.meetings, on=clock.today(), place="Palvelutalo",
                people=[["Liisa Virtanen", "tytär", "", ""]])
    qtbot.keyClick(form.meetings.place, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert form.tabs.currentIndex() == SITUATION
    assert dialog.status.text().startswith("Not completed. Draft saved at")
    stored = lifecycle.get_document(workspace.store, workspace.staff, dialog.document.id)
    assert stored.state == "draft" and stored.plan.meetings[0].place == "Palvelutalo"
    assert form.meetings.meetings()[0].place == "Palvelutalo"


def test_a_first_plan_of_another_service_has_no_review_section(qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id)
    form = dialog.form
    form.tabs.setCurrentIndex(REVIEW)
    assert form.review_group.isVisibleTo(form)  # the demo plan of the running service
    form.service.setCurrentIndex(form.service.findData("hemvard"))
    assert not form.review_group.isVisibleTo(form) and form.first_note.isVisibleTo(form)
    assert form.tabs.isTabEnabled(REVIEW) and form.tabs.isTabEnabled(MEETINGS)


def test_correcting_a_completed_plan_makes_version_2_with_the_reason(
        qtbot, workspace, client_id):
    """MSG-12: reason code, new content, version + 1."""
    original = next(d for d in plan_docs(workspace, client_id) if d.state == "completed")
    dialog = opened(qtbot, workspace, client_id, document=original, correct=True)
    form = dialog.form
    assert form.situation.toPlainText() == original.plan.client_situation
    assert not dialog.save_button.isVisibleTo(dialog)
    form.situation.selectAll()
    type_text(form.situation, "Korjattu tilanne.")
    qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    assert "reason" in dialog.error.text()  # no reason chosen yet: nothing sent
    dialog.reason.setCurrentIndex(dialog.reason.findData("factual-error"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    stored = lifecycle.get_document(workspace.store, workspace.staff, original.id)
    assert stored.version == 2 and stored.correction_reason == "factual-error"
    assert stored.plan.client_situation == "Korjattu tilanne."
    assert stored.plan.goals == original.plan.goals


def test_an_autosave_refusal_shows_in_place_and_the_meeting_tab_opens(
        qtbot, workspace, client_id):
    """§4.1.13: a participant's name is validated; the refusal of the autosave is shown in
    the editor, the typed rows stay, and fixing the name saves the draft."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=30)
    form = dialog.form
    form.tabs.setCurrentIndex(SITUATION)
    add_meeting(qtbot, form.meetings, on=clock.today(), place="Palvelutalo",
                people=[["R2D2", "robotti", "", ""]])
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "Participant name" in dialog.error.text()
    assert dialog.status.text() == "The draft was not saved." and dialog.document is None
    assert form.tabs.currentIndex() == MEETINGS
    assert form.meetings.meetings()[0].participants[0].name == "R2D2"
    form.meetings.table.item(0, 0).setText("Robotti Testinen")
    qtbot.waitUntil(lambda: dialog.document is not None, timeout=10_000)
    assert not dialog.error.isVisibleTo(dialog)


def test_a_review_plan_starts_from_the_previous_plan_without_replacing_typed_text(
        qtbot, workspace, client_id):
    """E11 (L22900-22910): the previous plan may be copied as a template."""
    previous = next(d for d in plan_docs(workspace, client_id) if d.state == "completed")
    dialog = opened(qtbot, workspace, client_id)
    form = dialog.form
    assert dialog.copy_button.isVisibleTo(dialog)
    type_text(form.situation, "Muuttunut tilanne.")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    plan = form.plan()
    assert plan.client_situation == "Muuttunut tilanne."
    assert plan.goals == previous.plan.goals and plan.goals
    assert plan.service_description == previous.plan.service_description
    form.service.setCurrentIndex(form.service.findData("hemvard"))
    assert not dialog.copy_button.isVisibleTo(dialog)  # no earlier plan of that service


def test_closing_with_content_that_cannot_be_saved_asks_first(qtbot, workspace, client_id):
    """Nothing typed is dropped silently: a refused save on close asks before closing."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    add_meeting(qtbot, form.meetings, on=clock.today(), place="Koti",
                people=[["R2D2", "robotti", "", ""]])
    dialog.close()
    qtbot.waitUntil(lambda: getattr(dialog, "discard_box", None) is not None
                    and dialog.discard_box.isVisible(), timeout=10_000)
    assert "Participant name" in dialog.discard_box.text() and dialog.isVisible()
    box = dialog.discard_box
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(box.button(box.StandardButton.Discard), Qt.MouseButton.LeftButton)


def test_locking_closes_the_editor(qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        workspace.lock()
    qtbot.waitUntil(lambda: workspace.db.pending == 0, timeout=10_000)


def test_tab_order_runs_through_each_section_to_the_buttons(qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id)
    names, widget = [], dialog.plan_type
    for _step in range(300):
        widget = widget.nextInFocusChain()
        if widget is dialog.plan_type:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.objectName():
            names.append(widget.objectName())
    wanted = ["planSections", "meetingList", "addMeeting", "meetingPlace", "participantTable",
              "clientSituation", "socialService", "serviceDescription", "responsiblePerson",
              "goalList", "addGoal", "moveGoalUp", "goalName", "goalDescription", "goalMethods",
              "reviewAssessment", "reviewText", "clientExperience", "saveDraft", "completePlan",
              "closePlan"]
    assert [n for n in names if n in wanted] == wanted


def test_mykanta_restriction_is_saved_with_the_draft_and_restored(qtbot, workspace, client_id):
    """§4.1.19: a delay with a reason code is stored on the draft and shown again."""
    from carebook.ui.plan_form import VISIBILITY

    dialog = opened(qtbot, workspace, client_id, autosave_ms=30)
    form = dialog.form
    form.tabs.setCurrentIndex(VISIBILITY)
    restrictions = form.restrictions
    assert restrictions.is_expanded() and not restrictions.minor
    until = clock.today() + timedelta(days=30)
    restrictions.delay_check.setChecked(True)
    restrictions.delay_date.setDate(QDate(until))
    reason = restrictions.reasons.item(0)
    reason.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.document is not None and not dialog._saving
                    and not dialog._timer.isActive(), timeout=10_000)
    stored = lifecycle.get_document(workspace.store, workspace.staff, dialog.document.id)
    assert stored.restriction.delay_until == until
    assert stored.restriction.reasons == (reason.data(Qt.ItemDataRole.UserRole),)
    dialog._close_now()

    again = opened(qtbot, workspace, client_id, document=stored)
    assert again.form.restriction().delay_until == until
    assert again.form.restriction().reasons == stored.restriction.reasons


def test_a_minor_client_gets_the_guardian_visibility_choice(qtbot, workspace, sign_in):
    """MSG-17: guardian visibility for a client under 18 (hoitaja2's client Onni)."""
    sign_in("hoitaja2")
    onni = clients.list_clients(workspace.store, workspace.staff, name="Onni")[0]
    dialog = opened(qtbot, workspace, onni.id)
    assert dialog.form.restrictions.minor
    assert dialog.form.restrictions.guardian.currentData() == "1"


def test_a_service_specific_plan_type_is_kept_with_the_draft(qtbot, workspace, client_id):
    """E11 (L22508-22512): a service with its own plan structure uses it."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    assert dialog.plan_type.currentData() == "aldreservice"  # from the case's service task
    dialog.plan_type.setCurrentIndex(dialog.plan_type.findData(
        "plan_for_stod_for_narstaendevard"))
    type_text(dialog.form.situation, "Omaishoito.")
    qtbot.keyClick(dialog.form.situation, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.document is not None, timeout=10_000)
    assert dialog.document.specific_type == "plan_for_stod_for_narstaendevard"
    assert not dialog.plan_type.isEnabled()


def test_a_review_date_before_the_service_start_points_at_the_review_tab(
        qtbot, workspace, client_id):
    """§4.1.13 date logic: the refusal opens the section holding the next review date."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    form = dialog.form
    form.start.set_value(date(2026, 6, 1))
    form.next_review.set_value(date(2026, 5, 1))
    qtbot.keyClick(form.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "Next review date" in dialog.error.text()
    assert form.tabs.currentIndex() == REVIEW and dialog.document is None


def test_meetings_and_participants_are_added_and_removed_with_the_keyboard(
        qtbot, workspace, client_id):
    dialog = opened(qtbot, workspace, client_id)
    meetings = dialog.form.meetings
    dialog.form.tabs.setCurrentIndex(MEETINGS)
    meetings.list.setFocus()
    qtbot.keyClick(meetings.list, Qt.Key.Key_Insert)
    assert meetings.list.count() == 1 and meetings.place.hasFocus()
    type_text(meetings.place, "Koti")
    meetings.table.setFocus()
    for name in ("Liisa Virtanen", "Anna Testinen"):
        qtbot.keyClick(meetings.table, Qt.Key.Key_Insert)  # a row, its name cell being edited
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not meetings.table)
        cell = QApplication.focusWidget()
        type_text(cell, name)
        qtbot.keyClick(cell, Qt.Key.Key_Return)
        row = meetings.table.rowCount() - 1
        qtbot.waitUntil(lambda: meetings.table.item(row, 0).text() == name)  # noqa: B023
    assert [p.name for p in meetings.meetings()[0].participants] == [
        "Liisa Virtanen", "Anna Testinen"]
    meetings.table.setFocus()
    qtbot.keyClick(meetings.table, Qt.Key.Key_Delete)
    assert meetings.table.rowCount() == 1
    meetings.list.setFocus()
    qtbot.keyClick(meetings.list, Qt.Key.Key_Delete)
    assert meetings.meetings() == ()


def test_a_participant_cell_still_being_typed_in_is_saved(qtbot, workspace, client_id):
    """Ctrl+S while a participant's name is still in its cell editor keeps the name."""
    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    meetings = dialog.form.meetings
    dialog.form.tabs.setCurrentIndex(MEETINGS)
    qtbot.mouseClick(meetings.add_button, Qt.MouseButton.LeftButton)
    type_text(meetings.place, "Koti")
    qtbot.mouseClick(meetings.add_person, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not meetings.table)
    cell = QApplication.focusWidget()
    meetings.table.item(0, 1).setText("tytär")
    type_text(cell, "Liisa Virtanen")
    qtbot.keyClick(cell, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.document is not None or dialog.error.isVisibleTo(dialog),
                    timeout=10_000)
    assert not dialog.error.isVisibleTo(dialog), dialog.error.text()
    stored = lifecycle.get_document(workspace.store, workspace.staff, dialog.document.id)
    assert stored.plan.meetings[0].participants[0].name == "Liisa Virtanen"


# -- a client whose service has ended (tester A1) ------------------------------------------

NEED_SERVICE = "Choose the social service the plan is for (Service tab)."


@pytest.fixture
def ended_client(workspace, client_id):
    """Toivo Virtanen after his only service ended today (E10): no service is running."""
    from carebook.model.services import social_services

    running = social_services.list_services(workspace.store, workspace.staff,
                                            client_id=client_id)[0]
    social_services.end_service(workspace.store, workspace.staff, service_id=running.id,
                                end_on=clock.today(), grounds="Muutti toiselle paikkakunnalle.")
    return client_id, running


def test_e11_a_new_plan_preselects_the_latest_service_even_when_it_has_ended(
        qtbot, workspace, ended_client):
    """The plan is often written for a service that has just ended: the client's latest
    service (newest actual start) is chosen, so autosave keeps a draft from the first key."""
    client_id, service = ended_client
    dialog = opened(qtbot, workspace, client_id, autosave_ms=30)
    assert dialog.form.social_service() == service.social_service
    assert dialog.form.start.value() == service.actual_start
    type_text(dialog.form.situation, "Muutti pois.")
    qtbot.waitUntil(lambda: dialog.document is not None, timeout=10_000)
    stored = lifecycle.get_document(workspace.store, workspace.staff, dialog.document.id)
    assert stored.state == "draft" and stored.plan.social_service == service.social_service


def test_a_client_without_any_service_starts_with_no_service_chosen(
        qtbot, workspace, client_id):
    from dataclasses import replace

    dialog = opened(qtbot, workspace, client_id, autosave_ms=60_000)
    dialog.form.set_context(replace(dialog.context, services=()), document=None)
    assert dialog.form.social_service() == ""
    assert dialog.form.service.currentIndex() == -1


def _without_service(qtbot, workspace, client_id, **kwargs):
    dialog = opened(qtbot, workspace, client_id, **kwargs)
    dialog.form.service.setCurrentIndex(-1)
    dialog.form.tabs.setCurrentIndex(SITUATION)
    dialog.form.situation.setFocus()
    return dialog


def test_typing_without_a_service_says_at_once_that_no_draft_is_kept(
        qtbot, workspace, client_id):
    dialog = _without_service(qtbot, workspace, client_id, autosave_ms=60_000)
    type_text(dialog.form.situation, "Tilanne.")
    assert dialog.status.text() == ("A draft is kept only once the social service is chosen "
                                    "(Service tab).")
    dialog.form.service.setCurrentIndex(dialog.form.service.findData("hemvard"))
    assert dialog.status.text() == ""


def test_autosave_without_a_service_explains_in_place_and_keeps_the_typing_place(
        qtbot, workspace, client_id):
    """The pause-triggered save never steals the cursor from the text being written."""
    dialog = _without_service(qtbot, workspace, client_id, autosave_ms=30)
    type_text(dialog.form.situation, "Tilanne.")
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert dialog.error.text() == NEED_SERVICE
    assert dialog.form.tabs.currentIndex() == SITUATION and dialog.document is None
    assert dialog.form.situation.toPlainText() == "Tilanne."


def test_ctrl_s_without_a_service_opens_the_service_tab(qtbot, workspace, client_id):
    from carebook.ui.plan_form import SERVICE

    dialog = _without_service(qtbot, workspace, client_id, autosave_ms=60_000)
    type_text(dialog.form.situation, "Tilanne.")
    qtbot.keyClick(dialog.form.situation, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.error.text() == NEED_SERVICE
    assert dialog.form.tabs.currentIndex() == SERVICE
    qtbot.waitUntil(dialog.form.service.hasFocus, timeout=5_000)


def test_completing_without_a_service_names_the_field_not_a_code(
        qtbot, workspace, client_id, screenshot_dir):
    """MSG-18 stays the services' rule; the worker reads a plain sentence and lands on the
    field, and what was typed stays."""
    from carebook.ui.plan_form import SERVICE

    dialog = _without_service(qtbot, workspace, client_id, autosave_ms=60_000)
    type_text(dialog.form.situation, "Tilanne.")
    qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert dialog.error.text() == NEED_SERVICE
    assert "MSG-18" not in dialog.error.text() and "not saved" not in dialog.status.text()
    assert dialog.form.tabs.currentIndex() == SERVICE
    qtbot.waitUntil(dialog.form.service.hasFocus, timeout=5_000)
    assert dialog.form.situation.toPlainText() == "Tilanne." and dialog.isVisible()
    dialog.grab().save(str(screenshot_dir / "plan-editor-no-service.png"))
    dialog.form.service.setCurrentIndex(dialog.form.service.findData("hemvard"))
    assert not dialog.error.isVisibleTo(dialog)
