"""Staff users with roles and service units (rules-documents E3; AC-2 … AC-6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from carebook.model.base import Base


class StaffUser(Base):
    """A professional or assisting staff member who signs in to carebook."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))  # required by law for authors (E3)
    registration_no: Mapped[str | None] = mapped_column(String(32))  # Suosikki/JulkiTerhikki
    work_task: Mapped[str | None] = mapped_column(String(8))  # AC-4 private categories 1-3
    may_see_prohibited: Mapped[bool] = mapped_column(Boolean, default=False)  # AC-11
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffRole(Base):
    """One role held by a user (AC-2: a user may have several)."""

    __tablename__ = "staff_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class StaffUnit(Base):
    """A service unit where the user works (the basis of relevant connection, AC-6)."""

    __tablename__ = "staff_unit"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_unit.id"), primary_key=True)
