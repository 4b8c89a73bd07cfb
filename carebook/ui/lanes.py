"""Background lanes: store work on one worker thread, network work on another.

ARCHITECTURE §6: the GUI thread never waits for the store or the network. A lane is a single
worker thread with a FIFO queue, so every store call runs in order on one connection-owning
thread ("one DB lane") and Qt models only ever see the frozen records the services return.
Results and errors come back to the GUI thread through a queued signal.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def _spent() -> None:
    """The function of a delivered job (its closure is released on the GUI thread)."""


@dataclass
class Job:
    """One queued call.

    ``cancelled``: not run at all if it has not started (a timeline page nobody will see).
    ``orphaned``: run, but its result is not delivered — the app locked while it was queued.
    A save the worker asked for still reaches the store; nothing comes back to the screen.
    """

    fn: Callable[[], Any]
    on_done: Done | None
    on_error: Failed | None
    cancelled: bool = False
    finished: bool = False
    orphaned: bool = False


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call onto the GUI thread.

    Signals:
        delivered(object, object, object): job, result, error (one of the last two is None).
    """

    delivered = Signal(object, object, object)


class Lane:
    """A single worker thread running jobs in submission order.

    Args:
        name: thread name (shows in logs, never personal data).
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._relay = _Relay()
        self._relay.delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()
        self.pending = 0

    def submit(self, fn: Callable[[], Any], *, on_done: Done | None = None,
               on_error: Failed | None = None) -> Job:
        """Queue ``fn``; ``on_done(result)`` or ``on_error(exc)`` later runs on the GUI thread."""
        job = Job(fn, on_done, on_error)
        self.pending += 1
        self._queue.put(job)
        return job

    def call_blocking(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the lane and wait (shutdown and tests only; never from a slot)."""
        box: dict[str, Any] = {}
        ready = threading.Event()

        def run() -> None:
            try:
                box["result"] = fn()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                box["error"] = exc
            finally:
                ready.set()

        self.pending += 1  # delivered (and counted down) through _deliver like any job
        self._queue.put(Job(run, None, None))
        ready.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def stop(self) -> None:
        """Finish queued jobs, then end the thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.cancelled:
                self._relay.delivered.emit(job, None, None)
                continue
            try:
                result = job.fn()
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
                self._relay.delivered.emit(job, None, exc)
            else:
                self._relay.delivered.emit(job, result, None)

    def _deliver(self, job: Job, result: Any, error: BaseException | None) -> None:
        self.pending -= 1
        job.finished = True
        # The worker keeps its last Job until it takes the next one; the callbacks (bound
        # methods of widgets) are dropped here, on the GUI thread, so a window is never
        # destroyed on the worker thread when the Job is its last owner.
        on_done, on_error = job.on_done, job.on_error
        job.on_done = job.on_error = None
        job.fn = _spent
        if job.cancelled or job.orphaned:
            return
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("unhandled error on lane %s", self._name, exc_info=error)
        elif on_done is not None:
            on_done(result)
