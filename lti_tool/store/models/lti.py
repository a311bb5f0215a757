"""LTI platform registrations, their deployments, and the tool's own signing keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class PlatformRegistrationRow(Base):
    """One (issuer, client_id): Canvas cloud shares an issuer, Open edX many client ids."""

    __tablename__ = "platform_registrations"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id"),
        CheckConstraint("registered_via IN ('manual', 'dynamic')", name="registered_via"),
        CheckConstraint("status IN ('pending', 'active')", name="status"),
        CheckConstraint("deployment_policy IN ('listed', 'announced')",
                        name="deployment_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(512))
    client_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    auth_login_url: Mapped[str] = mapped_column(String(1024))
    auth_token_url: Mapped[str] = mapped_column(String(1024))
    keyset_url: Mapped[str] = mapped_column(String(1024))
    auth_audience: Mapped[str | None] = mapped_column(String(1024))
    registered_via: Mapped[str] = mapped_column(String(16), default="manual")
    created_at: Mapped[datetime] = created_at_column()
    # pending: made by Dynamic Registration, launches refused until an admin approves it
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    # listed: only its recorded deployments; announced: a new deployment id in a launch is
    # recorded (Dynamic Registration without deployments named at invitation)
    deployment_policy: Mapped[str] = mapped_column(String(16), default="listed",
                                                   server_default="listed")


class RegistrationInvitationRow(Base):
    """A one-time Dynamic Registration link; only the SHA-256 of its token is kept."""

    __tablename__ = "registration_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the tenant the registration joins; NULL: a new tenant of its own
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    deployment_ids: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_registrations.id", ondelete="SET NULL"))


class DeploymentRow(Base):
    __tablename__ = "deployments"
    __table_args__ = (UniqueConstraint("registration_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("platform_registrations.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


class ToolKeyRow(Base):
    """A signing key of the tool; the private part is stored encrypted by the caller."""

    __tablename__ = "tool_keys"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'published', 'retired')", name="status"),
    )

    kid: Mapped[str] = mapped_column(String(128), primary_key=True)
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    activated_at: Mapped[datetime | None] = mapped_column()
    retire_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="published", index=True)
