"""The sign-in window: username and password per staff member (issue 4 item 3).

A wrong password and an unknown username get the same message (AC-12: the services raise the
same :class:`~carebook.errors.WrongPasswordError`), shown in place; the password is cleared and
focused, the username kept. Failed attempts slow the next one down (the key-slot back-off), and
the wait is announced before it starts, as the CLI does. The unlock runs on the DB lane; the
busy dialog appears only after 600 ms.

The producer's name and the test-store marker come from a small label file written after each
sign-in (and by the first-run wizard and the demo): the store itself is encrypted, so nothing
in it can be read before the password is given. The label holds no client data.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.ui import shortcuts
from carebook.ui.errors import ErrorLabel
from carebook.ui.icons import icon

log = logging.getLogger(__name__)

LABEL_FILE = "store-label.json"


@dataclass(frozen=True)
class StoreLabel:
    """What the sign-in window may show before unlocking: producer name, test-store flag."""

    producer: str = ""
    test_mode: bool = False


def read_label(data_dir: Path) -> StoreLabel:
    """The label written at the last sign-in (empty when missing or unreadable)."""
    try:
        raw = json.loads((data_dir / LABEL_FILE).read_text(encoding="utf-8"))
        return StoreLabel(str(raw.get("producer", ""))[:200], bool(raw.get("test_mode", False)))
    except (OSError, ValueError, AttributeError):
        return StoreLabel()


def write_label(data_dir: Path, label: StoreLabel) -> None:
    """Keep the label for the next sign-in window (atomic, 0600; failures only logged)."""
    from carebook.paths import write_private_atomic

    data = json.dumps({"producer": label.producer, "test_mode": label.test_mode})
    try:
        write_private_atomic(data_dir / LABEL_FILE, data.encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - a label is a convenience, never a blocker
        log.warning("store label not saved: %s", exc.__class__.__name__)


def marker_text() -> str:
    """The test-store marker (the CLI's banner text, without its asterisks)."""
    return _("*** TEST STORE: training data only, not real client records ***").strip("* ")


def _wait_before(data_dir: Path, username: str, policy: Any = None) -> float:
    """Seconds the next unlock of ``username`` will wait (runs on the DB lane)."""
    from carebook.errors import CarebookError
    from carebook.model.keyslots import KeySlots
    from carebook.paths import slots_path, store_path

    try:
        return KeySlots.load(slots_path(store_path(data_dir)),
                             policy=policy).wait_seconds(username)
    except (CarebookError, OSError):
        return 0.0  # sign-in itself reports what is wrong with the store


class SignInWindow(QWidget):
    """Username, password, Sign in. Drives ``ws.sign_in``.

    Signals:
        signed_in(object): the staff session of the user who signed in.
        settings_requested(): the user asked for the settings (language, auto-lock).
        help_requested(): F1 — the keyboard-shortcut overlay.
    """

    signed_in = Signal(object)
    settings_requested = Signal()
    help_requested = Signal()

    def __init__(self, ws: Any, *, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.job: Any = None
        self.busy: Any = None
        self.setObjectName("signInWindow")
        self.setWindowTitle(_("carebook — sign in"))
        self.setWindowIcon(icon("app"))
        self.label = read_label(ws.data_dir)
        self._build()
        self.username.setText(username)
        self._focus_done = False

    # -- view ----------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(_("Sign in to carebook"))
        title.setObjectName("signInTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.producer = QLabel(self.label.producer)
        self.producer.setObjectName("producerName")
        self.producer.setVisible(bool(self.label.producer))
        self.test_marker = QLabel(marker_text())
        self.test_marker.setObjectName("testStoreMarker")
        self.test_marker.setWordWrap(True)
        self.test_marker.setStyleSheet("background: #fff3cd; color: #7a4b00; "
                                       "border: 1px solid #e0b252; padding: 6px; "
                                       "font-weight: bold;")
        self.test_marker.setVisible(self.label.test_mode)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName(_("Username"))
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName(_("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self._label(_("&Username:"), self.username), self.username)
        form.addRow(self._label(_("&Password:"), self.password), self.password)

        self.error = ErrorLabel()
        self.notice = QLabel()
        self.notice.setObjectName("waitNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.sign_in_button = QPushButton(_("&Sign in"))
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setAccessibleName(_("Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.settings_button = QPushButton(_("Se&ttings…"))
        self.settings_button.setObjectName("signInSettings")
        self.settings_button.setAccessibleName(_("Settings"))
        self.settings_button.setIcon(icon("settings"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.producer)
        layout.addWidget(self.test_marker)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
        QWidget.setTabOrder(self.username, self.password)
        QWidget.setTabOrder(self.password, self.sign_in_button)
        QWidget.setTabOrder(self.sign_in_button, self.settings_button)

        self.sign_in_button.clicked.connect(self._on_submit)
        self.username.returnPressed.connect(self._on_username_return)
        self.password.returnPressed.connect(self._on_submit)
        self.settings_button.clicked.connect(self.settings_requested.emit)
        settings_key = QShortcut(QKeySequence(shortcuts.SETTINGS.keys), self)
        settings_key.activated.connect(self.settings_requested.emit)
        help_key = QShortcut(QKeySequence(shortcuts.HELP.keys), self)
        help_key.activated.connect(self.help_requested.emit)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._focus_done:
            # Lock: the last user types only the password; switch user: the name first.
            self._focus_done = True
            (self.password if self.username.text() else self.username).setFocus()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- controller ----------------------------------------------------------------------

    @property
    def working(self) -> bool:
        return self.job is not None

    def _on_username_return(self) -> None:
        if self.password.text():
            self._on_submit()
        else:
            self.password.setFocus()

    def _on_submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if self.working:
            return
        if not username:
            self.error.show_text(_("Type your username."))
            self.username.setFocus()
            return
        if not password:
            self.error.show_text(_("Type your password."))
            self.password.setFocus()
            return
        self.error.clear_error()
        self._set_working(True)
        data_dir, policy = self.ws.data_dir, self.ws.policy
        self.ws.db.submit(lambda: _wait_before(data_dir, username, policy),
                          on_done=self._on_wait)
        self.job = self.ws.sign_in(username, password, on_done=self._on_signed_in,
                                   on_error=self._on_failed)
        from carebook.ui.busy import BusyIndicator

        self.busy = BusyIndicator(self, self.job, _("Signing in…"))

    def _on_wait(self, seconds: float) -> None:
        if seconds > 0 and self.working:
            self.notice.setText(_("Waiting %(n)s s after earlier failed sign-ins…")
                                % {"n": math.ceil(seconds)})
            self.notice.show()

    def _on_signed_in(self, staff: Any) -> None:
        self._set_working(False)
        self.password.clear()
        self.signed_in.emit(staff)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_working(False)
        self.error.show_error(exc)
        self.password.clear()
        self.password.setFocus()

    def _set_working(self, working: bool) -> None:
        if not working:
            self.job = None
            if self.busy is not None:
                self.busy.finish()
                self.busy = None
            self.notice.hide()
        for widget in (self.username, self.password, self.sign_in_button,
                       self.settings_button):
            widget.setEnabled(not working)
        if working:
            self.job = True  # until ws.sign_in hands back the real job
        self.setCursor(Qt.CursorShape.BusyCursor if working else Qt.CursorShape.ArrowCursor)
