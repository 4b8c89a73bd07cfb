"""initial register schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "organisations",
        sa.Column("oid", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("host_oid", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_oid"],
            ["organisations.oid"],
            name=op.f("fk_organisations_host_oid_organisations"),
        ),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_organisations")),
    )
    op.create_table(
        "usage_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("register_oid", sa.String(length=128), nullable=False),
        sa.Column("actor_oid", sa.String(length=128), nullable=False),
        sa.Column("usage_code", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("client_key", sa.String(length=128), nullable=True),
        sa.Column("objects", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_log")),
    )
    with op.batch_alter_table("usage_log", schema=None) as batch_op:
        batch_op.create_index("ix_usage_log_register_id", ["register_oid", "id"], unique=False)

    op.create_table(
        "registers",
        sa.Column("controller_oid", sa.String(length=128), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["controller_oid"],
            ["organisations.oid"],
            name=op.f("fk_registers_controller_oid_organisations"),
        ),
        sa.PrimaryKeyConstraint("controller_oid", name=op.f("pk_registers")),
    )
    op.create_table(
        "service_units",
        sa.Column("oid", sa.String(length=128), nullable=False),
        sa.Column("producer_oid", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["producer_oid"],
            ["organisations.oid"],
            name=op.f("fk_service_units_producer_oid_organisations"),
        ),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_service_units")),
    )
    with op.batch_alter_table("service_units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_units_producer_oid"), ["producer_oid"], unique=False
        )

    op.create_table(
        "document_versions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("register_oid", sa.String(length=128), nullable=False),
        sa.Column("document_oid", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document_group", sa.String(length=40), nullable=False),
        sa.Column("case_code", sa.String(length=128), nullable=True),
        sa.Column("main_document_oid", sa.String(length=128), nullable=True),
        sa.Column("service_unit_oid", sa.String(length=128), nullable=True),
        sa.Column("creator_oid", sa.String(length=128), nullable=False),
        sa.Column("stored_by_oid", sa.String(length=128), nullable=False),
        sa.Column("usage_code", sa.Integer(), nullable=False),
        sa.Column("nullified", sa.Boolean(), nullable=False),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["register_oid"],
            ["registers.controller_oid"],
            name=op.f("fk_document_versions_register_oid_registers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint(
            "document_oid", "version", name=op.f("uq_document_versions_document_oid")
        ),
    )
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_versions_main_document_oid"),
            ["main_document_oid"],
            unique=False,
        )
        batch_op.create_index(
            "ix_document_versions_register_case",
            ["register_oid", "document_group", "case_code"],
            unique=False,
        )
        batch_op.create_index(
            "ix_document_versions_register_sequence", ["register_oid", "sequence"], unique=False
        )

    op.create_table(
        "document_clients",
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("client_key", sa.String(length=128), nullable=False),
        sa.Column("register_oid", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_clients_version_id_document_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "client_key", name=op.f("pk_document_clients")),
    )
    with op.batch_alter_table("document_clients", schema=None) as batch_op:
        batch_op.create_index(
            "ix_document_clients_register_client", ["register_oid", "client_key"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("document_clients", schema=None) as batch_op:
        batch_op.drop_index("ix_document_clients_register_client")

    op.drop_table("document_clients")
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_document_versions_register_sequence")
        batch_op.drop_index("ix_document_versions_register_case")
        batch_op.drop_index(batch_op.f("ix_document_versions_main_document_oid"))

    op.drop_table("document_versions")
    with op.batch_alter_table("service_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_units_producer_oid"))

    op.drop_table("service_units")
    op.drop_table("registers")
    with op.batch_alter_table("usage_log", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_log_register_id")

    op.drop_table("usage_log")
    op.drop_table("organisations")
