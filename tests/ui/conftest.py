"""UI test fixtures: the demo store (cheap key slots) copied per test, a workspace with a real
DB lane, and signing in through the real services. Qt runs offscreen (scripts/test sets
QT_QPA_PLATFORM=offscreen; set here too for single-file runs); Qt warnings fail tests
(pyproject ``qt_log_level_fail``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from carebook.i18n import set_language  # noqa: E402
from carebook.model.keyslots import SlotPolicy  # noqa: E402
from carebook.model.keywrap import KdfParams  # noqa: E402
from carebook.model.services import demo  # noqa: E402

# Argon2id at its minimum cost (stored per slot); the production cost is measured in bench/.
FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)
PASSWORD = demo.DEMO_PASSWORD
SCREENSHOT_DIR_ENV = "CAREBOOK_SCREENSHOTS"


@pytest.fixture(autouse=True, scope="session")
def _focus_ring(qapp: Any) -> None:
    """The app's style as carebook.app installs it: screenshots show the focus ring."""
    from carebook.ui.focus_style import install

    install(qapp)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp: object) -> Iterator[None]:
    """As the app does (carebook.ui.garbage): no cyclic collection on a lane thread."""
    from carebook.ui.garbage import GuiThreadCollector

    collector = GuiThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture
def delete_windows(qapp: object) -> Iterator[None]:
    """Delete this test's parentless windows on the GUI thread at the end (dialogs that are
    not deleted on close): garbage collection on a lane must never destroy a Qt object."""
    yield
    import shiboken6
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if shiboken6.isValid(widget) and widget.parent() is None:
            shiboken6.delete(widget)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, made once per test process through the services (about 2 s)."""
    directory = tmp_path_factory.mktemp("demo-template")
    demo.ensure_demo(directory, policy=FAST)
    return directory


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store for one test."""
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def workspace(demo_dir: Path, qapp: object) -> Iterator[object]:
    """A workspace on the demo store with a real DB lane; nobody signed in yet."""
    from carebook.ui.lanes import Lane
    from carebook.ui.workspace import Workspace

    set_language("en")
    lane = Lane("db-test")
    ws = Workspace(data_dir=demo_dir, db_lane=lane, policy=FAST)
    yield ws
    if ws.store is not None:
        store = ws.store
        ws.store = None
        lane.call_blocking(store.close)
    lane.stop()
    set_language("en")


@pytest.fixture
def sign_in(qtbot: Any, workspace: Any) -> Callable[..., None]:
    """``sign_in(username="hoitaja1", password=PASSWORD)``: sign in through the workspace
    (real key slots, real store) and wait until the store is open; raises the typed error."""

    def run(username: str = "hoitaja1", password: str = PASSWORD) -> None:
        errors: list[BaseException] = []
        workspace.sign_in(username, password, on_done=lambda _s: None, on_error=errors.append)
        qtbot.waitUntil(lambda: workspace.is_signed_in or bool(errors), timeout=10_000)
        if errors:
            raise errors[0]

    return run


@pytest.fixture
def wait_idle(qtbot: Any, workspace: Any) -> Callable[[], None]:
    """``wait_idle()``: wait until every job queued on the DB lane has been delivered."""

    def run(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: workspace.db.pending == 0, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where tests save PNGs for people to look at (``test-output/screenshots`` by default,
    ``CAREBOOK_SCREENSHOTS`` to change)."""
    root = Path(os.environ.get(SCREENSHOT_DIR_ENV)
                or Path(__file__).resolve().parents[2] / "test-output" / "screenshots")
    root.mkdir(parents=True, exist_ok=True)
    return root
