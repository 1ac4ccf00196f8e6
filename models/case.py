"""Cases, their append-only event log, and ratings.

The status column is only ever changed through `models.lifecycle.transition`; every change
and every message that touched a case is a `CaseEventRecord` row, and those rows are never updated
or deleted (see the guard at the bottom of this module).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from models.base import Base, UTCDateTime, str_enum, utcnow
from models.lifecycle import CaseStatus, Role


class Priority(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class RatingKind(enum.StrEnum):
    RATING = "rating"  # the township's 评价 of the department's handling
    VERIFICATION = "verification"  # the reporter's 核查: was it really fixed?


class RatingValue(enum.StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意
    UNRATED = "unrated"  # the rating window passed: counted apart, never as 满意
    FIXED = "fixed"  # 核查：已解决
    NOT_FIXED = "not_fixed"  # 核查：未解决


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    # County-wide running number: the short form `0007` in chat. `number` adds prefix and date.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)

    reporter_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))

    original_text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text, default="")
    voice_transcript: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    # What the classifier said: ranked items with scores, the model version, abstained or not.
    classification: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str | None] = mapped_column(String(64))
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)

    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("list_items.id"))
    lead_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    cooperating_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.NORMAL)
    status: Mapped[CaseStatus] = mapped_column(
        str_enum(CaseStatus), default=CaseStatus.REPORTED, index=True
    )

    # Clocks. A paused clock keeps its remaining working seconds and no due time.
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_paused_remaining_seconds: Mapped[int | None] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    return_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two liaisons clicking at once cannot both move the case.
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class CaseEventRecord(Base):
    """One entry of a case's audit log. Append-only: corrections are new events."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    actor_role: Mapped[Role] = mapped_column(str_enum(Role))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[CaseStatus | None] = mapped_column(str_enum(CaseStatus))
    to_status: Mapped[CaseStatus | None] = mapped_column(str_enum(CaseStatus))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("case_id", "kind", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[RatingKind] = mapped_column(str_enum(RatingKind))
    # The case's reopen_count when rated: each handling round is rated once.
    round: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[RatingValue] = mapped_column(str_enum(RatingValue))
    comment: Mapped[str] = mapped_column(Text, default="")
    rater_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(lazy="raise_on_sql")


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to change or delete an audit-log row."""


@event.listens_for(CaseEventRecord, "before_update")
@event.listens_for(CaseEventRecord, "before_delete")
def _refuse_audit_change(
    _mapper: Mapper[Any], _connection: Connection, target: CaseEventRecord
) -> None:
    msg = f"case event {target.id} is append-only: record a new event instead"
    raise AppendOnlyViolation(msg)
