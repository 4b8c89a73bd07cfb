"""The register's own tables (separate from the desktop's ``carebook.model`` metadata).

One row per document version (``document_versions``); the unique (document_oid, version)
constraint makes version numbering safe when several clients store at once (MSG-11).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

OID = String(128)
ID_TYPE = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the register database."""

    metadata = MetaData(naming_convention=NAMING)


class Organisation(Base):
    """An organisation known to the register and its kind (kind is not in the certificate)."""

    __tablename__ = "organisations"

    oid: Mapped[str] = mapped_column(OID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # organiser | producer | host | tenant
    host_oid: Mapped[str | None] = mapped_column(ForeignKey("organisations.oid"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServiceUnit(Base):
    """A producer's service unit (ID-4): whose RAR a unit OID in a relationship grants."""

    __tablename__ = "service_units"

    oid: Mapped[str] = mapped_column(OID, primary_key=True)
    producer_oid: Mapped[str] = mapped_column(ForeignKey("organisations.oid"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Register(Base):
    """One register per controller; ``sequence`` orders its changes (and locks writers)."""

    __tablename__ = "registers"

    controller_oid: Mapped[str] = mapped_column(ForeignKey("organisations.oid"),
                                                primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger, default=0)


class DocumentVersion(Base):
    """One archived version of a document with the metadata the rules need as columns."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_oid", "version"),
        Index("ix_document_versions_register_sequence", "register_oid", "sequence"),
        Index("ix_document_versions_register_case", "register_oid", "document_group",
              "case_code"),
    )

    id: Mapped[int] = mapped_column(ID_TYPE, primary_key=True, autoincrement=True)
    register_oid: Mapped[str] = mapped_column(ForeignKey("registers.controller_oid"))
    document_oid: Mapped[str] = mapped_column(OID)
    version: Mapped[int] = mapped_column(Integer)
    document_group: Mapped[str] = mapped_column(String(40))
    case_code: Mapped[str | None] = mapped_column(OID)
    main_document_oid: Mapped[str | None] = mapped_column(OID, index=True)
    service_unit_oid: Mapped[str | None] = mapped_column(OID)
    creator_oid: Mapped[str] = mapped_column(OID)  # who stored version 1 (RAR-17)
    stored_by_oid: Mapped[str] = mapped_column(OID)
    usage_code: Mapped[int] = mapped_column(Integer)
    nullified: Mapped[bool] = mapped_column(Boolean, default=False)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[str] = mapped_column(Text)
    archived_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sequence: Mapped[int] = mapped_column(BigInteger)


class DocumentClient(Base):
    """The clients a version concerns (repeated for every client of a joint case)."""

    __tablename__ = "document_clients"
    __table_args__ = (Index("ix_document_clients_register_client", "register_oid",
                            "client_key"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"),
                                            primary_key=True)
    client_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    register_oid: Mapped[str] = mapped_column(OID)


class UsageEvent(Base):
    """The register's usage log: stores, nullifications, searches and reads (AC-9)."""

    __tablename__ = "usage_log"
    __table_args__ = (Index("ix_usage_log_register_id", "register_oid", "id"),)

    id: Mapped[int] = mapped_column(ID_TYPE, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    register_oid: Mapped[str] = mapped_column(OID)
    actor_oid: Mapped[str] = mapped_column(OID)
    usage_code: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    client_key: Mapped[str | None] = mapped_column(String(128))
    objects: Mapped[str] = mapped_column(Text, default="[]")
    detail: Mapped[str] = mapped_column(Text, default="{}")
