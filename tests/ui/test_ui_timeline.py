"""The timeline (issue 4 items 4 and 7): newest first with type, author and state marks, paged
with fetchMore while scrolling, late pages of a previous client ignored, nullified entries
only when asked for (MSG-13), the detail pane with signature and correction reason."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from carebook.model.services import clients, directory, journal

HOUSING = "1.2.246.10.29100523.10.1"


def _timeline(qtbot, workspace, sign_in, username="hoitaja1"):
    from carebook.ui.timeline import ClientTimeline

    sign_in(username)
    timeline = ClientTimeline(workspace)
    qtbot.addWidget(timeline)
    timeline.resize(1100, 500)
    timeline.show()
    return timeline


def _client_id(workspace, last_name):
    store, staff = workspace.store, workspace.staff
    rows = workspace.db.call_blocking(lambda: directory.client_directory(store, staff,
                                                                   include_ended=True))
    return next(r.id for r in rows if r.client.last_name == last_name)


def _show(qtbot, timeline, client_id):
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.set_client(client_id)


def _drain(qtbot, workspace):
    """Wait until every job queued so far has been delivered (the lane is first in, first
    out, so a marker job's delivery means the earlier ones were delivered too)."""
    seen: list[bool] = []
    workspace.db.submit(lambda: True, on_done=seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)


def _busy_client(workspace, entries):
    store, staff = workspace.store, workspace.staff
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)

    def build():
        cid = clients.add_client(store, staff, first_name="Pekka", last_name="Paljonen",
                                 unit_oid=HOUSING).id
        for i in range(entries):
            journal.record_journal_entry(store, staff, client_id=cid, entry_type="daily",
                                         text=f"Merkintä {i}\nToinen rivi", complete=True,
                                         recorded_at=start + timedelta(hours=i))
        return cid

    return workspace.db.call_blocking(build)


def test_pages_load_while_scrolling(qtbot, workspace, sign_in):
    """Issue 4 item 7: the first page at once, the next ones when scrolled to the end."""
    timeline = _timeline(qtbot, workspace, sign_in)
    cid = _busy_client(workspace, 130)
    _show(qtbot, timeline, cid)
    model = timeline.model
    assert model.rowCount() == 50
    assert model.data(model.index(0, 4)) == "Merkintä 129"  # newest first, first line only
    assert model.data(model.index(0, 3)) == "Completed"
    assert model.data(model.index(0, 2)) == "Heikki Hiltunen"
    assert model.data(model.index(0, 1)) == "Note on the client's everyday life"
    for expected in (100, 130):
        timeline.view.scrollToBottom()
        qtbot.waitUntil(lambda n=expected: model.rowCount() == n and not model.loading,
                        timeout=10_000)
    assert not model.canFetchMore()
    assert model.document(129).body.startswith("Merkintä 0")


def test_late_pages_of_a_previous_client_are_ignored(qtbot, workspace, sign_in):
    timeline = _timeline(qtbot, workspace, sign_in)
    first, second = _client_id(workspace, "Mäkinen"), _client_id(workspace, "Virtanen")
    timeline.set_client(first)  # its page is still on the lane when the next client comes
    _show(qtbot, timeline, second)
    _drain(qtbot, workspace)
    model = timeline.model
    assert model.client_id == second
    assert all(second in model.document(i).client_ids for i in range(model.rowCount()))


def test_nullified_entries_show_greyed_only_when_asked(qtbot, workspace, sign_in):
    """MSG-13: the demo's nullified entry (hoitaja2) is out of the normal view."""
    timeline = _timeline(qtbot, workspace, sign_in, "hoitaja2")
    cid = _client_id(workspace, "Heikkinen")
    _show(qtbot, timeline, cid)
    model = timeline.model
    states = [model.data(model.index(i, 3)) for i in range(model.rowCount())]
    assert "Nullified" not in states
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.show_nullified.setChecked(True)
    row = next(i for i in range(model.rowCount())
               if model.data(model.index(i, 3)) == "Nullified")
    from PySide6.QtCore import Qt

    assert model.data(model.index(row, 4), Qt.ItemDataRole.FontRole).strikeOut()
    timeline.view.selectRow(row)
    assert "Nullified: " in timeline.detail.toPlainText()
    assert "väärän asiakkaan" in timeline.detail.toPlainText()


def test_detail_shows_full_text_signature_and_correction(qtbot, workspace, sign_in):
    timeline = _timeline(qtbot, workspace, sign_in)
    _show(qtbot, timeline, _client_id(workspace, "Laine"))
    model = timeline.model
    row = next(i for i in range(model.rowCount()) if model.document(i).version > 1)
    assert model.data(model.index(row, 3)) == "Corrected"
    selected: list[object] = []
    timeline.document_selected.connect(selected.append)
    timeline.view.selectRow(row)
    text = timeline.detail.toPlainText()
    assert "Signed by Heikki Hiltunen" in text and "Correction reason: " in text
    assert "Korjattu" in text and selected[-1] is model.document(row)
    assert timeline.current_document() is model.document(row)


def test_reload_keeps_the_selected_entry(qtbot, workspace, sign_in):
    timeline = _timeline(qtbot, workspace, sign_in)
    _show(qtbot, timeline, _client_id(workspace, "Virtanen"))
    timeline.view.selectRow(3)
    kept = timeline.current_document().id
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.reload()
    assert timeline.current_document().id == kept


def test_a_page_still_queued_for_the_previous_client_is_not_read(qtbot, workspace, sign_in):
    """Arrowing through the list: the lane skips what nobody will see (no read is logged)."""
    from carebook.model import audit

    timeline = _timeline(qtbot, workspace, sign_in)
    first, second = _client_id(workspace, "Mäkinen"), _client_id(workspace, "Virtanen")
    store = workspace.store

    def reads():
        with store.session() as session:
            return [e.client_id for e in audit.events(session, actor="hoitaja1")
                    if e.detail == "timeline page"]

    before = len(workspace.db.call_blocking(reads))
    gate = threading.Event()
    workspace.db.submit(gate.wait)  # hold the lane so the first request stays queued
    timeline.set_client(first)
    timeline.set_client(second)
    gate.set()
    qtbot.waitUntil(lambda: timeline.model.rowCount() > 0, timeout=10_000)
    _drain(qtbot, workspace)
    assert workspace.db.call_blocking(reads)[before:] == [second]
