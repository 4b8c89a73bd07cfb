"""``carebook demo --headless`` (issue #2 item 9): a test-mode demo store made through the
services, summarised, and reused by a second run (``scripts/run`` calls exactly this)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carebook.model.services import accounts, clients, journal
from carebook.model.services.demo import DEMO_PASSWORD


def _demo(data_dir: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREBOOK_")}
    env.update(HOME=str(home), CAREBOOK_LANG="en",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return subprocess.run([sys.executable, "-m", "carebook", "--data-dir", str(data_dir),
                           "demo", "--headless"], env=env, capture_output=True, text=True,
                          timeout=600)


def _count(out: str, kind: str, entry_type: str) -> int:
    match = re.search(rf"^{kind}\s+{re.escape(entry_type)}\s+(\d+)$", out, re.M)
    return int(match.group(1)) if match else 0


@pytest.mark.slow
def test_the_headless_demo_makes_a_store_once_and_then_reuses_it(tmp_path: Path) -> None:
    data_dir = tmp_path / ".demo"
    first = _demo(data_dir, tmp_path)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    # The banner frames the run on stderr, so stdout pipes cleanly.
    err = first.stderr.splitlines()
    assert "TEST STORE" in err[0] and "TEST STORE" in err[-1]
    assert "TEST STORE" not in out
    assert "Made a new demo store." in out and DEMO_PASSWORD in out
    assert re.search(r"^Clients: 8$", out, re.M)
    for user in ("admin", "johtaja", "hoitaja1", "hoitaja2"):
        assert re.search(rf"^{user}\s", out, re.M)
    assert _count(out, "journal", "service-start") == 8
    assert _count(out, "journal", "service-end") == 1
    assert _count(out, "journal", "daily") > 50  # three months of everyday entries
    assert _count(out, "plan", "aldreservice") + _count(
        out, "plan", "service_for_personer_med_funktionsnedsattning") == 8
    assert re.search(r"nullified 1\b", out)
    # The closing hint names the installed command, the password and the register.
    command = str(Path(sys.executable).parent / "carebook")
    assert f"--data-dir {data_dir} --user hoitaja1 client list" in out
    assert f"CAREBOOK_PASSWORD={DEMO_PASSWORD}" in out
    assert command in out or ".venv/bin/carebook " in out
    assert re.search(r"carebook-register --help$", out, re.M)
    # The demo administrator has both units, like an administrator made by init.
    assert re.search(r"^admin\s.*\S+\.1,\S+\.2$", out, re.M)

    second = _demo(data_dir, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "already existed" in second.stdout
    figures = [line for line in out.splitlines() if re.match(r"^(journal|plan)\s", line)]
    again = [line for line in second.stdout.splitlines()
             if re.match(r"^(journal|plan)\s", line)]
    assert figures == again

    # The demo's own rules hold: a minor, a security prohibition, one corrected entry.
    store, worker = accounts.sign_in(data_dir, "johtaja", DEMO_PASSWORD)
    try:
        people = clients.list_clients(store, worker)
        assert sum(c.minor for c in people) == 1
        assert sum(c.security_prohibition for c in people) == 1
        assert all(900 <= int(c.identifier[7:10]) <= 999 for c in people)
        corrected = [d for c in people for d in journal.client_timeline(
            store, worker, client_id=c.id, limit=200).items if d.version == 2]
        assert len(corrected) == 1 and corrected[0].correction_reason == "typing-error"
    finally:
        store.close()
