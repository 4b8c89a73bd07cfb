"""Alt+letter mnemonics (issue 4 item 9: full keyboard operation): no two visible controls of a
window share a letter, in English, Finnish and Swedish. With a clash Alt+letter only cycles
focus between the two, or reaches the wrong one (Alt+F opened the File menu instead of the
Find field). Every window and dialog a user reaches is opened as the app opens it, with Qt's
own translations installed as the app installs them (wizard and stock buttons); the menu bar
counts against the window, each plan-editor tab counts only while it is the current one, and
each menu's own entries must differ from each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from uihelp import client_named, mnemonic_clashes, mnemonics_of_menu

from carebook.i18n import set_language

pytestmark = pytest.mark.usefixtures("delete_windows")

LANGUAGES = ("en", "fi", "sv")


@dataclass
class Opener:
    """What an opener needs: the bot, the signed-out demo workspace and the fixtures."""

    qtbot: Any
    ws: Any
    sign_in: Callable[..., None]
    wait_idle: Callable[[], None]
    tmp_path: Path
    cleanups: list[Callable[[], None]]
    parents: list[QWidget]

    def parent(self) -> QWidget:
        """A parent for dialogs that live as long as it (deleted at the end of the test)."""
        widget = QWidget()
        self.qtbot.addWidget(widget)
        self.parents.append(widget)
        return widget


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: Any, workspace: Any) -> Iterator[str]:
    """The app's language and Qt's own translations for it (after the workspace set "en")."""
    from carebook.ui.shell import qt_translations

    set_language(request.param)
    translators = qt_translations(qapp, request.param)
    try:
        yield request.param
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        set_language("en")


@pytest.fixture
def opener(qtbot: Any, workspace: Any, sign_in: Any, wait_idle: Any, tmp_path: Path,
           language: str) -> Iterator[Opener]:
    cleanups: list[Callable[[], None]] = []
    yield Opener(qtbot, workspace, sign_in, wait_idle, tmp_path, cleanups, [])
    for cleanup in reversed(cleanups):
        cleanup()
    wait_idle()


# -- openers -------------------------------------------------------------------------------


def _sign_in_window(t: Opener) -> QWidget:
    from carebook.ui.signin import SignInWindow

    window = SignInWindow(t.ws)
    t.qtbot.addWidget(window)
    window.show()
    return window


def _wizard(t: Opener, page: int) -> QWidget:
    """The first-run wizard on ``page`` (0 producer … 3 recovery code), filled in validly."""
    from PySide6.QtWidgets import QWizard

    from carebook.ui.first_run import FirstRunWizard
    from carebook.ui.lanes import Lane
    from carebook.ui.workspace import Workspace

    lane = Lane("db-mnemonics")
    fresh = Workspace(data_dir=t.tmp_path / "new", db_lane=lane, policy=t.ws.policy)

    def close() -> None:
        if fresh.store is not None:
            store, fresh.store = fresh.store, None
            lane.call_blocking(store.close)
        lane.stop()

    t.cleanups.append(close)
    wizard = FirstRunWizard(fresh)
    t.qtbot.addWidget(wizard)
    wizard.show()
    wizard.producer.name.setText("Hoivakoti Kuusela Oy")
    wizard.producer.business_id.setText("2910052-3")
    wizard.producer.oid.setText("1.2.246.10.29100523.10")
    wizard.unit.name.setText("Kuuselan palvelutalo")
    wizard.unit.oid.setText("1.2.246.10.29100523.10.1")
    admin = wizard.admin
    for edit, text in ((admin.username, "paakayttaja"), (admin.first, "Aino"),
                       (admin.last, "Ahonen"), (admin.title_edit, "Pääkäyttäjä"),
                       (admin.password, "first-admin-password"),
                       (admin.again, "first-admin-password")):
        edit.setText(text)
    pages = (wizard.producer, wizard.unit, wizard.admin, wizard.recovery)
    for target in pages[1:page + 1]:
        kind = (QWizard.WizardButton.CommitButton if wizard.currentPage() is wizard.admin
                else QWizard.WizardButton.NextButton)
        wizard.button(kind).click()
        t.qtbot.waitUntil(lambda target=target: wizard.currentPage() is target,
                          timeout=10_000)
    return wizard


def _main_window(t: Opener, username: str = "hoitaja1") -> Any:
    """The main window with the first client chosen (the composer enabled)."""
    from carebook.ui.main_window import MainWindow

    t.sign_in(username)
    window = MainWindow(t.ws)
    t.qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    t.qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    window.browser.list.setCurrentIndex(window.browser.model.index(0))
    t.qtbot.waitUntil(lambda: window.card.data is not None, timeout=10_000)
    return window


def _composer_restrictions(t: Opener) -> QWidget:
    window = _main_window(t)
    window.composer.restrictions_button.click()
    t.qtbot.waitUntil(lambda: window.composer.restriction_dialog is not None, timeout=10_000)
    dialog = window.composer.restriction_dialog
    dialog.form.set_expanded(True)
    return dialog


def _entry_editor(t: Opener, username: str = "hoitaja1", last_name: str = "Mäkinen") -> Any:
    from carebook.ui.entry_editor import open_entry_editor

    t.sign_in(username)
    dialog = open_entry_editor(t.parent(), t.ws, client_id=client_named(t.ws, last_name))
    t.qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    dialog.restrictions.set_expanded(True)
    return dialog


def _completed_entry(t: Opener, username: str = "hoitaja1", last_name: str = "Mäkinen") -> Any:
    from carebook.model.services import journal

    t.sign_in(username)
    return journal.record_journal_entry(
        t.ws.store, t.ws.staff, client_id=client_named(t.ws, last_name), entry_type="daily",
        text="Ate porridge at 8.", complete=True)


def _correction(t: Opener, username: str = "hoitaja1", last_name: str = "Mäkinen") -> QWidget:
    from carebook.ui.correction_dialog import open_correction

    dialog = open_correction(t.parent(), t.ws, _completed_entry(t, username, last_name))
    t.qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    dialog.restrictions.set_expanded(True)
    return dialog


def _nullify(t: Opener) -> QWidget:
    from carebook.ui.nullify_dialog import open_nullification

    dialog = open_nullification(t.parent(), t.ws, _completed_entry(t))
    t.wait_idle()
    return dialog


def _plan_editor(t: Opener, tab: int, *, correct: bool = False, username: str = "hoitaja1",
                 last_name: str = "Virtanen") -> QWidget:
    from carebook.model.services import journal
    from carebook.ui.plan_editor import open_plan_editor

    t.sign_in(username)
    client = client_named(t.ws, last_name)
    document = None
    if correct:
        page = journal.client_timeline(t.ws.store, t.ws.staff, client_id=client,
                                       kinds=("plan",))
        document = next(d for d in page.items if d.state == "completed")
    dialog = open_plan_editor(t.parent(), t.ws, client_id=client, document=document,
                              correct=correct, autosave_ms=60_000)
    t.qtbot.waitUntil(lambda: dialog.context is not None and dialog.form.isEnabled(),
                      timeout=10_000)
    t.cleanups.append(lambda: dialog._close_now() if dialog.isVisible() else None)
    dialog.form.tabs.setCurrentIndex(tab)
    return dialog


def _service_start(t: Opener) -> QWidget:
    from carebook.ui.service_dialogs import open_service_start

    t.sign_in()
    dialog = open_service_start(t.parent(), t.ws, client_id=client_named(t.ws, "Mäkinen"))
    t.qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    return dialog


def _service_end(t: Opener) -> QWidget:
    from carebook.ui.service_dialogs import open_service_end

    t.sign_in()
    dialog = open_service_end(t.parent(), t.ws, client_id=client_named(t.ws, "Virtanen"))
    t.qtbot.waitUntil(lambda: dialog._loaded, timeout=10_000)
    return dialog


def _new_client(t: Opener) -> QWidget:
    from carebook.ui.client_dialog import open_new_client

    t.sign_in()
    dialog = open_new_client(t.parent(), t.ws)
    t.wait_idle()
    return dialog


def _special_reason(t: Opener) -> QWidget:
    from carebook.ui.special_reason import SpecialReasonDialog

    dialog = SpecialReasonDialog(t.parent(), "Elsa Mäkinen is not a client of your units.")
    dialog.open()
    return dialog


def _settings(t: Opener) -> QWidget:
    from carebook.ui.settings_dialog import open_settings

    return open_settings(t.parent(), t.ws)


def _versions(t: Opener) -> QWidget:
    from carebook.ui.versions_dialog import open_versions

    dialog = open_versions(t.parent(), t.ws, _completed_entry(t))
    t.qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    return dialog


def _admin(t: Opener, name: str, username: str = "admin") -> Any:
    from carebook.ui import admin

    t.sign_in(username)
    dialog = getattr(admin, name)(t.parent(), t.ws)
    t.wait_idle()
    return dialog


def _staff_form(t: Opener, button: str) -> QWidget:
    dialog = _admin(t, "open_staff_admin")
    dialog.select_user("hoitaja1")
    getattr(dialog, button).click()
    t.wait_idle()
    return dialog.form_dialog


def _reactivate_form(t: Opener) -> QWidget:
    from carebook.model.services import accounts

    dialog = _admin(t, "open_staff_admin")
    accounts.remove_user(t.ws.store, t.ws.staff, username="hoitaja2")
    dialog.include_inactive.setChecked(True)
    t.wait_idle()
    dialog.select_user("hoitaja2")
    dialog.reactivate_button.click()
    t.wait_idle()
    return dialog.form_dialog


WINDOWS: dict[str, Callable[[Opener], QWidget]] = {
    "sign-in": _sign_in_window,
    **{f"first-run-{n}-{name}": (lambda t, n=n: _wizard(t, n))
       for n, name in enumerate(("producer", "unit", "admin", "recovery"))},
    "main-window": _main_window,
    "main-window-director": lambda t: _main_window(t, "johtaja"),
    "main-window-admin": lambda t: _main_window(t, "admin"),
    "composer-restrictions": _composer_restrictions,
    "entry-editor": _entry_editor,
    "entry-editor-minor": lambda t: _entry_editor(t, "hoitaja2", "Lehtonen"),
    **{f"plan-editor-tab-{tab}": (lambda t, tab=tab: _plan_editor(t, tab)) for tab in range(6)},
    **{f"plan-correction-tab-{tab}": (lambda t, tab=tab: _plan_editor(t, tab, correct=True))
       for tab in range(6)},
    "plan-editor-minor-tab-5": lambda t: _plan_editor(t, 5, username="hoitaja2",
                                                      last_name="Lehtonen"),
    "correction": _correction,
    "correction-minor": lambda t: _correction(t, "hoitaja2", "Lehtonen"),
    "nullify": _nullify,
    "service-start": _service_start,
    "service-end": _service_end,
    "new-client": _new_client,
    "special-reason": _special_reason,
    "settings": _settings,
    "versions": _versions,
    "admin-staff": lambda t: _admin(t, "open_staff_admin"),
    "admin-add-user": lambda t: _staff_form(t, "add_button"),
    "admin-edit-user": lambda t: _staff_form(t, "edit_button"),
    "admin-reset-password": lambda t: _staff_form(t, "reset_button"),
    "admin-reactivate-user": _reactivate_form,
    "admin-units": lambda t: _admin(t, "open_units_admin"),
    "admin-organisers": lambda t: _admin(t, "open_organisers_admin"),
    "admin-usage-log": lambda t: _admin(t, "open_usage_log", "johtaja"),
}


@pytest.mark.parametrize("name", list(WINDOWS))
def test_no_two_visible_controls_share_an_alt_letter(opener: Opener, name: str) -> None:
    """Alt+letter reaches exactly one control of the window in its current state."""
    window = WINDOWS[name](opener)
    assert window.isVisible()
    QApplication.processEvents()
    assert mnemonic_clashes(window) == []


@pytest.mark.parametrize("username", ["hoitaja1", "johtaja", "admin"])
def test_no_two_entries_of_a_menu_share_a_letter(opener: Opener, username: str) -> None:
    """Inside an open menu the letter alone chooses the entry; a shared one only moves."""
    window = _main_window(opener, username)
    menus = [a.menu() for a in window.menuBar().actions() if a.isVisible()]
    clashes = {m.title(): mnemonics_of_menu(m) for m in menus if isinstance(m, QMenu)}
    assert {title: found for title, found in clashes.items() if found} == {}
