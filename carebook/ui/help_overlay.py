"""The keyboard-shortcut overlay (F1; issue 4 item 9).

Lists :data:`carebook.ui.shortcuts.ALL` — the same objects the views take their keys from — with
the keys written the platform's way (``Ctrl+Shift+L`` on Linux and Windows, ``⇧⌘L`` on macOS).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.ui import shortcuts
from carebook.ui.icons import icon


def native_keys(keys: str) -> str:
    """``keys`` (portable form) as the platform writes it; the Return key as "Enter", the
    word on the key and in the composer's hint ("Ctrl+Enter")."""
    text = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
    return text.replace("Return", "Enter")


class ShortcutsDialog(QDialog):
    """A read-only table: keys and what they do."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.setWindowIcon(icon("help"))
        self.table = QTableWidget(len(shortcuts.ALL), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What it does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, shortcut in enumerate(shortcuts.ALL):
            self.table.setItem(row, 0, QTableWidgetItem(native_keys(shortcut.keys)))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut.text()))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        hint = QLabel(_("Menus can also be opened with Alt and the underlined letter."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows, row by row (keys, description)."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text())
                for r in range(self.table.rowCount())]


def open_shortcuts(parent: QWidget | None) -> QDialog:
    """Open the shortcut overlay (non-blocking) and return it."""
    dialog = ShortcutsDialog(parent)
    dialog.open()
    return dialog
