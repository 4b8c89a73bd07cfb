"""The usage-log viewer (issue 4 item 6; AC-8): filter by client, user and period, verify the
chain, export exactly the events shown; a care worker sees the refusal, not the log."""

from __future__ import annotations

import csv
import stat
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from carebook.model import audit, clock
from carebook.model.services import usage_log
from carebook.ui.admin import open_usage_log


@pytest.fixture
def log_dialog(qtbot, workspace, sign_in, wait_idle):
    """``log_dialog(username, client_id=None)``: the viewer opened and loaded."""
    parents: list[QWidget] = []

    def run(username: str = "johtaja", client_id: int | None = None):
        sign_in(username)
        parent = QWidget()
        parents.append(parent)
        qtbot.addWidget(parent)
        dialog = open_usage_log(parent, workspace, client_id=client_id)
        wait_idle()
        return dialog

    yield run
    parents.clear()


def _add_january_events(qtbot, workspace) -> None:
    """Two events in January 2026 (Finnish time, stored in UTC as the services do)."""

    def work() -> None:
        with workspace.store.session() as session:
            for day in (10, 31):
                at = datetime(2026, 1, day, 22, 30, tzinfo=clock.FINLAND).astimezone(UTC)
                audit.record(session, actor="hoitaja1", action=audit.READ, client_id=1,
                             objects=["1.2.246.10.1.99"], at=at, detail="test event")

    _on_lane(qtbot, workspace, work)


def _on_lane(qtbot, workspace, work) -> None:
    done: list[object] = []
    workspace.db.submit(work, on_done=done.append, on_error=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done == [None]


def _column(dialog, column: int) -> list[str]:
    return [dialog.model.texts(r)[column] for r in range(dialog.model.rowCount())]


def _show(qtbot, dialog, wait_idle) -> None:
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    wait_idle()


def _choose_client(dialog) -> tuple[int, str]:
    combo = dialog.client_combo
    combo.setCurrentIndex(1)
    return combo.currentData(), combo.currentText()


def test_ac8_the_director_sees_events_in_plain_words(log_dialog, screenshot_dir):
    dialog = log_dialog()
    assert dialog.model.rowCount() > 0 and not dialog.error.isVisible()
    actions = set(_column(dialog, 2))
    assert {"Signed in", "Searched or listed"} <= actions
    assert "Johanna Kuusela (johtaja)" in _column(dialog, 1)
    assert "Demo-hyvinvointialue" in _column(dialog, 6)  # the register by name
    assert dialog.count.text() == f"{dialog.model.rowCount()} events"
    assert dialog.client_combo.count() > 2 and dialog.user_combo.count() >= 5
    dialog.grab().save(str(screenshot_dir / "admin_usage_log.png"))


def test_ac8_filter_by_client_narrows_to_that_client(qtbot, log_dialog, wait_idle):
    dialog = log_dialog()
    dialog.all_dates.setChecked(True)
    _show(qtbot, dialog, wait_idle)
    everything = dialog.model.rowCount()
    client_id, name = _choose_client(dialog)
    _show(qtbot, dialog, wait_idle)
    assert 0 < dialog.model.rowCount() < everything
    assert set(_column(dialog, 3)) == {name}
    assert {e.client_id for e in dialog.model.rows()} == {client_id}


def test_ac8_filter_by_user_and_by_period(qtbot, workspace, log_dialog, wait_idle):
    dialog = log_dialog()
    _add_january_events(qtbot, workspace)
    dialog.from_edit.setDate(QDate(2026, 1, 1))
    dialog.to_edit.setDate(QDate(2026, 1, 31))
    _show(qtbot, dialog, wait_idle)
    assert dialog.model.rowCount() == 2 and dialog.count.text() == "2 events"
    assert [e.at.astimezone(clock.FINLAND).date() for e in dialog.model.rows()] == [
        date(2026, 1, 31), date(2026, 1, 10)]  # newest first
    dialog.to_edit.setDate(QDate(2026, 1, 30))
    _show(qtbot, dialog, wait_idle)
    assert dialog.model.rowCount() == 1
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("johtaja"))
    _show(qtbot, dialog, wait_idle)
    assert dialog.model.rowCount() == 0 and dialog.count.text() == "0 events"


def test_a_period_ending_before_it_starts_is_refused_in_place(qtbot, log_dialog, wait_idle):
    dialog = log_dialog()
    assert dialog.model.rowCount() > 0
    dialog.from_edit.setDate(QDate(2026, 2, 1))
    dialog.to_edit.setDate(QDate(2026, 1, 1))
    _show(qtbot, dialog, wait_idle)
    # No rows of the previous filter left under the message (they matched another period).
    assert "after its end" in dialog.error.text() and dialog.model.rowCount() == 0


def test_ac8_verify_says_the_chain_is_intact(qtbot, log_dialog, wait_idle):
    dialog = log_dialog()
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.verify_label.isVisible()
    assert dialog.verify_label.text().startswith("The usage log is intact (")


def test_ac8_verify_names_the_altered_event(qtbot, workspace, log_dialog, wait_idle,
                                            screenshot_dir):
    """Someone edits event 5 behind the app's back: the check names it, in red."""
    dialog = log_dialog()

    def tamper() -> None:
        with workspace.store.session() as session:
            session.execute(text("UPDATE audit_event SET detail = 'edited' WHERE id = 5"))

    _on_lane(qtbot, workspace, tamper)
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.verify_label.text().startswith(
        "The usage log was altered at event 5: the event was changed. Events before it are "
        "intact (4 checked). Make a backup")
    assert "b00020" in dialog.verify_label.styleSheet()
    dialog.grab().save(str(screenshot_dir / "admin_usage_log_altered.png"))


def test_export_to_a_folder_is_refused_in_place(qtbot, log_dialog, wait_idle, tmp_path):
    dialog = log_dialog()
    dialog.export_to(tmp_path)
    wait_idle()
    assert dialog.error.isVisible() and "is a folder" in dialog.error.text()
    assert dialog.model.rowCount() > 0


def test_ac8_export_writes_exactly_the_rows_shown_and_is_logged(
        qtbot, workspace, log_dialog, wait_idle, tmp_path, screenshot_dir):
    dialog = log_dialog()
    client_id, _name = _choose_client(dialog)
    dialog.all_dates.setChecked(True)
    _show(qtbot, dialog, wait_idle)
    shown = [str(e.id) for e in dialog.model.rows()]
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    files = dialog.file_dialog
    assert files.isVisible()
    files.grab().save(str(screenshot_dir / "admin_usage_log_export.png"))
    out = tmp_path / "client-report.csv"
    files.selectFile(str(out))
    files.accept()
    wait_idle()
    assert f"{len(shown)} events written to" in dialog.status.text()
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # The same events; the file keeps the log's own order (oldest first, as the chain is
    # verified), the screen lists the newest first.
    assert [r["id"] for r in rows] == list(reversed(shown))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    last = usage_log.usage_log(workspace.store, workspace.staff, client_id=client_id)[-1]
    assert (last.action, last.actor) == (audit.EXPORT, "johtaja")


def test_opened_for_one_client_shows_only_that_client(log_dialog):
    dialog = log_dialog(client_id=1)
    assert dialog.client_combo.currentData() == 1
    assert dialog.client_combo.currentText() != "Client no. 1"  # the name once loaded
    assert dialog.all_dates.isChecked()
    assert dialog.model.rowCount() > 0
    assert {e.client_id for e in dialog.model.rows()} == {1}


def test_ac8_a_care_worker_sees_the_refusal_not_the_log(log_dialog, screenshot_dir):
    dialog = log_dialog("hoitaja1")
    assert dialog.model.rowCount() == 0 and dialog.client_combo.count() == 1
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Only the responsible director")
    assert not dialog.export_button.isEnabled() and not dialog.verify_button.isEnabled()
    dialog.grab().save(str(screenshot_dir / "admin_usage_log_refused.png"))


def _next_tab(widget):
    """The widget Tab moves to from ``widget`` (labels and the like are skipped)."""
    following = widget.nextInFocusChain()
    while not (following.focusPolicy() & Qt.FocusPolicy.TabFocus):
        following = following.nextInFocusChain()
    return following


def test_filters_come_first_in_the_tab_order(log_dialog):
    dialog = log_dialog()
    assert _next_tab(dialog.client_combo) is dialog.user_combo
    assert _next_tab(dialog.refresh_button) is dialog.table
    assert _next_tab(dialog.table) is dialog.verify_button
    assert dialog.refresh_button.isDefault()  # Enter in a filter reads the log again


# -- filters apply as they change; objects in plain words (tester A8) ----------------------


def _settled(qtbot, dialog, wait_idle, check) -> None:
    """Wait until the debounced query has run and ``check()`` holds."""
    qtbot.waitUntil(lambda: not dialog.apply_timer.isActive() and check(), timeout=10_000)
    wait_idle()


def test_ac8_changing_the_user_filter_alone_narrows_the_rows(qtbot, log_dialog, wait_idle):
    """No button press: the table never shows other users' rows under "User: X"."""
    dialog = log_dialog()
    assert dialog.refresh_button.text().replace("&", "") == "Refresh"
    dialog.all_dates.setChecked(True)
    _settled(qtbot, dialog, wait_idle, lambda: dialog.applied.get("since", 0) is None)
    assert len({e.actor for e in dialog.model.rows()}) > 1
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("hoitaja1"))
    _settled(qtbot, dialog, wait_idle, lambda: dialog.applied.get("actor") == "hoitaja1")
    assert dialog.model.rowCount() > 0
    assert {e.actor for e in dialog.model.rows()} == {"hoitaja1"}
    assert set(_column(dialog, 1)) == {"Heikki Hiltunen (hoitaja1)"}


def test_ac8_a_late_answer_for_an_older_filter_is_not_shown(qtbot, log_dialog, wait_idle):
    dialog = log_dialog()
    resets: list[int] = []
    dialog.model.modelReset.connect(lambda: resets.append(dialog.model.rowCount()))
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("hoitaja2"))
    dialog.refresh()  # answered after the next query is already asked
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("johtaja"))
    dialog.refresh()
    wait_idle()
    assert len(resets) == 1 and dialog.applied["actor"] == "johtaja"
    assert {e.actor for e in dialog.model.rows()} == {"johtaja"}


def test_ac8_a_client_listing_reads_as_a_count_of_clients(log_dialog):
    """A search or listing stores client numbers; the reader sees how many clients."""
    dialog = log_dialog()
    rows = [(n, e) for n, e in enumerate(dialog.model.rows()) if e.detail == "clients listed"]
    assert rows
    for number, event in rows:
        texts = dialog.model.texts(number)
        assert texts[2] == "Searched or listed"
        assert texts[4] == f"{len(event.objects)} clients"


def test_ac8_documents_read_as_document_numbers_with_their_version(log_dialog):
    """A document is named by the last arc of its OID (the number on its print-out) and its
    version, never by a bare internal number."""
    dialog = log_dialog()
    stored = [(n, e) for n, e in enumerate(dialog.model.rows())
              if e.detail == "journal entry completed"]
    number, event = stored[0]
    oid, version = event.objects[0].split("#")
    assert dialog.model.texts(number)[4] == f"Document {oid.rsplit('.', 1)[1]}, version {version}"
    pages = [(n, e) for n, e in enumerate(dialog.model.rows())
             if e.detail == "timeline page" and len(e.objects) > 1]
    number, event = pages[0]
    assert dialog.model.texts(number)[4].startswith(f"{len(event.objects)} documents: ")


def test_ac8_quick_filter_changes_read_the_log_once(qtbot, log_dialog, wait_idle):
    """Each read of the log is itself logged: stepping through users reads only the last."""
    dialog = log_dialog()
    reads: list[object] = []
    dialog.model.modelReset.connect(lambda: reads.append(dialog.applied.get("actor")))
    for username in ("hoitaja1", "hoitaja2", "johtaja"):
        dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(username))
        assert dialog.apply_timer.isActive() and dialog.apply_timer.interval() == 300
    _settled(qtbot, dialog, wait_idle, lambda: bool(reads))
    assert reads == ["johtaja"]
