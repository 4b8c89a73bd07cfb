"""Screenshots for people to look at (issue 4 item 10): the sign-in window, the main window
with a client open, and the plan editor, in Finnish, Swedish and English, plus the main window
at 125 % scaling (item 9). Saved under test-output/screenshots (CAREBOOK_SCREENSHOTS).

The assertions check what a reader of the PNG would check first: the window shows the
client's timeline, the texts are in the chosen language, and nothing is cut off the labels
of the sign-in form.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from carebook.i18n import set_language

# A word per language that must appear somewhere in the main window's visible texts.
EXPECTED = {"fi": "Aikajana", "sv": "Tidslinje", "en": "Timeline"}
SIZE = (1280, 800)


def _visible_texts(root) -> str:
    texts = [w.text() for w in root.findChildren(QLabel) if w.isVisible()]
    return "\n".join(texts)


def _shell(workspace):
    from carebook.ui.shell import Shell

    shell = Shell(workspace, app=QApplication.instance())
    return shell


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_screenshots_of_sign_in_main_window_and_plan_editor(
        lang, qtbot, workspace, wait_idle, screenshot_dir):
    set_language(lang)
    shell = _shell(workspace)
    try:
        _walk(lang, shell, qtbot, workspace, wait_idle, screenshot_dir)
    finally:
        shell.autolock.remove()
        if shell.main is not None:
            shell.lock()
        wait_idle()
        if shell.signin is not None:
            shell.signin.close()
            shell.signin.deleteLater()
        set_language("en")


def _walk(lang, shell, qtbot, workspace, wait_idle, screenshot_dir):
    shell.start()
    signin = shell.signin
    qtbot.waitExposed(signin)
    assert signin.username.isVisible() and signin.password.isVisible()
    for label in signin.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), f"cut off: {label.text()!r}"
    signin.grab().save(str(screenshot_dir / f"signin-{lang}.png"))

    built: list[object] = []
    shell.main_window_built.connect(built.append)
    signin.username.setText("hoitaja1")
    signin.password.setText("demo-password")
    signin.sign_in_button.click()
    qtbot.waitUntil(lambda: bool(built), timeout=15_000)
    main = shell.main
    main.resize(*SIZE)
    qtbot.waitUntil(lambda: main.browser.model.rowCount() > 0, timeout=10_000)
    loaded: list[int] = []
    main.card.loaded.connect(loaded.append)
    main.browser.list.setCurrentIndex(main.browser.model.index(1, 0))
    qtbot.waitUntil(lambda: main.timeline.model.rowCount() > 0 and bool(loaded),
                    timeout=10_000)
    wait_idle()
    main.timeline.view.selectRow(0)
    wait_idle()
    qtbot.wait(50)
    assert EXPECTED[lang] in _visible_texts(main)
    main.grab().save(str(screenshot_dir / f"main-{lang}.png"))

    from carebook.ui.plan_editor import open_plan_editor

    editor = open_plan_editor(main, workspace, client_id=main.current_client_id())
    qtbot.waitExposed(editor)
    wait_idle()
    editor.resize(1000, 760)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: main.card.title.text().split(",")[0] in editor.heading.text(),
                    timeout=10_000)
    editor.grab().save(str(screenshot_dir / f"plan-editor-{lang}.png"))
    editor.close()


SCALED = r"""
import os, sys, shutil
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_SCALE_FACTOR"] = "1.25"
from PySide6.QtWidgets import QApplication
from carebook.model.keyslots import SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.i18n import set_language
data, out = Path(sys.argv[1]), Path(sys.argv[2])
FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)
set_language("fi")
app = QApplication([])
from carebook.ui.lanes import Lane
from carebook.ui.workspace import Workspace
from carebook.ui.shell import Shell
ws = Workspace(data_dir=data, db_lane=Lane("db"), policy=FAST)
shell = Shell(ws, app=app)
shell.start()
def pump(until, limit=15.0):
    import time
    end = time.monotonic() + limit
    while not until() and time.monotonic() < end:
        app.processEvents()
    if not until():
        raise SystemExit("timed out")
ws.sign_in("hoitaja1", "demo-password", on_done=shell._on_signed_in, on_error=print)
pump(lambda: shell.main is not None)
main = shell.main
main.resize(1280, 800)
pump(lambda: main.browser.model.rowCount() > 0)
loaded = []
main.card.loaded.connect(loaded.append)
main.browser.list.setCurrentIndex(main.browser.model.index(1, 0))
pump(lambda: main.timeline.model.rowCount() > 0 and bool(loaded))
pump(lambda: ws.db.pending == 0)
import time
settle = time.monotonic() + 0.2  # let posted layout requests run before the grab
pump(lambda: time.monotonic() > settle)
image = main.grab()
print("ratio", image.devicePixelRatio(), image.width(), image.height())
image.save(str(out))
shell.shutdown()
"""


def test_main_window_at_125_percent_scaling(demo_dir: Path, screenshot_dir: Path):
    """Item 9: readable at 125 % — the window renders at 1.25 device pixels per point."""
    out = screenshot_dir / "main-fi-125.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCALED, str(demo_dir), str(out)],
                            capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ratio 1.25 1600 1000" in result.stdout, result.stdout
    assert out.stat().st_size > 10_000
