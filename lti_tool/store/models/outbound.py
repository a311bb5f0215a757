"""Hosts an admin allowed for a platform's services beyond its issuer's host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class PlatformServiceHostRow(Base):
    """One host AGS/NRPS URLs of a registration may use (e.g. a Canvas school's domain)."""

    __tablename__ = "platform_service_hosts"
    __table_args__ = (UniqueConstraint("registration_id", "host"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("platform_registrations.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = created_at_column()
