"""Validated, in-memory content of a responsibility-list source (folder or workbook)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

TOWNSHIP_LEAD = "乡镇（街道）"
"""What the list writes as lead department of basic (基本履职) items: the case's township."""


@dataclass(frozen=True, slots=True)
class DepartmentRecord:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class TownshipRecord:
    code: str
    name: str
    kind: str
    villages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemRecord:
    code: str
    domain: str
    name: str
    description: str
    kind: str
    lead_department: str  # a department name, or TOWNSHIP_LEAD for basic items
    cooperating_departments: tuple[str, ...]
    township_duty: str
    county_duty: str
    legal_basis: tuple[str, ...]
    response_hours: int
    resolve_days: int
    standard: bool
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListContent:
    departments: tuple[DepartmentRecord, ...]
    townships: tuple[TownshipRecord, ...]
    items: tuple[ItemRecord, ...]

    def content_hash(self) -> str:
        """A hash of the content itself, not of the files: CSV and XLSX of the same list agree,
        and so do files that differ only in spacing, quoting or encoding."""
        canonical = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong with the source, located precisely enough to fix it in Excel."""

    source: str  # "responsibility_list.csv" or "workbook.xlsx 的 responsibility_list 工作表"
    row: int | None  # spreadsheet row number (the header is row 1); None for file-level problems
    column: str | None
    reason: str

    def describe(self) -> str:
        where = self.source
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.column:
            where += f" {self.column} 列"
        return f"{where}：{self.reason}"
