"""Running a command on a case: find the case, check state and role, then act — or refuse.

A refusal is one line saying why, is logged, and changes nothing: the handler runs inside a
savepoint, so a refusal raised halfway rolls back whatever it had already written.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from handlers import admin, copy, department, queries, rating, review
from handlers.case_view import CaseView, load_case_view
from handlers.commands import Command, Verb
from handlers.permissions import acting_role, allowed_roles, roles_on_case
from handlers.transitions import Refusal
from handlers.turn import Turn
from models.case import RatingValue
from models.lifecycle import TRANSITIONS, CaseEvent, Role

log = logging.getLogger(__name__)

Handler = Callable[[Turn, CaseView, Command, Role], Awaitable[None]]

_CASE_ACTIONS: dict[Verb, tuple[CaseEvent, Handler]] = {
    Verb.CONFIRM: (CaseEvent.CONFIRM, review.confirm),
    Verb.RECLASSIFY: (CaseEvent.RECLASSIFY, review.reclassify),
    Verb.HANDLE_LOCALLY: (CaseEvent.HANDLE_LOCALLY, review.handle_locally),
    Verb.CLOSE_LOCALLY: (CaseEvent.CLOSE_LOCALLY, review.close_locally),
    Verb.REFER_TO_DISPATCH: (CaseEvent.REFER_TO_DISPATCH, review.refer_to_dispatch),
    Verb.MERGE: (CaseEvent.MERGE, review.merge),
    Verb.CANCEL: (CaseEvent.CANCEL, review.cancel),
    Verb.ASSIGN: (CaseEvent.ASSIGN, review.assign),
    Verb.HAND_BACK: (CaseEvent.HAND_BACK, review.handle_locally),
    Verb.REDISPATCH: (CaseEvent.REDISPATCH, review.redispatch),
    Verb.RULE_KEEP: (CaseEvent.RULE_KEEP, review.rule_keep),
    Verb.ARBITRATE: (CaseEvent.ARBITRATE, review.arbitrate),
    Verb.URGE: (CaseEvent.URGE, review.urge),
    Verb.SIGN: (CaseEvent.SIGN, department.sign),
    Verb.PROGRESS: (CaseEvent.PROGRESS, department.progress),
    Verb.REQUEST_EXTENSION: (CaseEvent.REQUEST_EXTENSION, department.request_extension),
    Verb.GRANT_EXTENSION: (CaseEvent.GRANT_EXTENSION, department.grant_extension),
    Verb.REFUSE_EXTENSION: (CaseEvent.REFUSE_EXTENSION, department.refuse_extension),
    Verb.REQUEST_INFO: (CaseEvent.REQUEST_INFO, department.request_info),
    Verb.RETURN: (CaseEvent.RETURN, department.return_case),
    Verb.RESOLVE: (CaseEvent.RESOLVE, department.resolve),
    Verb.SUPPLY_INFO: (CaseEvent.SUPPLY_INFO, rating.supply_info),
    Verb.RATE: (CaseEvent.RATE, rating.rate),
    Verb.VERIFY: (CaseEvent.VERIFY, rating.verify),
}


# Events a person can fire from chat; 不满意 and "not fixed" fire REOPEN through 评价 / 核查.
CHAT_EVENTS = frozenset(event for event, _handler in _CASE_ACTIONS.values()) | {CaseEvent.REOPEN}


def case_verbs_for(roles: set[Role]) -> frozenset[Verb]:
    """Case commands some state of the lifecycle lets one of `roles` use (for 帮助)."""
    return frozenset(
        verb
        for verb, (event, _handler) in _CASE_ACTIONS.items()
        if any(row.event == event and row.roles & roles for row in TRANSITIONS)
    )


def _event_for(command: Command, event: CaseEvent) -> CaseEvent:
    """不满意 and "not fixed" are reopenings, checked as such."""
    if command.verb is Verb.RATE and command.rating is RatingValue.UNSATISFIED:
        return CaseEvent.REOPEN
    if command.verb is Verb.VERIFY and command.fixed is False:
        return CaseEvent.REOPEN
    return event


async def run_command(turn: Turn, command: Command) -> None:
    match command.verb:
        case Verb.SHOW:
            await queries.show_case(turn, command)
        case Verb.MY_TASKS:
            await queries.my_tasks(turn)
        case Verb.WHO_OWNS:
            queries.who_owns(turn, command)
        case Verb.BIND_GROUP:
            await admin.bind_group(turn, command)
        case Verb.HELP:
            roles = {scope.role for scope in turn.actor.roles} if turn.actor else set()
            queries.help_answer(turn, case_verbs_for(roles))
        case _:
            await _run_case_action(turn, command)


async def _run_case_action(turn: Turn, command: Command) -> None:
    if command.case is None:  # the parser never builds a case action without one
        return
    actor = turn.actor
    if actor is None:
        log.info("refused %s from an unregistered user", command.verb)
        turn.reply(copy.UNREGISTERED)
        return
    case = await turn.cases.by_seq(command.case.seq)
    if case is None:
        turn.reply(copy.unknown_case(command.case.typed))
        return
    view = await load_case_view(turn.session, case)
    event, handler = _CASE_ACTIONS[command.verb]
    event = _event_for(command, event)
    permitted = allowed_roles(view.status, event)
    if not permitted:
        log.info("refused %s on case %s by %s: state %s", event, case.seq, actor.id, case.status)
        turn.reply(copy.refused_state(view, event), view=view)
        return
    role = acting_role(view.status, event, roles_on_case(actor, view.scope))
    if role is None:
        log.info("refused %s on case %s by %s: role", event, case.seq, actor.id)
        turn.reply(copy.refused_role(view, event, permitted), view=view)
        return
    sent_before = len(turn.out)
    try:
        async with turn.session.begin_nested():
            await handler(turn, view, command, role)
    except Refusal as refusal:
        del turn.out[sent_before:]
        log.info("refused %s on case %s by %s: %s", event, case.seq, actor.id, refusal)
        await turn.session.refresh(case)
        turn.reply(str(refusal), view=await load_case_view(turn.session, case))
