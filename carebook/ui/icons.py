"""The app's icons: simple SVGs in ``resources/icons``, sharp at any scale (issue 4 item 9).

Qt's SVG icon engine (``libqsvgicon``, shipped with PySide6 Essentials) renders a QIcon made
from an SVG file at the size and device-pixel ratio it is drawn at, so one file serves 100 %,
125 % and 200 % screens. Icons are cached per name for the life of the process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
NAMES = ("app", "lock", "switch_user", "settings", "new_entry", "plan", "service_start",
         "service_end", "correct", "nullify", "admin", "help")


def path_of(name: str) -> Path:
    """The SVG file of icon ``name``."""
    return ICON_DIR / f"{name}.svg"


@lru_cache(maxsize=32)
def icon(name: str) -> QIcon:
    """The icon ``name`` (one of :data:`NAMES`); an empty icon for an unknown name."""
    path = path_of(name)
    return QIcon(str(path)) if path.is_file() else QIcon()
