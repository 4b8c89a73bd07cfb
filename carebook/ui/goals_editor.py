"""The goals of an implementation plan as a list editor (rules-documents E11, L23060-23105).

A plan has any number of goals (*Mål som ska fastställas*), each with a name, a description, and
the methods and timetable for reaching it. The worker adds, removes and reorders them; the list
on the left names each goal, the fields on the right edit the selected one. The services check
the contents (a used goal needs a name, §4.1.9-10); this view only collects them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.model.records import Goal


@dataclass
class _Row:
    name: str = ""
    description: str = ""
    methods: str = ""


def labelled(text: str, buddy: QWidget) -> QLabel:
    """A label with a mnemonic pointing at ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def button(text: str, name: str, tip: str = "") -> QPushButton:
    """A push button with a stable object name and an accessible name."""
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setAccessibleName(text.replace("&", ""))
    if tip:
        widget.setToolTip(tip)
    return widget


class GoalsEditor(QWidget):
    """Add, remove, reorder and edit the goals of a plan.

    Signals:
        changed(): any goal was added, removed, moved or edited.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalsEditor")
        self._rows: list[_Row] = []
        self._loading = False
        self._build()
        self._connect()
        self._sync_enabled()

    # -- view --------------------------------------------------------------------------

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setObjectName("goalList")
        self.list.setAccessibleName(_("Goals"))
        self.list.setMinimumWidth(220)
        self.add_button = button(_("&Add goal"), "addGoal", _("Insert in the list"))
        self.remove_button = button(_("Re&move goal"), "removeGoal",
                                    _("Remove the selected goal (Delete in the list)"))
        self.up_button = button(_("Move &up"), "moveGoalUp", _("Ctrl+Up in the list"))
        self.down_button = button(_("Move do&wn"), "moveGoalDown", _("Ctrl+Down in the list"))
        side = QVBoxLayout()
        side.addWidget(labelled(_("Goal &list:"), self.list))
        side.addWidget(self.list, 1)
        for row in ((self.add_button, self.remove_button), (self.up_button, self.down_button)):
            line = QHBoxLayout()
            for b in row:
                line.addWidget(b)
            side.addLayout(line)

        self.name = QLineEdit()
        self.name.setObjectName("goalName")
        self.name.setAccessibleName(_("Goal name"))
        self.name.setPlaceholderText(_("For example: Keeps living at home"))
        self.description = QPlainTextEdit()
        self.description.setObjectName("goalDescription")
        self.description.setAccessibleName(_("Goal description"))
        self.description.setTabChangesFocus(True)
        self.methods = QPlainTextEdit()
        self.methods.setObjectName("goalMethods")
        self.methods.setAccessibleName(_("Methods and timetable"))
        self.methods.setTabChangesFocus(True)
        self.hint = QLabel(_("Add a goal to describe what the service aims at."))
        self.hint.setObjectName("goalsHint")
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(labelled(_("Goal &name:"), self.name), self.name)
        form.addRow(labelled(_("&Description:"), self.description), self.description)
        form.addRow(labelled(_("Methods and &timetable:"), self.methods), self.methods)
        detail = QVBoxLayout()
        detail.addWidget(self.hint)
        detail.addLayout(form, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(side, 2)
        layout.addLayout(detail, 5)
        QWidget.setTabOrder(self.list, self.add_button)
        QWidget.setTabOrder(self.add_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.up_button)
        QWidget.setTabOrder(self.up_button, self.down_button)
        QWidget.setTabOrder(self.down_button, self.name)
        QWidget.setTabOrder(self.name, self.description)
        QWidget.setTabOrder(self.description, self.methods)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.add_button.clicked.connect(self.add_goal)
        self.remove_button.clicked.connect(self.remove_goal)
        self.up_button.clicked.connect(lambda: self.move_goal(-1))
        self.down_button.clicked.connect(lambda: self.move_goal(1))
        self.name.textEdited.connect(self._on_edited)
        self.description.textChanged.connect(self._on_edited)
        self.methods.textChanged.connect(self._on_edited)
        for keys, slot in ((QKeySequence.StandardKey.Delete, self.remove_goal),
                           ("Insert", self.add_goal),
                           ("Ctrl+Up", lambda: self.move_goal(-1)),
                           ("Ctrl+Down", lambda: self.move_goal(1))):
            shortcut = QShortcut(QKeySequence(keys), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # -- data --------------------------------------------------------------------------

    def goals(self) -> tuple[Goal, ...]:
        """The goals in their list order (empty rows are kept: the service names them)."""
        return tuple(Goal(r.name.strip(), r.description.strip(), r.methods.strip())
                     for r in self._rows)

    def set_goals(self, goals: tuple[Goal, ...] | list[Goal]) -> None:
        """Show ``goals`` (no ``changed`` signal)."""
        self._rows = [_Row(g.name, g.description, g.methods_and_timetable) for g in goals]
        self._refill(0 if self._rows else -1)

    def select(self, index: int) -> None:
        """Select the goal at ``index`` and put the cursor in its name."""
        if 0 <= index < len(self._rows):
            self.list.setCurrentRow(index)
            self.name.setFocus()

    def first_unnamed(self) -> int:
        """The index of the first goal without a name, or -1."""
        return next((i for i, r in enumerate(self._rows) if not r.name.strip()), -1)

    # -- controller --------------------------------------------------------------------

    def add_goal(self) -> None:
        self._rows.append(_Row())
        self._refill(len(self._rows) - 1)
        self.name.setFocus()
        self.changed.emit()

    def remove_goal(self) -> None:
        index = self.list.currentRow()
        if index < 0:
            return
        del self._rows[index]
        self._refill(min(index, len(self._rows) - 1))
        (self.list if self._rows else self.add_button).setFocus()
        self.changed.emit()

    def move_goal(self, step: int) -> None:
        index = self.list.currentRow()
        target = index + step
        if index < 0 or not 0 <= target < len(self._rows):
            return
        self._rows[index], self._rows[target] = self._rows[target], self._rows[index]
        self._refill(target)
        self.changed.emit()

    def _refill(self, current: int) -> None:
        self._loading = True
        self.list.clear()
        for i, row in enumerate(self._rows):
            self.list.addItem(self._title(i, row))
        self._loading = False
        self.list.setCurrentRow(current)
        self._on_row_changed(current)

    def _title(self, index: int, row: _Row) -> str:
        unnamed = _("(no name yet)")
        return f"{index + 1}. {row.name.strip() or unnamed}"

    def _on_row_changed(self, index: int) -> None:
        if self._loading:
            return
        row = self._rows[index] if 0 <= index < len(self._rows) else _Row()
        self._loading = True
        self.name.setText(row.name)
        self.description.setPlainText(row.description)
        self.methods.setPlainText(row.methods)
        self._loading = False
        self._sync_enabled()

    def _on_edited(self) -> None:
        index = self.list.currentRow()
        if self._loading or index < 0:
            return
        row = self._rows[index]
        row.name, row.description = self.name.text(), self.description.toPlainText()
        row.methods = self.methods.toPlainText()
        item = self.list.item(index)
        if item is not None:
            item.setText(self._title(index, row))
        self.changed.emit()

    def _sync_enabled(self) -> None:
        index, count = self.list.currentRow(), len(self._rows)
        has = 0 <= index < count
        for widget in (self.name, self.description, self.methods, self.remove_button):
            widget.setEnabled(has)
        self.up_button.setEnabled(has and index > 0)
        self.down_button.setEnabled(has and index < count - 1)
        self.hint.setVisible(count == 0)
