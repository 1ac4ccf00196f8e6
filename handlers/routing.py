"""Where messages about a case go: the reporter's group, the township's, the department's, the
dispatch centre's — and who is @-mentioned there."""

from __future__ import annotations

from handlers import copy
from handlers.case_view import CaseView
from handlers.messages import Card
from handlers.turn import Turn
from models.lifecycle import Role
from models.organisation import ConversationPurpose


def card_key(view: CaseView, purpose: str) -> str:
    """Names the card a later message edits in place: one per case and audience."""
    return f"case-{view.case.seq}-{purpose}"


async def township_chat(turn: Turn, view: CaseView) -> str | None:
    if view.case.township_id is None:
        return None
    found = await turn.organisation.first_conversation(
        ConversationPurpose.TOWNSHIP, township_id=view.case.township_id
    )
    return found.id if found else None


async def department_chat(turn: Turn, department_id: int | None) -> str | None:
    if department_id is None:
        return None
    found = await turn.organisation.first_conversation(
        ConversationPurpose.DEPARTMENT, department_id=department_id
    )
    return found.id if found else None


async def dispatch_chat(turn: Turn) -> str | None:
    found = await turn.organisation.first_conversation(ConversationPurpose.DISPATCH)
    return found.id if found else None


def reporter_chat(view: CaseView) -> str | None:
    return view.case.conversation_id


async def liaisons(turn: Turn, department_id: int | None) -> tuple[str, ...]:
    if department_id is None:
        return ()
    return tuple(await turn.organisation.holders(Role.LIAISON, department_id=department_id))


async def tell_department(
    turn: Turn,
    view: CaseView,
    text: str,
    *,
    card: Card | None = None,
    mention: bool = False,
    card_key: str | None = None,
    replaces_card: bool = False,
) -> None:
    """A message to the case's lead department's group, @-ing its liaisons when `mention`."""
    department_id = view.case.lead_department_id
    turn.send(
        await department_chat(turn, department_id),
        text,
        view=view,
        card=card,
        mentions=await liaisons(turn, department_id) if mention else (),
        card_key=card_key,
        replaces_card=replaces_card,
    )


async def tell_township_and_reporter(
    turn: Turn, view: CaseView, text: str, *, answered: Card | None = None
) -> None:
    """The same news to the township group and, if different, the reporter's group.

    `answered` (after a rating or 核查 of a resolved case) replaces the township's rating card
    and the reporter's 核查 card, so no button is left on a question already answered.
    """
    township = await township_chat(turn, view)
    reporter = reporter_chat(view)
    for conversation, purpose in ((township, "rating"), (reporter, "verify")):
        if conversation is None or (purpose == "verify" and conversation == township):
            continue
        turn.send(
            conversation,
            text,
            view=view,
            card=answered,
            card_key=card_key(view, purpose) if answered else None,
            replaces_card=answered is not None,
        )


async def whistle(turn: Turn, view: CaseView) -> None:
    """The case has just been given to its lead department: the whistle card with the liaisons
    @-mentioned, a notice to each cooperating department, and the news to the township."""
    await tell_department(
        turn,
        view,
        f"请{view.lead_department}签收报到。",
        card=copy.whistle_card(view),
        mention=True,
        card_key=card_key(view, "department"),
    )
    for department_id in view.case.cooperating_department_ids:
        turn.send(
            await department_chat(turn, department_id), copy.cooperation_notice(view), view=view
        )
    await tell_township_and_reporter(turn, view, copy.dispatched_notice(view))
