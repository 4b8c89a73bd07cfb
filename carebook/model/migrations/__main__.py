"""Make a revision: ``python -m carebook.model.migrations [--initial | MESSAGE]``.

``--initial`` rewrites ``versions/0001_initial.py`` from scratch against an empty database (only
while the first schema is unreleased). With a message, autogenerates the next numbered revision
against a database upgraded to the current head. The new file is formatted with ruff.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from carebook.model import migrations
from carebook.model.db import make_engine


def _next_rev_id() -> str:
    numbers = [int(p.name[:4]) for p in migrations.versions_dir().glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"


def _tidy(paths: list[Path]) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["format", "--quiet"], ["check", "--fix", "--quiet"]):
        subprocess.run([str(ruff), *args, *map(str, paths)], check=False)


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status."""
    initial = argv == ["--initial"]
    if not argv or (argv[0].startswith("-") and not initial):
        print(__doc__)
        return 2
    before = set(migrations.versions_dir().glob("*.py"))
    if initial:
        for old in migrations.versions_dir().glob(f"{migrations.INITIAL_REVISION}_*.py"):
            old.unlink()
            before.discard(old)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "schema.db", None, transactional_ddl=True)
        with engine.begin() as conn:
            if not initial:
                migrations.upgrade(conn)
            rev_id = migrations.INITIAL_REVISION if initial else _next_rev_id()
            message = "initial" if initial else " ".join(argv)
            migrations.autogenerate(conn, message=message, rev_id=rev_id)
        engine.dispose()
    made = sorted(set(migrations.versions_dir().glob("*.py")) - before)
    _tidy(made)
    for path in made:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
