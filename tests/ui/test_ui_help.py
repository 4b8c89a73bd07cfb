"""The keyboard-shortcut overlay (issue 4 item 9): every shortcut of the app, keys in the
platform's own notation, descriptions in the current language; F1 opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from carebook.i18n import set_language
from carebook.ui import shortcuts
from carebook.ui.help_overlay import open_shortcuts


def test_the_overlay_lists_every_shortcut(qtbot, screenshot_dir):
    set_language("en")
    dialog = open_shortcuts(None)
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    assert len(rows) == len(shortcuts.ALL)
    for (keys, text), shortcut in zip(rows, shortcuts.ALL, strict=True):
        native = QKeySequence(shortcut.keys).toString(QKeySequence.SequenceFormat.NativeText)
        # The Return key reads "Enter", as on the key and in the composer's hint.
        assert keys == native.replace("Return", "Enter") and text == shortcut.text()
        assert "Return" not in keys
    assert ("F1", "Show these keyboard shortcuts") in rows
    dialog.grab().save(str(screenshot_dir / "shortcuts-en.png"))


def test_descriptions_follow_the_language(qtbot):
    set_language("fi")
    try:
        dialog = open_shortcuts(None)
        qtbot.addWidget(dialog)
        assert [t for _k, t in dialog.rows()] == [s.text() for s in shortcuts.ALL]
    finally:
        set_language("en")


def test_f1_on_the_sign_in_window_opens_it(qtbot, qapp, workspace):
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=qapp)
    shell.start()
    window = shell.signin
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: shell.dialog is not None and shell.dialog.isVisible())
    assert shell.dialog.objectName() == "shortcutsDialog"
    shell.dialog.reject()
    shell.autolock.remove()
    window.hide()
