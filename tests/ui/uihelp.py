"""Small helpers shared by the UI tests (import as ``from uihelp import ...``)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget

from carebook.model.services import clients


def assert_labels_fit(widget: Any) -> None:
    """No label is cut off (word-wrapped ones wrap instead)."""
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), f"cut off: {label.text()!r}"


def client_named(ws: Any, last_name: str) -> int:
    """The id of the listed client with this last name."""
    return next(c.id for c in clients.list_clients(ws.store, ws.staff) if c.last_name == last_name)


def mnemonic_clashes(window: Any) -> list[str]:
    """Alt+letter keys that two visible controls of ``window`` share.

    Counted: menu-bar titles, button and group-box texts, label texts with a buddy, and the
    tab titles of each QTabWidget (a tab's page counts only while it is the current one, which
    is how Qt finds the target). With a clash Alt+letter only cycles focus between the two.
    """
    found: dict[str, list[str]] = {}

    def add(text: str) -> None:
        m = re.search(r"&([^&\s])", text.replace("&&", ""))
        if m:
            found.setdefault(m[1].lower(), []).append(text)

    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QMenuBar):
            for action in widget.actions():
                add(action.text())
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                add(widget.tabText(i))
        elif isinstance(widget, QAbstractButton):
            add(widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget.title())
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text())
    return sorted(f"{k}: {v}" for k, v in found.items() if len(v) > 1)


def mnemonics_of_menu(menu: Any) -> list[str]:
    """Letters that two visible entries of one open ``menu`` share (pressing the letter then
    only moves between them instead of choosing)."""
    found: dict[str, list[str]] = {}
    for action in menu.actions():
        m = re.search(r"&([^&\s])", action.text().replace("&&", ""))
        if action.isVisible() and not action.isSeparator() and m:
            found.setdefault(m[1].lower(), []).append(action.text())
    return sorted(f"{k}: {v}" for k, v in found.items() if len(v) > 1)
