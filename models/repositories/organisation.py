"""People, their roles and the chat groups the bot sits in.

Importing resolves the names in `people.csv` and `conversations.csv` against the townships,
villages and departments the list import stored; anything unknown is reported with its row and
nothing is written (the caller owns the transaction).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.lifecycle import Role
from models.list_source.records import ImportProblem
from models.org_source import (
    CONVERSATIONS_FILE,
    PEOPLE_FILE,
    OrganisationContent,
    RoleRecord,
)
from models.organisation import (
    Conversation,
    ConversationBinding,
    ConversationPurpose,
    Department,
    Person,
    PersonIdentity,
    PersonRole,
    Township,
    Village,
)


class OrganisationImportError(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.describe() for p in problems))


@dataclass(frozen=True, slots=True)
class RoleScope:
    """One role a person holds, with the ids of the area or department it covers."""

    role: Role
    township_id: int | None = None
    village_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as the conversation core needs them: who, what roles, which home chat."""

    id: str
    name: str
    roles: tuple[RoleScope, ...]
    home_conversation_id: str | None


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def bind_conversation(
        self, conversation_id: str, channel: str, platform_id: str
    ) -> None:
        """Point `conversation_id` at `platform_id` on `channel`; a binding of that platform
        chat to another group is removed (one chat is one group)."""
        await self.session.execute(
            delete(ConversationBinding).where(
                ConversationBinding.channel == channel,
                or_(
                    ConversationBinding.platform_id == platform_id,
                    ConversationBinding.conversation_id == conversation_id,
                ),
            )
        )
        self.session.add(
            ConversationBinding(
                conversation_id=conversation_id, channel=channel, platform_id=platform_id
            )
        )
        await self.session.flush()

    async def directory(self) -> list[dict[str, object]]:
        """Everyone active, with roles in words and the platform ids of them and their home
        chat: what `whistle org show` prints."""
        people = list(
            await self.session.scalars(
                select(Person)
                .where(Person.active.is_(True))
                .options(selectinload(Person.roles))
                .order_by(Person.id)
            )
        )
        townships = dict((await self.session.execute(select(Township.id, Township.name))).all())
        villages = dict((await self.session.execute(select(Village.id, Village.name))).all())
        departments = dict(
            (await self.session.execute(select(Department.id, Department.code))).all()
        )
        conversations = {c.id: c for c in await self.session.scalars(select(Conversation))}
        user_ids: dict[str, dict[str, str]] = {}
        for person_id, channel, user in await self.session.execute(
            select(
                PersonIdentity.person_id, PersonIdentity.channel, PersonIdentity.platform_user_id
            )
        ):
            user_ids.setdefault(person_id, {})[channel] = user
        chat_ids: dict[str, dict[str, str]] = {}
        for conversation_id, channel, platform in await self.session.execute(
            select(
                ConversationBinding.conversation_id,
                ConversationBinding.channel,
                ConversationBinding.platform_id,
            )
        ):
            chat_ids.setdefault(conversation_id, {})[channel] = platform

        def scope(role: PersonRole) -> str:
            if role.department_id is not None:
                return departments.get(role.department_id, "")
            place = townships.get(role.township_id, "") if role.township_id else ""
            if role.village_id is not None:
                place += "/" + villages.get(role.village_id, "")
            return place

        entries: list[dict[str, object]] = []
        for person in people:
            home = conversations.get(person.home_conversation_id or "")
            entries.append(
                {
                    "id": person.id,
                    "name": person.name,
                    "roles": [
                        f"{r.role.value}:{scope(r)}" if scope(r) else r.role.value
                        for r in person.roles
                    ],
                    "platform_user_ids": user_ids.get(person.id, {}),
                    "home_conversation": None
                    if home is None
                    else {
                        "id": home.id,
                        "title": home.title,
                        "platform_ids": chat_ids.get(home.id, {}),
                    },
                }
            )
        return entries

    async def bound_count(self, channel: str) -> int:
        """Conversations with an id on `channel`."""
        statement = select(func.count(ConversationBinding.id)).where(
            ConversationBinding.channel == channel
        )
        return await self.session.scalar(statement) or 0

    async def people_count(self) -> int:
        return await self.session.scalar(select(func.count(Person.id))) or 0

    async def import_content(
        self,
        content: OrganisationContent,
        *,
        channel: str,
        conversation_prefix: str = "",
        bind_conversations: bool = True,
    ) -> None:
        """Upsert conversations and people, and bind them on `channel` under their own ids
        (conversations as `conversation_prefix` + id: the demo's DingTalk groups are `cid-…`).
        Without `bind_conversations` only people are bound: a real DingTalk group's id is
        opaque and comes from `绑定本群` in that group.

        A person's roles are replaced as a whole; people missing from the file are marked
        inactive (cases still point at them).
        """
        townships = {t.name: t for t in await self.session.scalars(select(Township))}
        villages = {
            (v.township_id, v.name): v for v in await self.session.scalars(select(Village))
        }
        departments = {d.code: d for d in await self.session.scalars(select(Department))}
        problems: list[ImportProblem] = []

        def area(
            source: str, township: str | None, village: str | None
        ) -> tuple[int | None, int | None]:
            if township is None:
                return None, None
            found = townships.get(township)
            if found is None:
                problems.append(ImportProblem(source, None, "township", f"镇街“{township}”不存在"))
                return None, None
            if village is None:
                return found.id, None
            place = villages.get((found.id, village))
            if place is None:
                reason = f"{township}没有“{village}”"
                problems.append(ImportProblem(source, None, "village", reason))
                return found.id, None
            return found.id, place.id

        def department(source: str, code: str | None) -> int | None:
            if code is None:
                return None
            found = departments.get(code)
            if found is None:
                problems.append(ImportProblem(source, None, "department", f"部门“{code}”不存在"))
                return None
            return found.id

        existing_conversations = {
            c.id: c for c in await self.session.scalars(select(Conversation))
        }
        for record in content.conversations:
            township_id, village_id = area(CONVERSATIONS_FILE, record.township, record.village)
            conversation = existing_conversations.get(record.id) or Conversation(id=record.id)
            conversation.title = record.title
            conversation.purpose = record.purpose
            conversation.township_id = township_id
            conversation.village_id = village_id
            conversation.department_id = department(CONVERSATIONS_FILE, record.department)
            self.session.add(conversation)
        role_rows: list[tuple[str, RoleRecord, int | None, int | None, int | None]] = []
        for person in content.people:
            for role in person.roles:
                township_id, village_id = area(PEOPLE_FILE, role.township, role.village)
                department_id = department(PEOPLE_FILE, role.department)
                role_rows.append((person.id, role, township_id, village_id, department_id))
        if problems:
            raise OrganisationImportError(problems)
        await self.session.flush()
        if bind_conversations:
            await self._bind_conversations(
                [c.id for c in content.conversations], channel, conversation_prefix
            )
        await self._upsert_people(content, role_rows, channel)

    async def _bind_conversations(self, ids: list[str], channel: str, prefix: str) -> None:
        bound = set(
            await self.session.scalars(
                select(ConversationBinding.conversation_id).where(
                    ConversationBinding.channel == channel
                )
            )
        )
        self.session.add_all(
            ConversationBinding(conversation_id=cid, channel=channel, platform_id=prefix + cid)
            for cid in ids
            if cid not in bound
        )

    async def _upsert_people(
        self,
        content: OrganisationContent,
        role_rows: list[tuple[str, RoleRecord, int | None, int | None, int | None]],
        channel: str,
    ) -> None:
        statement = select(Person).options(selectinload(Person.roles))
        existing = {p.id: p for p in await self.session.scalars(statement)}
        identities = set(
            await self.session.scalars(
                select(PersonIdentity.person_id).where(PersonIdentity.channel == channel)
            )
        )
        incoming = {p.id for p in content.people}
        for person in existing.values():
            if person.id not in incoming:
                person.active = False
        for record in content.people:
            person = existing.get(record.id)
            if person is None:
                person = Person(id=record.id, roles=[])
                self.session.add(person)
            person.name = record.name
            person.home_conversation_id = record.home_conversation
            person.active = True
            person.roles.clear()
        await self.session.flush()
        by_id = {p.id: p for p in await self.session.scalars(statement)}
        for person_id, role, township_id, village_id, department_id in role_rows:
            by_id[person_id].roles.append(
                PersonRole(
                    role=role.role,
                    township_id=township_id,
                    village_id=village_id,
                    department_id=department_id,
                )
            )
        self.session.add_all(
            PersonIdentity(person_id=p.id, channel=channel, platform_user_id=p.id)
            for p in content.people
            if p.id not in identities
        )
        await self.session.flush()

    async def person_by_platform_user(self, channel: str, user_id: str) -> PersonView | None:
        statement = (
            select(Person)
            .join(PersonIdentity)
            .where(
                PersonIdentity.channel == channel,
                PersonIdentity.platform_user_id == user_id,
                Person.active,
            )
            .options(selectinload(Person.roles))
        )
        person = (await self.session.scalars(statement)).first()
        return None if person is None else _view(person)

    async def person(self, person_id: str) -> PersonView | None:
        statement = (
            select(Person).where(Person.id == person_id).options(selectinload(Person.roles))
        )
        person = (await self.session.scalars(statement)).first()
        return None if person is None else _view(person)

    async def conversation_by_platform_id(
        self, channel: str, platform_id: str
    ) -> Conversation | None:
        statement = (
            select(Conversation)
            .join(ConversationBinding)
            .where(
                ConversationBinding.channel == channel,
                ConversationBinding.platform_id == platform_id,
            )
        )
        return (await self.session.scalars(statement)).first()

    async def private_conversation(
        self, person: PersonView, channel: str, platform_id: str
    ) -> Conversation:
        """The person's 1:1 chat with the bot, created the first time they write to it there,
        and bound to the platform's id for that chat."""
        conversation_id = f"dm-{person.id}"
        conversation = await self.session.get(Conversation, conversation_id)
        if conversation is None:
            conversation = Conversation(
                id=conversation_id,
                title=f"{person.name}（单聊）",
                purpose=ConversationPurpose.PRIVATE,
                person_id=person.id,
            )
            self.session.add(conversation)
            await self.session.flush()
        await self.bind_conversation(conversation_id, channel, platform_id)
        return conversation

    async def private_recipients(
        self, conversation_ids: Collection[str], channel: str
    ) -> dict[str, str]:
        """Private chat id → its person's user id on `channel` (to write without a webhook)."""
        if not conversation_ids:
            return {}
        rows = await self.session.execute(
            select(Conversation.id, PersonIdentity.platform_user_id)
            .join(PersonIdentity, PersonIdentity.person_id == Conversation.person_id)
            .where(
                Conversation.id.in_(list(conversation_ids)),
                Conversation.purpose == ConversationPurpose.PRIVATE,
                PersonIdentity.channel == channel,
            )
        )
        return dict(rows.all())

    async def conversation(self, conversation_id: str) -> Conversation | None:
        return await self.session.get(Conversation, conversation_id)

    async def platform_conversation_ids(
        self, conversation_ids: Collection[str], channel: str
    ) -> dict[str, str]:
        """Our conversation id → its id on `channel`, for those that are bound there."""
        if not conversation_ids:
            return {}
        rows = await self.session.execute(
            select(ConversationBinding.conversation_id, ConversationBinding.platform_id).where(
                ConversationBinding.conversation_id.in_(list(conversation_ids)),
                ConversationBinding.channel == channel,
            )
        )
        return dict(rows.all())

    async def platform_user_ids(self, person_ids: Collection[str], channel: str) -> dict[str, str]:
        """Our person id → the person's user id on `channel`, for those who have one."""
        if not person_ids:
            return {}
        rows = await self.session.execute(
            select(PersonIdentity.person_id, PersonIdentity.platform_user_id).where(
                PersonIdentity.person_id.in_(list(person_ids)), PersonIdentity.channel == channel
            )
        )
        return dict(rows.all())

    async def first_conversation(
        self,
        purpose: ConversationPurpose,
        *,
        township_id: int | None = None,
        village_id: int | None = None,
        department_id: int | None = None,
    ) -> Conversation | None:
        """The group serving an area or department (the oldest one, if there are several)."""
        statement = select(Conversation).where(Conversation.purpose == purpose)
        if township_id is not None:
            statement = statement.where(Conversation.township_id == township_id)
        if village_id is not None:
            statement = statement.where(Conversation.village_id == village_id)
        if department_id is not None:
            statement = statement.where(Conversation.department_id == department_id)
        statement = statement.order_by(Conversation.created_at, Conversation.id).limit(1)
        return (await self.session.scalars(statement)).first()

    async def holders(
        self,
        role: Role,
        *,
        township_id: int | None = None,
        department_id: int | None = None,
    ) -> list[str]:
        """Ids of active people holding `role` in the scope: whom to @-mention."""
        statement = (
            select(Person.id)
            .join(PersonRole)
            .where(PersonRole.role == role, Person.active)
            .order_by(Person.id)
        )
        if township_id is not None:
            statement = statement.where(PersonRole.township_id == township_id)
        if department_id is not None:
            statement = statement.where(PersonRole.department_id == department_id)
        return list(dict.fromkeys(await self.session.scalars(statement)))

    async def people_names(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))
        return dict(rows.all())


def _view(person: Person) -> PersonView:
    return PersonView(
        id=person.id,
        name=person.name,
        roles=tuple(
            RoleScope(r.role, r.township_id, r.village_id, r.department_id) for r in person.roles
        ),
        home_conversation_id=person.home_conversation_id,
    )
