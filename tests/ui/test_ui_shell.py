"""The shell: sign-in builds the main window, the test-store mark, window geometry remembered
across a lock, the store label refreshed, quitting, and first start without a store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow

from carebook.ui.signin import read_label

PASSWORD = "demo-password"


class SmallMainWindow(QMainWindow):
    lock_requested = Signal()
    switch_user_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    quit_requested = Signal()

    def __init__(self, ws):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("carebook")


def _shell(qtbot, qapp, ws):
    from carebook.ui.shell import Shell

    shell = Shell(ws, app=qapp, main_window=SmallMainWindow)
    return shell


def _sign_in(qtbot, shell, username="hoitaja1"):
    shell.signin.username.setText(username)
    shell.signin.password.setText(PASSWORD)
    with qtbot.waitSignal(shell.main_window_built, timeout=10_000):
        shell.signin.sign_in_button.click()
    return shell.main


def _end(shell):
    shell.autolock.remove()
    for widget in (shell.main, shell.signin, shell.wizard):
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def test_sign_in_builds_the_main_window_marked_as_a_test_store(qtbot, qapp, workspace,
                                                             wait_idle):
    shell = _shell(qtbot, qapp, workspace)
    with qtbot.waitSignal(shell.first_window_shown, timeout=10_000):
        shell.start()
    assert shell.signin.isVisible() and shell.wizard is None
    main = _sign_in(qtbot, shell)
    assert main.isVisible() and shell.signin is None
    assert main.windowTitle() == "carebook — TEST STORE"  # the demo is a test store
    assert shell.autolock.armed
    wait_idle()
    label = read_label(workspace.data_dir)
    assert label.test_mode is True and label.producer.startswith("Hoivakoti Kuusela Oy")
    assert workspace.settings.last_username == "hoitaja1"
    _end(shell)


def test_window_geometry_is_remembered_across_a_lock(qtbot, qapp, workspace):
    shell = _shell(qtbot, qapp, workspace)
    shell.start()
    main = _sign_in(qtbot, shell)
    main.resize(700, 520)
    qtbot.waitUntil(lambda: main.size().width() == 700)
    shell.lock()
    assert workspace.settings.geometry_of("main") is not None
    again = _sign_in(qtbot, shell)
    assert again is not main
    assert (again.size().width(), again.size().height()) == (700, 520)
    _end(shell)


def test_quit_from_the_main_window_saves_and_ends(qtbot, qapp, workspace):
    shell = _shell(qtbot, qapp, workspace)
    shell.start()
    main = _sign_in(qtbot, shell)
    quits = []
    qapp.aboutToQuit.connect(lambda: quits.append(True))
    shell.app = type("App", (), {"quit": lambda self: quits.append(True)})()
    main.quit_requested.emit()
    assert quits == [True] and shell.main is None
    assert workspace.settings.geometry_of("main") is not None
    _end(shell)


def test_first_start_without_a_store_opens_the_wizard(qtbot, qapp, tmp_path: Path, workspace):
    workspace.data_dir = tmp_path / "empty"
    shell = _shell(qtbot, qapp, workspace)
    with qtbot.waitSignal(shell.first_window_shown, timeout=10_000):
        shell.start()
    assert shell.wizard is not None and shell.wizard.isVisible() and shell.signin is None
    _end(shell)


def test_the_real_main_window_is_built_and_destroyed_on_lock(qtbot, qapp, workspace, wait_idle):
    """The shell imports carebook.ui.main_window lazily and builds a new one per sign-in."""
    from carebook.ui.main_window import MainWindow
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=qapp)
    shell.start()
    main = _sign_in(qtbot, shell)
    assert isinstance(main, MainWindow) and main.objectName() == "mainWindow"
    assert "TEST STORE" in main.windowTitle()
    wait_idle()
    with qtbot.waitSignal(main.destroyed, timeout=10_000):
        main.lock_requested.emit()
    assert shell.main is None and workspace.store is None
    wait_idle()
    _end(shell)
