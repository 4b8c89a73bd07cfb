"""Auto-lock and switch user (issue 4 item 3, ARCHITECTURE §6): after the idle time the main
window and its dialogs are destroyed, the store is closed and no widget of the app shows a
client's name; switching user is one action and leaves the username empty."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QVBoxLayout

from carebook.model.services import clients
from carebook.ui.autolock import AutoLock

PASSWORD = "demo-password"


class ClientWindow(QMainWindow):
    """A small stand-in for the real main window: it shows the clients' names."""

    lock_requested = Signal()
    switch_user_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    quit_requested = Signal()

    def __init__(self, ws):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("carebook")
        self.names = QLabel()
        self.names.setObjectName("clientNames")
        self.setCentralWidget(self.names)
        self.viewers = []
        ws.call(clients.list_clients, on_done=self._show)

    def _show(self, rows):
        self.names.setText("\n".join(f"{c.first_name} {c.last_name}" for c in rows))

    def open_client_window(self):
        """A separate top-level window (no parent), like a viewer opened beside the main one."""
        window = ClientViewer()
        window.setWindowTitle(self.names.text().splitlines()[0])
        window.show()
        self.viewers.append(window)  # kept alive here, as a real opener would
        return window

    def open_client_dialog(self):
        dialog = QDialog(self)
        dialog.setObjectName("clientDialog")
        QVBoxLayout(dialog).addWidget(QLabel(self.names.text().splitlines()[0]))
        dialog.open()
        return dialog


class ClientViewer(QMainWindow):
    pass


def _shell(qtbot, qapp, ws, *, minute_ms=60_000):
    from carebook.ui.shell import Shell

    shell = Shell(ws, app=qapp, minute_ms=minute_ms, main_window=ClientWindow)
    shell.start()
    qtbot.waitUntil(lambda: shell.signin is not None and shell.signin.isVisible())
    return shell


def _sign_in(qtbot, shell, username="hoitaja1"):
    window = shell.signin
    window.username.setText(username)
    window.password.setText(PASSWORD)
    with qtbot.waitSignal(shell.main_window_built, timeout=10_000):
        window.sign_in_button.click()
    qtbot.waitUntil(lambda: bool(shell.main.names.text()), timeout=10_000)
    return shell.main


def _texts_on_screen() -> str:
    parts = []
    for widget in QApplication.allWidgets():
        parts.append(widget.windowTitle())
        text = getattr(widget, "text", None)
        if callable(text):
            value = text()
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


def _done(shell, qapp):
    shell.autolock.remove()
    for widget in (shell.main, shell.signin):
        if widget is not None:
            widget.close()
            widget.deleteLater()


def test_idle_time_locks_and_leaves_nothing_of_clients(qtbot, qapp, workspace):
    shell = _shell(qtbot, qapp, workspace, minute_ms=60_000)
    main = _sign_in(qtbot, shell)
    name = main.names.text().splitlines()[0]
    dialog = main.open_client_dialog()
    viewer = main.open_client_window()
    assert name in _texts_on_screen() and dialog.isVisible() and viewer.isVisible()
    shell.autolock.disarm()
    shell.autolock._minute_ms = 50  # a very short idle time; nobody touches anything
    shell.autolock.arm()
    with qtbot.waitSignal(shell.locked, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: workspace.db.pending == 0, timeout=10_000)
    qtbot.waitUntil(lambda: name not in _texts_on_screen(), timeout=10_000)
    assert shell.main is None and workspace.store is None and workspace.staff is None
    assert not any(w.objectName() in ("mainWindow", "clientDialog")
                   or isinstance(w, ClientViewer) for w in QApplication.allWidgets())
    assert shell.signin.isVisible() and shell.signin.username.text() == "hoitaja1"
    assert shell.signin.focusWidget() is shell.signin.password
    assert not shell.autolock.armed
    _done(shell, qapp)


def test_input_counts_as_activity(qtbot, qapp):
    """Keys, mouse and wheel restart the idle timer; other events (timers, paints) do not."""
    lock = AutoLock(qapp, minutes=1, minute_ms=60_000)
    fired = []
    lock.idle.connect(lambda: fired.append(True))
    lock.arm()
    lock._timer.stop()
    label = QLabel("x")
    qtbot.addWidget(label)
    qapp.sendEvent(label, QEvent(QEvent.Type.UpdateRequest))
    assert not lock._timer.isActive()
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
    qapp.sendEvent(label, press)
    assert lock._timer.isActive() and lock._timer.interval() == 60_000
    lock._timer.stop()
    qtbot.keyClick(label, Qt.Key.Key_A)
    assert lock._timer.isActive()
    lock.remove()
    assert fired == []


def test_lock_and_switch_user_are_one_action_each(qtbot, qapp, workspace):
    shell = _shell(qtbot, qapp, workspace)
    main = _sign_in(qtbot, shell)
    name = main.names.text().splitlines()[0]
    with qtbot.waitSignal(shell.locked):
        main.switch_user_requested.emit()
    assert shell.signin.username.text() == ""
    assert shell.signin.focusWidget() is shell.signin.username
    qtbot.waitUntil(lambda: name not in _texts_on_screen(), timeout=10_000)
    main = _sign_in(qtbot, shell, "hoitaja2")
    assert workspace.staff.username == "hoitaja2"
    with qtbot.waitSignal(shell.locked):
        main.lock_requested.emit()
    assert shell.signin.username.text() == "hoitaja2"
    assert workspace.settings.last_username == "hoitaja2"
    _done(shell, qapp)
