"""The main window's Administration menu opens the admin dialogs (issue 4 item 6)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from carebook.ui.main_window import MainWindow


def _window(qtbot, workspace, sign_in, wait_idle, username: str) -> MainWindow:
    sign_in(username)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    wait_idle()
    return window


def test_admin_menu_opens_staff_units_and_organisers(qtbot, workspace, sign_in, wait_idle):
    window = _window(qtbot, workspace, sign_in, wait_idle, "admin")
    for action_name, dialog_name in (("staffAction", "staffDialog"),
                                     ("unitsAction", "unitsDialog"),
                                     ("organisersAction", "organisersDialog")):
        window.findChild(QAction, action_name).trigger()
        wait_idle()
        dialog = window.findChild(QDialog, dialog_name)
        assert dialog is not None and dialog.isVisible()
        assert dialog.model.rowCount() > 0 and not dialog.error.isVisible()
        dialog.reject()


def test_director_opens_the_usage_log_from_the_menu(qtbot, workspace, sign_in, wait_idle):
    window = _window(qtbot, workspace, sign_in, wait_idle, "johtaja")
    action = window.findChild(QAction, "usageLogAction")
    assert action.isVisible() and not window.findChild(QAction, "staffAction").isVisible()
    action.trigger()
    wait_idle()
    dialog = window.findChild(QDialog, "usageLogDialog")
    assert dialog is not None and dialog.model.rowCount() > 0
    dialog.reject()


def test_the_administrators_client_menu_has_no_double_separator(qtbot, workspace, sign_in,
                                                                wait_idle):
    """An administrator writes no records: the record actions and their separator are
    hidden, so the Client menu reads New client, one separator, Refresh."""
    window = _window(qtbot, workspace, sign_in, wait_idle, "admin")
    menu = window.findChild(QAction, "newClientAction").associatedObjects()[0]
    shown = ["-" if a.isSeparator() else a.objectName() for a in menu.actions()
             if a.isVisible()]
    assert shown == ["newClientAction", "-", "refreshAction"]
