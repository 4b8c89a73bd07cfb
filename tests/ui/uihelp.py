"""Small helpers shared by the UI tests (import as ``from uihelp import ...``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from carebook.model.services import clients


def assert_labels_fit(widget: Any) -> None:
    """No label is cut off (word-wrapped ones wrap instead)."""
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), f"cut off: {label.text()!r}"


def client_named(ws: Any, last_name: str) -> int:
    """The id of the listed client with this last name."""
    return next(c.id for c in clients.list_clients(ws.store, ws.staff) if c.last_name == last_name)
