"""Archiving outbox: one row per completed or nullified document version, written in the same
transaction as the completion (ARCHITECTURE §4-5). The sync worker consumes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class OutboxItem(Base):
    """A document version waiting to be archived in its target register."""

    __tablename__ = "outbox_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"),
                                                     unique=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    target_register: Mapped[str] = mapped_column(String(128))  # controller OID
    usage_code: Mapped[int] = mapped_column(Integer)  # MSG-15
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    receipt: Mapped[str | None] = mapped_column(Text)
