"""What a department's liaison does with a whistled case: sign, report progress, ask for more
time or information, send it back, resolve it."""

from __future__ import annotations

from handlers import copy, deadlines, routing
from handlers.case_view import CaseView, ItemView, load_item_by_code
from handlers.commands import Command
from handlers.transitions import Refusal, apply_event
from handlers.turn import Turn
from models.lifecycle import CaseEvent, Role
from models.repositories.lists import ListRepository


async def sign(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.SIGN, role)
    who = turn.actor.name if turn.actor else ""
    await routing.tell_department(
        turn,
        view,
        copy.done(view, "签收"),
        card=copy.working_card(view),
        card_key=routing.card_key(view, "department"),
        replaces_card=True,
    )
    await routing.tell_township_and_reporter(turn, view, copy.signed_notice(view, who))


async def progress(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.PROGRESS, role, {"note": command.text})
    turn.reply(copy.done(view, "反馈进展"), view=view)
    await routing.tell_township_and_reporter(turn, view, copy.progress_notice(view, command.text))


async def request_extension(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    days = command.days
    if days is None:
        raise Refusal("请写上延期的工作日数")
    view = await apply_event(
        turn,
        view,
        CaseEvent.REQUEST_EXTENSION,
        role,
        {"days": days, "reason": command.text},
    )
    turn.reply(copy.extension_requested_notice(view, days), view=view)
    turn.send(
        await routing.dispatch_chat(turn),
        f"{view.lead_department}申请延期，请审批。",
        view=view,
        card=copy.extension_card(view, days, command.text),
        card_key=routing.card_key(view, "extension"),
    )


async def request_info(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.REQUEST_INFO, role, {"what": command.text})
    turn.reply(copy.done(view, "要求补充（办理时限暂停）"), view=view)
    await routing.tell_township_and_reporter(
        turn, view, copy.info_requested_notice(view, command.text)
    )


async def return_case(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    reason = command.reason
    if reason is None:
        raise Refusal("请写明退回原因")
    view.case.return_count += 1
    view = await apply_event(
        turn,
        view,
        CaseEvent.RETURN,
        role,
        {
            "reason": reason.value,
            "suggested_owner": command.suggested_owner,
            "note": command.text,
        },
    )
    options = await _items_of_suggested_owner(turn, view, command.suggested_owner)
    turn.reply(copy.done(view, "退回，等待指挥中心裁定"), view=view)
    turn.send(
        await routing.dispatch_chat(turn),
        f"{view.lead_department}退回了一个案件，请裁定。",
        view=view,
        card=copy.returned_card(
            view,
            reason=reason,
            suggestion=command.suggested_owner,
            note=command.text,
            options=options,
        ),
        card_key=routing.card_key(view, "dispatch"),
    )
    await routing.tell_township_and_reporter(turn, view, copy.returned_notice(view, reason))


async def _items_of_suggested_owner(
    turn: Turn, view: CaseView, suggestion: str | None
) -> list[ItemView]:
    """Items the dispatcher may redispatch to: those of the classification led by the suggested
    department first, then the other ranked items."""
    ranked = [item["code"] for item in view.case.classification.get("items", [])]
    version = await ListRepository(turn.session).current_version()
    if version is None:
        return []
    items = [
        item
        for code in ranked
        if (item := await load_item_by_code(turn.session, code, version.id)) is not None
        and item.lead_department_id is not None
        and item.id != view.case.item_id
    ]
    if suggestion:
        items.sort(key=lambda item: suggestion not in (item.lead_department or ""))
    return items[:3]


async def resolve(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.RESOLVE, role, {"note": command.text})
    await routing.tell_department(
        turn,
        view,
        copy.done(view, "办结"),
        card=copy.Card(
            title=f"【已办结】{copy.headline(view)}", fields=(("办理结果", command.text),)
        ),
        card_key=routing.card_key(view, "department"),
        replaces_card=True,
    )
    township = await routing.township_chat(turn, view)
    turn.send(
        township,
        copy.resolved_notice(view, command.text),
        view=view,
        card=copy.rating_card(view, command.text),
        card_key=routing.card_key(view, "rating"),
    )
    reporter = routing.reporter_chat(view)
    if reporter and reporter != township:
        turn.send(
            reporter,
            copy.resolved_notice(view, command.text),
            view=view,
            card=copy.verify_card(view, command.text),
            card_key=routing.card_key(view, "verify"),
        )


async def grant_extension(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    days = await _pending_extension_days(turn, view)
    view = await apply_event(turn, view, CaseEvent.GRANT_EXTENSION, role, {"days": days})
    if view.case.resolve_due_at is not None:
        view.case.resolve_due_at = deadlines.extended(view.case.resolve_due_at, days)
        await turn.session.flush()
    turn.reply(copy.done(view, f"批准延期 {days} 个工作日"), view=view)
    await routing.tell_department(
        turn,
        view,
        copy.extension_granted_notice(view, days),
    )


async def refuse_extension(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    await _pending_extension_days(turn, view)
    view = await apply_event(
        turn, view, CaseEvent.REFUSE_EXTENSION, role, {"reason": command.text}
    )
    turn.reply(copy.done(view, "驳回延期"), view=view)
    await routing.tell_department(
        turn,
        view,
        copy.extension_refused_notice(view, command.text),
    )


async def _pending_extension_days(turn: Turn, view: CaseView) -> int:
    """Days of the latest extension request not yet decided, or a refusal."""
    events = await turn.cases.events(view.case.id)
    pending: int | None = None
    for event in events:
        if event.kind == CaseEvent.REQUEST_EXTENSION.value:
            pending = int(event.payload.get("days", 0)) or None
        elif event.kind in (CaseEvent.GRANT_EXTENSION.value, CaseEvent.REFUSE_EXTENSION.value):
            pending = None
    if pending is None:
        raise Refusal(copy.NO_PENDING_EXTENSION)
    return pending
