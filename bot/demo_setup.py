"""Loading the demo county (list and organisation) into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.paths import demo_county_dir
from models.list_source import ListContent, load_list_source
from models.org_source import OrganisationContent, load_organisation
from models.repositories.lists import ListRepository
from models.repositories.organisation import OrganisationRepository

DEMO_SOURCE = "清河县示例数据（内置）"
# The demo's platform ids: people keep their own id everywhere; DingTalk groups are `cid-<id>`.
DEMO_CONVERSATION_PREFIX = {"dingtalk": "cid-"}


@dataclass(frozen=True, slots=True)
class DemoLoad:
    list_imported: bool
    organisation_imported: bool


def demo_organisation() -> OrganisationContent:
    content = load_organisation(demo_county_dir())
    if not isinstance(content, OrganisationContent):  # pragma: no cover - shipped data is tested
        msg = "shipped demo organisation is invalid: " + "; ".join(p.describe() for p in content)
        raise RuntimeError(msg)
    return content


def demo_list() -> ListContent:
    content = load_list_source(demo_county_dir())
    if not isinstance(content, ListContent):  # pragma: no cover - shipped data is tested
        msg = "shipped demo county data is invalid: " + "; ".join(p.describe() for p in content)
        raise RuntimeError(msg)
    return content


async def ensure_demo_county(session: AsyncSession, *, channels: tuple[str, ...]) -> DemoLoad:
    """Import the demo list when no list exists and the demo people when nobody exists.

    A database that already holds a county's own list or people is left alone.
    """
    lists = ListRepository(session)
    list_imported = False
    if await lists.current_version() is None:
        await lists.import_content(demo_list(), source=DEMO_SOURCE)
        list_imported = True
    organisation = OrganisationRepository(session)
    organisation_imported = False
    if await organisation.people_count() == 0:
        content = demo_organisation()
        for channel in channels:
            await organisation.import_content(
                content,
                channel=channel,
                conversation_prefix=DEMO_CONVERSATION_PREFIX.get(channel, ""),
            )
        organisation_imported = True
    return DemoLoad(list_imported, organisation_imported)


async def bind_demo_organisation(session: AsyncSession, channel: str) -> bool:
    """Give the demo people and groups their ids on `channel` (DingTalk: `cid-<id>`) when the
    database holds the demo county and nothing is bound on that channel yet.

    A county's own organisation is never touched: this only acts on the shipped demo list.
    """
    version = await ListRepository(session).current_version()
    if version is None or version.content_hash != demo_list().content_hash():
        return False
    organisation = OrganisationRepository(session)
    if await organisation.bound_count(channel) > 0:
        return False
    await organisation.import_content(
        demo_organisation(),
        channel=channel,
        conversation_prefix=DEMO_CONVERSATION_PREFIX.get(channel, ""),
    )
    return True
