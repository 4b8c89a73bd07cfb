"""Settings: language and auto-lock time (issue 4 items 3 and 8).

Saved with ``ws.save_settings`` (atomic JSON in the data folder); the shell hears
``settings_changed``, switches the catalogue and Qt's own translations, and rebuilds its windows
in the new language. "System default" keeps the language empty, so the system's language
(:meth:`UiSettings.effective_language`) applies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.ui.icons import icon
from carebook.ui.settings import MAX_AUTOLOCK_MINUTES, MIN_AUTOLOCK_MINUTES

# Each language is named in itself, so a user who cannot read the current one finds theirs.
LANGUAGE_NAMES = (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English"))


class SettingsDialog(QDialog):
    """Language and auto-lock minutes; OK saves."""

    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setWindowIcon(icon("settings"))
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        self.language.setAccessibleName(_("Language"))
        self.language.addItem(_("System default"), "")
        for key, name in LANGUAGE_NAMES:
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(ws.settings.language)))
        self.minutes = QSpinBox()
        self.minutes.setObjectName("autolockMinutes")
        self.minutes.setAccessibleName(_("Lock after idle minutes"))
        self.minutes.setRange(MIN_AUTOLOCK_MINUTES, MAX_AUTOLOCK_MINUTES)
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setValue(ws.settings.autolock_minutes)
        form = QFormLayout()
        for text, field in ((_("&Language:"), self.language),
                            (_("Lock after &idle time:"), self.minutes)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        hint = QLabel(_("When nobody uses carebook for this long, it locks and shows the "
                        "sign-in window; nothing of clients stays on screen. Changing the "
                        "language reopens the windows."))
        hint.setObjectName("settingsHint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("saveSettings")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _on_save(self) -> None:
        settings = replace(self.ws.settings, language=str(self.language.currentData()),
                           autolock_minutes=int(self.minutes.value()))
        self.accept()
        self.ws.save_settings(settings)


def open_settings(parent: QWidget | None, ws: Any) -> QDialog:
    """Open the settings dialog (non-blocking) and return it."""
    dialog = SettingsDialog(parent, ws)
    dialog.open()
    return dialog
