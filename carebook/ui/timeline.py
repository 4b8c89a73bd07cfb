"""The client's timeline: the paged table, the selected document's detail pane and the
nullified toggle (issue 4 items 4 and 7). The table model is in :mod:`carebook.ui.timeline_model`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
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
from carebook.ui import texts
from carebook.ui.document_detail import detail_html
from carebook.ui.timeline_model import AUTHOR, STATE, TIME, TYPE, TimelineModel


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

        from carebook.model.services import journal

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
        if current.isValid() and not self.view.selectionModel().isRowSelected(current.row()):
            # Tabbing into the table makes row 0 current without selecting it: the detail
            # pane, Ctrl+H and Nullify act on that row, so it must look chosen too.
            self.view.selectRow(current.row())
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
