"""Report intake: a grid worker's sentence (typed, dictated or under a photo) becomes a case.

The classifier proposes an item; the township confirms it (DESIGN §2.1). When the classifier
abstains, or no model is trained yet, the case still opens and goes to the dispatch centre: a
report is never dropped because the machine is unsure.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from classifier.engine import Prediction
from handlers import copy, routing
from handlers.case_view import ItemView, load_case_view, load_item_by_code
from handlers.deadlines import local_date
from handlers.messages import Attachment, IncomingMessage
from handlers.permissions import holds_anywhere
from handlers.transitions import apply_event, set_item
from handlers.turn import Turn
from models.case import Case
from models.lifecycle import CaseEvent, Role
from models.organisation import ConversationPurpose
from models.repositories.cases import case_number, short_number
from models.repositories.lists import ListRepository
from models.repositories.organisation import PersonView

log = logging.getLogger(__name__)

DUPLICATE_WINDOW = timedelta(days=7)
REPORTING_ROLES = (Role.GRID_WORKER, Role.TOWNSHIP_STAFF)
_CHAT_REASONS = {"empty": copy.EMPTY, "not_a_report": copy.NOT_A_REPORT}


async def take_report(
    turn: Turn, message: IncomingMessage, earlier_photos: tuple[Attachment, ...] = ()
) -> None:
    actor = turn.actor
    if actor is None:
        log.info("refused a report from unregistered user %s", message.sender)
        turn.reply(copy.UNREGISTERED)
        return
    if not any(holds_anywhere(actor, role) for role in REPORTING_ROLES):
        log.info("refused a report from %s: no reporting role", actor.id)
        turn.reply(copy.CANNOT_REPORT)
        return
    text = message.text.strip() or (message.voice_transcript or "").strip()
    if not text:
        turn.reply(copy.PHOTO_ONLY if message.attachments else copy.EMPTY)
        return
    prediction = turn.services.classifier.predict(text) if turn.services.classifier else None
    if prediction is not None and prediction.abstain_reason in _CHAT_REASONS:
        turn.reply(_CHAT_REASONS[prediction.abstain_reason])
        return
    version = await ListRepository(turn.session).current_version()
    if version is None:
        turn.reply("尚未导入责任清单，暂不能受理报告。请管理员运行 whistle import-list。")
        return
    township_id, village_id = _area(turn, actor)
    seq = await turn.cases.next_seq()
    case = await turn.cases.add(
        Case(
            seq=seq,
            number=case_number(seq, local_date(turn.now)),
            reporter_id=actor.id,
            conversation_id=turn.here,
            township_id=township_id,
            village_id=village_id,
            original_text=text,
            normalized_text=prediction.normalized_text if prediction else "",
            voice_transcript=message.voice_transcript,
            attachments=[
                {"kind": a.kind.value, "media_id": a.media_id}
                for a in (*earlier_photos, *message.attachments)
            ],
            classification=prediction.as_json() if prediction else {},
            model_version=None,
            abstained=prediction is None or prediction.abstained,
            list_version_id=version.id,
            created_at=turn.now,
            updated_at=turn.now,
        )
    )
    ranked = await _ranked_items(turn, prediction, version.id)
    if ranked and prediction is not None and not prediction.abstained:
        set_item(case, ranked[0])
    await turn.cases.record(
        case,
        kind="report",
        actor_id=actor.id,
        actor_role=_reporting_role(actor),
        at=turn.now,
        payload={"platform_message_id": message.platform_message_id},
    )
    view = await load_case_view(turn.session, case)
    if case.item_id is None:
        await _refer_to_dispatch(turn, view, ranked, text)
        return
    duplicates = []
    if village_id is not None and case.item_id is not None:
        found = await turn.cases.open_duplicates(
            item_id=case.item_id,
            village_id=village_id,
            since=turn.now - DUPLICATE_WINDOW,
            excluding=case.id,
        )
        duplicates = [short_number(c.seq) for c in found]
    confidence = prediction.confidence if prediction else 0.0
    turn.reply(copy.receipt(view, confidence, text=text), view=view)
    turn.send(
        await routing.township_chat(turn, view),
        f"{view.reporter}反映了一个问题，请确认后吹哨。",
        view=view,
        card=copy.review_card(
            view,
            text=text,
            confidence=confidence,
            alternatives=ranked[1:3],
            duplicates=duplicates,
        ),
        mentions=tuple(
            await turn.organisation.holders(Role.TOWNSHIP_STAFF, township_id=township_id)
        )
        if township_id
        else (),
        card_key=routing.card_key(view, "township"),
    )


async def _refer_to_dispatch(turn: Turn, view: Any, ranked: list[ItemView], text: str) -> None:
    view = await apply_event(
        turn, view, CaseEvent.REFER_TO_DISPATCH, Role.SYSTEM, {"reason": "abstained"}
    )
    turn.reply(copy.referred_receipt(view, text=text), view=view)
    turn.send(
        await routing.dispatch_chat(turn),
        "有一件未能自动识别事项的报告，请派单。",
        view=view,
        card=copy.dispatch_card(view, text=text, suggestions=ranked[:3], heading="待派单"),
        card_key=routing.card_key(view, "dispatch"),
    )
    township = await routing.township_chat(turn, view)
    if township != turn.here:
        turn.send(township, copy.township_referred_notice(view, text=text), view=view)


async def _ranked_items(
    turn: Turn, prediction: Prediction | None, version_id: int
) -> list[ItemView]:
    if prediction is None:
        return []
    items = []
    for ranked in prediction.items:
        item = await load_item_by_code(turn.session, ranked.code, version_id)
        if item is not None:
            items.append(item)
    return items


def _area(turn: Turn, actor: PersonView) -> tuple[int | None, int | None]:
    """The report's township and village: the group's area first, then the reporter's own."""
    conversation = turn.conversation
    if conversation is not None and conversation.purpose in (
        ConversationPurpose.VILLAGE,
        ConversationPurpose.TOWNSHIP,
    ):
        return conversation.township_id, conversation.village_id
    for scope in actor.roles:
        if scope.role in REPORTING_ROLES and scope.township_id is not None:
            return scope.township_id, scope.village_id
    return None, None


def _reporting_role(actor: PersonView) -> Role:
    return next(role for role in REPORTING_ROLES if holds_anywhere(actor, role))
