"""The signed-in workspace: the open store, the staff session, the lanes, and app-wide signals.

Built once by the composition root (:mod:`carebook.app`) and passed to every controller; no
module reaches it through a global. Controllers call services only through :meth:`Workspace.call`,
which runs ``fn(store, staff, ...)`` on the DB lane and hands the frozen records back on the GUI
thread (STYLE "One background-operation API"). The UI adds no rules: refusals come from the
services as typed errors, and the one that asks something of the user — a missing relevant
connection (AC-6) — is answered here with the special-reason prompt (AC-7) and the call repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from carebook.errors import CarebookError, NoRelevantConnectionError
from carebook.i18n import _
from carebook.ui.busy import BusyIndicator
from carebook.ui.lanes import Done, Failed, Job, Lane
from carebook.ui.settings import SettingsFile, UiSettings

if TYPE_CHECKING:  # the store stack (SQLAlchemy, Alembic) loads after the sign-in window shows
    from carebook.model.access import StaffSession
    from carebook.model.keyslots import SlotPolicy
    from carebook.model.store import Store

log = logging.getLogger(__name__)


class Workspace(QObject):
    """Shared state of one running app.

    Signals:
        signed_in(): a staff member signed in; ``store`` and ``staff`` are set.
        locking(): the app is about to lock; editors keep unsaved text with
            :meth:`save_on_lock` now (the store is still open).
        locked(): the app locked or the user signed out; views must drop client data now.
        client_selected(int): the client shown in the main window changed (0 = none).
        documents_changed(int): documents of this client were written (timeline, card reload).
        clients_changed(): clients, units or relationships changed (lists reload).
        settings_changed(): language or auto-lock time changed (views retranslate).
    """

    signed_in = Signal()
    locking = Signal()
    locked = Signal()
    client_selected = Signal(int)
    documents_changed = Signal(int)
    clients_changed = Signal()
    settings_changed = Signal()

    def __init__(self, *, data_dir: Path, db_lane: Lane, net_lane: Lane | None = None,
                 policy: SlotPolicy | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.db = db_lane
        self.net = net_lane
        self.policy = policy
        self.settings_file = SettingsFile(data_dir)
        self.settings: UiSettings = self.settings_file.load()
        self.store: Store | None = None
        self.staff: StaffSession | None = None
        self._reasons: dict[int, str] = {}
        self._jobs: list[Job] = []

    # -- signing in and out -------------------------------------------------------------

    @property
    def is_signed_in(self) -> bool:
        return self.store is not None and self.staff is not None

    def has_role(self, role: str) -> bool:
        return self.staff is not None and role in self.staff.roles

    def sign_in(self, username: str, password: str, *, on_done: Done,
                on_error: Failed) -> Job:
        """Unlock the store as ``username`` on the DB lane (key derivation takes ~0.5 s)."""
        from carebook.model.services import accounts

        def work() -> tuple[Store, StaffSession]:
            return accounts.sign_in(self.data_dir, username, password, policy=self.policy)

        def done(result: tuple[Store, StaffSession]) -> None:
            self.store, self.staff = result
            self.signed_in.emit()
            on_done(result[1])

        return self.db.submit(work, on_done=done, on_error=on_error)

    def lock(self) -> None:
        """Forget the session and close the store; views clear themselves on ``locked``.

        Pending jobs still run (before the store closes: one FIFO lane) but deliver nothing,
        so no client data arrives after the lock and no queued save is lost. The store key
        leaves memory with the closed store; signing in again derives it from the password.
        """
        if self.is_signed_in:
            self.locking.emit()  # drafts queued now run before the store closes (FIFO lane)
        for job in self._jobs:
            # Run but never deliver: a queued save still reaches the store (nothing typed is
            # lost to a lock), and no client data comes back to the screen after it.
            job.orphaned = True
        self._jobs.clear()
        self._reasons.clear()
        store, self.store, self.staff = self.store, None, None
        if store is not None:
            self.db.submit(store.close)
        self.locked.emit()

    # -- service calls ------------------------------------------------------------------

    def call(self, fn: Callable[..., Any], /, *args: Any, on_done: Done,
             on_error: Failed | None = None, parent: QWidget | None = None,
             busy: str | None = None, client: int | None = None, **kwargs: Any) -> Job | None:
        """Run ``fn(store, staff, *args, **kwargs)`` on the DB lane.

        Args:
            fn: a service function taking ``(store, ctx, ...)``.
            on_done: called on the GUI thread with the result.
            on_error: called on the GUI thread with a typed error (default: an error box).
            parent: the widget the special-reason prompt and busy dialog belong to.
            busy: text of the progress dialog shown if the call takes over ~600 ms.
            client: the client the call concerns; a special reason given for this client
                earlier in the session is passed again (AC-7: one prompt per client, each use
                logged by the service).
        Returns:
            The queued job, or None when nobody is signed in.
        """
        if not self.is_signed_in:
            return None
        store, staff = self.store, self.staff
        if client is not None and client in self._reasons and "special_reason" not in kwargs:
            kwargs["special_reason"] = self._reasons[client]

        def work() -> Any:
            return fn(store, staff, *args, **kwargs)

        indicator: BusyIndicator | None = None

        def finished() -> None:
            if indicator is not None:
                indicator.finish()
            if job in self._jobs:
                self._jobs.remove(job)

        def done(result: Any) -> None:
            finished()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finished()
            if (isinstance(exc, NoRelevantConnectionError) and parent is not None
                    and "special_reason" not in kwargs):
                self._ask_reason(exc, fn, args, kwargs, on_done=on_done, on_error=on_error,
                                 parent=parent, busy=busy, client=client)
                return
            self._fail(exc, on_error, parent)

        job = self.db.submit(work, on_done=done, on_error=failed)
        self._jobs.append(job)
        if busy:
            indicator = BusyIndicator(parent, job, busy)
        return job

    def save_on_lock(self, fn: Callable[..., Any], /, *args: Any, client: int | None = None,
                     **kwargs: Any) -> None:
        """Queue ``fn(store, staff, ...)`` during ``locking``: a last draft save.

        Nothing comes back (the views are gone by the time it runs); a refusal is logged
        without its content. The special reason given for ``client`` this session is reused.
        """
        if not self.is_signed_in:
            return
        store, staff = self.store, self.staff
        if client is not None and client in self._reasons and "special_reason" not in kwargs:
            kwargs["special_reason"] = self._reasons[client]

        def work() -> None:
            try:
                fn(store, staff, *args, **kwargs)
            except CarebookError as exc:
                log.warning("draft not kept at lock: %s", exc.code)

        self.db.submit(work)

    def reason_for(self, client_id: int) -> str | None:
        """The special reason given for this client in this session, if any."""
        return self._reasons.get(client_id)

    def remember_reason(self, client_id: int, reason: str) -> None:
        """Reuse ``reason`` for later calls about this client (AC-7: a client found with a
        special reason is then opened without a second prompt; each use is still logged)."""
        self._reasons[client_id] = reason

    def _ask_reason(self, exc: NoRelevantConnectionError, fn: Callable[..., Any],
                    args: tuple[Any, ...], kwargs: dict[str, Any], **call: Any) -> None:
        from carebook.ui.special_reason import SpecialReasonDialog

        dialog = SpecialReasonDialog(call["parent"], exc.text())
        self.last_prompt = dialog

        def answered(result: int) -> None:
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted:
                if call["on_error"] is not None:
                    call["on_error"](exc)
                return
            reason = dialog.reason()
            if call["client"] is not None:
                self._reasons[call["client"]] = reason
            self.call(fn, *args, special_reason=reason, **kwargs, **call)

        dialog.finished.connect(answered)
        dialog.open()

    def _fail(self, exc: BaseException, on_error: Failed | None,
              parent: QWidget | None) -> None:
        if on_error is not None:
            on_error(exc)
            return
        from carebook.ui.errors import show_error

        show_error(parent, exc, title=_("carebook"))

    # -- settings -----------------------------------------------------------------------

    def save_settings(self, settings: UiSettings, *, notify: bool = True) -> None:
        """Keep and write the settings (atomically); emits ``settings_changed`` if asked."""
        self.settings = settings
        try:
            self.settings_file.save(settings)
        except (OSError, CarebookError) as exc:  # a full disk must not stop the app
            log.warning("settings not saved: %s", exc.__class__.__name__)
        if notify:
            self.settings_changed.emit()
