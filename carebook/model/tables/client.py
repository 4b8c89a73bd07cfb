"""Clients and their client relationships per register (rules-documents E4-E5; RAR-5, RAR-8)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class Client(Base):
    """A client identified by a personal identity code or a generated temporary OID (ID-13)."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hetu: Mapped[str | None] = mapped_column(String(11), unique=True)
    temporary_oid: Mapped[str | None] = mapped_column(String(128), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    # AC-11 security prohibition (*spärrmarkering*, Fi. *turvakielto*) and the fields it covers.
    security_prohibition: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(300))
    municipality: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    secret_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClientRelationship(Base):
    """The client's relationship at one of our units in one register.

    Under RAR this mirrors the organiser's client-relationship document: ``start_on``/``end_on``
    are the RAR window the organiser recorded for our unit (RAR-8). In the own register they are
    the relationship dates the producer records itself (PRIV-2).
    """

    __tablename__ = "client_relationship"
    __table_args__ = (Index("ix_client_relationship_client_unit", "client_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    self_paying: Mapped[bool] = mapped_column(Boolean, default=False)
