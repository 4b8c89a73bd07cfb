"""A worker of another unit finds a client by the full identity code and gives a special
reason (AC-6, AC-7, AC-8; tester finding A7), and the Active / Active and ended filter shows a
client whose only service has ended (issue 4 item 4; finding A4)."""

from __future__ import annotations

from datetime import timedelta

from carebook.model import clock
from carebook.model.services import directory, social_services, usage_log


def _window(qtbot, workspace):
    from carebook.ui.main_window import MainWindow

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    return window


def _elsa(workspace):
    store, staff = workspace.store, workspace.staff
    rows = workspace.db.call_blocking(lambda: directory.client_directory(store, staff))
    return next(r.client for r in rows if r.client.last_name == "Mäkinen")


def test_home_care_worker_finds_care_home_client_with_a_special_reason(qtbot, workspace,
                                                                       sign_in):
    """AC-7: the full identity code finds a client outside the user's units after a prompt;
    the timeline then opens without a second prompt and the reason is in the usage log."""
    sign_in("johtaja")
    elsa = _elsa(workspace)
    workspace.lock()
    sign_in("hoitaja2")
    window = _window(qtbot, workspace)
    browser = window.browser
    browser.search.setText(elsa.hetu)
    browser.reload()
    qtbot.waitUntil(lambda: getattr(workspace, "last_prompt", None) is not None
                    and workspace.last_prompt.isVisible(), timeout=10_000)
    prompt = workspace.last_prompt
    reason = prompt.reason()
    prompt.accept()
    qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=10_000)
    text = browser.model.index(0).data()
    assert text.startswith("Mäkinen, Elsa") and "special reason" in text
    assert browser.count.text() == "1 client"
    assert workspace.reason_for(elsa.id) == reason
    workspace.last_prompt = None
    browser.list.setCurrentIndex(browser.model.index(0))
    assert window.current_client_id() == elsa.id
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.card.data is not None, timeout=10_000)
    assert window.card.data.client.last_name == "Mäkinen"
    assert workspace.last_prompt is None  # no second prompt for the timeline or the card
    workspace.lock()
    sign_in("johtaja")
    store, staff = workspace.store, workspace.staff
    events = workspace.db.call_blocking(
        lambda: usage_log.usage_log(store, staff, client_id=elsa.id, actor="hoitaja2"))
    searches = [e for e in events if e.action == "search"]
    assert searches and searches[0].reason == reason
    assert {e.reason for e in events if e.action == "read"} == {reason}


def test_a_partial_code_of_another_units_client_finds_nobody_and_asks_nothing(
        qtbot, workspace, sign_in, wait_idle):
    """AC-6: only a complete identity code looks beyond the user's units."""
    sign_in("johtaja")
    elsa = _elsa(workspace)
    workspace.lock()
    sign_in("hoitaja2")
    window = _window(qtbot, workspace)
    with qtbot.waitSignal(window.browser.listed, timeout=10_000):
        window.browser.search.setText(elsa.hetu[:7])
    wait_idle()
    assert window.browser.model.rowCount() == 0
    assert getattr(workspace, "last_prompt", None) is None


def test_filter_shows_a_client_whose_only_service_ended(qtbot, workspace, sign_in):
    """Issue 4 item 4: "Active clients" leaves out a client whose service has ended;
    "Active and ended clients" lists them marked ended with the date."""
    sign_in("hoitaja1")
    elsa = _elsa(workspace)
    store, staff = workspace.store, workspace.staff

    def end() -> None:
        service = social_services.list_services(store, staff, client_id=elsa.id)[0]
        social_services.end_service(store, staff, service_id=service.id,
                                    end_on=clock.today() - timedelta(days=1),
                                    grounds="Muutti toiselle paikkakunnalle.")

    workspace.db.call_blocking(end)
    window = _window(qtbot, workspace)
    browser = window.browser
    names = lambda: [browser.model.listing(i).client.last_name  # noqa: E731
                     for i in range(browser.model.rowCount())]
    assert "Mäkinen" not in names() and "Virtanen" in names()
    with qtbot.waitSignal(browser.listed, timeout=10_000):
        browser.filter.setCurrentIndex(1)
    assert "Mäkinen" in names()
    row = names().index("Mäkinen")
    assert "[ended " in browser.model.index(row).data()
