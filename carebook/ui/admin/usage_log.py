"""The usage-log viewer for the responsible director (AC-8): filter, verify, export.

Reading the log is itself logged by the service. The query runs on the DB lane; the table is a
thin adapter whose row texts are made when rows are first shown, so a long log opens at once.
A changed filter is applied after a short pause (one query, not one per keystroke), so the
table never shows rows of other filters than those on screen; an answer to an older query is
dropped (a generation number).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _, format_day, ngettext
from carebook.model import clock, codesets
from carebook.model.audit import AuditRecord, VerifyResult
from carebook.model.records import ClientRecord
from carebook.model.services import usage_log
from carebook.ui import texts
from carebook.ui.admin import forms
from carebook.ui.admin.log_details import detail_text
from carebook.ui.admin.log_objects import objects_text
from carebook.ui.admin.log_query import Opened, day_start, open_view
from carebook.ui.admin.log_texts import action_name, verify_text
from carebook.ui.admin.table import RowsModel, table_view
from carebook.ui.errors import ErrorLabel

DEFAULT_DAYS = 30
APPLY_MS = 300  # pause after the last filter change before the log is read again
_WIDTHS = (140, 180, 120, 130, 160, 200, 110)  # the least each column gets
_MAX_WIDTH = 320  # a column fitted to its text grows to this at most; the tooltip has the rest


class UsageLogDialog(QDialog):
    """Events of the usage log, filtered by client, user and period."""

    def __init__(self, parent: QWidget | None, ws: Any, *, client_id: int | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.client_names: dict[int, str] = {}
        self.user_names: dict[str, str] = {}
        self.register_names: dict[str, str] = {}
        self.applied: dict[str, Any] = {}
        self.file_dialog: QFileDialog | None = None
        self._generation = 0  # the query whose answer may still be shown
        self.apply_timer = QTimer(self)
        self.apply_timer.setSingleShot(True)
        self.apply_timer.setInterval(APPLY_MS)
        self.apply_timer.timeout.connect(self.refresh)
        self.setObjectName("usageLogDialog")
        self.setWindowTitle(_("Usage log"))
        self.resize(1240, 640)
        layout = QVBoxLayout(self)
        lead = QLabel(_("Who used which client's data, when and why. Opening, checking and "
                        "exporting the log are written in it too."))
        lead.setWordWrap(True)
        layout.addWidget(lead)
        layout.addLayout(self._build_filters(client_id))
        # What happened (Detail) next to what it concerned, in view at the dialog's size;
        # the register and the special reason, often empty, after it.
        self.model = RowsModel((_("Time"), _("User"), _("Action"), _("Client"), _("Concerns"),
                                _("Detail"), _("Register"), _("Special reason")),
                               self._cells, self)
        self.table = table_view(self.model, "eventsTable", _("Usage-log events"), self)
        for column, width in enumerate(_WIDTHS):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        layout.addWidget(self.count)
        layout.addLayout(self._build_actions())
        self.error = ErrorLabel(self)
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        for widget in (self.verify_label, self.error, self.status, self.close_box):
            layout.addWidget(widget)
        forms.tab_chain(self.client_combo, self.user_combo, self.from_edit, self.to_edit,
                        self.all_dates, self.refresh_button, self.table, self.verify_button,
                        self.export_button,
                        self.close_box.button(QDialogButtonBox.StandardButton.Close))
        self._first_load(client_id)

    # -- view -----------------------------------------------------------------------------

    def _build_filters(self, client_id: int | None) -> QGridLayout:
        grid = QGridLayout()
        self.client_combo = QComboBox()
        self.client_combo.setObjectName("clientFilter")
        self.client_combo.setAccessibleName(_("Client"))
        self.client_combo.addItem(_("All clients"), None)
        if client_id is not None:
            self.client_combo.addItem(_("Client no. %(id)s") % {"id": client_id}, client_id)
            self.client_combo.setCurrentIndex(1)
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("userFilter")
        self.user_combo.setAccessibleName(_("User"))
        self.user_combo.addItem(_("All users"), None)
        today = clock.today()
        self.from_edit = forms.date_edit("fromDate", _("From"), today - timedelta(DEFAULT_DAYS))
        self.to_edit = forms.date_edit("toDate", _("To"), today)
        self.all_dates = forms.check_box("allDatesCheck", _("&All dates"))
        self.all_dates.toggled.connect(self._on_all_dates)
        self.refresh_button = forms.push_button("refreshButton", _("&Refresh"))
        self.refresh_button.setToolTip(_("Read the usage log again (new events included)"))
        self.refresh_button.setDefault(True)
        self.refresh_button.clicked.connect(self.refresh)
        for column, (text, widget) in enumerate(((_("&Client:"), self.client_combo),
                                                 (_("&User:"), self.user_combo),
                                                 (_("&From:"), self.from_edit),
                                                 (_("&To:"), self.to_edit))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
        grid.addWidget(self.all_dates, 1, 4)
        grid.addWidget(self.refresh_button, 1, 5)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        if client_id is not None:  # one client's report: its whole history
            self.all_dates.setChecked(True)
        return grid

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.verify_button = forms.push_button("verifyButton", _("&Verify chain"))
        self.verify_button.clicked.connect(self._on_verify)
        self.export_button = forms.push_button("exportButton", _("&Export…"))
        self.export_button.clicked.connect(self._on_export)
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.verify_label = QLabel()
        self.verify_label.setObjectName("verifyLabel")
        self.verify_label.setWordWrap(True)
        self.verify_label.hide()
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.close_box.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setObjectName("closeButton")
        self.close_box.rejected.connect(self.reject)
        return row

    def _cells(self, event: AuditRecord) -> tuple[str, ...]:
        local = event.at.astimezone()
        user = self.user_names.get(event.actor or "", "")
        who = f"{user} ({event.actor})" if user else (event.actor or _("(system)"))
        client = "" if event.client_id is None else self.client_names.get(
            event.client_id, _("Client no. %(id)s") % {"id": event.client_id})
        reason = texts.code_name(codesets.SPECIAL_ACCESS_REASON, event.reason)
        return (f"{format_day(local.date())} {local:%H:%M:%S}", who, action_name(event.action),
                client, objects_text(event, user_names=self.user_names,
                                     register_names=self.register_names),
                detail_text(event.detail),
                self.register_names.get(event.register or "", event.register or ""), reason)

    # -- controller -----------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as the form shows them (the services' keyword arguments)."""
        chosen: dict[str, Any] = {"client_id": self.client_combo.currentData(),
                                  "actor": self.user_combo.currentData(),
                                  "since": None, "until": None}
        if not self.all_dates.isChecked():
            chosen["since"] = day_start(forms.to_date(self.from_edit))
            chosen["until"] = day_start(forms.to_date(self.to_edit) + timedelta(days=1))
        return chosen

    def _first_load(self, client_id: int | None) -> None:
        self._set_enabled(False)
        wanted = self.filters()

        def shown(result: Opened) -> None:
            self.register_names = result.registers
            self._fill_pickers(result.clients, result.users, client_id)
            self._show(result.events, wanted)
            self._set_enabled(True)
            for changed in (self.client_combo.currentIndexChanged,
                            self.user_combo.currentIndexChanged, self.from_edit.dateChanged,
                            self.to_edit.dateChanged, self.all_dates.toggled):
                changed.connect(self._on_filter_changed)

        self.ws.call(open_view, **wanted, on_done=shown, on_error=self._refused, parent=self,
                     busy=_("Reading the usage log…"))

    def _fill_pickers(self, people: list[ClientRecord], users: list[tuple[str, str]],
                      client_id: int | None) -> None:
        self.client_names = {c.id: f"{c.last_name}, {c.first_name}" for c in people}
        self.user_names = dict(users)
        if client_id is not None and client_id in self.client_names:
            self.client_combo.setItemText(1, self.client_names[client_id])
        for person in people:
            if person.id != client_id:
                self.client_combo.addItem(self.client_names[person.id], person.id)
        for username, name in users:
            self.user_combo.addItem(f"{name} ({username})", username)

    def _refused(self, exc: BaseException) -> None:
        forms.show_refusal(self.error, exc, _("Only the responsible director and "
                                              "administrators can read the usage log. Your "
                                              "role does not allow it."))
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.client_combo, self.user_combo, self.from_edit, self.to_edit,
                       self.all_dates, self.refresh_button, self.verify_button,
                       self.export_button):
            widget.setEnabled(on)
        if on:
            self._on_all_dates(self.all_dates.isChecked())

    def _on_all_dates(self, on: bool) -> None:
        self.from_edit.setEnabled(not on)
        self.to_edit.setEnabled(not on)

    def _show(self, events: list[AuditRecord], wanted: dict[str, Any]) -> None:
        # The export repeats these filters up to the newest event shown: the same rows.
        self.applied = {**wanted, "through_id": events[-1].id if events else 0}
        # Newest first, as in the timeline: the top of the list is what just happened, whole
        # rows from the header down whatever the filter left (scrolling to the bottom of a
        # long list cut the top row in half under the header).
        self.model.set_rows(list(reversed(events)))
        self.export_button.setEnabled(True)
        self._fit_columns()
        self.table.scrollToTop()
        self.count.setText(ngettext("%(n)s event", "%(n)s events", len(events))
                           % {"n": len(events)})

    def _fit_columns(self) -> None:
        """Widen columns to their text ("Hoivakoti Kuusela", "Tallennettu uusi versio") up to
        ``_MAX_WIDTH``; the last column takes the rest of the width."""
        for column, floor in enumerate(_WIDTHS):
            wanted = max(floor, self.table.sizeHintForColumn(column),
                         self.table.horizontalHeader().sectionSizeHint(column))
            self.table.setColumnWidth(column, min(wanted, _MAX_WIDTH))

    def _on_filter_changed(self, *_value: object) -> None:
        self.apply_timer.start()  # restarts: one query after the last change

    def refresh(self) -> None:
        """Read the log with the filters on screen (a filter change, Refresh, Enter)."""
        self.apply_timer.stop()
        self.error.clear_error()
        self._generation += 1
        generation, wanted = self._generation, self.filters()
        if wanted["since"] is not None and wanted["since"] >= wanted["until"]:
            self.error.show_text(_("The start of the period is after its end."))
            # No rows of the previous filter under the message, and nothing to export.
            self.model.set_rows([])
            self.count.setText("")
            self.applied = {}
            self.export_button.setEnabled(False)
            return

        def shown(events: list[AuditRecord]) -> None:
            if generation == self._generation:
                self._show(events, wanted)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.error.show_error(exc)

        self.ws.call(usage_log.usage_log, **wanted, on_done=shown, on_error=failed,
                     parent=self, busy=_("Reading the usage log…"))

    def _on_verify(self) -> None:
        self.error.clear_error()

        def checked(result: VerifyResult) -> None:
            self.verify_label.setText(verify_text(result))
            self.verify_label.setStyleSheet("color: #1b5e20;" if result.ok
                                            else "color: #b00020; font-weight: bold;")
            self.verify_label.show()

        self.ws.call(usage_log.verify_usage_log, on_done=checked,
                     on_error=self.error.show_error, parent=self,
                     busy=_("Checking the usage log…"))

    def _on_export(self) -> None:
        name = f"usage-log-{clock.today().isoformat()}.csv"
        dialog = QFileDialog(self, _("Export the usage log"), str(Path.home() / name),
                             _("CSV files (*.csv)"))
        dialog.setObjectName("exportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def export_to(self, out: Path) -> None:
        """Write exactly the events shown (the filters last applied) to ``out``."""
        self.error.clear_error()
        self.status.clear()

        def written(count: int) -> None:
            self.status.setText(ngettext("%(n)s event written to %(path)s.",
                                         "%(n)s events written to %(path)s.", count)
                                % {"n": count, "path": out})

        self.ws.call(usage_log.export_usage_events, out=out, **self.applied, on_done=written,
                     on_error=self.error.show_error, parent=self,
                     busy=_("Exporting the usage log…"))
