"""Producer side organisation: store info, producer, service units, organisers, registers.

rules-documents E1-E2; rules-sync-and-access §1 (ID-4 … ID-8), PRIV-8 (register as partition).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class Producer(Base):
    """The producer (*tjänsteproducent*, Fi. *palveluntuottaja*) owning this store."""

    __tablename__ = "producer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    business_id: Mapped[str] = mapped_column(String(16))  # Y-tunnus, ID-8
    oid: Mapped[str] = mapped_column(String(128), unique=True)  # THL org register OID


class StoreInfo(Base):
    """The single row describing this store: its producer and whether it is a test store."""

    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    test_mode: Mapped[bool] = mapped_column(Boolean)
    oid_node: Mapped[int] = mapped_column(Integer)  # installation node arc, see oids.py
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OidCounter(Base):
    """Per-store serial for generated OIDs, one row per kind (see oids.py)."""

    __tablename__ = "oid_counter"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class ServiceUnit(Base):
    """A service unit / service point of the producer (*serviceenhet*, *palvelupiste*), ID-5."""

    __tablename__ = "service_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    name: Mapped[str] = mapped_column(String(200))
    oid: Mapped[str] = mapped_column(String(128), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Organiser(Base):
    """An organiser (*tjänsteanordnare*): a welfare area buying services from the producer."""

    __tablename__ = "organiser"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    oid: Mapped[str] = mapped_column(String(128), unique=True)
    business_id: Mapped[str | None] = mapped_column(String(16))


class Register(Base):
    """A register (controller's partition): the producer's own (usage code 1) or an organiser's
    reached under RAR (usage code 2). Every relationship, case and document lives in exactly one
    register (PRIV-8, MSG-15)."""

    __tablename__ = "register"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "own" | "organiser"
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"), unique=True)
    usage_code: Mapped[int] = mapped_column(Integer)  # MSG-15: 1 own, 2 normal RAR
    controller_oid: Mapped[str] = mapped_column(String(128))
