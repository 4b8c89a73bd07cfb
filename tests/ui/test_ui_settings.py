"""Settings (issue 4 items 3, 8): language and auto-lock minutes saved atomically in the data
folder; a language change rebuilds the windows in the new language."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from carebook.i18n import current_language, set_language
from carebook.ui.settings_dialog import open_settings


def test_settings_are_saved_and_the_sign_in_window_speaks_finnish(qtbot, qapp, workspace,
                                                                  screenshot_dir):
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=qapp)
    shell.start()
    before = shell.signin
    assert before.username.accessibleName() == "Username"
    shell.signin.username.setText("hoitaja1")
    dialog = shell.open_settings()
    assert dialog.language.currentData() == ""  # system default until chosen
    dialog.grab().save(str(screenshot_dir / "settings-en.png"))
    dialog.language.setCurrentIndex(dialog.language.findData("fi"))
    dialog.minutes.setValue(3)
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveSettings"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.signin is not before, timeout=5_000)
    try:
        assert current_language() == "fi"
        assert shell.signin.username.accessibleName() == "Käyttäjätunnus"
        assert shell.signin.username.text() == "hoitaja1"  # typed name kept
        assert shell.autolock.interval_ms == 3 * 60_000
        saved = json.loads((workspace.data_dir / "ui-settings.json").read_text("utf-8"))
        assert saved["language"] == "fi" and saved["autolock_minutes"] == 3
        assert shell.translators  # Qt's own Finnish for stock dialogs
        fi_dialog = open_settings(shell.signin, workspace)
        fi_dialog.grab().save(str(screenshot_dir / "settings-fi.png"))
        assert fi_dialog.language.currentData() == "fi"
        fi_dialog.reject()
    finally:
        shell.autolock.remove()
        shell.signin.hide()
        for translator in shell.translators:
            qapp.removeTranslator(translator)
        set_language("en")


def test_cancel_changes_nothing(qtbot, workspace):
    dialog = open_settings(None, workspace)
    qtbot.addWidget(dialog)
    dialog.minutes.setValue(99)
    dialog.reject()
    assert workspace.settings.autolock_minutes == 10
    assert not (workspace.data_dir / "ui-settings.json").exists()


def test_auto_lock_minutes_are_bounded(qtbot, workspace):
    dialog = open_settings(None, workspace)
    qtbot.addWidget(dialog)
    dialog.minutes.setValue(500)
    assert dialog.minutes.value() == 120
    dialog.minutes.setValue(0)
    assert dialog.minutes.value() == 1
    dialog.reject()


def test_a_language_change_keeps_an_open_editor(qtbot, qapp, workspace, sign_in):
    """Rebuilding the main window would close an editor with its text; it waits for a lock."""
    from PySide6.QtWidgets import QDialog, QMainWindow

    from carebook.ui.shell import Shell

    built = []

    def make(ws):
        window = QMainWindow()
        built.append(window)
        return window

    shell = Shell(workspace, app=qapp, main_window=make)
    sign_in()
    shell._build_main_window()
    editor = QDialog(shell.main)
    editor.setObjectName("someEditor")
    editor.open()
    try:
        shell.apply_language("sv")
        assert current_language() == "sv" and len(built) == 1 and editor.isVisible()
        editor.reject()
        shell.apply_language("en")
        assert len(built) == 2
    finally:
        for translator in shell.translators:
            qapp.removeTranslator(translator)
        shell.autolock.remove()
        shell.main.hide()
        set_language("en")
