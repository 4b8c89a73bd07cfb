"""The timeline's table model: a client's documents newest first, one page at a time.

The model pages through :func:`carebook.model.services.journal.client_timeline` on the DB lane
(``canFetchMore``/``fetchMore``), so a client with thousands of entries shows the first page at
once and scrolling asks for the next one (issue 4 item 7). Every answer carries the generation
it was asked for: choosing another client makes late pages of the previous one harmless.

States are named as the lifecycle has them: Draft, Completed, Corrected (a later completed
version, MSG-11/MSG-12) and Nullified (shown greyed only when asked for; MSG-13 keeps them out
of the normal view).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from carebook.i18n import _
from carebook.ui import texts

PAGE_SIZE = 50
TIME, TYPE, AUTHOR, STATE, TEXT = range(5)
DocumentRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def first_line(body: str, limit: int = 160) -> str:
    line = body.strip().splitlines()[0] if body.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class TimelineModel(QAbstractTableModel):
    """Rows of :class:`~carebook.model.records.DocumentRecord`, newest first, paged.

    Signals:
        page_loaded(int, int): page number n (1 = the first) of this client id arrived.
        page_failed(object): a page could not be read (the typed error).
    """

    page_loaded = Signal(int, int)
    page_failed = Signal(object)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._rows: list[Any] = []
        self._texts: list[tuple[str, ...]] = []
        self._cursor: str | None = None
        self._client: int | None = None
        self._loading = False
        self._exhausted = True
        self._job: Any = None
        self.generation = 0
        self.pages = 0
        self.include_nullified = False
        self.page_size = PAGE_SIZE
        self.headers = (_("Time"), _("Type"), _("Author"), _("State"), _("Text"))

    # -- paging -------------------------------------------------------------------------

    def set_client(self, client_id: int | None) -> None:
        """Forget the rows and ask for the first page of ``client_id``."""
        self.generation += 1
        self._drop_pending()
        self.beginResetModel()
        self._rows, self._cursor, self._client, self.pages = [], None, client_id, 0
        self._texts = []
        # Marked loading before the reset: a view asking fetchMore() right after it must not
        # queue the first page a second time.
        self._loading, self._exhausted = client_id is not None, client_id is None
        self.endResetModel()
        if client_id is not None:
            self._request()

    @property
    def client_id(self) -> int | None:
        return self._client

    @property
    def loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._request()

    def _request(self) -> None:
        from carebook.model.services import journal

        self._loading = True
        generation, client = self.generation, self._client
        self._job = self._ws.call(
            journal.client_timeline, client_id=client, limit=self.page_size,
            cursor=self._cursor, include_nullified=self.include_nullified,
            parent=self.parent(), client=client,
            on_done=lambda page: self._on_page(generation, page),
            on_error=lambda exc: self._on_error(generation, exc))

    def _drop_pending(self) -> None:
        # A page still queued for the previous client need not be read at all (arrowing
        # quickly through the client list); one already running is ignored by generation.
        job, self._job = self._job, None
        if job is not None and not job.finished:
            job.cancelled = True

    def _on_page(self, generation: int, page: Any) -> None:
        if generation != self.generation:
            return  # a page of a client no longer shown
        self._loading = False
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self._texts.extend(self.row_texts(d) for d in page.items)
            self.endInsertRows()
        self.pages += 1
        self.page_loaded.emit(self._client or 0, self.pages)

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation != self.generation:
            return
        self._loading, self._exhausted = False, True
        self.page_failed.emit(exc)

    # -- rows ---------------------------------------------------------------------------

    def document(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, document_id: int) -> int | None:
        return next((i for i, d in enumerate(self._rows) if d.id == document_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: texts are made once per
        # row (when the page arrives), so a repaint does no formatting on the GUI thread.
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            state = self._rows[index.row()].state
            if state == "nullified":
                return _brush("#8c8c8c")
            if index.column() == STATE and state == "draft":
                return _brush("#9a5b00")
            return None
        if role == Qt.ItemDataRole.FontRole and self._rows[index.row()].state == "nullified":
            font = QFont()
            font.setStrikeOut(index.column() == TEXT)
            font.setItalic(True)
            return font
        if role == DocumentRole:
            return self._rows[index.row()]
        return None

    @staticmethod
    def row_texts(doc: Any) -> tuple[str, ...]:
        """What the five columns show for ``doc``."""
        return (texts.moment(doc.recorded_at),
                texts.document_type_name(doc.kind, doc.specific_type),
                str(doc.author_name), texts.state_name(doc.state, version=doc.version),
                first_line(doc.body))


_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    if colour not in _BRUSHES:
        _BRUSHES[colour] = QBrush(QColor(colour))
    return _BRUSHES[colour]
