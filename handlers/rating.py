"""The township's rating, the reporter's on-the-ground check, and supplying missing information.

不满意 or "not fixed" reopens the case to the same department with a fresh resolve window
(DESIGN §2.1); every rating round is stored once, keyed by the case's reopen count.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers import copy, routing
from handlers.case_view import CaseView
from handlers.commands import Command
from handlers.transitions import Refusal, apply_event
from handlers.turn import Turn
from models.case import Rating, RatingKind, RatingValue
from models.lifecycle import CaseEvent, Role


async def rate(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    value = command.rating
    if value is None:  # never assume 满意
        raise Refusal("请选择 满意、基本满意 或 不满意")
    await _store(turn, view, RatingKind.RATING, value, command.text)
    if value is RatingValue.UNSATISFIED:
        await _reopen(turn, view, role, f"{view.township}评价不满意", command.text)
        return
    view = await apply_event(
        turn, view, CaseEvent.RATE, role, {"value": value.value, "comment": command.text}
    )
    notice = copy.rated_notice(view, value, command.text)
    await routing.tell_department(turn, view, notice)
    answered = copy.answered_card(view, "已评价", copy.RATING_LABELS[value])
    await routing.tell_township_and_reporter(turn, view, notice, answered=answered)


async def verify(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    value = RatingValue.FIXED if command.fixed else RatingValue.NOT_FIXED
    await _store(turn, view, RatingKind.VERIFICATION, value, command.text)
    if not command.fixed:
        await _reopen(turn, view, role, "报告人核查未解决", command.text)
        return
    view = await apply_event(turn, view, CaseEvent.VERIFY, role, {"fixed": True})
    turn.send(
        routing.reporter_chat(view),
        copy.done(view, "核查"),
        view=view,
        card=copy.answered_card(view, "已核查", copy.RATING_LABELS[value]),
        card_key=routing.card_key(view, "verify"),
        replaces_card=True,
    )
    turn.send(await routing.township_chat(turn, view), copy.verified_notice(view), view=view)


async def _reopen(turn: Turn, view: CaseView, role: Role, why: str, comment: str) -> None:
    view.case.reopen_count += 1
    view = await apply_event(turn, view, CaseEvent.REOPEN, role, {"why": why, "comment": comment})
    notice = copy.reopened_notice(view, why + (f"（{comment}）" if comment else ""))
    await routing.tell_department(
        turn,
        view,
        notice,
        card=copy.working_card(view),
        mention=True,
        card_key=routing.card_key(view, "department"),
    )
    answered = copy.answered_card(view, "已重新交办", why)
    await routing.tell_township_and_reporter(turn, view, notice, answered=answered)


async def _store(
    turn: Turn, view: CaseView, kind: RatingKind, value: RatingValue, comment: str
) -> None:
    """One rating per kind and handling round: a second one is refused, not overwritten."""
    existing = await turn.session.scalar(
        select(Rating.id).where(
            Rating.case_id == view.case.id,
            Rating.kind == kind,
            Rating.round == view.case.reopen_count,
        )
    )
    if existing is not None:
        raise Refusal(copy.ALREADY_VERIFIED)
    await turn.cases.add_rating(
        Rating(
            case_id=view.case.id,
            kind=kind,
            round=view.case.reopen_count,
            value=value,
            comment=comment,
            rater_id=turn.actor.id if turn.actor else None,
            department_id=view.case.lead_department_id,
            at=turn.now,
        )
    )


async def supply_info(turn: Turn, view: CaseView, command: Command, role: Role) -> None:
    view = await apply_event(turn, view, CaseEvent.SUPPLY_INFO, role, {"info": command.text})
    turn.reply(copy.done(view, "补充信息"), view=view)
    await routing.tell_department(
        turn,
        view,
        copy.info_supplied_notice(view, command.text),
        mention=True,
    )
