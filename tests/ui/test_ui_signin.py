"""The sign-in window (issue 4 item 3; AC-12): one message for a wrong password and an unknown
user, the password cleared and focused, the username kept; the back-off wait announced; the
test-store marker; success hands over to the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from carebook.errors import WrongPasswordError
from carebook.i18n import set_language
from carebook.model.keyslots import BackoffPolicy, SlotPolicy
from carebook.ui.signin import SignInWindow, StoreLabel, read_label, write_label

PASSWORD = "demo-password"


def _window(qtbot, ws, username=""):
    window = SignInWindow(ws, username=username)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _try(qtbot, window, username, password):
    window.username.setText(username)
    window.password.setText(password)
    qtbot.mouseClick(window.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.working, timeout=10_000)


def test_wrong_password_and_unknown_user_get_the_same_message(qtbot, workspace):
    """AC-12: the message does not reveal whether the user exists."""
    window = _window(qtbot, workspace)
    _try(qtbot, window, "hoitaja1", "not-the-password")
    wrong_password = window.error.text()
    assert window.error.isVisible()
    assert window.password.text() == "" and window.username.text() == "hoitaja1"
    assert window.focusWidget() is window.password
    _try(qtbot, window, "nobody-here", "not-the-password")
    assert window.error.text() == wrong_password == WrongPasswordError().message()
    assert not workspace.is_signed_in


def test_success_signs_in_and_clears_the_password(qtbot, workspace):
    window = _window(qtbot, workspace, username="hoitaja1")
    assert window.focusWidget() is window.password
    seen = []
    window.signed_in.connect(seen.append)
    window.password.setText(PASSWORD)
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen[0].username == "hoitaja1" and workspace.is_signed_in
    assert window.password.text() == "" and not window.error.isVisible()


def test_empty_fields_are_asked_for_in_place(qtbot, workspace):
    window = _window(qtbot, workspace)
    qtbot.mouseClick(window.sign_in_button, Qt.MouseButton.LeftButton)
    assert window.error.text() == "Type your username." and window.focusWidget() is window.username
    window.username.setText("hoitaja1")
    qtbot.mouseClick(window.sign_in_button, Qt.MouseButton.LeftButton)
    assert window.error.text() == "Type your password." and window.focusWidget() is window.password


def test_the_growing_delay_after_failed_sign_ins_is_announced(qtbot, workspace):
    """AC-12 back-off: after failures the next attempt says it waits (no timing asserted)."""
    clock = [1000.0]
    workspace.policy = SlotPolicy(kdf=workspace.policy.kdf, backoff=BackoffPolicy(60, 60),
                                  clock=lambda: clock[0], sleep=lambda _s: None)
    window = _window(qtbot, workspace)
    _try(qtbot, window, "hoitaja1", "wrong-one")
    assert window.notice.text() == ""  # the first attempt did not wait
    _try(qtbot, window, "hoitaja1", "wrong-two")
    # The wait is looked up on the DB lane before the unlock starts (the same queue).
    assert window.notice.text().startswith("Waiting 60 s after earlier failed sign-ins")


def test_producer_and_test_store_marker_come_from_the_label(qtbot, workspace):
    """The store is encrypted; the label written at the last sign-in names it beforehand."""
    write_label(workspace.data_dir, StoreLabel("Hoivakoti Kuusela Oy", True))
    window = _window(qtbot, workspace)
    assert window.producer.text() == "Hoivakoti Kuusela Oy"
    assert window.test_marker.isVisible() and "TEST STORE" in window.test_marker.text()
    write_label(workspace.data_dir, StoreLabel("Oy Tuotanto Ab", False))
    plain = _window(qtbot, workspace)
    assert not plain.test_marker.isVisible()
    assert read_label(workspace.data_dir) == StoreLabel("Oy Tuotanto Ab", False)


def test_a_damaged_label_is_no_obstacle(qtbot, workspace):
    (workspace.data_dir / "store-label.json").write_text("{not json", encoding="utf-8")
    window = _window(qtbot, workspace)
    assert not window.producer.isVisible() and not window.test_marker.isVisible()


def test_screenshots_in_each_language(qtbot, workspace, screenshot_dir):
    write_label(workspace.data_dir, StoreLabel("Hoivapalvelu Kuusela Oy", True))
    texts = {}
    for language in ("fi", "sv", "en"):
        set_language(language)
        window = _window(qtbot, workspace, username="hoitaja1")
        window.resize(460, 360)
        texts[language] = (window.test_marker.text(), window.username.accessibleName())
        window.grab().save(str(screenshot_dir / f"signin-{language}.png"))
    set_language("en")
    assert texts["en"] == ("TEST STORE: training data only, not real client records",
                           "Username")
    assert texts["fi"][0].startswith("TESTIVARASTO") and texts["fi"][1] == "Käyttäjätunnus"
    assert len({t for t, _n in texts.values()}) == 3
