"""Garbage collection only on the GUI thread.

Python's cyclic collector runs on whichever thread happens to allocate when a threshold is
crossed. If that is the DB lane, Qt objects caught in a reference cycle (a dialog referenced
from a closure, a timer held by a finished job) are destroyed on the wrong thread — Qt warns
"Timers cannot be stopped from another thread" or crashes. So automatic collection is switched
off and a timer on the GUI thread collects instead (the approach Anki's desktop app takes).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 5_000


class GuiThreadCollector(QObject):
    """Disables automatic collection and collects every :data:`INTERVAL_MS` on this thread."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)

    def collect(self) -> int:
        """Collect now (cheap when there is nothing to collect); returns objects freed."""
        return gc.collect()

    def stop(self) -> None:
        """Stop the timer, collect once more and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
