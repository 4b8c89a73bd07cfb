"""Bad paths and refused actions get one clear line naming the problem, never 'unexpected'."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    UNIT_OID,
    Result,
    fast_store,
    hetu,
    init_args,
    make_cli,
)

WORKER = ("hoitaja", "worker-pass-1", UNIT_OID)


def _error(res: Result) -> str:
    assert res.code == 1 and "Traceback" not in res.err + res.out
    lines = [ln for ln in res.err.splitlines() if ln.strip() and "TEST STORE" not in ln]
    assert len(lines) == 1, res.err
    assert "unexpected" not in lines[0]
    return lines[0]


def test_a_data_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    cli = make_cli(tmp_path)
    cli.data_dir.write_text("not a folder")
    listed = _error(cli("unit", "list", user=ADMIN, password=ADMIN_PASSWORD))
    made = _error(cli(*init_args(test_mode=True), new_password=ADMIN_PASSWORD))
    for line in (listed, made):
        assert f"{cli.data_dir} is a file, not a folder" in line
    assert cli.data_dir.read_text() == "not a folder"


def test_init_in_an_impossible_folder_names_it(tmp_path: Path) -> None:
    cli = make_cli(tmp_path)
    cli.data_dir = Path("/proc/nope")
    assert "Cannot use /proc/nope" in _error(
        cli(*init_args(test_mode=True), new_password=ADMIN_PASSWORD))


def test_a_failing_command_leaves_no_folder_behind(tmp_path: Path) -> None:
    cli = make_cli(tmp_path)
    assert "No data store" in _error(cli("unit", "list", user=ADMIN, password=ADMIN_PASSWORD))
    assert not cli.data_dir.exists()


def test_output_paths_that_are_folders_or_unwritable_are_named(tmp_path: Path) -> None:
    cli = fast_store(tmp_path)
    cli.as_admin("client", "add", "--hetu", hetu("010150", 952), "--first", "Aino",
                 "--last", "Aalto", "--unit", UNIT_OID)
    folder = tmp_path / "out"
    folder.mkdir()
    backup = _error(cli("backup", "--out", str(folder), user=ADMIN, password=ADMIN_PASSWORD))
    assert f"{folder} is a folder" in backup and "already exists" not in backup
    export = _error(cli("audit", "export", "--client", "1", "--out", str(folder),
                        user=ADMIN, password=ADMIN_PASSWORD))
    assert f"{folder} is a folder" in export
    proc = _error(cli("audit", "export", "--client", "1", "--out", "/proc/a.csv",
                      user=ADMIN, password=ADMIN_PASSWORD))
    assert "/proc/a.csv" in proc
    assert list(folder.iterdir()) == []


def test_exporting_the_log_of_an_unknown_client_writes_nothing(tmp_path: Path) -> None:
    cli = fast_store(tmp_path)
    out = tmp_path / "log.csv"
    line = _error(cli("audit", "export", "--client", "99", "--out", str(out),
                      user=ADMIN, password=ADMIN_PASSWORD))
    assert "Client 99 was not found." in line
    assert not out.exists()


def test_only_an_administrator_makes_backups_or_changes_the_key(tmp_path: Path) -> None:
    cli = fast_store(tmp_path, users=[WORKER])
    backup = _error(cli("backup", "--out", str(tmp_path / "b.db"), user="hoitaja",
                        password="worker-pass-1"))
    assert "Only an administrator can make backups." in backup
    rekey = _error(cli("rekey", user="hoitaja", password="worker-pass-1"))
    assert "Only an administrator can change the store key." in rekey
    assert not (tmp_path / "b.db").exists()


def test_the_growing_sign_in_delay_is_announced(tmp_path: Path) -> None:
    """AC-12: after failed sign-ins the next one waits, and says so on stderr first."""
    import subprocess
    import sys
    import time

    from carebook.errors import WrongPasswordError
    from carebook.model.keyslots import KeySlots, SlotPolicy
    from carebook.paths import slots_path, store_path
    from tests.cli.conftest import FAST

    cli = fast_store(tmp_path)
    # A failure recorded an hour "ahead": the next sign-in waits long enough to be seen
    # waiting; the test reads the announcement and stops the process.
    ahead = SlotPolicy(kdf=FAST.kdf, sleep=lambda _s: None, clock=lambda: time.time() + 3600)
    slots = KeySlots.load(slots_path(store_path(cli.data_dir)), policy=ahead)
    try:
        slots.unlock(ADMIN, "wrong-password")
    except WrongPasswordError:
        pass
    env = dict(cli.env, CAREBOOK_PASSWORD=ADMIN_PASSWORD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "carebook", "--data-dir", str(cli.data_dir), "--user", ADMIN,
         "unit", "list"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
    finally:
        proc.kill()
        proc.communicate()
    assert re.match(r"Waiting 3[56]\d\d s after earlier failed sign-ins", line), line
