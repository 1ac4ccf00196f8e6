"""Deciding who handles a case: the township's review and the dispatch centre's rulings."""

from __future__ import annotations

from handlers import copy, routing
from handlers.case_view import CaseView, ItemView, load_case_view, load_item_by_code
from handlers.commands import CaseRef, Command
from handlers.intake import DUPLICATE_WINDOW
from handlers.transitions import Refusal, apply_event, set_item
from handlers.turn import Turn
from models.lifecycle import CaseEvent, CaseStatus, Role
from models.repositories.lists import ListRepository


async def _item_for(turn: Turn, code: str | None) -> ItemView:
    """An item of the current list, for reclassifying or (re)dispatching."""
    version = await ListRepository(turn.session).current_version()
    item = await load_item_by_code(turn.session, code, version.id) if code and version else None
    if item is None:
        raise Refusal(copy.refused_item_unknown(code or ""))
    return item


def _needs_department(view: CaseView, item: ItemView) -> None:
    if item.lead_department_id is None:
        raise Refusal(copy.refused_basic_item(view))


async def confirm(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    if view.item is None:
        raise Refusal(f"案件 {view.short} 还没有确定事项，请先“改选 {view.short} 事项编码”。")
    _needs_department(view, view.item)
    view = await apply_event(turn, view, CaseEvent.CONFIRM, role, {"item": view.item.code})
    turn.send(
        await routing.township_chat(turn, view),
        copy.done(view, "确认吹哨"),
        view=view,
        card=copy.Card(
            title=f"【已吹哨】{copy.headline(view)}",
            fields=(("承办部门", view.lead_department or ""),),
        ),
        card_key=routing.card_key(view, "township"),
        replaces_card=True,
    )
    await routing.whistle(turn, view)


async def reclassify(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    item = await _item_for(turn, command.item_code)
    old = view.item
    set_item(view.case, item)
    view = await apply_event(
        turn,
        await load_case_view(turn.session, view.case),
        CaseEvent.RECLASSIFY,
        role,
        {"from": old.code if old else None, "to": item.code},
    )
    turn.send(
        await routing.township_chat(turn, view),
        copy.reclassified_notice(view, old),
        view=view,
        card=copy.review_card(
            view,
            text=view.case.original_text,
            confidence=1.0,
            alternatives=(),
            duplicates=(),
        ),
        card_key=routing.card_key(view, "township"),
        replaces_card=True,
    )


async def handle_locally(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    event = (
        CaseEvent.HAND_BACK
        if view.status is CaseStatus.PENDING_ASSIGNMENT
        else CaseEvent.HANDLE_LOCALLY
    )
    view = await apply_event(turn, view, event, role, {"note": command.text})
    township = await routing.township_chat(turn, view)
    turn.send(
        township,
        copy.handled_locally_notice(view),
        view=view,
        card=copy.local_card(view),
        card_key=routing.card_key(view, "township"),
    )
    if routing.reporter_chat(view) != township:
        turn.send(routing.reporter_chat(view), copy.handled_locally_notice(view), view=view)
    if event is CaseEvent.HAND_BACK:
        turn.reply(copy.done(view, "退回镇街"), view=view)


async def close_locally(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.CLOSE_LOCALLY, role, {"note": command.text})
    await routing.tell_township_and_reporter(
        turn, view, copy.closed_locally_notice(view, command.text)
    )


async def refer_to_dispatch(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.REFER_TO_DISPATCH, role, {"note": command.text})
    suggestions = [view.item] if view.item else []
    turn.send(
        await routing.dispatch_chat(turn),
        f"{view.township}提请指挥中心派单。{command.text}".strip(),
        view=view,
        card=copy.dispatch_card(
            view, text=view.case.original_text, suggestions=suggestions, heading="待派单"
        ),
        card_key=routing.card_key(view, "dispatch"),
    )
    turn.reply(copy.done(view, "转指挥中心"), view=view)


async def merge(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    if command.other_case is None:
        raise Refusal("请写上要并入的案件编号")
    target = await _merge_target(turn, view, command.other_case)
    view.case.duplicate_of_id = target.case.id
    view = await apply_event(turn, view, CaseEvent.MERGE, role, {"into": target.number})
    await routing.tell_township_and_reporter(turn, view, copy.merged_notice(view, target.short))


async def _merge_target(turn: Turn, view: CaseView, ref: CaseRef) -> CaseView:
    found = await turn.cases.by_seq(ref.seq)
    if found is None:
        raise Refusal(copy.unknown_case(ref.typed))
    target = await load_case_view(turn.session, found)
    if target.case.id == view.case.id:
        raise Refusal(copy.refused_merge("不能与自身合并"))
    if target.status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        raise Refusal(copy.refused_merge(f"案件 {target.short} 已{target.status.label}"))
    if target.case.item_id != view.case.item_id or target.item is None:
        raise Refusal(copy.refused_merge("两个案件的事项不同"))
    if target.case.village_id != view.case.village_id:
        raise Refusal(copy.refused_merge("两个案件不在同一村（社区）"))
    if view.case.created_at - target.case.created_at > DUPLICATE_WINDOW:
        raise Refusal(copy.refused_merge("两个案件相隔超过 7 天"))
    return target


async def cancel(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.CANCEL, role, {"reason": command.text})
    await routing.tell_township_and_reporter(turn, view, copy.cancelled_notice(view, command.text))
    if role is Role.DISPATCHER:
        turn.reply(copy.done(view, "撤销"), view=view)


async def assign(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    """The dispatcher gives an ownerless case an item and so a department (派单)."""
    item = await _item_for(turn, command.item_code)
    _needs_department(view, item)
    set_item(view.case, item)
    view = await load_case_view(turn.session, view.case)
    view = await apply_event(turn, view, CaseEvent.ASSIGN, role, {"item": item.code})
    turn.reply(copy.done(view, f"派单至{view.lead_department}"), view=view)
    await routing.whistle(turn, view)


async def redispatch(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    """The dispatcher agrees with a return and sends the case elsewhere; no one is charged."""
    item = await _item_for(turn, command.item_code)
    _needs_department(view, item)
    old_department, old_department_id = view.lead_department, view.case.lead_department_id
    set_item(view.case, item)
    view = await load_case_view(turn.session, view.case)
    view = await apply_event(
        turn, view, CaseEvent.REDISPATCH, role, {"item": item.code, "return_charged": False}
    )
    turn.reply(copy.done(view, f"重新派单至{view.lead_department}"), view=view)
    if old_department_id != view.case.lead_department_id and old_department:
        turn.send(
            await routing.department_chat(turn, old_department_id),
            copy.redispatched_away_notice(view, old_department),
            view=view,
        )
    await routing.whistle(turn, view)


async def rule_keep(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    """The dispatcher rules the department keeps it: the return counts against it."""
    view = await apply_event(turn, view, CaseEvent.RULE_KEEP, role, {"return_charged": True})
    turn.reply(copy.done(view, "维持原派"), view=view)
    await routing.tell_department(
        turn,
        view,
        copy.ruled_keep_notice(view),
        card=copy.whistle_card(view, note=copy.ruled_keep_notice(view)),
        mention=True,
        card_key=routing.card_key(view, "department"),
    )


async def arbitrate(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    """A return the dispatcher cannot settle at once goes to arbitration (仲裁中); the resolve
    clock stays paused until the ruling (重新派单 or 维持原派)."""
    view = await apply_event(turn, view, CaseEvent.ARBITRATE, role, {"reason": command.text})
    turn.reply(copy.done(view, "提交仲裁"), view=view)
    turn.send(
        await routing.dispatch_chat(turn),
        copy.arbitration_notice(view, command.text),
        view=view,
        card=copy.arbitration_card(view, reason=command.text),
        card_key=routing.card_key(view, "dispatch"),
    )
    await routing.tell_department(
        turn,
        view,
        copy.arbitration_notice(view, command.text),
    )
    await routing.tell_township_and_reporter(
        turn, view, copy.arbitration_notice(view, command.text)
    )


async def urge(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    """The dispatch centre chases the department (催办); the case stays where it is."""
    view = await apply_event(turn, view, CaseEvent.URGE, role, {"note": command.text})
    turn.reply(copy.done(view, "催办"), view=view)
    await routing.tell_department(
        turn,
        view,
        copy.urge_notice(view, command.text),
        mention=True,
    )
