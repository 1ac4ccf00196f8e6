"""The case state machine follows the agreed whistle process, row by row.

The expected table below is written out by hand from the process description on purpose: it
must not be derived from `models.lifecycle.TRANSITIONS`, or a wrong row would test itself.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import deque

import pytest

from models.lifecycle import (
    EVENT_LABELS,
    OPEN_STATES,
    ROLE_LABELS,
    STATUS_LABELS,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseError,
    CaseEvent,
    CaseStatus,
    InvalidTransition,
    Role,
    RoleNotAllowed,
    allowed_events,
    transition,
)

DISPATCH = {"response": "start", "resolve": "start"}
KEEP = {"response": "start", "resolve": "resume"}
URGERS = {"dispatcher", "system"}

# (source, event) -> (target, roles allowed, clock effects), in the order of the process.
EXPECTED: dict[tuple[str, str], tuple[str, set[str], dict[str, str]]] = {
    ("reported", "confirm"): ("dispatched", {"township_staff"}, DISPATCH),
    ("reported", "auto_dispatch"): ("dispatched", {"system"}, DISPATCH),
    ("reported", "reclassify"): ("reported", {"township_staff"}, {}),
    ("reported", "handle_locally"): ("township_handling", {"township_staff"}, {}),
    ("reported", "refer_to_dispatch"): ("pending_assignment", {"township_staff", "system"}, {}),
    ("reported", "merge"): ("cancelled", {"township_staff"}, {}),
    ("reported", "cancel"): ("cancelled", {"township_staff"}, {}),
    ("township_handling", "close_locally"): ("closed", {"township_staff"}, {}),
    ("township_handling", "refer_to_dispatch"): ("pending_assignment", {"township_staff"}, {}),
    ("pending_assignment", "assign"): ("dispatched", {"dispatcher"}, DISPATCH),
    ("pending_assignment", "hand_back"): ("township_handling", {"dispatcher"}, {}),
    ("pending_assignment", "cancel"): ("cancelled", {"dispatcher"}, {}),
    ("dispatched", "sign"): ("accepted", {"liaison"}, {"response": "stop"}),
    ("dispatched", "return"): ("returned", {"liaison"}, {"response": "stop", "resolve": "pause"}),
    ("dispatched", "urge"): ("dispatched", URGERS, {}),
    ("accepted", "progress"): ("accepted", {"liaison"}, {}),
    ("accepted", "request_extension"): ("accepted", {"liaison"}, {}),
    ("accepted", "grant_extension"): ("accepted", {"dispatcher"}, {"resolve": "extend"}),
    ("accepted", "refuse_extension"): ("accepted", {"dispatcher"}, {}),
    ("accepted", "request_info"): ("needs_info", {"liaison"}, {"resolve": "pause"}),
    ("accepted", "return"): ("returned", {"liaison"}, {"resolve": "pause"}),
    ("accepted", "resolve"): ("resolved", {"liaison"}, {"resolve": "stop", "rating": "start"}),
    ("accepted", "urge"): ("accepted", URGERS, {}),
    ("needs_info", "supply_info"): (
        "accepted",
        {"grid_worker", "township_staff"},
        {"resolve": "resume"},
    ),
    ("needs_info", "urge"): ("needs_info", URGERS, {}),
    ("returned", "redispatch"): ("dispatched", {"dispatcher"}, DISPATCH),
    ("returned", "rule_keep"): ("dispatched", {"dispatcher"}, KEEP),
    ("returned", "arbitrate"): ("arbitration", {"dispatcher"}, {}),
    ("returned", "cancel"): ("cancelled", {"dispatcher"}, {}),
    ("arbitration", "redispatch"): ("dispatched", {"dispatcher"}, DISPATCH),
    ("arbitration", "rule_keep"): ("dispatched", {"dispatcher"}, KEEP),
    ("arbitration", "cancel"): ("cancelled", {"dispatcher"}, {}),
    ("resolved", "rate"): ("closed", {"township_staff"}, {"rating": "stop"}),
    ("resolved", "verify"): ("resolved", {"grid_worker"}, {}),
    ("resolved", "reopen"): (
        "accepted",
        {"township_staff", "grid_worker"},
        {"rating": "stop", "resolve": "start"},
    ),
    ("resolved", "rating_timeout"): ("closed", {"system"}, {"rating": "stop"}),
}

ALLOWED_ROWS = [
    pytest.param(CaseStatus(src), CaseEvent(ev), id=f"{src}-{ev}") for src, ev in EXPECTED
]
ALLOWED_WITH_ROLE = [
    pytest.param(CaseStatus(src), CaseEvent(ev), Role(role), id=f"{src}-{ev}-{role}")
    for (src, ev), (_, roles, _) in EXPECTED.items()
    for role in sorted(roles)
]
REFUSED_ROLES = [
    pytest.param(CaseStatus(src), CaseEvent(ev), role, id=f"{src}-{ev}-{role}")
    for (src, ev), (_, roles, _) in EXPECTED.items()
    for role in Role
    if role not in roles
]
IMPOSSIBLE_PAIRS = [
    pytest.param(status, event, id=f"{status}-{event}")
    for status, event in itertools.product(CaseStatus, CaseEvent)
    if (status, event) not in EXPECTED
]

STATUS_LABELS_EXPECTED = {
    "reported": "待确认",
    "township_handling": "镇街自办",
    "pending_assignment": "待派单",
    "dispatched": "已吹哨待签收",
    "accepted": "已签收办理中",
    "needs_info": "待补充",
    "returned": "已退回",
    "arbitration": "仲裁中",
    "resolved": "已办结待评价",
    "closed": "已结案",
    "cancelled": "已撤销",
}

CJK = re.compile(r"[\u4e00-\u9fff]")


def _roles_of(status: CaseStatus, event: CaseEvent) -> frozenset[Role]:
    return next(row.roles for row in TRANSITIONS if (row.source, row.event) == (status, event))


def _successors(status: CaseStatus) -> set[CaseStatus]:
    return {row.target for row in TRANSITIONS if row.source == status}


def _reachable(start: CaseStatus) -> set[CaseStatus]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in _successors(queue.popleft()) - seen:
            seen.add(nxt)
            queue.append(nxt)
    return seen


# --- the table ------------------------------------------------------------------------------


def test_table_has_exactly_the_expected_rows() -> None:
    actual = [(row.source, row.event) for row in TRANSITIONS]
    assert len(actual) == len(set(actual)), "a (state, event) pair appears twice"
    assert actual == list(EXPECTED), "rows missing, extra, or out of process order"


@pytest.mark.parametrize(("status", "event", "role"), ALLOWED_WITH_ROLE)
def test_allowed_transition_goes_to_expected_target_with_expected_clocks(
    status: CaseStatus, event: CaseEvent, role: Role
) -> None:
    target, _, clocks = EXPECTED[status, event]
    row = transition(status, event, role)
    assert row.source == status
    assert row.event == event
    assert row.target == target
    assert {str(clock): str(action) for clock, action in row.clocks.items()} == clocks


@pytest.mark.parametrize(("status", "event"), ALLOWED_ROWS)
def test_roles_of_each_row_match_expected(status: CaseStatus, event: CaseEvent) -> None:
    _, roles, _ = EXPECTED[status, event]
    assert {str(role) for role in _roles_of(status, event)} == roles


def test_admin_has_no_case_powers() -> None:
    assert all(Role.ADMIN not in row.roles for row in TRANSITIONS)
    assert all(allowed_events(status, Role.ADMIN) == () for status in CaseStatus)


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "event"), IMPOSSIBLE_PAIRS)
def test_event_not_in_table_is_invalid_for_every_role(
    status: CaseStatus, event: CaseEvent
) -> None:
    for role in Role:
        with pytest.raises(InvalidTransition) as caught:
            transition(status, event, role)
        error = caught.value
        assert isinstance(error, CaseError)
        assert (error.status, error.event) == (status, event)
        message = str(error)
        assert STATUS_LABELS_EXPECTED[status] in message
        assert EVENT_LABELS[event] in message
        assert f"({status.value})" in message
        assert f"({event.value})" in message


def test_invalid_transition_message_lists_what_the_state_allows() -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(CaseStatus.DISPATCHED, CaseEvent.RESOLVE, Role.LIAISON)
    message = str(caught.value)
    assert message.startswith("事件「办结」(resolve) 不能在状态「已吹哨待签收」(dispatched)")
    assert "「签收」(sign)" in message
    assert "「退回」(return)" in message
    assert "「催办」(urge)" in message
    assert "无（终态）" not in message


@pytest.mark.parametrize("status", sorted(TERMINAL_STATES))
def test_invalid_transition_message_for_terminal_state(status: CaseStatus) -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(status, CaseEvent.SIGN, Role.LIAISON)
    assert str(caught.value).endswith("该状态允许：无（终态）")


@pytest.mark.parametrize(("status", "event", "role"), REFUSED_ROLES)
def test_wrong_role_is_refused_and_named(status: CaseStatus, event: CaseEvent, role: Role) -> None:
    with pytest.raises(RoleNotAllowed) as caught:
        transition(status, event, role)
    error = caught.value
    assert isinstance(error, CaseError)
    assert (error.status, error.event, error.role) == (status, event, role)
    message = str(error)
    for label, code in (
        (ROLE_LABELS[role], role.value),
        (EVENT_LABELS[event], event.value),
        (STATUS_LABELS_EXPECTED[status], status.value),
    ):
        assert f"「{label}」({code})" in message
    _, allowed_roles, _ = EXPECTED[status, event]
    listed = message.split("可执行的角色：", 1)[1]
    for allowed in allowed_roles:
        assert ROLE_LABELS[Role(allowed)] in listed


def test_role_not_allowed_message_reads_naturally() -> None:
    with pytest.raises(RoleNotAllowed) as caught:
        transition(CaseStatus.DISPATCHED, CaseEvent.SIGN, Role.GRID_WORKER)
    assert str(caught.value) == (
        "角色「网格员」(grid_worker) 无权在状态「已吹哨待签收」(dispatched) 下执行"
        "「签收」(sign)；可执行的角色：部门联络员"
    )


def test_state_is_checked_before_role() -> None:
    # Admin may fire nothing, but in a closed case the real problem is the state.
    with pytest.raises(InvalidTransition):
        transition(CaseStatus.CLOSED, CaseEvent.SIGN, Role.ADMIN)


# --- shape of the graph ---------------------------------------------------------------------


def test_terminal_and_open_states_partition_all_states() -> None:
    assert {str(s) for s in TERMINAL_STATES} == {"closed", "cancelled"}
    assert set(CaseStatus) == OPEN_STATES | TERMINAL_STATES
    assert not OPEN_STATES & TERMINAL_STATES


@pytest.mark.parametrize("status", sorted(TERMINAL_STATES))
def test_terminal_states_allow_nothing(status: CaseStatus) -> None:
    assert allowed_events(status) == ()
    for role in Role:
        assert allowed_events(status, role) == ()


@pytest.mark.parametrize("status", sorted(OPEN_STATES))
def test_open_states_allow_something(status: CaseStatus) -> None:
    assert allowed_events(status)


def test_every_state_reachable_from_reported() -> None:
    assert _reachable(CaseStatus.REPORTED) == set(CaseStatus)


@pytest.mark.parametrize("status", sorted(OPEN_STATES))
def test_every_open_state_can_finish(status: CaseStatus) -> None:
    reachable = _reachable(status)
    assert CaseStatus.CLOSED in reachable
    assert CaseStatus.CANCELLED in reachable


# --- labels ---------------------------------------------------------------------------------


def test_status_labels_are_exactly_the_agreed_ones() -> None:
    assert {str(status): status.label for status in CaseStatus} == STATUS_LABELS_EXPECTED
    assert {str(status): label for status, label in STATUS_LABELS.items()} == (
        STATUS_LABELS_EXPECTED
    )


@pytest.mark.parametrize(
    ("members", "labels"),
    [
        pytest.param(list(CaseStatus), STATUS_LABELS, id="status"),
        pytest.param(list(CaseEvent), EVENT_LABELS, id="event"),
        pytest.param(list(Role), ROLE_LABELS, id="role"),
    ],
)
def test_every_member_has_a_distinct_chinese_label(members: list, labels: dict) -> None:
    assert set(labels) == set(members)
    for member in members:
        assert member.label == labels[member]
        assert CJK.search(member.label), f"{member} has no Chinese label"
    assert len(set(labels.values())) == len(members), "two members share a label"


@pytest.mark.parametrize("enum_type", [CaseStatus, CaseEvent, Role])
def test_values_are_snake_case_names(enum_type: type) -> None:
    for member in enum_type:
        assert member.value == member.name.lower()


def test_some_event_and_role_labels() -> None:
    assert CaseEvent.CONFIRM.label == "确认吹哨"
    assert CaseEvent.RULE_KEEP.label == "裁定原部门办理"
    assert CaseEvent.RATING_TIMEOUT.label == "评价超时"
    assert Role.DISPATCHER.label == "指挥中心调度员"
    assert Role.SYSTEM.label == "系统"


# --- allowed_events -------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(CaseStatus))
def test_allowed_events_without_role_is_every_event_of_the_state(status: CaseStatus) -> None:
    expected = tuple(ev for src, ev in EXPECTED if src == status)
    assert allowed_events(status) == expected


@pytest.mark.parametrize(
    ("status", "role"), list(itertools.product(CaseStatus, Role)), ids=lambda v: str(v)
)
def test_allowed_events_filtered_by_role(status: CaseStatus, role: Role) -> None:
    expected = tuple(
        ev for (src, ev), (_, roles, _) in EXPECTED.items() if src == status and role in roles
    )
    assert allowed_events(status, role) == expected


def test_allowed_events_examples() -> None:
    assert allowed_events(CaseStatus.REPORTED, Role.TOWNSHIP_STAFF) == (
        CaseEvent.CONFIRM,
        CaseEvent.RECLASSIFY,
        CaseEvent.HANDLE_LOCALLY,
        CaseEvent.REFER_TO_DISPATCH,
        CaseEvent.MERGE,
        CaseEvent.CANCEL,
    )
    assert allowed_events(CaseStatus.REPORTED, Role.SYSTEM) == (
        CaseEvent.AUTO_DISPATCH,
        CaseEvent.REFER_TO_DISPATCH,
    )
    assert allowed_events(CaseStatus.DISPATCHED, Role.LIAISON) == (
        CaseEvent.SIGN,
        CaseEvent.RETURN,
    )
    assert allowed_events(CaseStatus.RESOLVED, Role.GRID_WORKER) == (
        CaseEvent.VERIFY,
        CaseEvent.REOPEN,
    )
    assert allowed_events(CaseStatus.ACCEPTED, Role.DEPARTMENT_HEAD) == ()


# --- immutability ---------------------------------------------------------------------------


def test_transition_fields_cannot_be_reassigned() -> None:
    row = transition(CaseStatus.DISPATCHED, CaseEvent.SIGN, Role.LIAISON)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.target = CaseStatus.CLOSED  # type: ignore[misc]
    assert row.target == CaseStatus.ACCEPTED


def test_transition_clocks_and_roles_cannot_be_mutated() -> None:
    row = transition(CaseStatus.DISPATCHED, CaseEvent.SIGN, Role.LIAISON)
    with pytest.raises(TypeError):
        row.clocks["resolve"] = "start"  # type: ignore[index]
    with pytest.raises(AttributeError):
        row.roles.add(Role.ADMIN)  # type: ignore[attr-defined]
    assert transition(CaseStatus.DISPATCHED, CaseEvent.SIGN, Role.LIAISON).clocks == {
        "response": "stop"
    }


def test_labels_cannot_be_mutated() -> None:
    with pytest.raises(TypeError):
        STATUS_LABELS[CaseStatus.CLOSED] = "x"  # type: ignore[index]
