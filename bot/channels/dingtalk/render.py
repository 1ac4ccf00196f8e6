"""Outgoing messages → DingTalk bodies. Pure: the sender decides where each one goes.

Without a card template a card becomes markdown: title, fields, note, and the text commands its
buttons stand for, so every action still works by typing (DESIGN §3). With a template its
fields become the string-only `cardParamMap` the card platform requires (reference §3.5).
"""

from __future__ import annotations

import json

from handlers.messages import Card, Outgoing

TITLE_LENGTH = 24  # what shows in the chat list and the notification


def markdown(message: Outgoing, mention_ids: list[str]) -> tuple[str, str]:
    """(title, markdown text); mentions are written into the text, where DingTalk needs them."""
    lines: list[str] = []
    if mention_ids:
        lines.append(" ".join(f"@{user}" for user in mention_ids))
        lines.append("")
    lines.extend(_paragraphs(message.text))
    if message.card is not None:
        lines.append("")
        lines.extend(card_markdown(message.card, updated=message.replaces_card))
    return title_of(message), "\n".join(lines).strip()


def card_markdown(card: Card, *, updated: bool = False) -> list[str]:
    lines = [f"#### {card.title}" + ("（已更新）" if updated else ""), ""]
    lines.extend(f"- **{label}**：{value}" for label, value in card.fields)
    if card.note:
        lines.extend(["", f"> {card.note}"])
    commands = [b.command for b in card.buttons if b.command]
    if commands:
        lines.extend(["", "回复以下指令办理：" + " ｜ ".join(f"`{c}`" for c in commands)])
    return lines


def title_of(message: Outgoing) -> str:
    first = (message.card.title if message.card else message.text).strip().splitlines()
    title = first[0] if first else "清河吹哨"
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def session_body(message: Outgoing, mention_ids: list[str]) -> dict[str, object]:
    """A sessionWebhook body (the custom-robot schema, reference §3.1)."""
    title, text = markdown(message, mention_ids)
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": text},
        "at": {"atUserIds": mention_ids, "isAtAll": False},
    }


def openapi_params(message: Outgoing, mention_ids: list[str]) -> tuple[str, dict[str, str]]:
    """(msgKey, msgParam) for robot/groupMessages/send and oToMessages/batchSend."""
    title, text = markdown(message, mention_ids)
    return "sampleMarkdown", {"title": title, "text": text}


def card_params(message: Outgoing) -> dict[str, str]:
    """The template's variables; every value a string (complex ones JSON-encoded)."""
    card = message.card
    if card is None:
        msg = "card_params needs a card"
        raise ValueError(msg)
    return {
        "title": card.title,
        "text": message.text,
        "status": message.case_status or "",
        "case": message.case_number or "",
        "fields": json.dumps([list(f) for f in card.fields], ensure_ascii=False),
        "note": card.note,
        "buttons": json.dumps(
            [{"label": b.label, "action": b.action} for b in card.buttons], ensure_ascii=False
        ),
    }


def _paragraphs(text: str) -> list[str]:
    """Markdown needs a blank line or two trailing spaces to break a line; use the latter."""
    return [line + "  " if line else "" for line in text.splitlines()]
