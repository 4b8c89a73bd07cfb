"""Client documents (journal entries, implementation plans, attachments, and in the own
register case and client-relationship documents) with their versions.

rules-documents E8-E15 and §2 (metadata); lifecycle of ARCHITECTURE §4: a version is a draft
(editable by its author), completed (signed, frozen) or nullified. Versions of one document are
numbered 1, 2, 3 … without gaps (MSG-11).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class Document(Base):
    """A document's identity and current state; content lives in :class:`DocumentVersion`."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    oid: Mapped[str] = mapped_column(String(160), unique=True)  # ID-12: unique in Kanta
    # journal | plan | attachment; case and client_relationship only in the own register
    kind: Mapped[str] = mapped_column(String(24))
    specific_type: Mapped[str] = mapped_column(String(64))
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("client_case.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    main_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    own: Mapped[bool] = mapped_column(Boolean, default=True)  # RAR-17: made by this producer
    state: Mapped[str] = mapped_column(String(16))  # state of the current version
    current_version: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DocumentVersion(Base):
    """One version of a document with its metadata (rules-documents §2)."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "version_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    version_no: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # draft | completed | nullified
    body: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="{}")  # structured content, JSON
    description: Mapped[str | None] = mapped_column(Text)  # *Beskrivning*; corrector's title
    clients: Mapped[str] = mapped_column(Text, default="[]")  # client ids at creation (RAR-28)
    service_task: Mapped[str] = mapped_column(String(64))
    service_process: Mapped[str] = mapped_column(String(64))
    social_service: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    stored_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    delay_until: Mapped[date | None] = mapped_column(Date)
    special_content: Mapped[bool] = mapped_column(Boolean, default=False)
    restriction_reasons: Mapped[str] = mapped_column(String(64), default="")
    restriction_text: Mapped[str | None] = mapped_column(Text)
    guardian_code: Mapped[str | None] = mapped_column(String(4))
    guardian_text: Mapped[str | None] = mapped_column(Text)
    guardian_refusal_reason: Mapped[str | None] = mapped_column(String(4))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signature_method: Mapped[str | None] = mapped_column(String(32))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    correction_reason: Mapped[str | None] = mapped_column(String(64))
    nullification_reason: Mapped[str | None] = mapped_column(String(64))
    reason_text: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)  # plans: follow-up date


class DocumentClient(Base):
    """Every client a document belongs to, with the document's time for timelines (RAR-28)."""

    __tablename__ = "document_client"
    __table_args__ = (Index("ix_document_client_timeline", "client_id", "recorded_at",
                            "document_id"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
