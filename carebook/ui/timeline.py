"""The client's timeline: documents newest first, one page at a time (issue 4 items 4 and 7).

The model pages through :func:`carebook.model.services.journal.client_timeline` on the DB lane
(``canFetchMore``/``fetchMore``), so a client with thousands of entries shows the first page at
once and scrolling asks for the next one. Every answer carries the generation it was asked
for: choosing another client makes late pages of the previous one harmless.

States are named as the lifecycle has them: Draft, Completed, Corrected (a later completed
version, MSG-11/MSG-12) and Nullified (shown greyed only when asked for; MSG-13 keeps them out
of the normal view).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.model import codesets
from carebook.model.services import journal
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


def detail_html(doc: Any) -> str:
    """The full text of a document with its signature and correction or nullification."""
    version = escape(_("version %(n)s") % {"n": doc.version})
    head = (f"<b>{escape(texts.document_type_name(doc.kind, doc.specific_type))}</b> — "
            f"{escape(texts.moment(doc.recorded_at))} — "
            f"{escape(texts.state_name(doc.state, version=doc.version))} ({version})")
    parts = [head, texts.labelled(_("Author"), escape(doc.author_name))]
    if doc.case_code:
        parts.append(texts.labelled(_("Case code"), escape(doc.case_code)))
    if doc.signature is not None:
        parts.append(escape(_("Signed by %(name)s, %(title)s, %(when)s") % {
            "name": doc.signature.signer_name, "title": doc.signature.signer_title,
            "when": texts.moment(doc.signature.signed_at)}))
    if doc.correction_reason:
        parts.append(escape(_("Correction reason: %(reason)s") % {
            "reason": texts.code_name(codesets.CORRECTION_REASON, doc.correction_reason)}))
    if doc.nullification_reason:
        reason = texts.code_name(codesets.NULLIFICATION_REASON, doc.nullification_reason)
        if doc.reason_text:
            reason = f"{reason} — {doc.reason_text}"
        parts.append(escape(_("Nullified: %(reason)s") % {"reason": reason}))
    if getattr(doc, "plan", None) is not None:
        from carebook.ui.plan_detail import plan_html

        return "<br>".join(parts) + "<hr>" + plan_html(doc.plan)
    body = escape(doc.body).replace("\n", "<br>")
    return "<br>".join(parts) + f"<hr><div>{body}</div>"


class ClientTimeline(QWidget):
    """The timeline table, the selected document's detail pane and the nullified toggle.

    Signals:
        document_selected(object): the selected document changed (None = none).
        first_page_shown(int): the first page of this client is in the table.
        failed(object): the timeline could not be read (the typed error).
    """

    document_selected = Signal(object)
    first_page_shown = Signal(int)
    failed = Signal(object)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._ws = ws
        self._keep: int | None = None
        self.model = TimelineModel(ws, self)
        self._build()
        self.model.page_loaded.connect(self._on_page_loaded)
        self.model.page_failed.connect(self._on_failed)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.show_nullified.toggled.connect(self._on_toggle_nullified)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.heading = QLabel(_("Timeline"), objectName="timelineHeading")
        self.show_nullified = QCheckBox(_("Show &nullified entries"),
                                        objectName="showNullified")
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.show_nullified)
        layout.addLayout(top)
        self.view = QTableView(objectName="timelineView")
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("Timeline"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Tab leaves the table for the detail pane and the composer (issue 4 item 9); the
        # arrow keys move between rows.
        self.view.setTabKeyNavigation(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        self._size_columns()
        self.detail = QTextBrowser(objectName="timelineDetail")
        self.detail.setTabChangesFocus(True)  # Tab goes on to the composer (issue 4 item 9)
        self.detail.setAccessibleName(_("Selected entry"))
        self.detail.setPlaceholderText(_("Select an entry to read it in full."))
        split = QSplitter(Qt.Orientation.Horizontal, objectName="timelineSplit")
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([760, 250])
        layout.addWidget(split, 1)

    def _size_columns(self) -> None:
        """Column widths from the texts they show in the current language (capped)."""
        from datetime import datetime

        width = self.fontMetrics().horizontalAdvance
        states = [texts.state_name(s, version=v) for s, v in (
            ("draft", 1), ("completed", 1), ("completed", 2), ("nullified", 2))]
        # Entry types up to 37 characters show whole (fi "Merkintä käynnistä tai
        # yhteydenotosta"); the few longer names are elided, with the whole name as tooltip.
        types = [texts.entry_type_name(t.key)[:37] for t in journal.note_types()]
        samples = {TIME: [texts.moment(datetime(2026, 12, 30, 23, 59))],
                   TYPE: types,
                   AUTHOR: ["Johanna Kuusela"], STATE: states}
        header = self.view.horizontalHeader()
        for column, values in samples.items():
            header.resizeSection(column, max(width(v) for v in values) + 18)

    # -- controller ---------------------------------------------------------------------

    def set_client(self, client_id: int | None) -> None:
        self.detail.clear()
        self.document_selected.emit(None)
        self.model.set_client(client_id)

    def reload(self) -> None:
        """Read the shown client's timeline again from the first page, keeping the selection."""
        keep = self.current_document()
        self._keep = keep.id if keep is not None else None
        self.model.set_client(self.model.client_id)

    def current_document(self) -> Any:
        index = self.view.currentIndex()
        return self.model.document(index.row()) if index.isValid() else None

    def _on_page_loaded(self, client_id: int, page: int) -> None:
        if page == 1:
            keep, self._keep = self._keep, None
            row = self.model.row_of(keep) if keep is not None else None
            if row is not None:
                self.view.selectRow(row)
                self._show(self.model.document(row))  # the reloaded version, not the old one
            elif self.detail.toPlainText() or keep is not None:
                # The shown document is gone (nullified, filtered out): never leave it on
                # screen as if it were still selected.
                self._show(None)
                self.document_selected.emit(None)
            self.first_page_shown.emit(client_id)

    def _on_failed(self, exc: BaseException) -> None:
        from carebook.ui.errors import user_message

        self.detail.setPlainText(user_message(exc))
        self.failed.emit(exc)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc = self.model.document(current.row()) if current.isValid() else None
        self._show(doc)
        self.document_selected.emit(doc)

    def _show(self, doc: Any) -> None:
        if doc is None:
            self.detail.clear()
        else:
            self.detail.setHtml(detail_html(doc))

    def _on_toggle_nullified(self, checked: bool) -> None:
        self.model.include_nullified = checked
        self.reload()
