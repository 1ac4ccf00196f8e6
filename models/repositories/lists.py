"""Storing and reading responsibility-list versions, and the organisation they carry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.list_source import TOWNSHIP_LEAD, ItemRecord, ListContent
from models.organisation import (
    Department,
    DepartmentAlias,
    DepartmentKind,
    Township,
    TownshipKind,
    Village,
)
from models.responsibility import ItemCooperation, ItemKind, ListItem, ListVersion


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    version: ListVersion
    unchanged: bool


@dataclass(frozen=True, slots=True)
class OrganisationCounts:
    departments_by_kind: dict[str, int]
    townships: int
    villages: int


class ListRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current_version(self) -> ListVersion | None:
        statement = select(ListVersion).order_by(ListVersion.id.desc()).limit(1)
        return (await self.session.scalars(statement)).first()

    async def version_count(self) -> int:
        return await self.session.scalar(select(func.count(ListVersion.id))) or 0

    async def import_content(self, content: ListContent, *, source: str) -> ImportOutcome:
        """Store `content` as a new version unless it equals the current one.

        The caller owns the transaction: this only adds to the session, so a failure anywhere
        leaves the database as it was.
        """
        content_hash = content.content_hash()
        current = await self.current_version()
        if current is not None and current.content_hash == content_hash:
            return ImportOutcome(version=current, unchanged=True)
        departments = await self._upsert_departments(content)
        await self._upsert_townships(content)
        version = ListVersion(
            content_hash=content_hash, source=source, item_count=len(content.items)
        )
        self.session.add(version)
        for position, record in enumerate(content.items):
            lead = None if record.lead_department == TOWNSHIP_LEAD else record.lead_department
            item = ListItem(
                version=version,
                position=position,
                code=record.code,
                domain=record.domain,
                name=record.name,
                description=record.description,
                kind=ItemKind(record.kind),
                lead_department_id=departments[lead].id if lead else None,
                township_duty=record.township_duty,
                county_duty=record.county_duty,
                legal_basis=list(record.legal_basis),
                response_hours=record.response_hours,
                resolve_days=record.resolve_days,
                standard=record.standard,
                keywords=list(record.keywords),
            )
            item.cooperations = [
                ItemCooperation(department_id=departments[name].id, position=index)
                for index, name in enumerate(record.cooperating_departments)
            ]
            self.session.add(item)
        await self.session.flush()
        return ImportOutcome(version=version, unchanged=False)

    async def _upsert_departments(self, content: ListContent) -> dict[str, Department]:
        existing = {d.code: d for d in await self.session.scalars(select(Department))}
        # Aliases are rewritten as a whole; delete first and flush, because an alias kept
        # across imports would otherwise be inserted before its old row is deleted.
        await self.session.execute(delete(DepartmentAlias))
        incoming = {record.code for record in content.departments}
        for department in existing.values():
            if department.code not in incoming:
                department.active = False
        await self.session.flush()
        by_name: dict[str, Department] = {}
        for record in content.departments:
            department = existing.get(record.code)
            if department is None:
                department = Department(code=record.code)
                self.session.add(department)
            department.name = record.name
            department.short_name = record.short_name
            department.kind = DepartmentKind(record.kind)
            department.active = True
            by_name[record.name] = department
        await self.session.flush()
        for record in content.departments:
            self.session.add_all(
                DepartmentAlias(department_id=by_name[record.name].id, alias=alias, position=i)
                for i, alias in enumerate(record.aliases)
            )
        return by_name

    async def _upsert_townships(self, content: ListContent) -> None:
        statement = select(Township).options(selectinload(Township.villages))
        existing = {t.code: t for t in await self.session.scalars(statement)}
        incoming = {record.code for record in content.townships}
        for township in existing.values():
            if township.code not in incoming:
                township.active = False
        await self.session.flush()
        for record in content.townships:
            township = existing.get(record.code)
            if township is None:
                township = Township(code=record.code, villages=[])
                self.session.add(township)
            township.name = record.name
            township.kind = TownshipKind(record.kind)
            township.active = True
            villages = {village.name: village for village in township.villages}
            for position, name in enumerate(record.villages):
                village = villages.get(name)
                if village is None:
                    village = Village(name=name)
                    township.villages.append(village)
                village.position = position
                village.active = True
            for name, village in villages.items():
                if name not in record.villages:
                    village.active = False
        await self.session.flush()

    async def item_counts(self, version_id: int) -> Counter[tuple[str, str]]:
        """Items per (domain, kind) in one version."""
        statement = (
            select(ListItem.domain, ListItem.kind, func.count(ListItem.id))
            .where(ListItem.version_id == version_id)
            .group_by(ListItem.domain, ListItem.kind)
        )
        rows = await self.session.execute(statement)
        return Counter({(domain, str(kind)): count for domain, kind, count in rows})

    async def domains_in_order(self, version_id: int) -> list[str]:
        """Domains in the order the list first mentions them."""
        statement = (
            select(ListItem.domain, func.min(ListItem.position))
            .where(ListItem.version_id == version_id)
            .group_by(ListItem.domain)
            .order_by(func.min(ListItem.position))
        )
        return [domain for domain, _ in await self.session.execute(statement)]

    async def organisation_counts(self) -> OrganisationCounts:
        kinds = await self.session.execute(
            select(Department.kind, func.count(Department.id))
            .where(Department.active)
            .group_by(Department.kind)
        )
        townships = await self.session.scalar(
            select(func.count(Township.id)).where(Township.active)
        )
        villages = await self.session.scalar(
            select(func.count(Village.id)).join(Township).where(Village.active, Township.active)
        )
        return OrganisationCounts(
            departments_by_kind={str(kind): count for kind, count in kinds},
            townships=townships or 0,
            villages=villages or 0,
        )

    async def item(self, code: str, version_id: int | None = None) -> ItemRecord | None:
        """An item of the given version (default: the current one), by code."""
        if version_id is None:
            current = await self.current_version()
            if current is None:
                return None
            version_id = current.id
        statement = (
            select(ListItem)
            .where(ListItem.version_id == version_id, ListItem.code == code)
            .options(
                selectinload(ListItem.lead_department),
                selectinload(ListItem.cooperations).selectinload(ItemCooperation.department),
            )
        )
        item = (await self.session.scalars(statement)).first()
        return None if item is None else _record(item)

    async def items(self, version_id: int) -> list[ItemRecord]:
        """Every item of a version, in list order."""
        statement = (
            select(ListItem)
            .where(ListItem.version_id == version_id)
            .order_by(ListItem.position)
            .options(
                selectinload(ListItem.lead_department),
                selectinload(ListItem.cooperations).selectinload(ItemCooperation.department),
            )
        )
        return [_record(item) for item in await self.session.scalars(statement)]

    async def active_departments(self) -> list[Department]:
        """Active departments with their aliases loaded."""
        statement = (
            select(Department)
            .where(Department.active)
            .order_by(Department.code)
            .options(selectinload(Department.aliases))
        )
        return list(await self.session.scalars(statement))

    async def place_names(self) -> list[str]:
        """Names of active townships and their active villages."""
        townships = await self.session.scalars(select(Township.name).where(Township.active))
        villages = await self.session.scalars(
            select(Village.name).join(Township).where(Village.active, Township.active)
        )
        return [*townships, *villages]

    async def codes(self, version_id: int) -> list[str]:
        statement = (
            select(ListItem.code)
            .where(ListItem.version_id == version_id)
            .order_by(ListItem.position)
        )
        return list(await self.session.scalars(statement))


def _record(item: ListItem) -> ItemRecord:
    """An item as the list source describes it: the one shape every reader of items shares."""
    return ItemRecord(
        code=item.code,
        domain=item.domain,
        name=item.name,
        description=item.description,
        kind=str(item.kind),
        lead_department=item.lead_department.name if item.lead_department else TOWNSHIP_LEAD,
        cooperating_departments=tuple(c.department.name for c in item.cooperations),
        township_duty=item.township_duty,
        county_duty=item.county_duty,
        legal_basis=tuple(item.legal_basis),
        response_hours=item.response_hours,
        resolve_days=item.resolve_days,
        standard=item.standard,
        keywords=tuple(item.keywords),
    )
