"""The left panel of the main window: the user's units and their clients (issue 4 item 4).

A unit chooser (preselected when the worker has exactly one unit), a search field (Ctrl+F) that
finds clients by a part of the name or the beginning of the identity code, an Active / Active
and ended filter, and the list itself. Every search goes to the service on the DB lane
(:func:`carebook.model.services.directory.client_directory`), which checks the units (AC-6) and
logs the search (AC-8); the list is only an adapter over the listings it returns.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _, ngettext
from carebook.model import collation
from carebook.ui import shortcuts, texts

SEARCH_DELAY_MS = 250
ListingRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def is_identity(text: str) -> bool:
    """Whether ``text`` is a complete identity code or temporary OID (ID-13), nothing less."""
    from stdnum.fi import hetu

    from carebook.model import oids

    value = text.strip()
    return bool(value) and (hetu.is_valid(value.upper(), allow_temporary=True)
                            or oids.is_valid_oid(value))


def _find(store: Any, staff: Any, *, identifier: str,
          special_reason: str | None = None) -> tuple[Any, str | None]:
    """:func:`~carebook.model.services.directory.find_by_identity` and the reason it got."""
    from carebook.model.services import directory

    return directory.find_by_identity(store, staff, identifier=identifier,
                                      special_reason=special_reason), special_reason


def listing_text(listing: Any, *, special: bool = False) -> str:
    """"Last, First" with the markers a care worker must see at a glance (AC-11, AC-7)."""
    client = listing.client
    text = f"{client.last_name}, {client.first_name}"
    marks = [_("special reason")] if special else []
    if client.security_prohibition:
        marks.append(_("security prohibition"))
    if not listing.active:
        marks.append(_("ended %(day)s") % {"day": texts.day(listing.last_end)}
                     if listing.last_end else _("not in force"))
    return f"{text}  [{'; '.join(marks)}]" if marks else text


class ClientListModel(QAbstractListModel):
    """Rows of :class:`~carebook.model.services.directory.ClientListing`, Nordic name order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._special: frozenset[int] = frozenset()

    def set_rows(self, rows: list[Any], *, special: frozenset[int] = frozenset()) -> None:
        """Show ``rows``; those with ids in ``special`` were opened with a special reason."""
        self.beginResetModel()
        self._special = special
        self._rows = sorted(rows, key=lambda r: (collation.name_key(r.client.last_name,
                                                                    r.client.first_name), r.id))
        self.endResetModel()

    def listing(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, client_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == client_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        # Public with a default, as for table models (QAbstractListModel hides it).
        return 0 if parent.isValid() else 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return listing_text(row, special=row.id in self._special)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.client.identifier
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QColor("#6b6b6b"))
        if role == ListingRole:
            return row
        return None


class ClientBrowser(QWidget):
    """Unit chooser, search, filter and client list.

    Signals:
        client_chosen(int): the selected client changed (0 = none).
        units_loaded(): the unit chooser has the user's units.
        listed(): a new listing arrived and is shown.
    """

    client_chosen = Signal(int)
    units_loaded = Signal()
    listed = Signal()

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._generation = 0
        self._chosen = 0
        self._wanted = 0
        self._found: dict[str, int] = {}  # identity code → client found with a reason
        self.model = ClientListModel(self)
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self._connect()

    # -- view ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.units = QComboBox(objectName="unitChooser")
        self.units.setAccessibleName(_("Unit"))
        unit_label = QLabel(_("&Unit"))
        unit_label.setBuddy(self.units)
        self.search = QLineEdit(objectName="clientSearch")
        self.search.setPlaceholderText(_("Name or identity code"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Find a client"))
        search_label = QLabel(_("F&ind (Ctrl+F)"))  # Alt+F is the File menu
        search_label.setBuddy(self.search)
        self.filter = QComboBox(objectName="clientFilter")
        self.filter.addItem(_("Active clients"), False)
        self.filter.addItem(_("Active and ended clients"), True)
        self.filter.setAccessibleName(_("Which clients"))
        self.list = QListView(objectName="clientList")
        self.list.setModel(self.model)
        self.list.setAccessibleName(_("Clients"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.count = QLabel(objectName="clientCount")
        for widget in (unit_label, self.units, search_label, self.search, self.filter,
                       self.list, self.count):
            layout.addWidget(widget)
        layout.setStretchFactor(self.list, 1)
        QWidget.setTabOrder(self.units, self.search)
        QWidget.setTabOrder(self.search, self.filter)
        QWidget.setTabOrder(self.filter, self.list)
        find = QShortcut(QKeySequence(shortcuts.FIND_CLIENT.keys), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self._on_find)

    def _connect(self) -> None:
        self.units.currentIndexChanged.connect(lambda _i: self.reload())
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._on_search_entered)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self._ws.clients_changed.connect(self.reload)

    # -- controller ---------------------------------------------------------------------

    def start(self) -> None:
        """Load the user's units, then the clients."""
        from carebook.model.services import directory

        self._ws.call(directory.my_units, on_done=self._on_units, parent=self)

    def reload(self) -> None:
        """Ask the service for the listing that matches the chooser, search and filter."""
        from carebook.model.services import directory

        self._timer.stop()
        self._generation += 1
        generation = self._generation
        query = self.search.text().strip() or None
        self._ws.call(directory.client_directory, unit_id=self.units.currentData(),
                      query=query, include_ended=bool(self.filter.currentData()),
                      on_done=lambda rows: self._on_listed(generation, rows), parent=self)

    def select_client(self, client_id: int) -> bool:
        """Select the client's row if listed; returns whether it was."""
        row = self.model.row_of(client_id)
        if row is None:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def choose_when_listed(self, client_id: int) -> None:
        """Choose ``client_id`` as soon as a listing shows it (a client just added)."""
        self._wanted = client_id
        if self.select_client(client_id):
            self._wanted = 0

    def _on_units(self, units: list[Any]) -> None:
        self.units.blockSignals(True)
        self.units.clear()
        if len(units) != 1:  # issue 4 item 3: one unit is preselected, else all of them
            self.units.addItem(_("All my units"), None)
        for unit in units:
            self.units.addItem(unit.name, unit.id)
        self.units.setCurrentIndex(0)
        self.units.blockSignals(False)
        self.units_loaded.emit()
        self.reload()

    def _on_listed(self, generation: int, rows: list[Any]) -> None:
        if generation != self._generation:
            return  # an older search answered late
        query = self.search.text().strip()
        if not rows and is_identity(query):
            self._find_elsewhere(generation, query)
        self._show(rows)

    def _find_elsewhere(self, generation: int, query: str) -> None:
        """A full identity code not in the user's units: look in all units (AC-7). The
        workspace asks for the special reason and repeats the look-up with it."""
        client = self._found.get(query.upper())
        self._ws.call(_find, identifier=query, parent=self, client=client,
                      on_done=lambda found: self._on_found(generation, query, found),
                      on_error=self._on_find_failed)

    def _on_found(self, generation: int, query: str, found: tuple[Any, str | None]) -> None:
        listing, reason = found
        if generation != self._generation or listing is None:
            return
        if reason is not None:
            self._found[query.upper()] = listing.id
            self._ws.remember_reason(listing.id, reason)  # the card and timeline reuse it
        special = self._ws.reason_for(listing.id) is not None
        self._show([listing], special=frozenset({listing.id}) if special else frozenset())

    def _on_find_failed(self, exc: BaseException) -> None:
        from carebook.errors import NoRelevantConnectionError
        from carebook.ui.errors import show_error

        if not isinstance(exc, NoRelevantConnectionError):  # a cancelled prompt says nothing
            show_error(self, exc)

    def _show(self, rows: list[Any], *, special: frozenset[int] = frozenset()) -> None:
        self.model.set_rows(rows, special=special)
        self.count.setText(ngettext("%(n)s client", "%(n)s clients", len(rows))
                           % {"n": len(rows)})
        if self._wanted and self.select_client(self._wanted):
            self._wanted = 0
        elif self._chosen and self.select_client(self._chosen):
            pass
        elif self._chosen:
            self._chosen = 0
            self.client_chosen.emit(0)
        self.listed.emit()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        client_id = self.model.listing(current.row()).id if current.isValid() else 0
        if client_id != self._chosen:
            self._chosen = client_id
            self.client_chosen.emit(client_id)

    def _on_find(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_search_entered(self) -> None:
        self.reload()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
