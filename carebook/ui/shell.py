"""The shell: which window is on screen, from first start to quitting (issue 4 items 1–3, 8, 9).

It owns the first-run wizard, the sign-in window, the main window's lifetime, auto-lock, the
settings and the help overlay. The main window is built after each sign-in and DESTROYED on lock
or user switch — its dialogs closed first — so nothing of clients stays in memory or on screen
(ARCHITECTURE §6). Window geometry is saved into the UI settings whenever the main window goes
away and restored when the next one is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from carebook.i18n import _, current_language, set_language
from carebook.ui.autolock import MINUTE_MS, AutoLock

log = logging.getLogger(__name__)

MAIN_GEOMETRY = "main"
MAIN_STATE = "main_state"

WindowFactory = Callable[[Any], QWidget]


def qt_translations(app: Any, language: str) -> list[Any]:
    """Load Qt's own ``qtbase_<lang>.qm`` so stock dialogs (buttons, file dialogs) speak the
    language; returns the installed translators (keep them alive, remove them to switch)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    if language == "en":
        return []
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", path):
        app.installTranslator(translator)
        return [translator]
    return []


def center(window: QWidget, width: int, height: int) -> None:
    """Size ``window`` and put it in the middle of its screen (first start, no saved place)."""
    window.resize(width, height)
    screen = window.screen() or QApplication.primaryScreen()
    if screen is not None:
        frame = window.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        window.move(frame.topLeft())


def _real_main_window(ws: Any) -> QWidget:
    from carebook.ui.main_window import MainWindow

    return MainWindow(ws)


class Shell(QObject):
    """Drives the app's windows.

    Args:
        ws: the workspace.
        app: the QApplication (auto-lock filters its events; translators are installed on it).
        translators: Qt translators already installed (replaced on a language change).
        minute_ms: length of an auto-lock "minute" (tests make it short).
        main_window: builds the main window from the workspace (tests pass a small one).

    Signals:
        first_window_shown(): the first window (sign-in or first-run wizard) was painted.
        main_window_built(object): a main window was built after sign-in.
        locked(): the app locked (or switched user) and the sign-in window is showing.
    """

    first_window_shown = Signal()
    main_window_built = Signal(object)
    locked = Signal()

    def __init__(self, ws: Any, *, app: Any, translators: list[Any] | None = None,
                 minute_ms: int = MINUTE_MS, main_window: WindowFactory | None = None,
                 **_ignored: Any) -> None:
        super().__init__()
        self.ws = ws
        self.app = app
        self.translators = list(translators or [])
        self.make_main_window = main_window or _real_main_window
        self.main: Any = None
        self.signin: Any = None
        self.wizard: Any = None
        self.dialog: Any = None
        self._painted_watch: QWidget | None = None
        self._language = current_language()
        self.autolock = AutoLock(app, minutes=ws.settings.autolock_minutes,
                                 minute_ms=minute_ms)
        self.autolock.idle.connect(self.lock)
        ws.settings_changed.connect(self._on_settings_changed)

    # -- start and end ----------------------------------------------------------------------

    def start(self) -> None:
        """Show the first-run wizard when the data folder has no store, else sign-in."""
        from carebook.paths import store_path

        if store_path(self.ws.data_dir).exists():
            self.show_sign_in(username=self.ws.settings.last_username)
        else:
            self.show_first_run()
        self._watch_first_paint(self.wizard or self.signin)

    def shutdown(self) -> None:
        """Save the geometry, close the store, stop the lanes (after the event loop ends)."""
        self.autolock.remove()
        if self.ws.store is not None:
            self.ws.lock()
        self._drop_main_window()
        for lane in (self.ws.db, self.ws.net):
            if lane is not None:
                lane.stop()

    def _watch_first_paint(self, window: QWidget | None) -> None:
        if window is None:
            return
        self._painted_watch = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._painted_watch and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._painted_watch = None
            QTimer.singleShot(0, self.first_window_shown.emit)
        elif watched is self.main and event.type() == QEvent.Type.Close:
            self._save_geometry()
        return False

    # -- first run and sign-in ----------------------------------------------------------------

    def show_first_run(self) -> None:
        from carebook.ui.first_run import FirstRunWizard

        self.wizard = FirstRunWizard(self.ws)
        self.wizard.completed.connect(self._on_first_run_done)
        center(self.wizard, 700, 520)
        self.wizard.show()

    def _on_first_run_done(self, signed_in: bool) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        if signed_in:
            from dataclasses import replace

            self.ws.save_settings(replace(self.ws.settings,
                                          last_username=self.ws.staff.username), notify=False)
            self._build_main_window()
        elif wizard is not None and wizard.store_made:
            self.show_sign_in(username=wizard.admin.username.text().strip())
        else:
            self.app.quit()  # cancelled before anything was made

    def show_sign_in(self, *, username: str = "") -> None:
        from carebook.ui.signin import SignInWindow

        old = self.signin
        self.signin = SignInWindow(self.ws, username=username)
        self.signin.signed_in.connect(self._on_signed_in)
        self.signin.settings_requested.connect(self.open_settings)
        self.signin.help_requested.connect(self.open_help)
        geometry = self.ws.settings.geometry_of("signin")
        if geometry is None or not self.signin.restoreGeometry(geometry):
            hint = self.signin.sizeHint()
            center(self.signin, max(460, hint.width()), max(300, hint.height() + 24))
        self.signin.show()
        self.signin.activateWindow()
        if old is not None:
            old.hide()
            old.deleteLater()

    def _on_signed_in(self, staff: Any) -> None:
        from dataclasses import replace

        settings = replace(self.ws.settings, last_username=staff.username)
        if self.signin is not None:
            settings = settings.with_geometry("signin", bytes(self.signin.saveGeometry()))
        self.ws.save_settings(settings, notify=False)
        self._remember_label()
        self._build_main_window()

    def _remember_label(self) -> None:
        from carebook.model.services import setup
        from carebook.ui.signin import StoreLabel, write_label

        data_dir = self.ws.data_dir

        def keep(producer: Any) -> None:
            write_label(data_dir, StoreLabel(producer.name, producer.test_mode))

        self.ws.call(lambda store, _staff: setup.producer_info(store), on_done=keep,
                     on_error=lambda exc: log.warning("producer not read: %s", exc))

    # -- the main window ----------------------------------------------------------------------

    def _build_main_window(self) -> None:
        main = self.make_main_window(self.ws)
        self.main = main
        for name, slot in (("lock_requested", self.lock),
                           ("switch_user_requested", self.switch_user),
                           ("settings_requested", self.open_settings),
                           ("help_requested", self.open_help),
                           ("quit_requested", self.quit)):
            signal = getattr(main, name, None)
            if signal is not None:
                signal.connect(slot)
        self._restore_geometry(main)
        self._mark_test_store(main)
        main.installEventFilter(self)
        main.show()
        main.activateWindow()
        if self.signin is not None:
            self.signin.hide()
            self.signin.deleteLater()
            self.signin = None
        self.autolock.set_minutes(self.ws.settings.autolock_minutes)
        self.autolock.arm()
        self.main_window_built.emit(main)

    def _mark_test_store(self, main: QWidget) -> None:
        # The store is encrypted: only after sign-in is it known for certain to be a test store.
        from carebook.ui.signin import marker_text

        staff = self.ws.staff
        marker = _("TEST STORE")
        if staff is not None and staff.test_mode and marker not in main.windowTitle():
            title = main.windowTitle() or _("carebook")
            main.setWindowTitle(f"{title} — {marker}")
            main.setToolTip(marker_text())

    def _restore_geometry(self, main: QWidget) -> None:
        geometry = self.ws.settings.geometry_of(MAIN_GEOMETRY)
        if geometry is None or not main.restoreGeometry(geometry):
            center(main, 1200, 800)
        state = self.ws.settings.geometry_of(MAIN_STATE)
        if state is not None and hasattr(main, "restoreState"):
            main.restoreState(state)

    def _save_geometry(self) -> None:
        main = self.main
        if main is None:
            return
        settings = self.ws.settings.with_geometry(MAIN_GEOMETRY, bytes(main.saveGeometry()))
        if hasattr(main, "saveState"):
            settings = settings.with_geometry(MAIN_STATE, bytes(main.saveState()))
        self.ws.save_settings(settings, notify=False)

    def _drop_main_window(self) -> None:
        """Close every dialog of the main window, then destroy it."""
        main = self.main
        if main is None:
            return
        self._save_geometry()
        self.main = None
        main.removeEventFilter(self)
        # Hidden and deleted, not rejected: an editor's reject() may ask "save first?", and
        # no question may pop up over the sign-in window. Editors close themselves on
        # ``ws.locked`` (emitted before this on lock) and keep what their autosave kept.
        for window in self._open_dialogs():
            window.hide()
            window.deleteLater()
        main.hide()
        main.deleteLater()

    def _open_dialogs(self) -> list[QWidget]:
        """Every window of the app but sign-in and the wizard: dialogs, message boxes and any
        separate window of ours (a usage-log viewer may be one). Qt's own helper windows
        (tool tips, menus) are left to Qt."""
        keep = {self.signin, self.wizard, self.main}
        return [w for w in QApplication.topLevelWidgets()
                if w not in keep and (isinstance(w, QDialog)
                                      or not type(w).__module__.startswith("PySide6"))]

    # -- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Lock: the sign-in window with the last user's name, nothing of clients left."""
        self._lock(username=self.ws.settings.last_username)

    def switch_user(self) -> None:
        """Another worker signs in on this PC: the sign-in window with an empty username."""
        self._lock(username="")

    def _lock(self, *, username: str) -> None:
        if self.main is None and not self.ws.is_signed_in:
            return
        self.autolock.disarm()
        # Sign-in shows first: closing the last visible window would end the app.
        self.show_sign_in(username=username)
        self.ws.lock()  # views and editors drop client data on ``locked``
        self._drop_main_window()
        self.locked.emit()

    def quit(self) -> None:
        """Quit: editors keep unsaved text as drafts first (``Workspace.locking``), the store
        closes after those saves on the DB lane, then the windows go."""
        self.autolock.disarm()
        if self.ws.is_signed_in:
            self.ws.lock()
        self._drop_main_window()
        self.app.quit()

    # -- settings and help ----------------------------------------------------------------------

    def _current_window(self) -> QWidget | None:
        return self.main or self.signin or self.wizard

    def open_settings(self) -> QDialog:
        from carebook.ui.settings_dialog import open_settings

        self.dialog = open_settings(self._current_window(), self.ws)
        return self.dialog

    def open_help(self) -> QDialog:
        from carebook.ui.help_overlay import open_shortcuts

        self.dialog = open_shortcuts(self._current_window())
        return self.dialog

    def _on_settings_changed(self) -> None:
        self.autolock.set_minutes(self.ws.settings.autolock_minutes)
        language = self.ws.settings.effective_language()
        if language != self._language:
            QTimer.singleShot(0, lambda: self.apply_language(language))

    def apply_language(self, language: str) -> None:
        """Switch the catalogue and Qt's translations, then rebuild the windows."""
        self._language = set_language(language)
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators = qt_translations(self.app, self._language)
        if self.main is not None:
            if any(d.isVisible() for d in self._open_dialogs()):
                # An editor is open: rebuilding would throw away what is being typed. The new
                # language shows in new dialogs now and everywhere after the next lock.
                return
            self._drop_main_window()
            self._build_main_window()
        elif self.signin is not None:
            self.show_sign_in(username=self.signin.username.text())
