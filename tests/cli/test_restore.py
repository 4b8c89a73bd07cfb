"""``carebook restore``: says what the replaced store held, and gets out of dead ends (AC-8)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.cli.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    UNIT_OID,
    Cli,
    fast_store,
    hetu,
    make_cli,
)

WORKER = ("hoitaja", "worker-pass-1", UNIT_OID)


def _store_with_backup(tmp_path: Path) -> tuple[Cli, Path]:
    cli = fast_store(tmp_path, users=[WORKER])
    cli.as_admin("client", "add", "--hetu", hetu("010150", 951), "--first", "Aino",
                 "--last", "Aalto", "--unit", UNIT_OID)
    backup = tmp_path / "backups" / "b.db"
    backup.parent.mkdir()
    cli.as_admin("backup", "--out", str(backup))
    return cli, backup


def test_restore_says_how_many_events_and_documents_only_the_safety_copy_keeps(
        tmp_path: Path) -> None:
    """AC-8: events written after the backup are not lost silently."""
    cli, backup = _store_with_backup(tmp_path)
    cli.as_admin("note", "add", "--client", "1", "--type", "daily", "--text", "Jälkeen.")
    out = cli.as_admin("restore", "--from", str(backup))
    safety = next(cli.data_dir.glob("carebook.db.pre-restore-*.bak"))
    assert f"kept as {safety}" in out
    found = re.search(r"(\d+) usage-log events and (\d+) documents of the replaced store", out)
    assert found is not None
    assert int(found.group(1)) >= 3 and found.group(2) == "1"
    assert "recovery code" not in out
    log = cli.as_admin("audit", "list", "--actor", ADMIN)
    assert safety.name in log and f"{found.group(1)} usage-log events" in log
    assert "intact" in cli.as_admin("audit", "verify")


def test_restoring_a_backup_from_before_a_rekey_says_its_recovery_code_applies_again(
        tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    cli.as_admin("rekey")
    out = cli.as_admin("restore", "--from", str(backup))
    assert "the recovery code that was valid when this backup was made applies again" in out


def test_restore_over_a_damaged_store_sets_it_aside_and_restores(tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    db = cli.data_dir / "carebook.db"
    db.write_bytes(os.urandom(8192))
    assert "damaged" in cli("unit", "list", user=ADMIN, password=ADMIN_PASSWORD).err
    out = cli.as_admin("restore", "--from", str(backup))
    aside = list(cli.data_dir.glob("carebook.db.damaged-*"))
    assert {p.suffix for p in aside} >= {".keys"} and len(aside) == 2
    assert "moved aside" in out
    assert "Aalto" in cli.as_admin("client", "list")


def test_restore_checks_admin_rights_in_the_backup_before_replacing_anything(
        tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    db = cli.data_dir / "carebook.db"
    db.write_bytes(b"\0" * 100)
    res = cli("restore", "--from", str(backup), user="hoitaja", password="worker-pass-1")
    assert res.code == 1 and "Only an administrator can restore a backup." in res.err
    assert db.read_bytes() == b"\0" * 100
    assert not list(cli.data_dir.glob("carebook.db.*-*"))


def test_missing_key_file_points_to_restore_not_init(tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    keys = cli.data_dir / "carebook.db.keys"
    keys.unlink()
    res = cli("unit", "list", user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code == 1 and "key file" in res.err and "missing" in res.err
    assert "carebook init" not in res.err and "restore --from" in res.err
    cli.as_admin("restore", "--from", str(backup))
    assert "Aalto" in cli.as_admin("client", "list")


def test_a_damaged_backup_is_named_and_nothing_is_left_behind(tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    backup.write_bytes(os.urandom(8192))
    before = sorted(p.name for p in cli.data_dir.iterdir())
    res = cli("restore", "--from", str(backup), user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code == 1 and "backup file" in res.err and str(backup) in res.err
    assert "The data store" not in res.err
    assert sorted(p.name for p in cli.data_dir.iterdir()) == before


def test_a_worker_cannot_restore_into_an_empty_folder_and_a_missing_backup_key_is_named(
        tmp_path: Path) -> None:
    cli, backup = _store_with_backup(tmp_path)
    other = make_cli(tmp_path / "other")
    res = other("restore", "--from", str(backup), user="hoitaja", password="worker-pass-1")
    assert res.code == 1 and "Only an administrator can restore a backup." in res.err
    assert not (other.data_dir / "carebook.db").exists()
    Path(f"{backup}.keys").rename(tmp_path / "elsewhere.keys")
    res = other("restore", "--from", str(backup), user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code == 1 and f"{backup}.keys of the backup is missing" in res.err
    assert "carebook init" not in res.err
