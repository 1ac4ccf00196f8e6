"""One inbound event being handled: who sent it, where, when, and what goes out in reply.

A `Turn` lives inside one database transaction. Handlers add outgoing messages to it; the core
writes them to the outbox in the same transaction as the case changes, so a reply is never
sent for a change that was rolled back, and never lost for one that was committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from classifier.engine import Classifier
from handlers.case_view import CaseView
from handlers.messages import Card, Outgoing
from models.organisation import Conversation
from models.repositories.cases import CaseRepository
from models.repositories.organisation import OrganisationRepository, PersonView

Clock = Callable[[], datetime]
"""Returns the current aware UTC time; tests and `whistle chat` pass a clock they can move."""


@dataclass(frozen=True, slots=True)
class Services:
    """What the core needs besides the database: the model and the time."""

    classifier: Classifier | None
    clock: Clock


@dataclass(slots=True)
class Turn:
    session: AsyncSession
    services: Services
    channel: str
    now: datetime
    actor: PersonView | None
    conversation: Conversation | None
    out: list[Outgoing] = field(default_factory=list)
    # The chat's id on the platform, as the event named it (even when it is bound to nothing).
    platform_conversation: str | None = None

    @property
    def cases(self) -> CaseRepository:
        return CaseRepository(self.session)

    @property
    def organisation(self) -> OrganisationRepository:
        return OrganisationRepository(self.session)

    @property
    def here(self) -> str | None:
        return self.conversation.id if self.conversation else None

    def reply(self, text: str, *, view: CaseView | None = None, card: Card | None = None) -> None:
        """Answer in the conversation the event came from."""
        if self.here is not None:
            self.send(self.here, text, view=view, card=card)

    def send(
        self,
        conversation_id: str | None,
        text: str,
        *,
        view: CaseView | None = None,
        card: Card | None = None,
        mentions: tuple[str, ...] = (),
        card_key: str | None = None,
        replaces_card: bool = False,
    ) -> None:
        if conversation_id is None:
            return
        self.out.append(
            Outgoing(
                conversation=conversation_id,
                text=text,
                card=card,
                mentions=mentions,
                case_number=view.number if view else None,
                case_status=view.status.label if view else None,
                card_key=card_key,
                replaces_card=replaces_card,
            )
        )
