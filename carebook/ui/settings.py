"""Per-installation UI settings: language, auto-lock time, window geometry.

Kept as JSON in ``<data dir>/ui-settings.json`` and written atomically with 0600 permissions
(STYLE "Data safety"). Nothing about clients is stored here. A missing or unreadable file gives
the defaults, so a damaged settings file never stops the app from starting.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from carebook.i18n import LANGUAGES, default_language
from carebook.paths import write_private_atomic

log = logging.getLogger(__name__)

FILE_NAME = "ui-settings.json"
DEFAULT_AUTOLOCK_MINUTES = 10
MIN_AUTOLOCK_MINUTES = 1
MAX_AUTOLOCK_MINUTES = 120


@dataclass(frozen=True)
class UiSettings:
    """The settings a user can change, plus remembered window state.

    ``language`` empty means "from the system" (:func:`carebook.i18n.default_language`).
    """

    language: str = ""
    autolock_minutes: int = DEFAULT_AUTOLOCK_MINUTES
    last_username: str = ""
    geometry: dict[str, str] = field(default_factory=dict)

    def effective_language(self) -> str:
        return self.language if self.language in LANGUAGES else default_language()

    def with_geometry(self, name: str, state: bytes) -> UiSettings:
        geometry = dict(self.geometry)
        geometry[name] = base64.b64encode(state).decode("ascii")
        return replace(self, geometry=geometry)

    def geometry_of(self, name: str) -> bytes | None:
        value = self.geometry.get(name)
        if not value:
            return None
        try:
            return base64.b64decode(value)
        except ValueError:
            return None


def _clean(raw: dict[str, Any]) -> UiSettings:
    language = raw.get("language", "")
    minutes = raw.get("autolock_minutes", DEFAULT_AUTOLOCK_MINUTES)
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        minutes = DEFAULT_AUTOLOCK_MINUTES
    geometry = raw.get("geometry", {})
    return UiSettings(
        language=language if language in LANGUAGES else "",
        autolock_minutes=min(max(minutes, MIN_AUTOLOCK_MINUTES), MAX_AUTOLOCK_MINUTES),
        last_username=str(raw.get("last_username", ""))[:64],
        geometry={str(k): str(v) for k, v in geometry.items()} if isinstance(geometry, dict)
        else {})


class SettingsFile:
    """Loads and saves :class:`UiSettings` in a data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def load(self) -> UiSettings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return UiSettings()
        except (OSError, ValueError) as exc:
            log.warning("settings file unreadable, using defaults: %s", exc.__class__.__name__)
            return UiSettings()
        return _clean(raw) if isinstance(raw, dict) else UiSettings()

    def save(self, settings: UiSettings) -> None:
        """Write atomically; a full disk raises :class:`~carebook.errors.DiskFullError`."""
        data = json.dumps(asdict(settings), indent=2, sort_keys=True).encode("utf-8")
        write_private_atomic(self.path, data)
