"""A case with the names around it (item, township, village, departments), read once per action.

Messages and permission checks need the names and scopes, not the ORM relations; loading them
here keeps the wording code pure and the number of queries small and predictable.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from handlers.permissions import CaseScope
from models.case import Case
from models.lifecycle import CaseStatus
from models.organisation import Department, Person, Township, Village
from models.repositories.cases import short_number
from models.responsibility import ItemCooperation, ItemKind, ListItem


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    code: str
    name: str
    kind: ItemKind
    lead_department_id: int | None
    lead_department: str | None  # None: the township handles it (基本履职)
    cooperating: tuple[tuple[int, str], ...]  # (department id, name)
    response_hours: int
    resolve_days: int
    standard: bool

    @property
    def cooperating_names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.cooperating)


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Case
    item: ItemView | None
    township: str | None
    village: str | None
    reporter: str | None
    lead_department: str | None  # the department the case is with now

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def short(self) -> str:
        return short_number(self.case.seq)

    @property
    def status(self) -> CaseStatus:
        return self.case.status

    @property
    def place(self) -> str:
        return "".join(part for part in (self.township, self.village) if part) or "（地点未知）"

    @property
    def scope(self) -> CaseScope:
        return CaseScope(
            township_id=self.case.township_id,
            village_id=self.case.village_id,
            department_id=self.case.lead_department_id,
            reporter_id=self.case.reporter_id,
        )


# List items never change once imported (a re-import makes a new version with new rows), so
# their views are cached for the process: a report ranks several items, and loading each from
# the database was most of the time a report took.
_ITEM_CACHE_SIZE = 4096
_items: dict[int, ItemView] = {}
_item_ids: dict[tuple[int, str], int | None] = {}


async def load_item(session: AsyncSession, item_id: int) -> ItemView | None:
    cached = _items.get(item_id)
    if cached is not None:
        return cached
    statement = (
        select(ListItem)
        .where(ListItem.id == item_id)
        .options(
            selectinload(ListItem.lead_department),
            selectinload(ListItem.cooperations).selectinload(ItemCooperation.department),
        )
    )
    item = (await session.scalars(statement)).first()
    if item is None:
        return None
    view = _item_view(item)
    if len(_items) >= _ITEM_CACHE_SIZE:
        _items.clear()
    _items[item_id] = view
    return view


async def load_item_by_code(session: AsyncSession, code: str, version_id: int) -> ItemView | None:
    key = (version_id, code)
    if key not in _item_ids:
        if len(_item_ids) >= _ITEM_CACHE_SIZE:
            _item_ids.clear()
        _item_ids[key] = await session.scalar(
            select(ListItem.id).where(ListItem.version_id == version_id, ListItem.code == code)
        )
    item_id = _item_ids[key]
    return None if item_id is None else await load_item(session, item_id)


def _item_view(item: ListItem) -> ItemView:
    lead = item.lead_department
    return ItemView(
        id=item.id,
        code=item.code,
        name=item.name,
        kind=item.kind,
        lead_department_id=lead.id if lead else None,
        lead_department=lead.name if lead else None,
        cooperating=tuple((c.department.id, c.department.name) for c in item.cooperations),
        response_hours=item.response_hours,
        resolve_days=item.resolve_days,
        standard=item.standard,
    )


async def load_case_view(session: AsyncSession, case: Case) -> CaseView:
    item = await load_item(session, case.item_id) if case.item_id else None
    township = (
        await session.scalar(select(Township.name).where(Township.id == case.township_id))
        if case.township_id
        else None
    )
    village = (
        await session.scalar(select(Village.name).where(Village.id == case.village_id))
        if case.village_id
        else None
    )
    reporter = (
        await session.scalar(select(Person.name).where(Person.id == case.reporter_id))
        if case.reporter_id
        else None
    )
    department = (
        await session.scalar(
            select(Department.name).where(Department.id == case.lead_department_id)
        )
        if case.lead_department_id
        else None
    )
    return CaseView(case, item, township, village, reporter, department)
