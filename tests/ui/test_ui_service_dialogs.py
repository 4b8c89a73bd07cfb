"""Service start and end dialogs (rules-documents E10, RAR-9): the actual dates are recorded,
the end needs its grounds, refusals show in place."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from uihelp import assert_labels_fit, client_named

from carebook.model import clock
from carebook.model.services import social_services
from carebook.ui.restriction_form import to_qdate
from carebook.ui.service_dialogs import open_service_end, open_service_start

pytestmark = pytest.mark.usefixtures("delete_windows")


def services(ws: Any, client: int) -> list[Any]:
    return social_services.list_services(ws.store, ws.staff, client_id=client)


def start(qtbot: Any, ws: Any, client: int, *, on: date, screenshot: Path | None = None) -> Any:
    dialog = open_service_start(None, ws, client_id=client)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    assert not dialog.action_button.isEnabled()  # no service chosen yet
    dialog.service.setCurrentIndex(dialog.service.findData("kortvarig_omsorg"))
    assert dialog.service.currentText() == "Short-term care (disability)"
    dialog.start.setDate(to_qdate(on))
    dialog.basis.setCurrentIndex(dialog.basis.findData("contract"))
    assert dialog.action_button.isEnabled()
    if screenshot is not None:
        assert_labels_fit(dialog)
        dialog.grab().save(str(screenshot))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.action_button.click()
    return dialog.result_record


def test_start_then_end_with_grounds_required(qtbot, workspace, sign_in, wait_idle,
                                              screenshot_dir: Path):
    sign_in()
    client = client_named(workspace, "Mäkinen")
    began = clock.today() - timedelta(days=2)
    started = start(qtbot, workspace, client, on=began,
                    screenshot=screenshot_dir / "service-start-dialog.png")
    wait_idle()
    assert started.actual_start == began and started.actual_end is None
    assert started.basis == "contract"
    dialog = open_service_end(None, workspace, client_id=client, service=started)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    assert dialog.service.currentData() == started.id
    assert "Short-term care (disability)" in dialog.service.currentText()
    assert not dialog.action_button.isEnabled()  # grounds are required
    dialog.grounds.setPlainText("   ")
    assert not dialog.action_button.isEnabled()
    dialog.grounds.setPlainText("Respite period over; back home with the family.")
    assert dialog.action_button.isEnabled()
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "service-end-dialog.png"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.action_button.click()
    wait_idle()
    assert finished.args[0] == QDialog.DialogCode.Accepted
    ended = next(s for s in services(workspace, client) if s.id == started.id)
    assert ended.actual_end == clock.today()
    assert ended.end_grounds == "Respite period over; back home with the family."
    assert ended.end_document_id is not None


def test_end_before_start_is_refused_in_place_and_input_kept(qtbot, workspace, sign_in,
                                                             wait_idle):
    sign_in()
    client = client_named(workspace, "Mäkinen")
    started = start(qtbot, workspace, client, on=clock.today())
    wait_idle()
    dialog = open_service_end(None, workspace, client_id=client, service=started)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    dialog.end.setDate(to_qdate(clock.today() - timedelta(days=5)))
    dialog.grounds.setPlainText("Entered the wrong day.")
    dialog.action_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    wait_idle()
    assert dialog.error.text()
    assert dialog.isVisible() and dialog.grounds.toPlainText() == "Entered the wrong day."
    assert dialog.action_button.isEnabled()
    still = next(s for s in services(workspace, client) if s.id == started.id)
    assert still.actual_end is None


def test_end_lists_only_running_services(qtbot, workspace, sign_in, wait_idle):
    """Väinö Laine's service ended in the demo: nothing to end, said in place."""
    sign_in()
    client = client_named(workspace, "Laine")
    dialog = open_service_end(None, workspace, client_id=client)
    qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    wait_idle()
    assert dialog.service.count() == 0
    assert dialog.error.text() == "The client has no service that is still running."
    dialog.grounds.setPlainText("Anything")
    assert not dialog.action_button.isEnabled()
