"""The main window: units and clients on the left, the client card, the timeline and the
composer in the centre (issue 4 item 4; ARCHITECTURE §6).

The window is built after sign-in and destroyed on lock, so nothing of clients outlives it. It
owns no rules: the menus open the dialogs of the other parts, every read goes to the services
on the DB lane, and the services refuse what the user's role or units do not allow. Menu
entries are shown by role only to keep the screen calm (AC-2).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import NoRelevantConnectionError
from carebook.i18n import _
from carebook.ui import shortcuts
from carebook.ui.client_browser import ClientBrowser
from carebook.ui.client_card import ClientCard
from carebook.ui.timeline import ClientTimeline

_ENTRY, _PLAN = "carebook.ui.entry_editor", "carebook.ui.plan_editor"
_SERVICE = "carebook.ui.service_dialogs"
_CORRECTION, _NULLIFY = "carebook.ui.correction_dialog", "carebook.ui.nullify_dialog"
_VERSIONS = "carebook.ui.versions_dialog"


class _AfterPaint(QObject):
    """Runs ``fn`` once, just after ``widget`` next paints (or after ``fallback_ms`` when it
    does not paint, e.g. a minimised window)."""

    def __init__(self, widget: QWidget, fn: Callable[[], None], *, parent: QObject,
                 fallback_ms: int = 250) -> None:
        super().__init__(parent)
        self._widget, self._fn = widget, fn
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after this paint has been handled
        return False

    def _run(self) -> None:
        if self._fn is None:
            return
        fn, self._fn = self._fn, None
        self._widget.removeEventFilter(self)
        self.deleteLater()
        fn()


def _window_info(store: Any, staff: Any) -> tuple[Any, str]:
    """The producer (and whether the store is a test store) and the user's full name."""
    from carebook.model.services import setup
    from carebook.model.services import staff as staff_service

    me = staff_service.get_staff(store, staff, staff.username)
    return setup.producer_info(store), me.full_name


class MainWindow(QMainWindow):
    """The signed-in user's window.

    Signals:
        lock_requested(), switch_user_requested(), settings_requested(), help_requested(),
        quit_requested(): the shell acts on them.
    """

    new_client: QAction
    new_entry: QAction
    new_plan: QAction
    start_service: QAction
    end_service: QAction
    correct: QAction
    nullify: QAction
    versions: QAction

    lock_requested = Signal()
    switch_user_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    quit_requested = Signal()

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ws = ws
        from carebook.model import access  # loaded with the store at sign-in

        # The rights table decides (AC-2): the administrator role reads no journal content.
        self.reads_records = ws.staff is not None and access.has_right(ws.staff,
                                                                        access.READ_RECORDS)
        self.writes_records = ws.staff is not None and access.has_right(ws.staff,
                                                                         access.WRITE_RECORDS)
        self._client: int | None = None
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._on_refresh_due)
        self._build()
        self._menus()
        self._connect()
        self._title(None, None)
        self.browser.start()
        self._update_actions()
        QTimer.singleShot(0, self.browser.search.setFocus)
        self.ws.call(_window_info, on_done=self._on_window_info,
                     on_error=lambda _exc: None)

    # -- view ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.browser = ClientBrowser(self.ws, self)
        self.card = ClientCard(self.ws, self)
        self.timeline = ClientTimeline(self.ws, self)
        self.composer = self._make_composer()
        self.pages = QStackedWidget(objectName="timelinePages")
        self.pages.addWidget(self.timeline)
        self.no_records = QLabel(_("Your role is administration: journal entries and plans "
                                   "are not shown to you. You can see who the clients are and "
                                   "where their service stands."), objectName="noRecordsText")
        self.no_records.setWordWrap(True)
        self.no_records.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.no_records)
        self.pages.setCurrentWidget(self.timeline if self.reads_records else self.no_records)
        centre = QSplitter(Qt.Orientation.Vertical, objectName="centreSplit")
        centre.addWidget(self.card)
        centre.addWidget(self.pages)
        if self.composer is not None:
            centre.addWidget(self.composer)
        centre.setStretchFactor(0, 0)
        centre.setStretchFactor(1, 1)
        centre.setSizes([165, 440, 170][: centre.count()])
        centre.setChildrenCollapsible(False)
        self.splitters = {"main_centre": centre, "main_split": None,
                          "main_timeline": self.timeline.findChild(QSplitter, "timelineSplit")}
        main = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplit")
        main.addWidget(self.browser)
        main.addWidget(centre)
        main.setStretchFactor(1, 1)
        main.setSizes([280, 1000])
        self.splitters["main_split"] = main
        self._restore_splitters()
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(objectName="testStoreBanner")
        self.banner.setStyleSheet("background: #ffe066; color: #3d3000; padding: 3px;"
                                  " font-weight: bold;")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        layout.addWidget(main, 1)
        self.setCentralWidget(holder)
        self.timeline.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.view.customContextMenuRequested.connect(self._on_context_menu)
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab walks the window left to right, top to bottom, and back (issue 4 item 9)."""
        card = self.card.findChild(QWidget, "cardScroll")
        chain: list[QWidget | None] = [
            self.browser.units, self.browser.search, self.browser.filter, self.browser.list,
            card, self.timeline.show_nullified, self.timeline.view, self.timeline.detail]
        composer: Any = self.composer
        if composer is not None:
            chain += [getattr(composer, name, None) for name in (
                "type_combo", "text", "draft_button", "complete_button",
                "restrictions_button")]
        widgets = [w for w in chain if w is not None]
        for first, second in zip(widgets, widgets[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _make_composer(self) -> QWidget | None:
        if not self.reads_records:
            return None
        try:
            from carebook.ui.composer import Composer
        except ModuleNotFoundError:  # the composer is a separate part; the window works without
            return None
        composer: QWidget = Composer(self.ws, self)
        composer.setObjectName(composer.objectName() or "composer")
        composer.recorded.connect(lambda _doc: self._schedule_refresh())
        return composer

    def _action(self, menu: QMenu, text: str, slot: Callable[[], None], *,
                name: str, keys: shortcuts.Shortcut | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(QKeySequence(keys.keys))
            action.setToolTip(keys.text())
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(_("&File"))
        self._action(file, _("&Lock"), self.lock_requested.emit, name="lockAction",
                     keys=shortcuts.LOCK)
        self._action(file, _("S&witch user"), self.switch_user_requested.emit,
                     name="switchUserAction", keys=shortcuts.SWITCH_USER)
        self._action(file, _("&Settings…"), self.settings_requested.emit,
                     name="settingsAction", keys=shortcuts.SETTINGS)
        file.addSeparator()
        self._action(file, _("&Quit"), self.quit_requested.emit, name="quitAction",
                     keys=shortcuts.QUIT)
        client = bar.addMenu(_("&Client"))
        self.new_client = self._action(client, _("New c&lient…"), self._on_new_client,
                                       name="newClientAction")
        client.addSeparator()
        for attr, text, opener, name, keys in (
                ("new_entry", _("&New entry…"), self._for_client(_ENTRY, "open_entry_editor"),
                 "newEntryAction", shortcuts.NEW_ENTRY),
                ("new_plan", _("New &plan…"), self._for_client(_PLAN, "open_plan_editor"),
                 "newPlanAction", shortcuts.NEW_PLAN),
                ("start_service", _("&Start service…"),
                 self._for_client(_SERVICE, "open_service_start"), "startServiceAction",
                 shortcuts.START_SERVICE),
                ("end_service", _("&End service…"),
                 self._for_client(_SERVICE, "open_service_end"), "endServiceAction",
                 shortcuts.END_SERVICE)):
            setattr(self, attr, self._action(client, text, opener, name=name, keys=keys))
        # Hidden with the record actions: an administrator's menu shows no double separator.
        self.records_separator = client.addSeparator()
        self._action(client, _("&Refresh"), self.refresh, name="refreshAction",
                     keys=shortcuts.REFRESH)
        self.entry_menu = entry = bar.addMenu(_("&Entry"))
        for attr, text, opener, name, keys in (
                ("correct", _("&Correct…"), self._for_document(_CORRECTION, "open_correction"),
                 "correctAction", shortcuts.CORRECT),
                ("nullify", _("&Nullify…"), self._for_document(_NULLIFY, "open_nullification"),
                 "nullifyAction", shortcuts.NULLIFY),
                ("versions", _("&Versions…"), self._for_document(_VERSIONS, "open_versions"),
                 "versionsAction", shortcuts.VERSIONS)):
            setattr(self, attr, self._action(entry, text, opener, name=name, keys=keys))
        entry.addSeparator()
        self.edit_draft = self._action(entry, _("&Edit draft…"), self._on_edit_draft,
                                       name="editDraftAction")
        self.complete_draft = self._action(entry, _("Co&mplete draft"), self._on_complete_draft,
                                           name="completeDraftAction")
        entry.menuAction().setVisible(self.reads_records)
        self._admin_menu(bar)
        help_menu = bar.addMenu(_("&Help"))
        self._action(help_menu, _("&Keyboard shortcuts"), self.help_requested.emit,
                     name="helpAction", keys=shortcuts.HELP)

    def _admin_menu(self, bar: Any) -> None:
        admin, director = self.ws.has_role("admin"), self.ws.has_role("director")
        menu = bar.addMenu(_("&Administration"))
        menu.menuAction().setVisible(admin or director)
        for text, name, opener, shown in (
                (_("&Staff…"), "staffAction", "open_staff_admin", admin),
                (_("&Units…"), "unitsAction", "open_units_admin", admin),
                (_("&Organisers…"), "organisersAction", "open_organisers_admin", admin),
                (_("Usage &log…"), "usageLogAction", "open_usage_log", director)):
            action = self._action(menu, text, self._opener("carebook.ui.admin", opener),
                                  name=name)
            action.setVisible(shown)
        self.admin_menu = menu

    def _connect(self) -> None:
        self.browser.client_chosen.connect(self._on_client_chosen)
        self.timeline.first_page_shown.connect(self._on_first_page)
        self.timeline.failed.connect(self._on_timeline_failed)
        self.timeline.document_selected.connect(lambda _doc: self._update_actions())
        self.ws.documents_changed.connect(self._on_documents_changed)

    def _restore_splitters(self) -> None:
        for name, splitter in self.splitters.items():
            state = self.ws.settings.geometry_of(name)
            if splitter is not None and state is not None:
                splitter.restoreState(state)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Remember the panel sizes (issue 4 item 9); hidden on lock, switch user and quit."""
        settings = self.ws.settings
        for name, splitter in self.splitters.items():
            if splitter is not None:
                settings = settings.with_geometry(name, bytes(splitter.saveState()))
        if settings != self.ws.settings:
            self.ws.save_settings(settings, notify=False)
        super().hideEvent(event)

    # -- public -------------------------------------------------------------------------

    def current_client_id(self) -> int | None:
        return self._client

    def current_document(self) -> Any:
        """The document selected in the timeline (a DocumentRecord), or None."""
        return self.timeline.current_document() if self.reads_records else None

    def refresh(self) -> None:
        """Reload the client list, the card and the timeline (F5)."""
        self.browser.reload()
        self._schedule_refresh()

    # -- controller ---------------------------------------------------------------------

    def _title(self, producer: Any, full_name: str | None) -> None:
        staff = self.ws.staff
        user = staff.username if staff is not None else ""
        parts = [_("carebook")]
        if producer is not None:
            parts.append(producer.name)
        parts.append(f"{full_name} ({user})" if full_name else user)
        test = producer.test_mode if producer is not None else bool(staff and staff.test_mode)
        if test:
            from carebook.ui.signin import marker_text

            parts.append(_("TEST STORE"))
            self.banner.setText(marker_text())
        self.banner.setVisible(test)
        self.setWindowTitle(" — ".join(parts))

    def _on_window_info(self, info: tuple[Any, str]) -> None:
        self._title(*info)

    def _on_client_chosen(self, client_id: int) -> None:
        self._client = client_id or None
        self.ws.client_selected.emit(client_id)
        if self.reads_records:
            self.timeline.set_client(self._client)  # first: the card follows the first page
            self.card.clear(_("Loading…") if client_id else None)
        else:
            self.card.set_client(self._client)
        if self.composer is not None:
            self.composer.set_client(self._client)  # type: ignore[attr-defined]
        self._update_actions()

    def _on_first_page(self, client_id: int) -> None:
        # Loaded after the timeline so one special-reason prompt serves both (AC-7), and only
        # once the first page is painted: the card's reads would otherwise compete with the
        # paint for the interpreter (issue 4 item 7, the first page at once).
        def load() -> None:
            if client_id == self._client and self.card.client_id != client_id:
                self.card.set_client(client_id)

        _AfterPaint(self.timeline.view.viewport(), load, parent=self)

    def _on_timeline_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NoRelevantConnectionError):
            self.card.clear(_("Give a special reason to see this client's data."))
        elif self._client is not None:
            self.card.set_client(self._client)

    def _on_documents_changed(self, client_id: int) -> None:
        if client_id == self._client:
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()  # coalesces the composer's signal and documents_changed

    def _on_refresh_due(self) -> None:
        if self._client is None:
            return
        if self.reads_records:
            self.timeline.reload()
        self.card.set_client(self._client)

    def _update_actions(self) -> None:
        chosen = self._client is not None and self.writes_records
        for action in (self.new_entry, self.new_plan, self.start_service, self.end_service):
            action.setEnabled(chosen)
            action.setVisible(self.writes_records)
        self.records_separator.setVisible(self.writes_records)
        doc = self.current_document()
        staff = self.ws.staff
        mine = doc is not None and staff is not None and doc.author_id == staff.user_id
        versionable = doc is not None and doc.state == "completed" and doc.kind in (
            "journal", "plan", "attachment")
        self.correct.setEnabled(versionable and doc.kind != "attachment")
        self.nullify.setEnabled(versionable)
        self.versions.setEnabled(doc is not None)
        draft = doc is not None and doc.state == "draft" and mine
        self.edit_draft.setEnabled(draft)
        self.complete_draft.setEnabled(draft)

    def context_menu_for_selection(self) -> QMenu | None:
        """The timeline's context menu: the Entry actions that apply to the selection."""
        if self.current_document() is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("timelineMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action in (self.correct, self.nullify, self.versions, self.edit_draft,
                       self.complete_draft):
            if action.isEnabled():
                menu.addAction(action)
        return menu

    def _on_context_menu(self, pos: Any) -> None:
        menu = self.context_menu_for_selection()
        if menu is not None and menu.actions():
            menu.popup(self.timeline.view.viewport().mapToGlobal(pos))

    # -- opening the other parts' dialogs -----------------------------------------------

    def _open(self, module: str, name: str, *args: Any, **kwargs: Any) -> Any:
        """``module.name(self, ws, *args, **kwargs)``, imported when first used (startup)."""
        self.last_dialog = getattr(importlib.import_module(module), name)(
            self, self.ws, *args, **kwargs)
        return self.last_dialog

    def _opener(self, module: str, name: str) -> Callable[[], Any]:
        return lambda: self._open(module, name)

    def _for_client(self, module: str, name: str) -> Callable[[], Any]:
        def run() -> Any:
            return None if self._client is None else self._open(module, name,
                                                                client_id=self._client)
        return run

    def _for_document(self, module: str, name: str) -> Callable[[], Any]:
        def run() -> Any:
            doc = self.current_document()
            return None if doc is None else self._open(module, name, doc)
        return run

    def _on_new_client(self) -> Any:
        """The new-client dialog; the client it adds is chosen once the list shows it."""
        dialog = self._open("carebook.ui.client_dialog", "open_new_client")
        dialog.added.connect(self.browser.choose_when_listed)
        # Back to this window when it closes (window managers differ; the composer's
        # shortcuts need the window active).
        dialog.finished.connect(lambda _result: self.activateWindow())
        return dialog

    def _on_edit_draft(self) -> Any:
        doc = self.current_document()
        if doc is None or self._client is None:
            return None
        module, name = (("carebook.ui.plan_editor", "open_plan_editor") if doc.kind == "plan"
                        else ("carebook.ui.entry_editor", "open_entry_editor"))
        return self._open(module, name, client_id=self._client, document=doc)

    def _on_complete_draft(self) -> None:
        """Sign the selected draft as it is (MSG-24); a refusal is shown, the draft stays."""
        from carebook.model.services import lifecycle

        doc = self.current_document()
        if doc is None:
            return
        client = self._client
        self.ws.call(lifecycle.complete_document, document_id=doc.id, parent=self,
                     client=client,
                     on_done=lambda _rec: self.ws.documents_changed.emit(client or 0))
