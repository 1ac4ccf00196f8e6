"""The county's organisation: departments, townships and villages, conversations, people.

Departments and townships are upserted by code from the list import and never deleted (cases
point at them); a row missing from a later import is marked inactive instead.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, str_enum, utcnow
from models.lifecycle import Role


class DepartmentKind(enum.StrEnum):
    DEPARTMENT = "department"
    PUBLIC_UTILITY = "public_utility"
    DISPATCH_CENTER = "dispatch_center"


class TownshipKind(enum.StrEnum):
    STREET = "街道"
    TOWN = "镇"
    XIANG = "乡"


class ConversationPurpose(enum.StrEnum):
    """What a chat is for: it decides where the bot posts what."""

    VILLAGE = "village"  # grid workers of one village/community
    TOWNSHIP = "township"  # township (镇街) staff
    DEPARTMENT = "department"  # a county department's liaisons
    DISPATCH = "dispatch"  # the county dispatch centre
    PRIVATE = "private"  # a 1:1 chat with the bot


def _unique_among_active(table: str, column: str) -> Index:
    """Names must be unique among active rows only: a retired department keeps its name in
    history while a new one may take it over under a new code."""
    active = text("active")
    return Index(
        f"uq_{table}_active_{column}",
        column,
        unique=True,
        sqlite_where=active,
        postgresql_where=active,
    )


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (_unique_among_active("departments", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[DepartmentKind] = mapped_column(str_enum(DepartmentKind))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department",
        lazy="raise_on_sql",
        cascade="all, delete-orphan",
        order_by="DepartmentAlias.position",
    )


class DepartmentAlias(Base):
    """A colloquial name (环保局, 城管, 交警); unique county-wide so it resolves to one owner."""

    __tablename__ = "department_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(back_populates="aliases", lazy="raise_on_sql")


class Township(Base):
    __tablename__ = "townships"
    __table_args__ = (_unique_among_active("townships", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[TownshipKind] = mapped_column(str_enum(TownshipKind, length=8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    villages: Mapped[list[Village]] = relationship(
        back_populates="township", lazy="raise_on_sql", order_by="Village.position"
    )


class Village(Base):
    """A village (村) or urban community (社区); names are unique within their township."""

    __tablename__ = "villages"
    __table_args__ = (UniqueConstraint("township_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("townships.id"))
    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    township: Mapped[Township] = relationship(back_populates="villages", lazy="raise_on_sql")


class Conversation(Base):
    """A chat the bot sits in, bound to the area or department it serves."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[ConversationPurpose] = mapped_column(str_enum(ConversationPurpose))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # The person of a private (1:1) chat: without a live sessionWebhook the bot reaches them
    # by user id. (people.home_conversation_id points the other way, hence use_alter.)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationBinding(Base):
    """The conversation's id on one chat platform (DingTalk `cid…`, WeCom chat id, console)."""

    __tablename__ = "conversation_bindings"
    __table_args__ = (
        UniqueConstraint("channel", "platform_id"),
        UniqueConstraint("conversation_id", "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(128))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    home_conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", lazy="raise_on_sql", cascade="all, delete-orphan"
    )


class PersonIdentity(Base):
    """The person's user id on one chat platform (DingTalk `senderStaffId`, WeCom userid)."""

    __tablename__ = "person_identities"
    __table_args__ = (
        UniqueConstraint("channel", "platform_user_id"),
        UniqueConstraint("person_id", "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(128))


class PersonRole(Base):
    """One role held in one scope: a grid worker of a village, a liaison of a department…

    The scope columns that matter depend on the role; the others stay empty.
    """

    __tablename__ = "person_roles"
    __table_args__ = (
        UniqueConstraint("person_id", "role", "township_id", "village_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    person: Mapped[Person] = relationship(back_populates="roles", lazy="raise_on_sql")
