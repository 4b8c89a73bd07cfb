"""Migrations (ARCHITECTURE §3; issue items 3 and 10): the frozen store of the first released
schema upgrades to head after an encrypted backup; the revisions match the tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from carebook.model import migrations
from carebook.model.base import Base
from carebook.model.db import file_problems, make_engine
from carebook.model.store import Store
from tests.model.conftest import build_store_from_sql

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FROZEN = FIXTURES / "schema-0001.sql"

EXTRA_REVISION = '''
"""test-only revision after the head: adds a column."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("upgraded_note", sa.String(20), server_default="yes"))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("upgraded_note")
'''


def _frozen_store(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_store_from_sql(path, key, FROZEN.read_text(encoding="utf-8"))


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one())


def test_frozen_first_schema_opens_at_head_with_its_data(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "carebook.db"
    _frozen_store(path, data_key)
    store = Store.open(path, data_key)
    with store.engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
        details = conn.exec_driver_sql("SELECT detail FROM audit_event ORDER BY id").scalars()
        assert list(details) == ["audit_event.detail 1", "audit_event.detail 2"]
        hits = conn.execute(
            text("SELECT rowid FROM document_fts WHERE document_fts MATCH 'journal'")
        ).scalars()
        assert sorted(hits) == [1, 2]
    assert _count(store, "client") == 2
    assert store.integrity_problems(full=True) == []
    store.close()


@pytest.fixture
def newer_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """This carebook's revisions plus one more, as a newer release would ship them."""
    scripts = tmp_path / "scripts"
    shutil.copytree(migrations.SCRIPT_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrations.head()
    (scripts / "versions" / "9001_extra.py").write_text(EXTRA_REVISION.format(head=head))
    monkeypatch.setattr(migrations, "SCRIPT_DIR", scripts)
    return head


def test_older_store_is_backed_up_then_upgraded(
    tmp_path: Path, data_key: bytes, newer_scripts: str
) -> None:
    path = tmp_path / "data" / "carebook.db"
    _frozen_store(path, data_key)
    store = Store.open(path, data_key)
    with store.engine.connect() as conn:
        assert migrations.current(conn) == "9001"
        notes = conn.exec_driver_sql("SELECT upgraded_note FROM audit_event").scalars()
        assert set(notes) == {"yes"}
    store.close()
    (backup,) = path.parent.glob("carebook.db.pre-upgrade-*.bak")
    assert backup.name.startswith("carebook.db.pre-upgrade-0001-")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert file_problems(backup, data_key) == []
    engine = make_engine(backup, data_key)
    with engine.connect() as conn:
        assert migrations.current(conn) == "0001"
    engine.dispose()


def test_newer_store_is_refused_by_an_older_carebook(
    tmp_path: Path, data_key: bytes, newer_scripts: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "carebook.db"
    Store.create(path, data_key).close()  # made by the "newer" carebook: at 9001
    monkeypatch.undo()  # back to this carebook's revisions
    from carebook.errors import NewerSchemaError

    before = path.read_bytes()
    with pytest.raises(NewerSchemaError):
        Store.open(path, data_key)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_revisions_match_the_tables(tmp_path: Path) -> None:
    """If this fails, the tables changed without a revision: run scripts/make-migration."""
    engine = make_engine(tmp_path / "plain.db", None, transactional_ddl=True)
    with engine.begin() as conn:
        migrations.upgrade(conn)
        virtual = migrations.virtual_table_names()
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda n, t, _p: migrations.include_name(n, t, virtual),
                "render_as_batch": True,
            },
        )
        diff = compare_metadata(context, migrations.load_metadata(Base.metadata))
    engine.dispose()
    assert diff == []
    # Every EXTRA_DDL object (FTS5 tables, triggers) exists at head too.
    engine = make_engine(tmp_path / "plain.db", None)
    with engine.connect() as conn:
        assert migrations.pending_extra_ddl(conn) == ([], [])
    engine.dispose()


def test_migrations_refuse_to_run_without_our_connection() -> None:
    from alembic import command

    with pytest.raises(RuntimeError):
        command.upgrade(migrations.make_config(None), "head")


def test_ddl_objects_are_recognised() -> None:
    assert migrations.ddl_object("CREATE VIRTUAL TABLE IF NOT EXISTS x_fts USING fts5(body)") == (
        "table",
        "x_fts",
    )
    assert migrations.ddl_object("CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN END") == (
        "trigger",
        "t_ai",
    )
    assert migrations.ddl_object("create unique index ix_a on a(b)") == ("index", "ix_a")
    with pytest.raises(ValueError):
        migrations.ddl_object("DROP TABLE x")
    assert not migrations.include_name("x_fts_data", "table", {"x_fts"})
    assert migrations.include_name("client", "table", {"x_fts"})


BROKEN_REVISION = '''
"""test-only revision that fails half-way."""
import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO no_such_table VALUES (1)")


def downgrade() -> None:
    pass
'''


def test_failed_upgrade_changes_nothing_and_keeps_the_backup(
    tmp_path: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carebook.errors import UpgradeFailedError

    path = tmp_path / "carebook.db"
    _frozen_store(path, data_key)
    scripts = tmp_path / "scripts"
    shutil.copytree(migrations.SCRIPT_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9002_broken.py").write_text(
        BROKEN_REVISION.format(head=migrations.head())
    )
    monkeypatch.setattr(migrations, "SCRIPT_DIR", scripts)
    with pytest.raises(UpgradeFailedError) as err:
        Store.open(path, data_key)
    assert ".pre-upgrade-0001-" in str(err.value)
    engine = make_engine(path, data_key)
    with engine.connect() as conn:
        assert migrations.current(conn) == "0001"
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_event").scalar_one() == 2
    engine.dispose()
    assert "half_done" not in tables
    monkeypatch.undo()
    Store.open(path, data_key).close()  # this carebook still opens it


def test_frozen_ddl_literals_keep_the_statement_exactly() -> None:
    statement = (
        "CREATE TRIGGER document_fts_sync AFTER UPDATE ON document_version\n"
        "BEGIN\n\tUPDATE document_fts SET body = new.body WHERE rowid = new.document_id;\nEND"
    )
    source = migrations.literal(statement)
    assert eval(source) == statement  # noqa: S307 - our own generated literal
    assert all(len(line) <= 100 for line in source.splitlines())
    assert eval(migrations.literal("CREATE VIEW v AS SELECT 1")) == "CREATE VIEW v AS SELECT 1"


@pytest.mark.slow
def test_making_revisions_is_one_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carebook.model.migrations.__main__ import main

    scripts = tmp_path / "scripts"
    shutil.copytree(migrations.SCRIPT_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrations, "SCRIPT_DIR", scripts)
    shipped = (scripts / "versions" / "0001_initial.py").read_text()

    assert main(["--initial"]) == 0
    regenerated = (scripts / "versions" / "0001_initial.py").read_text()

    # The tables have not changed since the shipped revision: only the date line differs.
    def without_date(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("Create Date:")]

    assert without_date(regenerated) == without_date(shipped)

    assert main(["add", "nothing"]) == 0
    (new,) = (scripts / "versions").glob("0002_*.py")
    assert new.name == "0002_add_nothing.py"
    assert 'down_revision: str | Sequence[str] | None = "0001"' in new.read_text()
    compile(new.read_text(), str(new), "exec")
    assert main(["--bogus"]) == 2
