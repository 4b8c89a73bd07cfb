"""Auto-lock: user input anywhere in the app counts as activity; idle time locks the app.

Issue 4 item 3 and ARCHITECTURE §6: on a shared office PC the window must not stay open on a
client's record when the worker walks away. An application-wide event filter sees every key,
mouse and wheel event; each one restarts a single-shot timer of ``autolock_minutes``
(UiSettings, default 10, 1–120). When the timer runs out :attr:`AutoLock.idle` is emitted and the
shell locks. Timer events, repaints and lane results are not activity, so a busy window still
locks.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

MINUTE_MS = 60_000

ACTIVITY = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})


class AutoLock(QObject):
    """Watches the whole application for input while armed.

    Args:
        app: the QApplication (the filter is installed on it).
        minutes: idle minutes before :attr:`idle` fires.
        minute_ms: length of a "minute" in milliseconds (tests make it short).

    Signals:
        idle(): nobody touched the app for ``minutes``; emitted once per arming.
    """

    idle = Signal()

    def __init__(self, app: QObject, *, minutes: int, minute_ms: int = MINUTE_MS) -> None:
        super().__init__()
        self._app = app
        self._minute_ms = minute_ms
        self._minutes = minutes
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._armed = False
        app.installEventFilter(self)

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def interval_ms(self) -> int:
        return self._minutes * self._minute_ms

    def arm(self) -> None:
        """Start watching (after sign-in)."""
        self._armed = True
        self._timer.start(self.interval_ms)

    def disarm(self) -> None:
        """Stop watching (locked: nothing to protect)."""
        self._armed = False
        self._timer.stop()

    def set_minutes(self, minutes: int) -> None:
        """A new idle time from the settings; counts from now."""
        self._minutes = minutes
        if self._armed:
            self._timer.start(self.interval_ms)

    def remove(self) -> None:
        """Take the filter off the application (shutdown)."""
        self.disarm()
        self._app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._armed and event.type() in ACTIVITY:
            self._timer.start(self.interval_ms)
        return False

    def _on_timeout(self) -> None:
        if self._armed:
            self._armed = False
            self.idle.emit()
