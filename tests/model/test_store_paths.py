"""Where the store lives (issue item 3): --data-dir, then CAREBOOK_HOME, then platformdirs;
directories 0700; atomic private writes."""

from __future__ import annotations

import stat
from pathlib import Path

import platformdirs
import pytest

from carebook import paths
from carebook.errors import DiskFullError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_option_wins(tmp_path: Path) -> None:
    chosen = paths.data_dir(tmp_path / "option" / "nested")
    assert chosen == tmp_path / "option" / "nested"
    assert chosen.is_dir() and _mode(chosen) == 0o700


def test_carebook_home_is_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBOOK_HOME", str(tmp_path / "home-env"))
    assert paths.data_dir() == tmp_path / "home-env"
    assert _mode(tmp_path / "home-env") == 0o700


def test_platform_dir_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAREBOOK_HOME")
    expected = Path(platformdirs.user_data_dir("carebook", appauthor=False))
    assert paths.data_dir() == expected
    assert _mode(expected) == 0o700


def test_existing_directory_is_made_private(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    paths.data_dir(loose)
    assert _mode(loose) == 0o700


def test_store_and_slots_names(tmp_path: Path) -> None:
    store = paths.store_path(tmp_path)
    assert store.name == "carebook.db"
    assert paths.slots_path(store).name == "carebook.db.keys"


def test_atomic_write_is_private_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")
    paths.write_private_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_failed_atomic_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "slots.keys"
    target.write_bytes(b"old content")

    def broken_replace(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths.os, "replace", broken_replace)
    with pytest.raises(DiskFullError):
        paths.write_private_atomic(target, b"new content")
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["slots.keys"]
