"""What channels hand to the conversation core, and what the core hands back.

Platform-neutral on purpose: a DingTalk robot message, a WeCom callback and a console line all
become an `IncomingMessage`; a card button press on any platform becomes a `CardClick`. The
core answers with `Outgoing` messages that each channel renders in its own way (an interactive
card on DingTalk, `template_card` on WeCom, a box of text on the console).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


class AttachmentKind(enum.StrEnum):
    PICTURE = "picture"
    AUDIO = "audio"
    VIDEO = "video"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: AttachmentKind
    media_id: str  # the platform's download code; the media itself stays on the platform


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One chat message addressed to the bot, already stripped of the @-mention."""

    channel: str
    platform_message_id: str  # the idempotency key, with the channel
    conversation: str  # the platform's conversation id
    sender: str  # the platform's user id
    text: str
    received_at: datetime
    attachments: tuple[Attachment, ...] = ()
    voice_transcript: str | None = None  # the platform's speech recognition, when it was voice
    mentions_bot: bool = True
    sender_name: str | None = None
    # A 1:1 chat with the bot, not a group: its answers must stay in that chat.
    direct: bool = False


@dataclass(frozen=True, slots=True)
class CardClick:
    """A button pressed on a card the bot sent. `action` is the packed payload we put there."""

    channel: str
    platform_event_id: str
    card_id: str
    action: str
    actor: str  # the platform's user id of whoever pressed
    conversation: str | None
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Button:
    label: str  # what the user sees: 确认吹哨
    # The packed payload: the text command the button stands for (`确认 0007`), parsed and
    # permission-checked again when pressed. `ask:` + a template asks for the text a decision
    # needs (a return reason, a resolution note) instead of acting.
    action: str
    command: str  # the text twin shown as a hint: 确认 0007


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to one conversation (our conversation id, not the platform's).

    `card_key` names a card that later messages may edit in place (a case's whistle card is
    updated as the case moves on); `replaces_card` asks the channel to edit that card.
    """

    conversation: str
    text: str
    card: Card | None = None
    mentions: tuple[str, ...] = ()  # person ids to @-mention
    case_number: str | None = None
    case_status: str | None = None  # display name, e.g. 已吹哨待签收
    card_key: str | None = None
    replaces_card: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def outgoing_payload(message: Outgoing) -> dict[str, Any]:
    """A JSON-able form of a message, for the outbox."""
    return asdict(message)


def outgoing_from_payload(payload: dict[str, Any]) -> Outgoing:
    card = payload.get("card")
    return Outgoing(
        conversation=payload["conversation"],
        text=payload["text"],
        card=None
        if card is None
        else Card(
            title=card["title"],
            fields=tuple((label, value) for label, value in card["fields"]),
            buttons=tuple(Button(**button) for button in card["buttons"]),
            note=card.get("note", ""),
        ),
        mentions=tuple(payload.get("mentions", ())),
        case_number=payload.get("case_number"),
        case_status=payload.get("case_status"),
        card_key=payload.get("card_key"),
        replaces_card=payload.get("replaces_card", False),
        extra=dict(payload.get("extra", {})),
    )


__all__ = [
    "Attachment",
    "AttachmentKind",
    "Button",
    "Card",
    "CardClick",
    "IncomingMessage",
    "Outgoing",
    "outgoing_from_payload",
    "outgoing_payload",
]
