"""One walk through the main flow (issue 4 item 10), as a new producer would do it:

first run → sign in → add and choose a client → write and complete an entry with one shortcut →
see it in the timeline → correct it → nullify it → auto-lock leaves nothing of the client.

Everything goes through the real shell, windows and dialogs, on a real encrypted store.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWizard

from carebook.i18n import set_language
from carebook.model.keyslots import SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.model.services import lifecycle
from carebook.model.services.demo_data import kela_test_hetu

FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)
PASSWORD = "walk-password-1"
TEXT = "Asiakas söi aamupalan hyvin ja lähti ulkoilemaan hoitajan kanssa."


def _visible_text() -> str:
    """Everything a person could read on screen: window titles, labels, cells, fields."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTextEdit

    parts: list[str] = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        parts.append(widget.windowTitle())
        if isinstance(widget, QLabel | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # list models do not expose columnCount to Python
                columns = 1
            for row in range(min(model.rowCount(), 200)):
                for col in range(columns):
                    parts.append(str(model.index(row, col).data() or ""))
    return "\n".join(parts)


def _first_run(qtbot, shell, ws):
    wizard = shell.wizard
    qtbot.waitExposed(wizard)
    p = wizard.producer
    p.name.setText("Avustajapalvelu Testi Oy")
    p.business_id.setText("2910052-3")
    p.oid.setText("1.2.246.10.29100523.10")
    p.test_mode.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.unit, timeout=10_000)
    wizard.unit.name.setText("Henkilökohtainen apu")
    wizard.unit.oid.setText("1.2.246.10.29100523.10.1")
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.admin, timeout=10_000)
    a = wizard.admin
    a.username.setText("vastaava")
    a.first.setText("Venla")
    a.last.setText("Vastaava")
    a.title_edit.setText("Vastaava johtaja")
    a.password.setText(PASSWORD)
    a.again.setText(PASSWORD)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery, timeout=15_000)
    wizard.recovery.confirm.setChecked(True)
    with qtbot.waitSignal(shell.main_window_built, timeout=15_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()


def _sign_in(qtbot, shell):
    window = shell.signin
    qtbot.waitExposed(window)
    window.username.setText("vastaava")
    window.password.setText(PASSWORD)
    with qtbot.waitSignal(shell.main_window_built, timeout=15_000):
        window.sign_in_button.click()
    return shell.main


def _add_client(qtbot, main, ws):
    action = main.findChild(QAction, "newClientAction")
    assert action is not None and action.isVisible()
    action.trigger()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None
                    or any(w.objectName() == "newClientDialog" and w.isVisible()
                           for w in QApplication.topLevelWidgets()), timeout=10_000)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "newClientDialog" and w.isVisible())
    qtbot.waitUntil(lambda: dialog.unit.count() > 0, timeout=10_000)
    dialog.first.setText("Östen")
    dialog.last.setText("Ärlig")
    dialog.hetu.setText(kela_test_hetu(date(1961, 4, 9), 981))
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def test_first_run_to_auto_lock(qtbot, qapp, tmp_path):
    from carebook.ui.lanes import Lane
    from carebook.ui.shell import Shell
    from carebook.ui.workspace import Workspace

    set_language("en")
    ws = Workspace(data_dir=tmp_path / "walk", db_lane=Lane("db-walk"), policy=FAST)
    shell = Shell(ws, app=qapp, minute_ms=60_000)
    try:
        shell.start()
        _first_run(qtbot, shell, ws)  # the first administrator is signed in at the end
        shell.lock()
        main = _sign_in(qtbot, shell)

        # choose a client (added through the new-client dialog)
        _add_client(qtbot, main, ws)
        browser = main.browser
        qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=10_000)
        browser.list.setCurrentIndex(browser.model.index(0, 0))
        qtbot.waitUntil(lambda: main.current_client_id() is not None, timeout=10_000)
        client_id = main.current_client_id()
        qtbot.waitUntil(lambda: "Ärlig" in main.card.title.text(), timeout=10_000)

        # write and complete with one shortcut
        composer = main.composer
        composer.text.setFocus()
        composer.text.setPlainText(TEXT)
        qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        timeline = main.timeline
        qtbot.waitUntil(lambda: timeline.model.rowCount() >= 1
                        and TEXT[:20] in " ".join(timeline.model.row_texts(
                            timeline.model.document(0))), timeout=10_000)
        assert composer.text.toPlainText() == ""
        doc = timeline.model.document(0)
        assert doc.state == "completed" and doc.kind == "journal"
        assert timeline.model.row_texts(doc)[3] == "Completed"

        # correct it: a new version with the reason
        timeline.view.selectRow(0)
        qtbot.waitUntil(lambda: main.current_document() is not None, timeout=5_000)
        main.findChild(QAction, "correctAction").trigger()
        dialog = _dialog(qtbot, "correctionDialog")
        dialog.reason.setCurrentIndex(max(dialog.reason.currentIndex(), 0))
        dialog.text.setPlainText(TEXT.replace("aamupalan", "puuron"))
        dialog.sign_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: timeline.model.rowCount() >= 1
                        and timeline.model.document(0).version == 2, timeout=10_000)
        assert "Corrected" in timeline.model.row_texts(timeline.model.document(0))
        versions = ws.db.call_blocking(lambda: lifecycle.document_versions(
            ws.store, ws.staff, doc.id))
        assert [v.version for v in versions] == [1, 2]
        assert "puuron" in versions[-1].body and "aamupalan" in versions[0].body

        # nullify it: confirmation needed, then it is marked, not deleted
        timeline.view.selectRow(0)
        main.findChild(QAction, "nullifyAction").trigger()
        dialog = _dialog(qtbot, "nullifyDialog")
        assert not dialog.nullify_button.isEnabled()
        if dialog.text.isEnabled():
            dialog.text.setPlainText("Kirjattu väärälle asiakkaalle.")
        dialog.confirm.setChecked(True)
        assert dialog.nullify_button.isEnabled()
        dialog.nullify_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        record = ws.db.call_blocking(lambda: lifecycle.get_document(ws.store, ws.staff,
                                                                    doc.id))
        assert record.state == "nullified"

        # auto-lock: back to sign-in, nothing of the client left anywhere on screen
        assert "Ärlig" in _visible_text()
        shell.autolock.set_minutes(1)
        shell.autolock._minute_ms = 50  # a "minute" of 50 ms for the test
        shell.autolock.arm()
        qtbot.waitUntil(lambda: shell.main is None and shell.signin is not None
                        and shell.signin.isVisible(), timeout=10_000)
        qtbot.wait(50)
        assert ws.store is None and ws.staff is None
        seen = _visible_text()
        assert "Ärlig" not in seen and "Östen" not in seen and "puuron" not in seen
        assert client_id is not None
    finally:
        shell.shutdown()


def _dialog(qtbot, name):
    def find():
        return next((w for w in QApplication.topLevelWidgets()
                     if w.objectName() == name and w.isVisible()), None)

    qtbot.waitUntil(lambda: find() is not None, timeout=10_000)
    dialog = find()
    qtbot.waitUntil(lambda: getattr(dialog, "reason", None) is None
                    or dialog.reason.count() > 0, timeout=10_000)
    return dialog
