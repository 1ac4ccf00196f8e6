"""Drawing outgoing messages for a terminal: readable text, or one JSON object per message."""

from __future__ import annotations

from typing import Any

from handlers.messages import Card, Outgoing


def as_json(message: Outgoing, *, title: str | None = None) -> dict[str, Any]:
    """`{"conversation", "to", "text", "case", "status", "card"}`; case and status only when the
    message is about a case, card only when there is one."""
    data: dict[str, Any] = {
        "conversation": message.conversation,
        "to": list(message.mentions),
        "text": message.text,
    }
    if title:
        data["conversation_title"] = title
    if message.case_number:
        data["case"] = message.case_number
        data["status"] = message.case_status
    if message.card is not None:
        data["card"] = {
            "title": message.card.title,
            "fields": [[label, value] for label, value in message.card.fields],
            "buttons": [button.label for button in message.card.buttons],
        }
        if message.card.note:
            data["card"]["note"] = message.card.note
        if message.replaces_card:
            data["card"]["replaces"] = message.card_key
    return data


def as_text(message: Outgoing, *, title: str, names: dict[str, str]) -> str:
    """A message as a block of lines headed by the group it went to."""
    mentions = " ".join(f"@{names.get(m, m)}" for m in message.mentions)
    head = f"[{title}] 清河吹哨" + (f" {mentions}" if mentions else "")
    lines = [head]
    lines.extend(f"  {line}" for line in message.text.splitlines())
    if message.card is not None:
        lines.extend(_card_lines(message.card, updated=message.replaces_card))
    return "\n".join(lines)


_RULE = "─" * 40


def _card_lines(card: Card, *, updated: bool) -> list[str]:
    lines = [f"  ┌{_RULE}", f"  │ {card.title}" + ("（卡片已更新）" if updated else "")]
    lines.extend(f"  │ {label}：{value}" for label, value in card.fields)
    if card.note:
        lines.append(f"  │ {card.note}")
    if card.buttons:
        lines.append("  │ " + " ".join(f"【{b.label}】" for b in card.buttons))
    lines.append(f"  └{_RULE}")
    return lines
