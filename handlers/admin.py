"""Setup done in chat by an administrator: binding a platform group to a group of the county."""

from __future__ import annotations

import logging

from handlers import copy
from handlers.commands import Command
from handlers.permissions import holds_anywhere
from handlers.turn import Turn
from models.lifecycle import Role

log = logging.getLogger(__name__)


async def bind_group(turn: Turn, command: Command) -> None:
    """`绑定本群 tg-T02`: from now on this chat is that group (on this platform)."""
    actor = turn.actor
    if actor is None or not holds_anywhere(actor, Role.ADMIN):
        log.info("refused group binding by %s", actor.id if actor else "an unregistered user")
        turn.reply(copy.ADMIN_ONLY)
        return
    platform_id = turn.platform_conversation
    target = await turn.organisation.conversation(command.text)
    if target is None or not platform_id:
        turn.reply(copy.unknown_group(command.text))
        return
    await turn.organisation.bind_conversation(target.id, turn.channel, platform_id)
    log.info("%s bound %s on %s to %s", actor.id, platform_id, turn.channel, target.id)
    turn.conversation = target  # the answer goes to the chat just bound
    turn.reply(copy.group_bound(target.title, target.id))
