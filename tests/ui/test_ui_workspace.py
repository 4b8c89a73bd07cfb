"""The workspace: signing in on the DB lane, calls coming back on the GUI thread, the
special-reason prompt (AC-6/AC-7) and locking."""

from __future__ import annotations

import threading

import pytest

from carebook.errors import WrongPasswordError
from carebook.model.services import clients, journal


def test_sign_in_opens_the_store_and_wrong_password_is_typed(workspace, sign_in):
    with pytest.raises(WrongPasswordError):
        sign_in("hoitaja1", "not-the-password")
    assert not workspace.is_signed_in
    sign_in("hoitaja1")
    assert workspace.staff.username == "hoitaja1"


def test_call_runs_off_the_gui_thread_and_delivers_on_it(qtbot, workspace, sign_in):
    sign_in()
    seen: dict[str, object] = {}

    def probe(store, staff):
        seen["worker"] = threading.current_thread().name
        return clients.list_clients(store, staff)

    def done(rows):
        seen["delivered"] = threading.current_thread() is threading.main_thread()
        seen["rows"] = rows

    workspace.call(probe, on_done=done)
    qtbot.waitUntil(lambda: "rows" in seen, timeout=10_000)
    assert seen["worker"] == "db-test" and seen["delivered"] is True
    assert seen["rows"]


def test_missing_relevant_connection_asks_for_a_special_reason_and_retries(
        qtbot, workspace, sign_in):
    """AC-6/AC-7: hoitaja2 works in the home-care unit; a care-home client needs a reason."""
    sign_in("hoitaja1")
    own = clients.list_clients(workspace.store, workspace.staff)
    workspace.lock()
    qtbot.waitUntil(lambda: workspace.db.pending == 0)
    sign_in("hoitaja2")
    theirs = {c.id for c in clients.list_clients(workspace.store, workspace.staff)}
    stranger = next(c for c in own if c.id not in theirs)
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    pages: list[object] = []
    workspace.call(journal.client_timeline, client_id=stranger.id, on_done=pages.append,
                   parent=parent, client=stranger.id)
    qtbot.waitUntil(lambda: getattr(workspace, "last_prompt", None) is not None
                    and workspace.last_prompt.isVisible(), timeout=10_000)
    workspace.last_prompt.accept()
    qtbot.waitUntil(lambda: bool(pages), timeout=10_000)
    assert pages[0].items
    assert workspace.reason_for(stranger.id) is not None


def test_lock_forgets_the_session_and_drops_late_results(qtbot, workspace, sign_in):
    sign_in()
    late: list[object] = []
    workspace.call(clients.list_clients, on_done=late.append)
    workspace.lock()
    qtbot.waitUntil(lambda: workspace.db.pending == 0, timeout=10_000)
    assert late == [] and workspace.store is None and workspace.staff is None
    assert workspace.call(clients.list_clients, on_done=late.append) is None


def _busy_dialogs(parent):
    from PySide6.QtWidgets import QProgressDialog

    return [d for d in parent.findChildren(QProgressDialog, "busyDialog") if d.isVisible()]


def test_a_slow_call_shows_the_busy_dialog_only_after_about_600_ms(qtbot, workspace, sign_in):
    """Issue 4 item 7: no flash for quick calls; slow ones say what is happening."""
    from PySide6.QtWidgets import QWidget

    sign_in()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    rows: list[object] = []

    def slow(store, staff):
        release.wait(30)
        return clients.list_clients(store, staff)

    workspace.call(slow, on_done=rows.append, parent=parent, busy="Reading the clients…")
    qtbot.wait(200)
    assert _busy_dialogs(parent) == []  # the 600 ms timer cannot have fired yet
    qtbot.waitUntil(lambda: bool(_busy_dialogs(parent)), timeout=10_000)
    assert _busy_dialogs(parent)[0].labelText() == "Reading the clients…"
    release.set()
    qtbot.waitUntil(lambda: bool(rows), timeout=10_000)
    qtbot.waitUntil(lambda: _busy_dialogs(parent) == [], timeout=5_000)


def test_a_quick_call_never_flashes_the_busy_dialog(qtbot, workspace, sign_in):
    from PySide6.QtWidgets import QWidget

    sign_in()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    rows: list[object] = []
    workspace.call(clients.list_clients, on_done=rows.append, parent=parent, busy="Quick…")
    qtbot.waitUntil(lambda: bool(rows), timeout=10_000)
    qtbot.wait(900)  # past the 600 ms mark: the timer was stopped when the call finished
    assert _busy_dialogs(parent) == []
