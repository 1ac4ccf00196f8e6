"""The responsibility list (清单), versioned: every import that changes anything is a new version.

A case keeps the item row of the version it was dispatched under, so re-importing the list
never rewrites history. The current version is the one with the highest id.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, str_enum, utcnow
from models.organisation import Department


class ItemKind(enum.StrEnum):
    """How duty is split between county and township for an item."""

    COOPERATIVE = "配合履职"  # a county department leads, the township cooperates
    BASIC = "基本履职"  # the township handles it itself
    RECLAIMED = "上级收回"  # the county department handles it alone

    @property
    def led_by_township(self) -> bool:
        return self is ItemKind.BASIC


class ListVersion(Base):
    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(512))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    item_count: Mapped[int] = mapped_column(Integer)

    items: Mapped[list[ListItem]] = relationship(
        back_populates="version", lazy="raise_on_sql", order_by="ListItem.position"
    )


class ListItem(Base):
    __tablename__ = "list_items"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    domain: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, length=8))
    # NULL for basic items: the township of the case leads them.
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    township_duty: Mapped[str] = mapped_column(Text)
    county_duty: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[list[str]] = mapped_column(JSON)
    response_hours: Mapped[int] = mapped_column(Integer)
    resolve_days: Mapped[int] = mapped_column(Integer)
    standard: Mapped[bool] = mapped_column(Boolean)
    keywords: Mapped[list[str]] = mapped_column(JSON)

    version: Mapped[ListVersion] = relationship(back_populates="items", lazy="raise_on_sql")
    lead_department: Mapped[Department | None] = relationship(lazy="raise_on_sql")
    cooperations: Mapped[list[ItemCooperation]] = relationship(
        lazy="raise_on_sql", cascade="all, delete-orphan", order_by="ItemCooperation.position"
    )


class ItemCooperation(Base):
    """A cooperating department (配合部门) of an item, in the list's order."""

    __tablename__ = "item_cooperations"
    __table_args__ = (UniqueConstraint("item_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("list_items.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    position: Mapped[int] = mapped_column(Integer)

    department: Mapped[Department] = relationship(lazy="raise_on_sql")
