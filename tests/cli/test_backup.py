"""``carebook backup --out F`` and ``carebook restore --from F`` round trip (issue #2 item 9)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, UNIT_OID, fast_store, hetu


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    cli = fast_store(tmp_path)
    cli.as_admin("client", "add", "--hetu", hetu("010150", 951), "--first", "Aino",
                 "--last", "Aalto", "--unit", UNIT_OID)
    cli.as_admin("note", "add", "--client", "1", "--type", "daily", "--text",
                 "Ennen varmuuskopiota.")
    backup = tmp_path / "backups" / "carebook-backup.db"
    backup.parent.mkdir()
    out = cli.as_admin("backup", "--out", str(backup))
    assert "Encrypted backup written" in out
    assert backup.exists() and Path(f"{backup}.keys").exists()
    cli.as_admin("note", "add", "--client", "1", "--type", "daily", "--text", "Jälkeen kopion.")

    restored = cli.as_admin("restore", "--from", str(backup))
    assert "restored" in restored and "kept as" in restored
    notes = cli.as_admin("note", "list", "--client", "1")
    assert "Ennen varmuuskopiota." in notes and "Jälkeen kopion." not in notes
    # Nothing is lost: the replaced store was kept beside the restored one.
    kept = list(cli.data_dir.glob("carebook.db.pre-restore-*.bak"))
    assert len(kept) == 1
    # A second backup to an existing file is refused; nothing is overwritten.
    res = cli("backup", "--out", str(backup), user=ADMIN, password=ADMIN_PASSWORD)
    assert res.code == 1 and "already exists" in res.err


def test_passwords_change_and_reset_through_the_cli(tmp_path: Path) -> None:
    cli = fast_store(tmp_path, users=[("hoitaja", "worker-pass-1", UNIT_OID)])
    out = cli.ok("user", "passwd", user="hoitaja", password="worker-pass-1",
                 new_password="worker-pass-2")
    assert "Your password was changed." in out
    assert cli("unit", "list", user="hoitaja", password="worker-pass-1").code == 1
    out = cli.ok("user", "passwd", "hoitaja", user=ADMIN, password=ADMIN_PASSWORD,
                 new_password="worker-pass-3")
    assert "The password of hoitaja was set." in out
    cli.ok("unit", "list", user="hoitaja", password="worker-pass-3")
    removed = cli.as_admin("user", "remove", "hoitaja")
    assert "Removed the user hoitaja" in removed
    res = cli("unit", "list", user="hoitaja", password="worker-pass-3")
    assert res.code == 1 and "Wrong username or password." in res.err
    res = cli("user", "passwd", user=ADMIN, password=ADMIN_PASSWORD, new_password="short")
    assert res.code == 1 and "at least 8 characters" in res.err


def test_rekey_prints_a_new_recovery_code_that_recovers_a_lost_password(
        tmp_path: Path) -> None:
    import re

    cli = fast_store(tmp_path)
    out = cli.as_admin("rekey")
    code = re.search(r"^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){7})$", out, re.M).group(1)  # type: ignore[union-attr]
    assert "shown only now" in out
    cli.as_admin("unit", "list")  # the password still opens the rotated store
    bad = cli("recover", "--username", ADMIN, new_password="new-admin-pass",
              extra_env={"CAREBOOK_RECOVERY_CODE": "0" * 40})
    assert bad.code == 1 and "recovery code is not right" in bad.err
    cli.ok("recover", "--username", ADMIN, new_password="new-admin-pass",
           extra_env={"CAREBOOK_RECOVERY_CODE": code})
    assert cli("unit", "list", user=ADMIN, password=ADMIN_PASSWORD).code == 1
    cli.ok("unit", "list", user=ADMIN, password="new-admin-pass")
