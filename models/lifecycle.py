"""The case state machine: which event may move a case from which state, by whom, and what
it does to the case's clocks.

This module is deliberately pure (stdlib only, no database, no chat) so that the rules of the
whistle process live in one table that can be read, reviewed and tested on its own. Everything
that changes a case's status must go through `transition`; the caller persists the result and
applies the clock effects (deadline arithmetic lives elsewhere, because it needs calendars).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CLOCK_LABELS",
    "EVENT_LABELS",
    "OPEN_STATES",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "CaseError",
    "CaseEvent",
    "CaseStatus",
    "Clock",
    "ClockAction",
    "InvalidTransition",
    "Role",
    "RoleNotAllowed",
    "Transition",
    "allowed_events",
    "transition",
]


class CaseStatus(StrEnum):
    """Where a case stands. Values are stored in the database, so they never change."""

    REPORTED = "reported"
    TOWNSHIP_HANDLING = "township_handling"
    PENDING_ASSIGNMENT = "pending_assignment"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    NEEDS_INFO = "needs_info"
    RETURNED = "returned"
    ARBITRATION = "arbitration"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


class Role(StrEnum):
    """Who acts on a case. `SYSTEM` is the bot itself (timers, auto-dispatch); `ADMIN` manages
    the county's setup and has no case powers at all."""

    GRID_WORKER = "grid_worker"
    TOWNSHIP_STAFF = "township_staff"
    LIAISON = "liaison"
    DISPATCHER = "dispatcher"
    DEPARTMENT_HEAD = "department_head"
    ADMIN = "admin"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


class Clock(StrEnum):
    """The time windows a case runs against; each is judged separately in the statistics."""

    RESPONSE = "response"  # 签收时限: time for the department to sign after dispatch
    RESOLVE = "resolve"  # 办结时限: working days to resolve
    RATING = "rating"  # 评价期: window for the township to rate after resolution

    @property
    def label(self) -> str:
        return CLOCK_LABELS[self]


class ClockAction(StrEnum):
    """What a transition does to one clock. Pause/resume exist so that time spent waiting on
    the township (补充信息) or on the dispatcher (退回, 仲裁) is not charged to the department."""

    START = "start"  # a fresh window from now
    STOP = "stop"  # the window is over; record the outcome
    PAUSE = "pause"  # freeze the remaining time
    RESUME = "resume"  # continue with the remaining time
    EXTEND = "extend"  # move the deadline later (a granted extension)


class CaseEvent(StrEnum):
    """Things that can happen to a case. Values are stored in the event log."""

    CONFIRM = "confirm"
    AUTO_DISPATCH = "auto_dispatch"
    RECLASSIFY = "reclassify"
    HANDLE_LOCALLY = "handle_locally"
    REFER_TO_DISPATCH = "refer_to_dispatch"
    MERGE = "merge"
    CANCEL = "cancel"
    CLOSE_LOCALLY = "close_locally"
    ASSIGN = "assign"
    HAND_BACK = "hand_back"
    SIGN = "sign"
    RETURN = "return"
    URGE = "urge"
    PROGRESS = "progress"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    REQUEST_INFO = "request_info"
    SUPPLY_INFO = "supply_info"
    RESOLVE = "resolve"
    REDISPATCH = "redispatch"
    RULE_KEEP = "rule_keep"
    ARBITRATE = "arbitrate"
    RATE = "rate"
    VERIFY = "verify"
    REOPEN = "reopen"
    RATING_TIMEOUT = "rating_timeout"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


# Display names are part of the officials' vocabulary (they appear on cards and in reports),
# so they are fixed here rather than left to each message template.
STATUS_LABELS: Mapping[CaseStatus, str] = MappingProxyType(
    {
        CaseStatus.REPORTED: "待确认",
        CaseStatus.TOWNSHIP_HANDLING: "镇街自办",
        CaseStatus.PENDING_ASSIGNMENT: "待派单",
        CaseStatus.DISPATCHED: "已吹哨待签收",
        CaseStatus.ACCEPTED: "已签收办理中",
        CaseStatus.NEEDS_INFO: "待补充",
        CaseStatus.RETURNED: "已退回",
        CaseStatus.ARBITRATION: "仲裁中",
        CaseStatus.RESOLVED: "已办结待评价",
        CaseStatus.CLOSED: "已结案",
        CaseStatus.CANCELLED: "已撤销",
    }
)

ROLE_LABELS: Mapping[Role, str] = MappingProxyType(
    {
        Role.GRID_WORKER: "网格员",
        Role.TOWNSHIP_STAFF: "镇街工作人员",
        Role.LIAISON: "部门联络员",
        Role.DISPATCHER: "指挥中心调度员",
        Role.DEPARTMENT_HEAD: "部门负责人",
        Role.ADMIN: "管理员",
        Role.SYSTEM: "系统",
    }
)

CLOCK_LABELS: Mapping[Clock, str] = MappingProxyType(
    {
        Clock.RESPONSE: "签收时限",
        Clock.RESOLVE: "办结时限",
        Clock.RATING: "评价期",
    }
)

EVENT_LABELS: Mapping[CaseEvent, str] = MappingProxyType(
    {
        CaseEvent.CONFIRM: "确认吹哨",
        CaseEvent.AUTO_DISPATCH: "自动派单",
        CaseEvent.RECLASSIFY: "改选事项",
        CaseEvent.HANDLE_LOCALLY: "镇街自办",
        CaseEvent.REFER_TO_DISPATCH: "转指挥中心",
        CaseEvent.MERGE: "合并重复",
        CaseEvent.CANCEL: "撤销",
        CaseEvent.CLOSE_LOCALLY: "自办办结",
        CaseEvent.ASSIGN: "派单",
        CaseEvent.HAND_BACK: "退回镇街",
        CaseEvent.SIGN: "签收",
        CaseEvent.RETURN: "退回",
        CaseEvent.URGE: "催办",
        CaseEvent.PROGRESS: "反馈进展",
        CaseEvent.REQUEST_EXTENSION: "申请延期",
        CaseEvent.GRANT_EXTENSION: "批准延期",
        CaseEvent.REFUSE_EXTENSION: "驳回延期",
        CaseEvent.REQUEST_INFO: "要求补充",
        CaseEvent.SUPPLY_INFO: "补充信息",
        CaseEvent.RESOLVE: "办结",
        CaseEvent.REDISPATCH: "重新派单",
        CaseEvent.RULE_KEEP: "裁定原部门办理",
        CaseEvent.ARBITRATE: "提交仲裁",
        CaseEvent.RATE: "评价",
        CaseEvent.VERIFY: "核查",
        CaseEvent.REOPEN: "重办",
        CaseEvent.RATING_TIMEOUT: "评价超时",
    }
)

TERMINAL_STATES: frozenset[CaseStatus] = frozenset({CaseStatus.CLOSED, CaseStatus.CANCELLED})
OPEN_STATES: frozenset[CaseStatus] = frozenset(CaseStatus) - TERMINAL_STATES


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: firing `event` in `source` moves the case to `target`.

    `clocks` is read-only so that a row handed to a caller cannot change the rules for
    everyone else; it is left out of the hash because mappings are not hashable.
    """

    source: CaseStatus
    event: CaseEvent
    target: CaseStatus
    roles: frozenset[Role]
    clocks: Mapping[Clock, ClockAction] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


def _row(
    source: CaseStatus,
    event: CaseEvent,
    target: CaseStatus,
    roles: Iterable[Role],
    clocks: Mapping[Clock, ClockAction] | None = None,
) -> Transition:
    return Transition(
        source, event, target, frozenset(roles), MappingProxyType(dict(clocks or {}))
    )


_S = CaseStatus
_E = CaseEvent
_R = Role
_C = Clock
_A = ClockAction

# Both windows open when a department is given the case; they are the ones it is judged on.
_DISPATCH_CLOCKS = {_C.RESPONSE: _A.START, _C.RESOLVE: _A.START}
# The dispatcher rules the department keeps a returned case: it must sign again, but the
# resolve time it already used stays used.
_KEEP_CLOCKS = {_C.RESPONSE: _A.START, _C.RESOLVE: _A.RESUME}
_URGERS = (_R.DISPATCHER, _R.SYSTEM)

TRANSITIONS: tuple[Transition, ...] = (
    # The township looks at a fresh whistle.
    _row(_S.REPORTED, _E.CONFIRM, _S.DISPATCHED, [_R.TOWNSHIP_STAFF], _DISPATCH_CLOCKS),
    _row(_S.REPORTED, _E.AUTO_DISPATCH, _S.DISPATCHED, [_R.SYSTEM], _DISPATCH_CLOCKS),
    _row(_S.REPORTED, _E.RECLASSIFY, _S.REPORTED, [_R.TOWNSHIP_STAFF]),
    _row(_S.REPORTED, _E.HANDLE_LOCALLY, _S.TOWNSHIP_HANDLING, [_R.TOWNSHIP_STAFF]),
    _row(
        _S.REPORTED,
        _E.REFER_TO_DISPATCH,
        _S.PENDING_ASSIGNMENT,
        [_R.TOWNSHIP_STAFF, _R.SYSTEM],
    ),
    _row(_S.REPORTED, _E.MERGE, _S.CANCELLED, [_R.TOWNSHIP_STAFF]),
    _row(_S.REPORTED, _E.CANCEL, _S.CANCELLED, [_R.TOWNSHIP_STAFF]),
    # The township handles it itself (基本履职) — or finds it cannot (看得见管不着).
    _row(_S.TOWNSHIP_HANDLING, _E.CLOSE_LOCALLY, _S.CLOSED, [_R.TOWNSHIP_STAFF]),
    _row(
        _S.TOWNSHIP_HANDLING,
        _E.REFER_TO_DISPATCH,
        _S.PENDING_ASSIGNMENT,
        [_R.TOWNSHIP_STAFF],
    ),
    # The command centre (指挥中心) decides who gets a non-standard case.
    _row(_S.PENDING_ASSIGNMENT, _E.ASSIGN, _S.DISPATCHED, [_R.DISPATCHER], _DISPATCH_CLOCKS),
    _row(_S.PENDING_ASSIGNMENT, _E.HAND_BACK, _S.TOWNSHIP_HANDLING, [_R.DISPATCHER]),
    _row(_S.PENDING_ASSIGNMENT, _E.CANCEL, _S.CANCELLED, [_R.DISPATCHER]),
    # The department signs (报到) or sends it back.
    _row(_S.DISPATCHED, _E.SIGN, _S.ACCEPTED, [_R.LIAISON], {_C.RESPONSE: _A.STOP}),
    _row(
        _S.DISPATCHED,
        _E.RETURN,
        _S.RETURNED,
        [_R.LIAISON],
        {_C.RESPONSE: _A.STOP, _C.RESOLVE: _A.PAUSE},
    ),
    _row(_S.DISPATCHED, _E.URGE, _S.DISPATCHED, _URGERS),
    # The department works on it.
    _row(_S.ACCEPTED, _E.PROGRESS, _S.ACCEPTED, [_R.LIAISON]),
    _row(_S.ACCEPTED, _E.REQUEST_EXTENSION, _S.ACCEPTED, [_R.LIAISON]),
    _row(
        _S.ACCEPTED,
        _E.GRANT_EXTENSION,
        _S.ACCEPTED,
        [_R.DISPATCHER],
        {_C.RESOLVE: _A.EXTEND},
    ),
    _row(_S.ACCEPTED, _E.REFUSE_EXTENSION, _S.ACCEPTED, [_R.DISPATCHER]),
    _row(_S.ACCEPTED, _E.REQUEST_INFO, _S.NEEDS_INFO, [_R.LIAISON], {_C.RESOLVE: _A.PAUSE}),
    _row(_S.ACCEPTED, _E.RETURN, _S.RETURNED, [_R.LIAISON], {_C.RESOLVE: _A.PAUSE}),
    _row(
        _S.ACCEPTED,
        _E.RESOLVE,
        _S.RESOLVED,
        [_R.LIAISON],
        {_C.RESOLVE: _A.STOP, _C.RATING: _A.START},
    ),
    _row(_S.ACCEPTED, _E.URGE, _S.ACCEPTED, _URGERS),
    # Waiting on the township for more information; the department's clock is frozen.
    _row(
        _S.NEEDS_INFO,
        _E.SUPPLY_INFO,
        _S.ACCEPTED,
        [_R.GRID_WORKER, _R.TOWNSHIP_STAFF],
        {_C.RESOLVE: _A.RESUME},
    ),
    _row(_S.NEEDS_INFO, _E.URGE, _S.NEEDS_INFO, _URGERS),
    # The dispatcher rules on a return. Redispatching charges the return to nobody.
    _row(_S.RETURNED, _E.REDISPATCH, _S.DISPATCHED, [_R.DISPATCHER], _DISPATCH_CLOCKS),
    _row(_S.RETURNED, _E.RULE_KEEP, _S.DISPATCHED, [_R.DISPATCHER], _KEEP_CLOCKS),
    _row(_S.RETURNED, _E.ARBITRATE, _S.ARBITRATION, [_R.DISPATCHER]),
    _row(_S.RETURNED, _E.CANCEL, _S.CANCELLED, [_R.DISPATCHER]),
    _row(_S.ARBITRATION, _E.REDISPATCH, _S.DISPATCHED, [_R.DISPATCHER], _DISPATCH_CLOCKS),
    _row(_S.ARBITRATION, _E.RULE_KEEP, _S.DISPATCHED, [_R.DISPATCHER], _KEEP_CLOCKS),
    _row(_S.ARBITRATION, _E.CANCEL, _S.CANCELLED, [_R.DISPATCHER]),
    # The township rates the result; the reporter may verify it on the ground.
    _row(_S.RESOLVED, _E.RATE, _S.CLOSED, [_R.TOWNSHIP_STAFF], {_C.RATING: _A.STOP}),
    _row(_S.RESOLVED, _E.VERIFY, _S.RESOLVED, [_R.GRID_WORKER]),
    _row(
        _S.RESOLVED,
        _E.REOPEN,
        _S.ACCEPTED,
        [_R.TOWNSHIP_STAFF, _R.GRID_WORKER],
        {_C.RATING: _A.STOP, _C.RESOLVE: _A.START},
    ),
    _row(_S.RESOLVED, _E.RATING_TIMEOUT, _S.CLOSED, [_R.SYSTEM], {_C.RATING: _A.STOP}),
)


def _index(rows: Iterable[Transition]) -> dict[tuple[CaseStatus, CaseEvent], Transition]:
    """Key the table by (source, event), refusing duplicates: two rows for one pair would
    make the outcome depend on table order."""
    index: dict[tuple[CaseStatus, CaseEvent], Transition] = {}
    for row in rows:
        key = (row.source, row.event)
        if key in index:
            raise ValueError(f"duplicate transition for {key}")
        index[key] = row
    return index


_BY_SOURCE_AND_EVENT = _index(TRANSITIONS)


def _quoted(label: str, code: str) -> str:
    """Chinese for the official reading the message, the English code for whoever debugs it."""
    return f"「{label}」({code})"


class CaseError(Exception):
    """A case action was refused; the message is fit to show to the official who tried it."""


class InvalidTransition(CaseError):
    """The event cannot happen in the case's current state, whoever asks."""

    def __init__(self, status: CaseStatus, event: CaseEvent) -> None:
        self.status = status
        self.event = event
        possible = allowed_events(status)
        listed = (
            "、".join(_quoted(e.label, e.value) for e in possible) if possible else "无（终态）"
        )
        super().__init__(
            f"事件{_quoted(event.label, event.value)} 不能在状态"
            f"{_quoted(status.label, status.value)} 下执行；该状态允许：{listed}"
        )


class RoleNotAllowed(CaseError):
    """The event is possible in this state, but not for this role."""

    def __init__(self, status: CaseStatus, event: CaseEvent, role: Role) -> None:
        self.status = status
        self.event = event
        self.role = role
        permitted = _BY_SOURCE_AND_EVENT[status, event].roles
        listed = "、".join(r.label for r in Role if r in permitted)
        super().__init__(
            f"角色{_quoted(role.label, role.value)} 无权在状态"
            f"{_quoted(status.label, status.value)} 下执行"
            f"{_quoted(event.label, event.value)}；可执行的角色：{listed}"
        )


def transition(status: CaseStatus, event: CaseEvent, role: Role) -> Transition:
    """Return the row that `role` firing `event` in `status` follows, or raise.

    The state is checked before the role, so an event that is impossible in the state is
    reported as such rather than as a permission problem.
    """
    row = _BY_SOURCE_AND_EVENT.get((status, event))
    if row is None:
        raise InvalidTransition(status, event)
    if role not in row.roles:
        raise RoleNotAllowed(status, event, role)
    return row


def allowed_events(status: CaseStatus, role: Role | None = None) -> tuple[CaseEvent, ...]:
    """Events possible in `status` (only those `role` may fire, if given), in table order so
    that buttons built from them keep a stable, meaningful order."""
    return tuple(
        row.event
        for row in TRANSITIONS
        if row.source == status and (role is None or role in row.roles)
    )
