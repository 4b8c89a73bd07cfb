"""Full keyboard use of the main window (issue 4 item 9; tester finding A0): Tab walks from
the client search through the list, the card, the timeline and its detail to the composer,
and is never trapped in the timeline table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _open(qtbot, workspace, sign_in):
    from carebook.ui.main_window import MainWindow

    sign_in("hoitaja1")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    window.browser.list.setCurrentIndex(window.browser.model.index(0))
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.composer.complete_button.isEnabled(), timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)
    return window


def _tab_chain(qtbot, window, start, presses=16):
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=5_000)
    chain = []
    for _ in range(presses):
        widget = QApplication.focusWidget()
        chain.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return chain


def test_tab_leaves_the_timeline_and_reaches_the_composer(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    chain = _tab_chain(qtbot, window, window.browser.search)
    expected = ["clientSearch", "clientFilter", "clientList", "cardScroll", "showNullified",
                "timelineView", "timelineDetail", "entryType", "entryText",
                "saveDraftButton", "completeButton"]
    assert chain[: len(expected)] == expected, chain
    assert chain.count("timelineView") == 1, chain  # never trapped cell by cell


def test_tab_from_the_last_composer_button_comes_back_to_the_unit_chooser(qtbot, workspace,
                                                                          sign_in):
    window = _open(qtbot, workspace, sign_in)
    chain = _tab_chain(qtbot, window, window.composer.complete_button, presses=8)
    assert "unitChooser" in chain and chain.index("unitChooser") < chain.index(
        "clientSearch"), chain
