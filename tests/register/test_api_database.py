"""The register's own database: Alembic migrations match the ORM and re-running is harmless."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from carebook.register.admin import Admin
from carebook.register.db import make_engine, upgrade
from carebook.register.tables import Base


def test_migrations_build_exactly_the_orm_schema(db_url):
    """No drift between carebook/register/migrations and carebook/register/tables.py."""
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        upgrade(engine)  # a second start (another worker) changes nothing
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            tables = set(inspect(conn).get_table_names())
        assert diff == []
        assert {"organisations", "registers", "document_versions", "usage_log"} <= tables
    finally:
        engine.dispose()


def test_admin_creates_one_register_per_controller(db_url):
    """Adding an organisation creates its register; kinds and hosts are recorded."""
    admin = Admin.open(db_url)
    try:
        admin.add_org(oid="1.2.246.10.3001.1", name="Host", kind="host")
        admin.add_org(oid="1.2.246.10.3002.1", name="Tenant", kind="tenant",
                      host="1.2.246.10.3001.1")
        admin.add_unit(producer="1.2.246.10.3002.1", oid="1.2.246.10.3002.1.10", name="U")
        records = {o.oid: o for o in admin.organisations()}
        assert records["1.2.246.10.3002.1"].host_oid == "1.2.246.10.3001.1"
        assert records["1.2.246.10.3002.1"].units == ("1.2.246.10.3002.1.10",)
    finally:
        admin.close()
