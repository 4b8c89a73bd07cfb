"""Cases with members and case-level restrictions, and the social services given in them.

rules-documents E6-E7; ID-9 (case code), RAR-11 (organiser's code under RAR), RAR-28 (joint case).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class Case(Base):
    """A social-welfare case (*ärende*) in one register.

    Under RAR ``case_code`` is the organiser's code found in its register and may be missing
    until it is found (RAR-11: never invented); in the own register carebook generates it (ID-9).
    The restriction columns are case-level MyKanta restrictions copied into every new document
    of the case (rules-documents §4.1.20, MSG-25).
    """

    __tablename__ = "client_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    case_code: Mapped[str | None] = mapped_column(String(128), unique=True)
    name_code: Mapped[str | None] = mapped_column(String(64))
    name_text: Mapped[str | None] = mapped_column(String(200))
    service_task: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|closed|nullified
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delay_until: Mapped[date | None] = mapped_column(Date)
    special_content: Mapped[bool] = mapped_column(Boolean, default=False)
    restriction_reasons: Mapped[str] = mapped_column(String(64), default="")
    restriction_text: Mapped[str | None] = mapped_column(Text)
    guardian_code: Mapped[str | None] = mapped_column(String(4))
    guardian_text: Mapped[str | None] = mapped_column(Text)
    guardian_refusal_reason: Mapped[str | None] = mapped_column(String(4))


class CaseMember(Base):
    """A client in a case, with join and leave times (joint cases, RAR-27/RAR-28)."""

    __tablename__ = "case_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Service(Base):
    """A social service given to a client in a case, with the actual start and end taken from
    the start and end journal entries (rules-documents E7, E10; RAR-9)."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("client_case.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"))
    social_service: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str | None] = mapped_column(String(32))  # decision | voucher | contract
    actual_start: Mapped[date] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    end_grounds: Mapped[str | None] = mapped_column(Text)
    start_document_id: Mapped[int | None] = mapped_column(Integer)
    end_document_id: Mapped[int | None] = mapped_column(Integer)
