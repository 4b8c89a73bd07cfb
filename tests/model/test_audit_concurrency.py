"""The usage log stays one unbroken chain when two processes write at once (usage log, §6).

Each unit of work starts with BEGIN IMMEDIATE, so reading the last event and appending the
next one cannot interleave between processes.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from carebook.model import audit
from carebook.model.store import Store

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from carebook.model import audit
    from carebook.model.store import Store

    store = Store.open(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
    for i in range(int(sys.argv[3])):
        with store.session() as session:
            audit.record(session, actor=sys.argv[4], action=audit.READ, client_id=i)
    store.close()
""")


def test_two_processes_appending_keep_the_chain_whole(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "store.db"
    Store.create(path, data_key).close()
    per_writer = 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), data_key.hex(),
                               str(per_writer), name], stderr=subprocess.PIPE, text=True)
             for name in ("worker-a", "worker-b")]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    store = Store.open(path, data_key)
    try:
        with store.session() as session:
            result = audit.verify(session)
            actors = [e.actor for e in audit.events(session)]
    finally:
        store.close()
    assert result.ok and result.checked == 2 * per_writer
    assert actors.count("worker-a") == actors.count("worker-b") == per_writer
