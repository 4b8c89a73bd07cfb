"""The special-reason prompt (AC-6/AC-7): shown when the relevant connection is missing.

The services refuse with :class:`~carebook.errors.NoRelevantConnectionError`; the UI asks the
worker for a reason from the special-access-reason code set and repeats the call with it. The
service writes the reason into the usage log — the UI adds no rule of its own.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _, current_language
from carebook.model import clock, codesets


class SpecialReasonDialog(QDialog):
    """Asks for a special-access reason; ``reason()`` is the chosen key after ``Accepted``."""

    def __init__(self, parent: QWidget | None, message: str) -> None:
        super().__init__(parent)
        self.setObjectName("specialReasonDialog")
        self.setWindowTitle(_("Special reason needed"))
        layout = QVBoxLayout(self)
        text = QLabel(message)
        text.setWordWrap(True)
        layout.addWidget(text)
        note = QLabel(_("Your reason is written in the usage log, which the responsible "
                        "director reviews."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.combo = QComboBox()
        self.combo.setObjectName("specialReasonCombo")
        self.combo.setAccessibleName(_("Special reason"))
        codes = codesets.valid_codes(codesets.SPECIAL_ACCESS_REASON, on=clock.today(),
                                     language=current_language())
        for key, name in codes:
            self.combo.addItem(name, key)
        label = QLabel(_("&Reason:"))
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Continue"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return str(self.combo.currentData())
