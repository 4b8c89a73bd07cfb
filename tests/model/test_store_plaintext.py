"""Nothing personal in clear on disk (issue item 10; ARCHITECTURE §3): after writing clients and
journal entries, neither a client's name nor identity code is in any byte of the store, its
WAL, its shared-memory file or its key file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData
from stdnum.fi import hetu

from carebook.model import migrations
from carebook.model.keyslots import SlotPolicy
from carebook.model.store import Store
from tests.fixtures.make_schema_sql import fill
from tests.model.conftest import ADMIN, ADMIN_PW

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def kela_test_hetu(birth: str, individual: int) -> str:
    """A Kela test-series identity code (individual number 900–999), never a real person."""
    check = HETU_CHECK[int(birth + f"{individual:03d}") % 31]
    code = f"{birth}-{individual:03d}{check}"
    hetu.validate(code, allow_temporary=True)
    return code


FIRST = ["Aino-Kaisa", "Lyyli"]
LAST = ["Virtanen-Tähtinen", "Öhrnberg"]
CODES = [kela_test_hetu("120345", 901), kela_test_hetu("010170", 987)]


def _store_files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def _assert_no_clear_text(path: Path) -> None:
    files = _store_files(path)
    needles = [*FIRST, *LAST, *CODES, *(n.lower() for n in FIRST + LAST)]
    for name, content in files.items():
        for needle in needles:
            for encoding in ("utf-8", "utf-16-le"):
                assert needle.encode(encoding) not in content, (needle, name)


def test_names_and_identity_codes_never_reach_the_disk_in_clear(
    store_path: Path, policy: SlotPolicy
) -> None:
    store_path.parent.mkdir(mode=0o700)
    store, _code = Store.initialise(store_path, username=ADMIN, password=ADMIN_PW, policy=policy)
    metadata = MetaData()
    with store.engine.begin() as conn:
        metadata.reflect(conn)
        fill(
            conn,
            metadata,
            migrations.virtual_table_names(),
            overrides={
                "client": {"first_name": FIRST, "last_name": LAST, "hetu": CODES},
                "document_version": {
                    "body": [f"{f} {la} ({c}) söi hyvin." for f, la, c in zip(FIRST, LAST, CODES)]
                },
            },
            fts_bodies=[f"{f} {la} {c}" for f, la, c in zip(FIRST, LAST, CODES)],
        )
    with store.engine.connect() as conn:  # the data is really there, readable with the key
        names = conn.exec_driver_sql("SELECT first_name FROM client ORDER BY id").scalars()
        assert list(names) == FIRST
    files = _store_files(store_path)
    assert {"carebook.db", "carebook.db-wal", "carebook.db-shm", "carebook.db.keys"} <= set(files)
    assert len(files["carebook.db-wal"]) > 0
    _assert_no_clear_text(store_path)  # while open: WAL and SHM hold the fresh pages
    store.close()
    _assert_no_clear_text(store_path)  # after the checkpoint
