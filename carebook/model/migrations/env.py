"""Alembic environment for the local store.

Migrations only ever run on the connection that :mod:`carebook.model.migrations` passes in
``config.attributes["connection"]`` (our encrypted engine): there is no URL and so no key in
any configuration. Offline (SQL script) mode is not supported.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from carebook.model import migrations
from carebook.model.base import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through carebook.model.migrations, with a connection")

virtual = migrations.virtual_table_names()
ddl, drop = migrations.pending_extra_ddl(connection)

context.configure(
    connection=connection,
    target_metadata=migrations.load_metadata(Base.metadata),
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    include_name=lambda name, type_, _parent: migrations.include_name(name, type_, virtual),
    render_item=migrations.render_item,
    template_args={"extra_ddl": ddl, "extra_drop": drop, "literal": migrations.literal},
)

with context.begin_transaction():
    context.run_migrations()
