"""Turns raw rows into `ListContent`, or into the complete list of problems.

Every row is checked even after the first problem: an official fixing a 127-row sheet wants
all the mistakes in one go, each with its row, column and reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from models.list_source.reading import RawRow, RawSource, RawTable
from models.list_source.records import (
    TOWNSHIP_LEAD,
    DepartmentRecord,
    ImportProblem,
    ItemRecord,
    ListContent,
    TownshipRecord,
)

DEPARTMENT_KINDS = ("department", "public_utility", "dispatch_center")
TOWNSHIP_KINDS = ("街道", "镇", "乡")
ITEM_KINDS = ("配合履职", "基本履职", "上级收回")
STANDARD_VALUES = {"是": True, "否": False}
MAX_CODE_LENGTH = 32

DEPARTMENT_COLUMNS = ("code", "name", "short_name", "aliases", "kind")
TOWNSHIP_COLUMNS = ("code", "name", "kind", "villages")
ITEM_COLUMNS = (
    "code",
    "domain",
    "name",
    "description",
    "kind",
    "lead_department",
    "cooperating_departments",
    "township_duty",
    "county_duty",
    "legal_basis",
    "response_hours",
    "resolve_days",
    "standard",
    "keywords",
)
# Columns that may be left empty; every other column is required.
OPTIONAL_COLUMNS = frozenset({"short_name", "aliases", "cooperating_departments", "legal_basis"})

# Users type the full-width semicolon in Excel; accept it rather than make them hunt for it.
_SEPARATOR = re.compile(r"[;；]")


def split_multi(value: str) -> tuple[str, ...]:
    """Split a `;`-separated cell, dropping blanks and surrounding spaces."""
    return tuple(part.strip() for part in _SEPARATOR.split(value) if part.strip())


class _Collector:
    """Collects problems for one table, so checks read as one line each."""

    def __init__(self, table: RawTable, problems: list[ImportProblem]) -> None:
        self.table = table
        self.problems = problems

    def add(self, row: RawRow | None, column: str | None, reason: str) -> None:
        self.problems.append(
            ImportProblem(self.table.source, row.number if row else None, column, reason)
        )

    def text(self, row: RawRow, column: str) -> str:
        value = row.cells.get(column, "").strip()
        if not value and column not in OPTIONAL_COLUMNS:
            self.add(row, column, "必填项为空")
        return value

    def choice(self, row: RawRow, column: str, allowed: Iterable[str]) -> str:
        value = self.text(row, column)
        allowed = tuple(allowed)
        if value and value not in allowed:
            self.add(row, column, f"“{value}”不是有效取值，应为：{'、'.join(allowed)}")
        return value

    def positive_int(self, row: RawRow, column: str) -> int:
        value = self.text(row, column)
        if not value:
            return 0
        try:
            number = int(value)
        except ValueError:
            self.add(row, column, f"“{value}”不是正整数（请填阿拉伯数字，如 3）")
            return 0
        if number <= 0:
            self.add(row, column, f"“{value}”不是正整数（必须大于 0）")
            return 0
        return number

    def unique(self, rows: Iterable[RawRow], column: str, what: str) -> None:
        first_seen: dict[str, int] = {}
        for row in rows:
            value = row.cells.get(column, "").strip()
            if not value:
                continue
            if value in first_seen:
                self.add(row, column, f"{what}“{value}”重复（第 {first_seen[value]} 行已出现）")
            else:
                first_seen[value] = row.number


def validate(raw: RawSource) -> ListContent | list[ImportProblem]:
    """The list content, or every problem found (file-level ones first)."""
    problems = list(raw.problems)
    tables = {
        name: table
        for name, table in raw.tables.items()
        if _check_columns(table, _COLUMNS[name], problems)
    }
    departments: tuple[DepartmentRecord, ...] = ()
    if "departments" in tables:
        departments = _departments(_Collector(tables["departments"], problems))
    townships: tuple[TownshipRecord, ...] = ()
    if "townships" in tables:
        townships = _townships(_Collector(tables["townships"], problems))
    items: tuple[ItemRecord, ...] = ()
    if "responsibility_list" in tables:
        # Without a readable department table every name would look unknown; only check
        # department references when it was read.
        known = departments if "departments" in tables else None
        items = _items(_Collector(tables["responsibility_list"], problems), known)
    if problems:
        return _in_reading_order(problems)
    return ListContent(departments=departments, townships=townships, items=items)


_COLUMNS = {
    "departments": DEPARTMENT_COLUMNS,
    "townships": TOWNSHIP_COLUMNS,
    "responsibility_list": ITEM_COLUMNS,
}


def _in_reading_order(problems: list[ImportProblem]) -> list[ImportProblem]:
    """Per file in the order met, file-level problems first, then by row: how one fixes them."""
    sources = list(dict.fromkeys(problem.source for problem in problems))
    return sorted(problems, key=lambda p: (sources.index(p.source), p.row or 0))


def _check_columns(
    table: RawTable, expected: tuple[str, ...], problems: list[ImportProblem]
) -> bool:
    collector = _Collector(table, problems)
    missing = [column for column in expected if column not in table.columns]
    if missing:
        collector.add(None, None, f"表头缺少列：{'、'.join(missing)}（第 1 行应为表头）")
    duplicated = [column for column, n in Counter(table.columns).items() if column and n > 1]
    if duplicated:
        collector.add(None, None, f"表头中这些列重复：{'、'.join(duplicated)}")
    if not table.rows:
        collector.add(None, None, "没有数据行")
    for row in table.rows:
        if "\0extra" in row.cells:
            collector.add(row, None, "这一行的单元格比表头多（是否有未加引号的逗号？）")
    return not missing and not duplicated


def _departments(check: _Collector) -> tuple[DepartmentRecord, ...]:
    rows = check.table.rows
    check.unique(rows, "code", "部门编码")
    check.unique(rows, "name", "部门名称")
    records = []
    alias_owner: dict[str, tuple[str, int]] = {}
    names = {row.cells.get("name", "").strip() for row in rows}
    for row in rows:
        name = check.text(row, "name")
        aliases = split_multi(row.cells.get("aliases", ""))
        for alias in aliases:
            if alias in names and alias != name:
                check.add(row, "aliases", f"别名“{alias}”与另一个部门的名称相同")
            owner = alias_owner.get(alias)
            if owner and owner[0] != name:
                check.add(row, "aliases", f"别名“{alias}”已属于第 {owner[1]} 行的{owner[0]}")
            alias_owner.setdefault(alias, (name, row.number))
        records.append(
            DepartmentRecord(
                code=_code(check, row),
                name=name,
                short_name=check.text(row, "short_name"),
                aliases=aliases,
                kind=check.choice(row, "kind", DEPARTMENT_KINDS),
            )
        )
    return tuple(records)


def _townships(check: _Collector) -> tuple[TownshipRecord, ...]:
    rows = check.table.rows
    check.unique(rows, "code", "镇街编码")
    check.unique(rows, "name", "镇街名称")
    records = []
    for row in rows:
        villages = split_multi(check.text(row, "villages"))
        repeated = sorted(name for name, n in Counter(villages).items() if n > 1)
        if repeated:
            check.add(row, "villages", f"村（社区）重复：{'、'.join(repeated)}")
        records.append(
            TownshipRecord(
                code=_code(check, row),
                name=check.text(row, "name"),
                kind=check.choice(row, "kind", TOWNSHIP_KINDS),
                villages=villages,
            )
        )
    return tuple(records)


def _items(
    check: _Collector, departments: tuple[DepartmentRecord, ...] | None
) -> tuple[ItemRecord, ...]:
    rows = check.table.rows
    check.unique(rows, "code", "事项编码")
    resolve = _department_resolver(departments)
    records = []
    for row in rows:
        kind = check.choice(row, "kind", ITEM_KINDS)
        lead = check.text(row, "lead_department")
        if lead and kind == "基本履职" and lead != TOWNSHIP_LEAD:
            check.add(row, "lead_department", f"基本履职事项的牵头单位应填“{TOWNSHIP_LEAD}”")
        elif lead and kind in ("配合履职", "上级收回"):
            if lead == TOWNSHIP_LEAD:
                check.add(row, "lead_department", f"{kind}事项应由县级部门牵头，不能填“{lead}”")
            elif resolve:
                reason = resolve(lead, allow_dispatch_center=False)
                if reason:
                    check.add(row, "lead_department", reason)
        cooperating = split_multi(row.cells.get("cooperating_departments", ""))
        for name in cooperating:
            reason = resolve(name, allow_dispatch_center=True) if resolve else None
            if reason:
                check.add(row, "cooperating_departments", reason)
            elif name == lead:
                check.add(row, "cooperating_departments", f"“{name}”已是牵头部门，不能同时配合")
        repeated = sorted(name for name, n in Counter(cooperating).items() if n > 1)
        if repeated:
            check.add(row, "cooperating_departments", f"配合部门重复：{'、'.join(repeated)}")
        standard = check.choice(row, "standard", STANDARD_VALUES)
        records.append(
            ItemRecord(
                code=_code(check, row),
                domain=check.text(row, "domain"),
                name=check.text(row, "name"),
                description=check.text(row, "description"),
                kind=kind,
                lead_department=lead,
                cooperating_departments=cooperating,
                township_duty=check.text(row, "township_duty"),
                county_duty=check.text(row, "county_duty"),
                legal_basis=split_multi(row.cells.get("legal_basis", "")),
                response_hours=check.positive_int(row, "response_hours"),
                resolve_days=check.positive_int(row, "resolve_days"),
                standard=STANDARD_VALUES.get(standard, False),
                keywords=split_multi(check.text(row, "keywords")),
            )
        )
    return tuple(records)


def _code(check: _Collector, row: RawRow) -> str:
    code = check.text(row, "code")
    if code and (len(code) > MAX_CODE_LENGTH or any(ch.isspace() for ch in code)):
        check.add(row, "code", f"编码“{code}”不能含空格，且不超过 {MAX_CODE_LENGTH} 个字符")
    return code


def _department_resolver(
    departments: tuple[DepartmentRecord, ...] | None,
) -> Callable[..., str | None] | None:
    """A function that returns why a department name is not acceptable, or None."""
    if departments is None:
        return None
    by_name = {department.name: department for department in departments}
    by_alias = {
        alias: department
        for department in departments
        for alias in (*department.aliases, department.short_name)
        if alias
    }

    def reason(name: str, *, allow_dispatch_center: bool) -> str | None:
        department = by_name.get(name)
        if department is None:
            hint = by_alias.get(name)
            if hint is not None:
                return f"“{name}”是{hint.name}的简称或别名，请填写全称“{hint.name}”"
            return f"未知部门“{name}”（departments 表中没有这个名称）"
        if department.kind == "dispatch_center" and not allow_dispatch_center:
            return f"“{name}”是指挥中心，负责派单和仲裁，不能作为牵头部门"
        return None

    return reason
