"""A thin table model over frozen records: column titles, a cell function, ``set_rows``.

STYLE "Item models are thin adapters": the services return sorted records (names in Finnish /
Swedish order), the model only shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Rows of any record type; ``cells(row)`` gives the texts of one row, column by column."""

    def __init__(self, titles: Sequence[str], cells: Callable[[Any], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles = list(titles)
        self._cells = cells
        self._rows: list[Any] = []
        self._texts: dict[int, Sequence[str]] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        # Texts are made when a row is first shown: a long usage log opens at once.
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = {}
        self.endResetModel()

    def texts(self, number: int) -> Sequence[str]:
        if number not in self._texts:
            self._texts[number] = self._cells(self._rows[number])
        return self._texts[number]

    def row(self, number: int) -> Any:
        return self._rows[number]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.texts(index.row())[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return None


def table_view(model: RowsModel, name: str, accessible: str,
               parent: QWidget | None = None) -> QTableView:
    """A read-only, whole-row-selecting table for ``model``."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # Compact rows: a long log or staff list shows more at once.
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    return view


def selected_row(view: QTableView) -> Any | None:
    """The record of the selected row, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    model = view.model()
    assert isinstance(model, RowsModel)
    return model.row(rows[0].row())
