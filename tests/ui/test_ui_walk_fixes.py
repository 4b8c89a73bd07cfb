"""Fixes from a walk through the app as a care worker and an administrator would use it:

* the new-client dialog puts the cursor back in a mistyped identity code (no rule ID in the
  message), its security-prohibition checkbox is short with a wrapping hint, and the organiser
  choice is wide enough for its longest item;
* the add-staff-user form puts the cursor in the password field the refusal is about;
* the service-start dialog lists the case's own services first under headings that cannot be
  chosen, and names several open cases by their service task and day, not by an OID;
* a document's detail names its case by the service task, the code after it;
* the usage log fits its columns to their text and leaves no row under the header.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QWidget
from uihelp import assert_labels_fit, client_named

from carebook.i18n import set_language
from carebook.model import codesets
from carebook.model.services import cases, clients, demo_data, directory
from carebook.model.services.demo import DEMO_PASSWORD
from carebook.model.services.demo_data import kela_test_hetu
from carebook.ui import texts

pytestmark = pytest.mark.usefixtures("delete_windows")

# A rule ID in brackets: "(MSG-17)", "(RAR-8)", "(rules-documents 4.1.15)".
RULE_ID = re.compile(r"\((?:[A-Z]{2,4}-\d+|rules-[^)]*)\)")
STAFF_PASSWORD = "uusi-salasana-1"


def _activate(qtbot: Any, window: QWidget) -> None:
    """Make ``window`` the active window, so keyboard focus is real (not only remembered)."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)


def _focus_lands_on(qtbot: Any, window: QWidget, widget: QWidget) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)
    assert window.focusWidget() is widget


# -- 1. the new-client dialog ----------------------------------------------------------------


def _new_client_dialog(qtbot: Any, workspace: Any, wait_idle: Any) -> Any:
    from carebook.ui.client_dialog import open_new_client

    dialog = open_new_client(None, workspace)
    qtbot.addWidget(dialog)
    wait_idle()
    return dialog


def test_a_mistyped_identity_code_puts_the_cursor_back_in_it_selected(
        qtbot, workspace, sign_in, wait_idle):
    """fi: the check character is wrong (010190-900P is right); the message says so in plain
    words without "(MSG-17)", and the code is selected in its field for retyping."""
    sign_in("hoitaja1")
    set_language("fi")
    before = len(clients.list_clients(workspace.store, workspace.staff))
    dialog = _new_client_dialog(qtbot, workspace, wait_idle)
    _activate(qtbot, dialog)
    typo = "010190-900Y"
    assert kela_test_hetu(date(1990, 1, 1), 900) == "010190-900P" != typo
    dialog.first.setText("Testi")
    dialog.last.setText("Henkilö")
    dialog.hetu.setText(typo)
    dialog.first.setFocus()  # the worker was last in the first-name field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.first, timeout=5_000)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    wait_idle()
    message = dialog.error.text()
    assert "henkilötunnus" in message.lower(), message
    assert not RULE_ID.search(message), message
    assert "MSG-" not in message and "Traceback" not in message
    assert dialog.hetu.objectName() == "hetu"
    _focus_lands_on(qtbot, dialog, dialog.hetu)
    assert dialog.hetu.text() == typo and dialog.hetu.selectedText() == typo
    assert dialog.isVisible() and dialog.first.text() == "Testi"
    assert len(clients.list_clients(workspace.store, workspace.staff)) == before


def test_security_prohibition_is_short_with_a_wrapping_hint_and_organisers_fit(
        qtbot, workspace, sign_in, wait_idle, screenshot_dir):
    """fi: "Turvakielto" fits as a checkbox; the explanation wraps on a line of its own; the
    organiser choice shows "Ei mitään: asiakas maksaa palvelun itse" in full."""
    sign_in("hoitaja1")
    set_language("fi")
    dialog = _new_client_dialog(qtbot, workspace, wait_idle)
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QCheckBox, "securityProhibition")
    assert box is dialog.prohibition and box.text() == "&Turvakielto"
    assert box.isVisible() and box.width() >= box.sizeHint().width()
    hint = dialog.findChild(QLabel, "prohibitionHint")
    assert hint is not None and hint.isVisible() and hint.wordWrap()
    assert hint.text().startswith("Osoite ja puhelinnumero"), hint.text()
    assert hint.width() <= dialog.width()

    combo = dialog.organiser
    assert combo.objectName() == "organiser" and combo.count() >= 2  # + the demo organiser
    items = [combo.itemText(i) for i in range(combo.count())]
    assert "Ei mitään: asiakas maksaa palvelun itse" in items
    metrics = combo.fontMetrics()
    widest = max(metrics.horizontalAdvance(text) for text in items)
    # The layout runs after the organisers arrive from the lane.
    qtbot.waitUntil(lambda: combo.width() >= widest, timeout=5_000)
    assert combo.width() >= metrics.horizontalAdvance("Ei mitään: asiakas maksaa palvelun itse")
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "new-client-dialog-fi.png"))


# -- 2. the add-staff-user form -------------------------------------------------------------


def _add_user_form(qtbot: Any, workspace: Any, sign_in: Any,
                   wait_idle: Any) -> tuple[Any, QWidget]:
    from carebook.ui.admin import open_staff_admin

    sign_in("admin", DEMO_PASSWORD)
    parent = QWidget()
    qtbot.addWidget(parent)
    admin = open_staff_admin(parent, workspace)
    wait_idle()
    qtbot.mouseClick(admin.add_button, Qt.MouseButton.LeftButton)
    form = admin.form_dialog
    assert form.objectName() == "addUserDialog" and form.isVisible()
    for edit, text in ((form.username, "hoitaja5"), (form.first_name, "Ville"),
                       (form.last_name, "Virtanen"), (form.title_edit, "Hoitaja")):
        qtbot.keyClicks(edit, text)
    form.units[demo_data.HOUSING].setChecked(True)
    _activate(qtbot, form)
    return form, parent  # the dialogs live as long as their parent


def test_a_too_short_password_puts_the_cursor_in_the_password_field(
        qtbot, workspace, sign_in, wait_idle):
    form, _parent = _add_user_form(qtbot, workspace, sign_in, wait_idle)
    form.password.setText("short")
    form.password2.setText("short")
    form.username.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.username, timeout=5_000)
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.error.isVisible, timeout=10_000)
    wait_idle()
    assert "at least 8 characters" in form.error.text() and form.isVisible()
    assert form.password.objectName() == "passwordEdit"
    _focus_lands_on(qtbot, form, form.password)
    assert form.password.selectedText() == "short"  # typed over at once


def test_two_different_passwords_are_typed_again_from_the_first(
        qtbot, workspace, sign_in, wait_idle):
    form, _parent = _add_user_form(qtbot, workspace, sign_in, wait_idle)
    form.password.setText(STAFF_PASSWORD)
    form.password2.setText(STAFF_PASSWORD + "x")
    form.username.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.username, timeout=5_000)
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    assert form.isVisible() and "not the same" in form.error.text()
    # "Type the new password again in both fields": the first selected, the second emptied.
    _focus_lands_on(qtbot, form, form.password)
    assert form.password.selectedText() == STAFF_PASSWORD and form.password2.text() == ""


# -- 3. the service-start dialog ------------------------------------------------------------


def _start_dialog(qtbot: Any, workspace: Any, client: int) -> Any:
    from carebook.ui.service_dialogs import open_service_start

    dialog = open_service_start(None, workspace, client_id=client)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    return dialog


def _keys(combo: Any) -> list[Any]:
    return [combo.itemData(i) for i in range(combo.count())]


def _headings(combo: Any) -> list[int]:
    return [i for i in range(combo.count()) if combo.itemData(i) is None]


def test_older_peoples_services_come_first_under_headings_that_cannot_be_chosen(
        qtbot, workspace, sign_in, wait_idle):
    """Mäkinen's case is one of services for older people (service task 23): home care and
    round-the-clock service housing are at the top, the rest under "Other services"."""
    sign_in()
    client = client_named(workspace, "Mäkinen")
    dialog = _start_dialog(qtbot, workspace, client)
    wait_idle()
    assert not dialog.case.isVisibleTo(dialog)  # one open case: not asked
    combo = dialog.service
    assert combo.objectName() == "socialService"
    keys = _keys(combo)
    assert keys[0] == "" and combo.itemText(0) == "(choose the service)"
    first, other = _headings(combo)
    assert first == 1 and other > first + 1
    assert combo.itemText(first) == "— Services for older people —"
    assert "Other services" in combo.itemText(other)
    ours = codesets.social_services_of_task("23")
    assert set(keys[first + 1:other]) <= ours
    assert not set(keys[other + 1:]) & ours
    assert {"hemvard", "serviceboende_med_heldygnsomsorg"} <= set(keys[first + 1:other])
    later = keys.index("adoptionsradgivning")
    assert keys.index("hemvard") < later
    assert keys.index("serviceboende_med_heldygnsomsorg") < later
    for heading in (first, other):
        assert combo.model().item(heading).isEnabled() is False
        assert not combo.model().flags(combo.model().index(heading, 0)) & Qt.ItemFlag.ItemIsEnabled
    # The keyboard steps over the heading: Down from "(choose the service)" gives a service.
    combo.setCurrentIndex(0)
    _activate(qtbot, dialog)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == first + 1 and combo.currentData() in ours
    assert dialog.action_button.isEnabled()
    combo.setCurrentIndex(other - 1)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == other + 1 and combo.currentData() is not None


def test_several_open_cases_are_named_by_task_and_day_not_by_oid(
        qtbot, workspace, sign_in, wait_idle):
    """Virtanen gets a second case (disability services): the case choice shows the service
    task and the opening day, the OID only as a tooltip; the services follow the case."""
    sign_in()
    client = client_named(workspace, "Virtanen")
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: cases.open_case(
        store, staff, client_id=client, service_task=demo_data.DISABILITY))
    opened = [c for c in workspace.db.call_blocking(
        lambda: cases.list_cases(store, staff, client_id=client)) if c.status == "open"]
    assert len(opened) == 2 and all(c.case_code for c in opened)
    dialog = _start_dialog(qtbot, workspace, client)
    wait_idle()
    case = dialog.case
    assert case.isVisibleTo(dialog) and dialog.case_label.isVisibleTo(dialog)
    assert case.count() == 2
    shown = {case.itemData(i): (case.itemText(i), case.itemData(i, Qt.ItemDataRole.ToolTipRole))
             for i in range(case.count())}
    for record in opened:
        text, tip = shown[record.id]
        task = texts.code_name(codesets.SERVICE_TASK, record.service_task)
        assert text == f"{task}, opened {texts.day(record.opened_at.date())}", text
        assert record.case_code not in text and "1.2.246" not in text
        assert tip == record.case_code
    names = {text for text, _tip in shown.values()}
    assert any(t.startswith("Services for older people, opened ") for t in names), names
    assert any(t.startswith("Disability services") for t in names), names

    # The services of the chosen case's task come first; a chosen service stays chosen.
    disability = next(c for c in opened if c.service_task == demo_data.DISABILITY)
    older = next(c for c in opened if c.service_task == "23")
    case.setCurrentIndex(case.findData(older.id))
    combo = dialog.service
    assert combo.itemText(1) == "— Services for older people —"
    combo.setCurrentIndex(combo.findData("hemvard"))
    case.setCurrentIndex(case.findData(disability.id))
    assert combo.itemText(1).startswith("— Disability services")
    ours = codesets.social_services_of_task(demo_data.DISABILITY)
    other = _headings(combo)[1]
    assert set(_keys(combo)[2:other]) <= ours and "personlig_assistans" in _keys(combo)[2:other]
    assert combo.currentData() == "hemvard" and dialog.action_button.isEnabled()


# -- 4. a document's detail -----------------------------------------------------------------


def test_document_detail_names_the_case_by_its_service_task(qtbot, workspace, sign_in):
    from carebook.ui.timeline import ClientTimeline

    sign_in("hoitaja1")
    timeline = ClientTimeline(workspace)
    qtbot.addWidget(timeline)
    timeline.resize(1200, 600)
    timeline.show()
    store, staff = workspace.store, workspace.staff
    rows = workspace.db.call_blocking(lambda: directory.client_directory(store, staff))
    client_id = next(r.id for r in rows if r.client.last_name == "Mäkinen")
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.set_client(client_id)
    model = timeline.model
    row = next(i for i in range(model.rowCount()) if model.document(i).kind == "journal"
               and model.document(i).case_code)
    doc = model.document(row)
    timeline.view.selectRow(row)
    text = timeline.detail.toPlainText()
    assert f"Case: Services for older people (case code {doc.case_code})" in text, text
    assert "Case code:" not in text


# -- 5. the usage log -----------------------------------------------------------------------


def _usage_log(qtbot: Any, workspace: Any, sign_in: Any,
               wait_idle: Any) -> tuple[Any, QWidget]:
    from carebook.ui.admin import open_usage_log

    sign_in("johtaja")
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_usage_log(parent, workspace)
    wait_idle()
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() > 0 and not dialog.error.isVisible()
    return dialog, parent  # the dialog lives as long as its parent


def _visible_rows(table: Any) -> list[int]:
    area = table.viewport().rect()
    model = table.model()
    return [r for r in range(model.rowCount())
            if table.visualRect(model.index(r, 0)).intersects(area)]


def test_usage_log_columns_fit_their_text_up_to_the_cap(qtbot, workspace, sign_in, wait_idle):
    from carebook.ui.admin.usage_log import _MAX_WIDTH

    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)
    table = dialog.table
    metrics = table.fontMetrics()
    rows = _visible_rows(table)
    assert rows
    registers = {dialog.model.texts(r)[6] for r in rows}
    assert registers - {""}, "the demo's register names are shown"
    for column in range(7):
        widest = max(metrics.horizontalAdvance(dialog.model.texts(r)[column]) for r in rows)
        assert table.columnWidth(column) >= min(widest, _MAX_WIDTH), (
            column, table.columnWidth(column), widest)
        assert table.columnWidth(column) <= max(_MAX_WIDTH, 200)  # no column runs away


def _apply_filter(qtbot: Any, dialog: Any, wait_idle: Any, change: Any) -> None:
    """Change a filter as a user would; the log is read again after a short pause."""
    change()
    qtbot.waitUntil(lambda: not dialog.apply_timer.isActive(), timeout=5_000)
    wait_idle()


def _top_row_cut(table: Any) -> int:
    """How many pixels of the topmost shown row are hidden under the header (0: none)."""
    top = table.rowAt(0)
    assert top >= 0
    return max(0, -table.visualRect(table.model().index(top, 0)).top())


def _newest_in_view(table: Any) -> bool:
    """The newest event (highest id; listed first) is shown whole."""
    model = table.model()
    rows = model.rows()
    newest = max(range(len(rows)), key=lambda i: rows[i].id)
    assert newest == 0  # newest first, as in the timeline
    rect = table.visualRect(model.index(newest, 0))
    return rect.top() >= 0 and rect.bottom() <= table.viewport().height()


def test_after_a_filter_to_a_few_events_the_first_row_is_not_under_the_header(
        qtbot, workspace, sign_in, wait_idle):
    """The long list was shown scrolled; a period with two events shows both from the top."""
    from PySide6.QtCore import QDate

    from carebook.model import audit, clock

    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)

    def january() -> None:
        from datetime import UTC, datetime

        with workspace.store.session() as session:
            for day in (10, 20):
                at = datetime(2026, 1, day, 12, 0, tzinfo=clock.FINLAND).astimezone(UTC)
                audit.record(session, actor="hoitaja1", action=audit.READ, client_id=1,
                             objects=["1.2.246.10.1.99"], at=at, detail="test event")

    workspace.db.call_blocking(january)
    table = dialog.table
    table.scrollToBottom()
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.from_edit.setDate(QDate(2026, 1, 1)))
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.to_edit.setDate(QDate(2026, 1, 31)))
    assert dialog.model.rowCount() == 2
    first = table.visualRect(dialog.model.index(0, 0))
    assert first.top() >= 0 and table.rowAt(0) == 0
    assert _newest_in_view(table)


def test_after_a_filter_change_no_row_is_left_half_under_the_header(
        qtbot, workspace, sign_in, wait_idle):
    """All dates, then one client (both lists longer than the view): after each change the
    topmost row shown is whole, not half hidden under the column titles."""
    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)
    table = dialog.table
    cut: dict[str, int] = {}
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.all_dates.setChecked(True))
    everything = dialog.model.rowCount()
    cut["all dates"] = _top_row_cut(table)
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.client_combo.setCurrentIndex(1))
    assert 0 < dialog.model.rowCount() < everything
    assert dialog.model.rowCount() * table.rowHeight(0) > table.viewport().height()
    cut["one client"] = _top_row_cut(table)
    assert cut == {"all dates": 0, "one client": 0}, f"px of the top row under the header: {cut}"


def test_the_newest_events_are_in_view_on_opening_and_after_a_filter_change(
        qtbot, workspace, sign_in, wait_idle):
    """The newest event is listed first and shown whole when the log opens, after
    "All dates" and after choosing a client."""
    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)
    table = dialog.table
    assert dialog.model.rowCount() * table.rowHeight(0) > table.viewport().height()
    seen: dict[str, str] = {}

    def look(state: str) -> None:
        if not _newest_in_view(table):
            seen[state] = f"rows {table.rowAt(0)}.. shown of {dialog.model.rowCount()}"

    look("opened")
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.all_dates.setChecked(True))
    look("all dates")
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.client_combo.setCurrentIndex(1))
    look("one client")
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.client_combo.setCurrentIndex(0))
    look("all clients again")
    assert not seen, f"the newest event is out of view: {seen}"


# -- third walk: focus after refusals, a dialog that grows, stale rows, visible selection ----


def test_reset_password_grows_for_the_message_and_keeps_the_intro_whole(
        qtbot, workspace, sign_in, wait_idle):
    """fi: the two-line mismatch message used to push the intro's first line out of a dialog
    that kept its height; both passwords are then typed again, from the first."""
    from carebook.model.services import staff
    from carebook.ui.admin.staff_forms import ResetPasswordDialog

    sign_in("admin", DEMO_PASSWORD)
    set_language("fi")
    user = staff.get_staff(workspace.store, workspace.staff, "hoitaja1")
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ResetPasswordDialog(parent, workspace, user)
    dialog.show()
    _activate(qtbot, dialog)
    dialog.password.setText("uusi-salasana-1")
    dialog.password2.setText("uusi-salasana-2")
    dialog.ok.click()
    assert dialog.error.isVisible()
    _focus_lands_on(qtbot, dialog, dialog.password)
    assert dialog.password2.text() == ""
    intro = dialog.findChild(QLabel, "introLabel")
    qtbot.waitUntil(lambda: dialog.height() >= dialog.sizeHint().height(), timeout=5_000)
    assert intro.geometry().top() >= 0 and intro.height() >= intro.heightForWidth(intro.width())


def test_a_service_start_too_far_ahead_puts_the_cursor_in_the_date(
        qtbot, workspace, sign_in, wait_idle):
    from carebook.model import clock
    from carebook.ui.restriction_form import to_qdate
    from carebook.ui.service_dialogs import open_service_start

    sign_in()
    client = client_named(workspace, "Mäkinen")
    dialog = open_service_start(None, workspace, client_id=client)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    _activate(qtbot, dialog)
    dialog.service.setCurrentIndex(dialog.service.findData("hemvard"))
    dialog.start.setDate(to_qdate(clock.today().replace(year=clock.today().year + 2)))
    dialog.action_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "more than a year ahead" in dialog.error.text()
    _focus_lands_on(qtbot, dialog, dialog.start)
    assert dialog.isVisible()


def test_a_period_ending_before_it_starts_leaves_no_old_rows_and_nothing_to_export(
        qtbot, workspace, sign_in, wait_idle):
    from PySide6.QtCore import QDate

    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)
    dialog.from_edit.setDate(QDate(2026, 3, 1))
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.to_edit.setDate(QDate(2026, 2, 1)))
    assert dialog.error.text() == "The start of the period is after its end."
    assert dialog.model.rowCount() == 0 and dialog.count.text() == ""
    assert not dialog.export_button.isEnabled()
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.all_dates.setChecked(True))
    assert dialog.model.rowCount() > 0 and dialog.export_button.isEnabled()
    assert not dialog.error.isVisible()


def test_tabbing_into_the_timeline_selects_the_row_the_actions_use(
        qtbot, workspace, sign_in, wait_idle):
    """The detail pane, Ctrl+H and Nullify act on the current row; Tab makes row 0 current,
    and it is now selected too, so the entry acted on is the one that looks chosen."""
    from carebook.ui.timeline import ClientTimeline

    sign_in()
    client = client_named(workspace, "Mäkinen")
    timeline = ClientTimeline(workspace)
    qtbot.addWidget(timeline)
    timeline.resize(1000, 500)
    timeline.show()
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.set_client(client)
    _activate(qtbot, timeline)
    assert not timeline.view.selectionModel().hasSelection()
    timeline.view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: timeline.view.currentIndex().isValid(), timeout=5_000)
    row = timeline.view.currentIndex().row()
    assert timeline.view.selectionModel().isRowSelected(row)
    assert timeline.current_document() is not None
    assert timeline.detail.toPlainText()


def test_the_usage_log_names_units_and_clients_not_their_oids(
        qtbot, workspace, sign_in, wait_idle):
    """'Unit added' concerns a unit: the director reads its name in the Concerns column, not
    its OID (a client's temporary ID reads as the client's name the same way)."""
    dialog, _parent = _usage_log(qtbot, workspace, sign_in, wait_idle)
    _apply_filter(qtbot, dialog, wait_idle, lambda: dialog.all_dates.setChecked(True))
    rows = dialog.model.rows()
    concerns = {e.detail: dialog.model.texts(i)[4] for i, e in enumerate(rows)
                if e.detail in ("unit added", "client added")}
    assert concerns.get("unit added"), "the demo log has a 'unit added' event"
    assert not concerns["unit added"].startswith("1.2.246"), concerns
    names = {u.name for u in directory_units(workspace)}
    assert concerns["unit added"] in names


def directory_units(workspace: Any) -> list[Any]:
    from carebook.model.services import units

    return units.list_units(workspace.store, workspace.staff)


def test_starting_a_service_that_is_running_is_refused_at_the_service_choice(
        qtbot, workspace, sign_in, wait_idle):
    from carebook.model import clock
    from carebook.model.services import social_services
    from carebook.ui.restriction_form import to_qdate
    from carebook.ui.service_dialogs import open_service_start

    sign_in()
    client = client_named(workspace, "Mäkinen")
    running = [s for s in social_services.list_services(workspace.store, workspace.staff,
                                                        client_id=client)
               if s.actual_end is None]
    assert running, "the demo's Mäkinen has a running service"
    dialog = open_service_start(None, workspace, client_id=client)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    _activate(qtbot, dialog)
    dialog.service.setCurrentIndex(dialog.service.findData(running[0].social_service))
    dialog.start.setDate(to_qdate(clock.today()))
    dialog.action_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "already running" in dialog.error.text()
    assert texts.day(running[0].actual_start) in dialog.error.text()
    _focus_lands_on(qtbot, dialog, dialog.service)
    wait_idle()
    after = social_services.list_services(workspace.store, workspace.staff, client_id=client)
    assert len([s for s in after if s.actual_end is None]) == len(running)
