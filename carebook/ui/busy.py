"""A progress dialog that appears only when work takes longer than about 600 ms.

ARCHITECTURE §6: quick store calls must not flash a dialog; slow ones (sign-in's key
derivation, a backup, an export) show that something is happening.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from carebook.ui.lanes import Job

SHOW_AFTER_MS = 600


class BusyIndicator:
    """Shows an indeterminate progress dialog over ``parent`` if ``job`` is still running after
    :data:`SHOW_AFTER_MS`; closes it when the job finishes."""

    def __init__(self, parent: QWidget | None, job: Job, text: str) -> None:
        self._parent = parent
        self._job = job
        self._text = text
        self.dialog: QProgressDialog | None = None
        self._timer = QTimer(parent)  # owned by the GUI-thread widget, never collected elsewhere
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(SHOW_AFTER_MS)

    def _show(self) -> None:
        if self._job.finished or self._job.cancelled or self._job.orphaned:
            return
        dialog = QProgressDialog(self._text, "", 0, 0, self._parent)
        dialog.setObjectName("busyDialog")
        dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self.dialog = dialog

    def finish(self) -> None:
        self._timer.stop()
        self._timer.deleteLater()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
