"""Visible keyboard focus (issue 4 item 9): the focused control gets a ring in the palette's
highlight colour that a worker sees at a glance; the control Tab leaves loses it. Checked on
the pixels of a real dialog (the new-client dialog, in Finnish) under the app's style."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from carebook.i18n import set_language
from carebook.ui.focus_style import FocusRingStyle


def _edge_colours(window: QWidget, widget: QWidget) -> set[str]:
    """The colours of the widget's outermost pixel column and row, as painted."""
    image = window.grab().toImage()
    top_left = widget.mapTo(window, widget.rect().topLeft())
    x, y, h, w = top_left.x(), top_left.y(), widget.height(), widget.width()
    return ({image.pixelColor(x, y + dy).name() for dy in range(3, h - 3)}
            | {image.pixelColor(x + dx, y).name() for dx in range(3, w - 3)})


def test_the_focused_field_and_button_carry_a_highlight_ring(qtbot, workspace, sign_in,
                                                             wait_idle, screenshot_dir):
    from carebook.ui.client_dialog import open_new_client

    assert isinstance(QApplication.style(), FocusRingStyle)  # as carebook.app installs it
    sign_in("hoitaja1")
    set_language("fi")
    dialog = open_new_client(None, workspace)
    qtbot.addWidget(dialog)
    wait_idle()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    ring = dialog.palette().color(QPalette.ColorRole.Highlight).name()
    for widget in (dialog.last, dialog.unit, dialog.ok):
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=5_000)
        assert _edge_colours(dialog, widget) == {ring}, widget.objectName()
    # A check box's ring hugs its box and label, not the empty width beside "Turvakielto".
    box = dialog.prohibition
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus, timeout=5_000)
    image = dialog.grab().toImage()
    left = box.mapTo(dialog, box.rect().topLeft())
    middle = left.y() + box.height() // 2
    assert image.pixelColor(left.x(), middle).name() == ring
    assert image.pixelColor(left.x() + box.width() - 2, middle).name() != ring
    dialog.first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(dialog.first.hasFocus, timeout=5_000)
    assert ring not in _edge_colours(dialog, dialog.ok)  # the ring follows the focus
    dialog.grab().save(str(screenshot_dir / "focus-ring-new-client-fi.png"))
