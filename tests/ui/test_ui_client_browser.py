"""The client list (issue 4 item 4): search by name or identity code, active/ended filter,
Nordic sort (å, ä, ö after z), the security-prohibition marker (AC-11), Ctrl+F."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from carebook.model import clock
from carebook.model.services import clients

HOUSING = "1.2.246.10.29100523.10.1"


def _browser(qtbot, workspace, sign_in, username="hoitaja1"):
    from carebook.ui.client_browser import ClientBrowser

    sign_in(username)
    browser = ClientBrowser(workspace)
    qtbot.addWidget(browser)
    browser.show()
    browser.start()
    qtbot.waitUntil(lambda: browser.model.rowCount() > 0, timeout=10_000)
    return browser


def _rows(browser):
    model = browser.model
    return [model.data(model.index(i)) for i in range(model.rowCount())]


def _search(qtbot, browser, text):
    with qtbot.waitSignal(browser.listed, timeout=10_000):
        browser.search.setText(text)


def test_search_by_name_part_and_identity_code(qtbot, workspace, sign_in):
    browser = _browser(qtbot, workspace, sign_in)
    _search(qtbot, browser, "mäki")
    assert _rows(browser) == ["Mäkinen, Elsa"]
    code = browser.model.listing(0).client.hetu
    _search(qtbot, browser, code.lower())
    assert _rows(browser) == ["Mäkinen, Elsa"]
    _search(qtbot, browser, "nobody-here")
    assert _rows(browser) == [] and browser.count.text() == "0 clients"
    _search(qtbot, browser, "")
    assert len(_rows(browser)) == 3  # Väinö Laine's service has ended in the demo


def test_prohibited_client_shows_the_marker(qtbot, workspace, sign_in):
    """AC-11: the marker is in the list for everyone."""
    browser = _browser(qtbot, workspace, sign_in)
    assert "Nieminen, Helmi  [security prohibition]" in _rows(browser)


def test_ended_clients_appear_with_the_filter(qtbot, workspace, sign_in):
    """RAR-8: a relationship whose window ended leaves the active list."""
    browser = _browser(qtbot, workspace, sign_in)
    store, staff = workspace.store, workspace.staff
    laine = next(browser.model.listing(i).id for i in range(browser.model.rowCount())
                 if browser.model.listing(i).client.last_name == "Virtanen")
    end = clock.today() - timedelta(days=1)

    def end_relationship():
        rel = clients.list_relationships(store, staff, laine)[0]
        clients.set_relationship_window(store, staff, relationship_id=rel.id,
                                        start_on=end - timedelta(days=60), end_on=end)

    workspace.db.call_blocking(end_relationship)
    with qtbot.waitSignal(browser.listed, timeout=10_000):
        browser.reload()
    assert not any(r.startswith("Virtanen") for r in _rows(browser))
    with qtbot.waitSignal(browser.listed, timeout=10_000):
        browser.filter.setCurrentIndex(1)
    ended_row = next(r for r in _rows(browser) if r.startswith("Virtanen"))
    assert "ended" in ended_row
    # The demo's Väinö Laine: the service ended, so he is an ended client too (E10).
    assert "ended" in next(r for r in _rows(browser) if r.startswith("Laine"))


def test_nordic_order_with_a_umlaut_and_o_umlaut(qtbot, workspace, sign_in):
    browser = _browser(qtbot, workspace, sign_in)
    store, staff = workspace.store, workspace.staff

    def add_people():
        for first, last in (("Olavi", "Öberg"), ("Aarne", "Äijälä"), ("Anna", "Zetterberg"),
                            ("Aku", "Åkerman"), ("Erkki", "aho")):
            clients.add_client(store, staff, first_name=first, last_name=last,
                               unit_oid=HOUSING)

    workspace.db.call_blocking(add_people)
    with qtbot.waitSignal(browser.listed, timeout=10_000):
        browser.reload()
    lasts = [browser.model.listing(i).client.last_name for i in range(browser.model.rowCount())]
    assert lasts == ["aho", "Mäkinen", "Nieminen", "Virtanen", "Zetterberg",
                     "Åkerman", "Äijälä", "Öberg"]


def test_keyboard_find_and_choose(qtbot, workspace, sign_in):
    """Ctrl+F goes to the search, Enter to the list, the arrow keys choose a client."""
    browser = _browser(qtbot, workspace, sign_in)
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow, timeout=5_000)
    qtbot.keyClick(browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser.search, timeout=5_000)
    chosen: list[int] = []
    browser.client_chosen.connect(chosen.append)
    qtbot.keyClicks(browser.search, "Virta")
    qtbot.waitUntil(lambda: _rows(browser) == ["Virtanen, Toivo"], timeout=10_000)
    qtbot.keyClick(browser.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser.list, timeout=5_000)
    qtbot.keyClick(browser.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: bool(chosen), timeout=5_000)
    assert chosen[-1] == browser.model.listing(0).id


def test_chosen_client_filtered_out_is_unchosen(qtbot, workspace, sign_in):
    """A search that no longer lists the open client closes it (nothing stale on screen)."""
    browser = _browser(qtbot, workspace, sign_in)
    chosen: list[int] = []
    browser.client_chosen.connect(chosen.append)
    browser.list.setCurrentIndex(browser.model.index(0))
    assert chosen and chosen[-1] == browser.model.listing(0).id
    _search(qtbot, browser, "Virtanen")
    assert chosen[-1] == 0
