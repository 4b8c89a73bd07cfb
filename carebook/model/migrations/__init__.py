"""Schema migrations of the local store (Alembic), run on open after an encrypted backup.

Regenerate the initial revision while the schema is still unreleased (one command)::

    scripts/make-migration --initial

which deletes ``versions/0001_initial.py`` and autogenerates it again against an empty
database. After a release, add a revision with ``scripts/make-migration "what changed"``
(autogenerate against a database upgraded to the current head). The same is reachable as
``python -m carebook.model.migrations [--initial | MESSAGE]``.

Virtual tables and triggers that autogenerate cannot see are declared by the table modules as
``EXTRA_DDL`` (a list of ``CREATE ...`` statements); a new revision freezes the statements
whose objects do not exist yet.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import textwrap
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData
from sqlalchemy.types import TypeDecorator

SCRIPT_DIR = Path(__file__).resolve().parent
INITIAL_REVISION = "0001"
_OBJECT = re.compile(
    r"^\s*CREATE\s+(?P<kind>VIRTUAL\s+TABLE|TABLE|TRIGGER|VIEW|(?:UNIQUE\s+)?INDEX)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?[\"'`\[]?(?P<name>\w+)",
    re.IGNORECASE,
)


def make_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our scripts, carrying ``connection`` (never a URL or key)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def versions_dir() -> Path:
    """Where the revision files are."""
    return SCRIPT_DIR / "versions"


def head() -> str:
    """The newest revision this version of carebook knows."""
    found = ScriptDirectory.from_config(make_config()).get_current_head()
    if found is None:
        raise RuntimeError("no migrations")
    return found


def is_known(revision: str) -> bool:
    """True if ``revision`` is one of ours (False for one made by a newer carebook)."""
    script = ScriptDirectory.from_config(make_config())
    return any(r.revision == revision for r in script.walk_revisions())


def current(connection: Connection) -> str | None:
    """The revision stamped in the store (None: no schema yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the store on ``connection`` to ``target`` inside the caller's transaction."""
    command.upgrade(make_config(connection), target)


def load_metadata(metadata: MetaData) -> MetaData:
    """``metadata`` after every table module is imported (so every table is registered)."""
    importlib.import_module("carebook.model.tables")
    _table_modules()
    return metadata


def _table_modules() -> list[Any]:
    package = importlib.import_module("carebook.model.tables")
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
    ]


def extra_ddl() -> list[str]:
    """Every ``EXTRA_DDL`` statement of the table modules, in module order."""
    statements: list[str] = []
    for module in _table_modules():
        statements.extend(str(s) for s in getattr(module, "EXTRA_DDL", []))
    return statements


def ddl_object(statement: str) -> tuple[str, str]:
    """(kind, name) of the object a ``CREATE`` statement makes, e.g. ('table', 'document_fts')."""
    match = _OBJECT.match(statement)
    if match is None:
        raise ValueError("EXTRA_DDL holds only CREATE TABLE/VIRTUAL TABLE/TRIGGER/VIEW/INDEX")
    words = match["kind"].upper().split()
    kind = "index" if "INDEX" in words else words[-1].lower()
    return kind, match["name"]


def virtual_table_names() -> set[str]:
    """Names of the virtual tables declared in ``EXTRA_DDL``."""
    return {
        ddl_object(s)[1] for s in extra_ddl() if re.search(r"\bVIRTUAL\b", s, re.IGNORECASE)
    }


def pending_extra_ddl(connection: Connection) -> tuple[list[str], list[str]]:
    """``EXTRA_DDL`` statements whose objects the database lacks, and their DROPs (reversed)."""
    rows = connection.exec_driver_sql("SELECT type, name FROM sqlite_master").all()
    existing = {(str(t), str(n)) for t, n in rows}
    create = [s for s in extra_ddl() if ddl_object(s) not in existing]
    drop = [f"DROP {kind.upper()} IF EXISTS {name}" for kind, name in map(ddl_object, create)]
    return create, drop[::-1]


def include_name(name: str | None, type_: str, virtual: set[str]) -> bool:
    """Autogenerate ignores virtual tables and their FTS5 shadow tables."""
    if type_ != "table" or name is None:
        return True
    return not any(name == v or name.startswith(f"{v}_") for v in virtual)


def render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Freeze custom column types as their SQLAlchemy base type (migrations never import
    live application types)."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def literal(text: str) -> str:
    """Python source for ``text`` as adjacent string literals that fit a 100-column line."""
    parts = textwrap.wrap(
        text,
        width=70,
        drop_whitespace=False,
        break_on_hyphens=False,
        replace_whitespace=False,
        expand_tabs=False,
    )
    if len(parts) <= 1 or "".join(parts) != text:
        return repr(text)
    return "(\n        " + "\n        ".join(repr(p) for p in parts) + "\n    )"


def autogenerate(connection: Connection, *, message: str, rev_id: str | None = None) -> None:
    """Write a new revision: the difference between the tables and the database."""
    command.revision(make_config(connection), message=message, autogenerate=True, rev_id=rev_id)
