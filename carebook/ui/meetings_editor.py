"""The meetings where an implementation plan was made (rules-documents E11, L23001-23030).

*Uppgifter om den överläggning där denna plan har upprättats*: each meeting has a date, a place
and participants. A private person is named with a role ("client's wife"); a professional also
with organisation and title (L22965-22970). No contact details: they belong in the
client-relationship document (L22954-22970). The services check the contents; this view only
collects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _, current_language
from carebook.model import clock
from carebook.model.records import Meeting, Participant
from carebook.ui import texts
from carebook.ui.goals_editor import button, labelled

NAME, ROLE, ORGANISATION, TITLE = range(4)
_DATE_FORMATS = {"fi": "d.M.yyyy", "sv": "yyyy-MM-dd", "en": "dd/MM/yyyy"}


def date_edit(name: str, accessible: str) -> QDateEdit:
    """A date field in the current language's form with a calendar pop-up."""
    widget = QDateEdit()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setCalendarPopup(True)
    widget.setDisplayFormat(_DATE_FORMATS.get(current_language(), "yyyy-MM-dd"))
    widget.setDate(QDate(clock.today()))
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return widget


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


@dataclass
class _Row:
    on: date
    place: str = ""
    people: list[list[str]] = field(default_factory=list)


class MeetingsEditor(QWidget):
    """Add, remove and edit the plan's meetings and their participants.

    Signals:
        changed(): a meeting or participant was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingsEditor")
        self._rows: list[_Row] = []
        self._loading = False
        self._build()
        self._connect()
        self._sync_enabled()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setObjectName("meetingList")
        self.list.setAccessibleName(_("Meetings"))
        self.list.setMinimumWidth(200)
        self.add_button = button(_("&Add meeting"), "addMeeting", _("Insert in the list"))
        self.remove_button = button(_("Re&move meeting"), "removeMeeting",
                                    _("Remove the selected meeting (Delete in the list)"))
        side = QVBoxLayout()
        side.addWidget(labelled(_("Mee&tings:"), self.list))
        side.addWidget(self.list, 1)
        line = QHBoxLayout()
        line.addWidget(self.add_button)
        line.addWidget(self.remove_button)
        side.addLayout(line)

        self.date = date_edit("meetingDate", _("Meeting date"))
        self.place = QLineEdit()
        self.place.setObjectName("meetingPlace")
        self.place.setAccessibleName(_("Meeting place"))
        self.table = self._participants_table()
        self.add_person = button(_("Add &participant"), "addParticipant",
                                 _("Insert in the table"))
        self.remove_person = button(_("Remove participa&nt"), "removeParticipant",
                                    _("Delete in the table"))
        form = QFormLayout()
        form.addRow(labelled(_("&Date:"), self.date), self.date)
        form.addRow(labelled(_("P&lace:"), self.place), self.place)
        detail = QVBoxLayout()
        detail.addLayout(form)
        detail.addWidget(labelled(_("Partic&ipants (name and role; professionals also "
                                    "organisation and title):"), self.table))
        detail.addWidget(self.table, 1)
        people = QHBoxLayout()
        people.addWidget(self.add_person)
        people.addWidget(self.remove_person)
        people.addStretch(1)
        detail.addLayout(people)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(side, 2)
        layout.addLayout(detail, 5)
        order = [self.list, self.add_button, self.remove_button, self.date, self.place,
                 self.table, self.add_person, self.remove_person]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _participants_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setObjectName("participantTable")
        table.setAccessibleName(_("Participants"))
        table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Organisation"), _("Title")])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells
        table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        return table

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.add_button.clicked.connect(self.add_meeting)
        self.remove_button.clicked.connect(self.remove_meeting)
        self.add_person.clicked.connect(self.add_participant)
        self.remove_person.clicked.connect(self.remove_participant)
        self.date.dateChanged.connect(self._on_edited)
        self.place.textEdited.connect(self._on_edited)
        self.table.itemChanged.connect(self._on_edited)
        self.table.currentCellChanged.connect(lambda *_a: self._sync_enabled())
        for widget, keys, slot in (
                (self.list, QKeySequence.StandardKey.Delete, self.remove_meeting),
                (self.list, "Insert", self.add_meeting),
                (self.table, QKeySequence.StandardKey.Delete, self.remove_participant),
                (self.table, "Insert", self.add_participant)):
            shortcut = QShortcut(QKeySequence(keys), widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # -- data --------------------------------------------------------------------------

    def commit_pending(self) -> None:
        """Take in a participant cell still being typed in (Ctrl+S or Ctrl+Return while
        editing a cell would otherwise miss its text)."""
        index = self.table.currentIndex()
        editor = self.table.indexWidget(index) if index.isValid() else None
        if editor is not None:
            self.table.itemDelegate().commitData.emit(editor)

    def meetings(self) -> tuple[Meeting, ...]:
        """The meetings in list order; blank participant rows are left out."""
        self.commit_pending()
        result = []
        for row in self._rows:
            people = tuple(Participant(p[NAME].strip(), p[ROLE].strip(),
                                       p[ORGANISATION].strip() or None, p[TITLE].strip() or None)
                           for p in row.people if any(cell.strip() for cell in p))
            result.append(Meeting(row.on, row.place.strip(), people))
        return tuple(result)

    def set_meetings(self, meetings: tuple[Meeting, ...] | list[Meeting]) -> None:
        """Show ``meetings`` (no ``changed`` signal)."""
        self._rows = [_Row(m.on, m.place, [[p.name, p.role, p.organisation or "", p.title or ""]
                                           for p in m.participants]) for m in meetings]
        self._refill(0 if self._rows else -1)

    def select(self, index: int) -> None:
        if 0 <= index < len(self._rows):
            self.list.setCurrentRow(index)

    # -- controller --------------------------------------------------------------------

    def add_meeting(self) -> None:
        self._rows.append(_Row(clock.today()))
        self._refill(len(self._rows) - 1)
        self.place.setFocus()
        self.changed.emit()

    def remove_meeting(self) -> None:
        index = self.list.currentRow()
        if index < 0:
            return
        del self._rows[index]
        self._refill(min(index, len(self._rows) - 1))
        (self.list if self._rows else self.add_button).setFocus()
        self.changed.emit()

    def add_participant(self) -> None:
        index = self.list.currentRow()
        if index < 0:
            return
        self._rows[index].people.append(["", "", "", ""])
        last = self.table.rowCount()
        self._loading = True
        self.table.insertRow(last)
        for column in range(4):
            self.table.setItem(last, column, QTableWidgetItem(""))
        self._loading = False
        self.table.setCurrentCell(last, NAME)
        self.table.setFocus()
        self.table.editItem(self.table.item(last, NAME))
        self.changed.emit()

    def remove_participant(self) -> None:
        index, person = self.list.currentRow(), self.table.currentRow()
        if index < 0 or not 0 <= person < len(self._rows[index].people):
            return
        del self._rows[index].people[person]
        self._load_people(self._rows[index])
        self.table.setCurrentCell(min(person, self.table.rowCount() - 1), NAME)
        self.changed.emit()

    def _refill(self, current: int) -> None:
        self._loading = True
        self.list.clear()
        for row in self._rows:
            self.list.addItem(self._title(row))
        self._loading = False
        self.list.setCurrentRow(current)
        self._on_row_changed(current)

    def _title(self, row: _Row) -> str:
        no_place = _("(no place yet)")
        return f"{texts.day(row.on)} {row.place.strip() or no_place}"

    def _load_people(self, row: _Row) -> None:
        self._loading = True
        self.table.setRowCount(len(row.people))
        for r, person in enumerate(row.people):
            for c, text in enumerate(person):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._loading = False

    def _on_row_changed(self, index: int) -> None:
        if self._loading:
            return
        row = self._rows[index] if 0 <= index < len(self._rows) else _Row(clock.today())
        self._loading = True
        self.date.setDate(QDate(row.on))
        self.place.setText(row.place)
        self._loading = False
        self._load_people(row)
        self._sync_enabled()

    def _on_edited(self, *_args: object) -> None:
        index = self.list.currentRow()
        if self._loading or index < 0:
            return
        row = self._rows[index]
        row.on, row.place = to_date(self.date.date()), self.place.text()
        row.people = [[self._cell(r, c) for c in range(4)] for r in range(self.table.rowCount())]
        item = self.list.item(index)
        if item is not None:
            item.setText(self._title(row))
        self.changed.emit()

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _sync_enabled(self) -> None:
        has = 0 <= self.list.currentRow() < len(self._rows)
        for widget in (self.date, self.place, self.table, self.add_person, self.remove_button):
            widget.setEnabled(has)
        self.remove_person.setEnabled(has and self.table.currentRow() >= 0)
