"""Questions that change nothing: 查 0007, 我的待办, 谁负责 X, 帮助."""

from __future__ import annotations

from classifier.lookup import OwnerAnswer, lookup
from handlers import copy
from handlers.case_view import load_case_view
from handlers.commands import Command, Verb, usage_lines
from handlers.permissions import department_ids, holds_anywhere, township_ids
from handlers.turn import Turn
from models.case import RatingValue
from models.lifecycle import EVENT_LABELS, CaseEvent, CaseStatus, Role

_TODO = {
    Role.TOWNSHIP_STAFF: {
        CaseStatus.REPORTED: "请确认吹哨",
        CaseStatus.TOWNSHIP_HANDLING: "镇街自办，办完请“自办办结”",
        CaseStatus.NEEDS_INFO: "部门要求补充信息",
        CaseStatus.RESOLVED: "请评价",
    },
    Role.LIAISON: {
        CaseStatus.DISPATCHED: "请签收",
        CaseStatus.ACCEPTED: "办理中，办完请“办结”",
    },
    Role.DISPATCHER: {
        CaseStatus.PENDING_ASSIGNMENT: "请派单",
        CaseStatus.RETURNED: "请裁定退回",
        CaseStatus.ARBITRATION: "请仲裁",
    },
    Role.GRID_WORKER: {
        CaseStatus.NEEDS_INFO: "请补充信息",
        CaseStatus.RESOLVED: "请到现场核查",
    },
}


async def show_case(turn: Turn, command: Command) -> None:
    if command.case is None:
        return
    case = await turn.cases.by_seq(command.case.seq)
    if case is None:
        turn.reply(copy.unknown_case(command.case.typed))
        return
    view = await load_case_view(turn.session, case)
    history = []
    for event in await turn.cases.events(case.id):
        try:
            label = EVENT_LABELS[CaseEvent(event.kind)]
        except ValueError:
            label = "上报" if event.kind == "report" else event.kind
        history.append((event.at, label + _detail(event.kind, event.payload or {})))
    # Numbers stay unmasked only in the reporter's own group.
    mask = turn.here != case.conversation_id
    turn.reply(
        f"案件 {view.short} 的情况：",
        view=view,
        card=copy.case_card(view, mask=mask, history=history),
    )


def _detail(kind: str, payload: dict[str, object]) -> str:
    """What a timeline line needs besides the event's name: the grade of a rating."""
    if kind == CaseEvent.RATE and isinstance(value := payload.get("value"), str):
        try:
            return f"：{copy.RATING_LABELS[RatingValue(value)]}"
        except ValueError:
            return ""
    return ""


async def my_tasks(turn: Turn) -> None:
    actor = turn.actor
    if actor is None:
        turn.reply(copy.UNREGISTERED)
        return
    lines: list[str] = []
    for role, todo in _TODO.items():
        if not holds_anywhere(actor, role):
            continue
        scope: dict[str, object] = {}
        if role is Role.TOWNSHIP_STAFF:
            scope["township_ids"] = township_ids(actor, role)
        elif role is Role.LIAISON:
            scope["department_ids"] = department_ids(actor, role)
        elif role is Role.GRID_WORKER:
            scope["reporter_id"] = actor.id
        for case in await turn.cases.in_states(todo, **scope):  # type: ignore[arg-type]
            view = await load_case_view(turn.session, case)
            lines.append(copy.task_line(view, todo[case.status]))
    turn.reply(copy.my_tasks(lines))


def who_owns(turn: Turn, command: Command) -> None:
    classifier = turn.services.classifier
    if classifier is None:
        turn.reply(copy.NO_MODEL)
        return
    answer = lookup(command.text, classifier.catalog, classifier)
    turn.reply(owner_text(answer))


# Below this the best item is a guess (e.g. "量子计算机"): say so rather than name an owner.
CONFIDENT_ITEM_SCORE = 0.5


def owner_text(answer: OwnerAnswer) -> str:
    if answer.matched == "none" or (not answer.items and answer.department is None):
        return (
            f"没有找到与“{answer.query}”相关的清单事项。可换个说法，或发送事项编码（如 D04-002）。"
        )
    if answer.matched == "department" and answer.department is not None:
        led = "、".join(f"{a.item.code} {a.item.name}" for a in answer.items[:8]) or "无"
        return f"{answer.department.name}牵头的事项：{led}" + (
            f" 等 {len(answer.items)} 项" if len(answer.items) > 8 else ""
        )
    unsure = answer.matched == "item" and answer.items[0].score < CONFIDENT_ITEM_SCORE
    lines = [
        f"没有找到与“{answer.query}”明确对应的清单事项，可能相关的有："
        if unsure
        else f"“{answer.query}”的责任归属："
    ]
    for found in answer.items[:3]:
        item = found.item
        cooperating = "、".join(item.cooperating_departments) or "无"
        lines.append(
            f"· {item.code} {item.name}：牵头 {item.lead_department}，配合 {cooperating}；"
            f"镇街职责：{item.township_duty}；时限：签收 {item.response_hours} 小时、"
            f"办结 {item.resolve_days} 个工作日"
            + (f"；依据：{'、'.join(item.legal_basis)}" if item.legal_basis else "")
        )
    return "\n".join(lines)


QUERY_VERBS = frozenset({Verb.SHOW, Verb.MY_TASKS, Verb.WHO_OWNS, Verb.HELP})
REPORTING_ROLES = frozenset({Role.GRID_WORKER, Role.TOWNSHIP_STAFF})


def help_answer(turn: Turn, case_verbs: frozenset[Verb]) -> None:
    """`case_verbs`: the case commands the person's roles may use somewhere in the lifecycle."""
    roles = [scope.role for scope in turn.actor.roles] if turn.actor else []
    labels = list(dict.fromkeys(role.label for role in roles))
    admin = frozenset({Verb.BIND_GROUP}) if Role.ADMIN in roles else frozenset()
    usages = usage_lines(case_verbs | QUERY_VERBS | admin)
    turn.reply(copy.help_text(labels, usages, can_report=bool(REPORTING_ROLES & set(roles))))
