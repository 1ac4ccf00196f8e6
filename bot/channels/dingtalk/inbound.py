"""DingTalk payloads → the core's neutral events. Pure: no SDK, no network, no clock.

Shapes follow `shared/reference/dingtalk-platform.md` §2 (chatbot messages on
`/v1.0/im/bot/messages/get`) and §3.6 (card callbacks on `/v1.0/card/instances/callback`),
and the fixtures in `tests/fixtures/dingtalk/` hold captured examples of each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handlers.messages import Attachment, AttachmentKind, CardClick, IncomingMessage

CHANNEL = "dingtalk"
GROUP = "2"  # conversationType: "1" is a 1:1 chat with the bot, "2" a group
PRIVATE = "1"
# Kept like a photo: the sender is asked for a sentence and the file joins the report.
_MEDIA = {"video": AttachmentKind.VIDEO, "file": AttachmentKind.FILE}


class PayloadError(ValueError):
    """A payload we cannot read (missing ids, wrong types): logged and refused, never a crash."""


@dataclass(frozen=True, slots=True)
class ReplyRoute:
    """How DingTalk lets us answer this conversation without a token, for a while."""

    conversation_id: str
    session_webhook: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    message: IncomingMessage
    route: ReplyRoute | None


def parse_chatbot_message(data: dict[str, Any], *, received_at: datetime) -> ParsedMessage:
    """One chatbot message. Raises PayloadError when it lacks what we need to act on it."""
    message_id = _required_str(data, "msgId")
    conversation = _required_str(data, "conversationId")
    # senderStaffId is the org userId (what people are bound by); external senders lack it.
    sender = _str(data.get("senderStaffId")) or _required_str(data, "senderId")
    kind = _str(data.get("msgtype")) or "text"
    content = data.get("content") if isinstance(data.get("content"), dict) else {}
    text = ""
    voice: str | None = None
    attachments: list[Attachment] = []
    if kind == "text":
        text = _str((data.get("text") or {}).get("content"))
    elif kind == "richText":
        parts = content.get("richText") if isinstance(content.get("richText"), list) else []
        texts: list[str] = []
        for part in parts:
            if not isinstance(part, dict):
                continue
            if "text" in part:
                texts.append(_str(part.get("text")))
            code = _str(part.get("downloadCode"))
            if part.get("type") == "picture" and code:
                attachments.append(Attachment(AttachmentKind.PICTURE, code))
        text = "\n".join(t for t in texts if t.strip())
    elif kind == "picture":
        code = _str(content.get("downloadCode"))
        if code:
            attachments.append(Attachment(AttachmentKind.PICTURE, code))
    elif kind == "audio":
        voice = _str(content.get("recognition")) or None
        code = _str(content.get("downloadCode"))
        if code:
            attachments.append(Attachment(AttachmentKind.AUDIO, code))
    elif kind in _MEDIA:
        code = _str(content.get("downloadCode"))
        if code:
            attachments.append(Attachment(_MEDIA[kind], code))
    # Anything else (unknownMsgType, kinds DingTalk adds later) arrives as an empty message,
    # which the core answers by asking for a sentence.
    incoming = IncomingMessage(
        channel=CHANNEL,
        platform_message_id=message_id,
        conversation=conversation,
        sender=sender,
        text=text.strip(),  # a group message keeps a space where the @-mention was
        received_at=received_at,
        attachments=tuple(attachments),
        voice_transcript=voice,
        # Groups only deliver messages that @ the bot; a 1:1 chat is always addressed to it.
        mentions_bot=bool(data.get("isInAtList", True)) or data.get("conversationType") != GROUP,
        sender_name=_str(data.get("senderNick")) or None,
        direct=data.get("conversationType") == PRIVATE,
    )
    return ParsedMessage(incoming, _route(data, conversation))


def _route(data: dict[str, Any], conversation: str) -> ReplyRoute | None:
    webhook = _str(data.get("sessionWebhook"))
    expires = data.get("sessionWebhookExpiredTime")
    if not webhook or not isinstance(expires, int | float):
        return None
    return ReplyRoute(conversation, webhook, datetime.fromtimestamp(expires / 1000, UTC))


def parse_card_callback(
    data: dict[str, Any], *, frame_message_id: str, received_at: datetime
) -> CardClick:
    """A button pressed on one of our cards: `outTrackId` names the card, `params.action` the
    text command we packed into the button."""
    card_id = _required_str(data, "outTrackId")
    actor = _required_str(data, "userId")
    content = data.get("content")
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except json.JSONDecodeError as error:
            msg = "card callback content is not JSON"
            raise PayloadError(msg) from error
    if not isinstance(content, dict):
        msg = "card callback without content"
        raise PayloadError(msg)
    private = content.get("cardPrivateData") or {}
    params = private.get("params") if isinstance(private, dict) else None
    action = _str(params.get("action")) if isinstance(params, dict) else ""
    if not action:
        msg = "card callback without an action parameter"
        raise PayloadError(msg)
    space = _str(data.get("spaceId"))
    return CardClick(
        channel=CHANNEL,
        platform_event_id=frame_message_id,
        card_id=card_id,
        action=action,
        actor=actor,
        conversation=space if data.get("spaceType") == "IM_GROUP" and space else None,
        received_at=received_at,
    )


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _required_str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        msg = f"payload lacks {key}"
        raise PayloadError(msg)
    return value
