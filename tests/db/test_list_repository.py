"""Storing list versions on SQLite and PostgreSQL: atomic, deduplicated, history kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.case import AppendOnlyViolation, Case, CaseEventRecord
from models.db import make_engine, make_sessionmaker
from models.lifecycle import CaseStatus, Role
from models.list_source import ListContent, load_list_source
from models.organisation import Department, DepartmentAlias, Township, Village
from models.repositories.lists import ImportOutcome, ListRepository
from models.responsibility import ItemCooperation, ListItem, ListVersion
from tests.support.list_files import copy_list, set_cell


@pytest.fixture
async def sessions(migrated_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(migrated_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


def content_of(path: Path) -> ListContent:
    content = load_list_source(path)
    assert isinstance(content, ListContent)
    return content


async def import_(
    sessions: async_sessionmaker[AsyncSession], content: ListContent
) -> ImportOutcome:
    async with sessions.begin() as session:
        return await ListRepository(session).import_content(content, source="test")


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_import_stores_items_departments_and_townships(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path
) -> None:
    outcome = await import_(sessions, content_of(demo_county))
    assert not outcome.unchanged
    async with sessions() as session:
        assert await count(session, ListVersion) == 1
        assert await count(session, ListItem) == 127
        assert await count(session, Department) == 29
        assert await count(session, Township) == 8
        assert await count(session, Village) == 50
        assert await count(session, DepartmentAlias) > 29
        repository = ListRepository(session)
        item = await repository.item("D04-002")
        assert item is not None
        assert item.lead_department == "县综合行政执法局"
        assert item.cooperating_departments == ("县市场监督管理局",)
        basic = [i for i in await session.scalars(select(ListItem)) if i.kind.value == "基本履职"]
        assert len(basic) == 19
        assert all(i.lead_department_id is None for i in basic)
        counts = await repository.item_counts(outcome.version.id)
        assert counts[("生态环境", "配合履职")] == 8
        assert (await repository.domains_in_order(outcome.version.id))[0] == "生态环境"


async def test_identical_content_is_unchanged_and_creates_nothing(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path
) -> None:
    first = await import_(sessions, content_of(demo_county))
    again = await import_(sessions, content_of(demo_county))
    assert again.unchanged
    assert again.version.id == first.version.id
    async with sessions() as session:
        assert await count(session, ListVersion) == 1
        assert await count(session, ListItem) == 127


async def test_changed_list_is_a_new_version_and_old_items_stay(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path, tmp_path: Path
) -> None:
    first = await import_(sessions, content_of(demo_county))
    edited = copy_list(demo_county, tmp_path / "v2")
    set_cell(edited, "responsibility_list", "D04-002", "lead_department", "县市场监督管理局")
    set_cell(edited, "responsibility_list", "D04-002", "cooperating_departments", "")
    set_cell(edited, "departments", "DEPT02", "aliases", "环保局;环保")
    second = await import_(sessions, content_of(edited))
    assert second.version.id != first.version.id
    async with sessions() as session:
        repository = ListRepository(session)
        current = await repository.current_version()
        assert current is not None
        assert current.id == second.version.id
        now = await repository.item("D04-002")
        then = await repository.item("D04-002", first.version.id)
        assert now is not None
        assert then is not None
        assert now.lead_department == "县市场监督管理局"
        assert then.lead_department == "县综合行政执法局"
        assert await count(session, ListItem) == 254
        aliases = await session.scalars(
            select(DepartmentAlias.alias).join(Department).where(Department.code == "DEPT02")
        )
        assert sorted(aliases) == ["环保", "环保局"]


async def test_removed_department_is_retired_not_deleted(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path, tmp_path: Path
) -> None:
    await import_(sessions, content_of(demo_county))
    edited = copy_list(demo_county, tmp_path / "v2")
    # DEPT01 (the dispatch centre) leads and cooperates on nothing: it can be dropped.
    rows = (edited / "departments.csv").read_text(encoding="utf-8").splitlines()
    (edited / "departments.csv").write_text(
        "\n".join(r for r in rows if not r.startswith("DEPT01,")) + "\n", encoding="utf-8"
    )
    await import_(sessions, content_of(edited))
    async with sessions() as session:
        centre = await session.scalar(select(Department).where(Department.code == "DEPT01"))
        assert centre is not None
        assert not centre.active
        assert centre.name == "县社会治理指挥中心"
        counts = await ListRepository(session).organisation_counts()
        assert sum(counts.departments_by_kind.values()) == 28


async def test_a_failing_import_leaves_no_trace(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path
) -> None:
    """If the database refuses anything mid-import, the transaction leaves nothing behind."""
    content = content_of(demo_county)
    # Two items with one code pass no validation, but would violate the unique constraint:
    # the repository must not have written the departments, townships or version before it.
    broken = ListContent(
        departments=content.departments,
        townships=content.townships,
        items=(*content.items, content.items[0]),
    )
    with pytest.raises(IntegrityError):
        await import_(sessions, broken)
    async with sessions() as session:
        for model in (ListVersion, ListItem, ItemCooperation, Department, Township, Village):
            assert await count(session, model) == 0


async def test_case_events_are_append_only(
    sessions: async_sessionmaker[AsyncSession], demo_county: Path
) -> None:
    outcome = await import_(sessions, content_of(demo_county))
    async with sessions.begin() as session:
        case = Case(
            seq=1,
            number="QH-20261123-0001",
            original_text="路灯坏了",
            list_version_id=outcome.version.id,
        )
        session.add(case)
        await session.flush()
        session.add(
            CaseEventRecord(
                case_id=case.id,
                actor_role=Role.SYSTEM,
                kind="reported",
                to_status=CaseStatus.REPORTED,
            )
        )
    async with sessions() as session:
        event = await session.scalar(select(CaseEventRecord))
        assert event is not None
        event.kind = "edited"
        with pytest.raises(AppendOnlyViolation):
            await session.flush()
        await session.rollback()
        event = await session.scalar(select(CaseEventRecord))
        await session.delete(event)
        with pytest.raises(AppendOnlyViolation):
            await session.flush()


async def test_foreign_keys_are_enforced(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            session.add(Village(township_id=999, name="不存在的镇的村"))
