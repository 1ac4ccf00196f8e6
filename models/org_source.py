"""The county's people and chat groups, read from `people.csv` and `conversations.csv`.

The responsibility list brings departments, townships and villages; this file adds who sits in
which chat with which role. Reading is pure: it checks the two files against each other and
returns records or problems located by file, row and column, like the list import does.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from models.lifecycle import Role
from models.list_source.records import ImportProblem
from models.organisation import ConversationPurpose

PEOPLE_FILE = "people.csv"
CONVERSATIONS_FILE = "conversations.csv"
_PEOPLE_COLUMNS = ("id", "name", "roles", "home_conversation")
_CONVERSATION_COLUMNS = ("id", "title", "purpose", "township", "village", "department")
# Roles held in an area name a township (and maybe a village); roles in a department name its code.
_AREA_ROLES = frozenset({Role.GRID_WORKER, Role.TOWNSHIP_STAFF})
_DEPARTMENT_ROLES = frozenset({Role.LIAISON, Role.DEPARTMENT_HEAD})
_COUNTY_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: str
    title: str
    purpose: ConversationPurpose
    township: str | None  # township name
    village: str | None  # village name within the township
    department: str | None  # department code


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """`grid_worker:清源街道/东关社区`, `township_staff:清源街道`, `liaison:DEPT05`, or
    `dispatcher`."""

    role: Role
    township: str | None = None
    village: str | None = None
    department: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: str
    name: str
    roles: tuple[RoleRecord, ...]
    home_conversation: str | None


@dataclass(frozen=True, slots=True)
class OrganisationContent:
    conversations: tuple[ConversationRecord, ...]
    people: tuple[PersonRecord, ...]


def load_organisation(folder: Path) -> OrganisationContent | list[ImportProblem]:
    """Read and check both files; a missing file is a problem, not an exception."""
    problems: list[ImportProblem] = []
    conversation_rows = _read(folder / CONVERSATIONS_FILE, _CONVERSATION_COLUMNS, problems)
    people_rows = _read(folder / PEOPLE_FILE, _PEOPLE_COLUMNS, problems)
    if problems:
        return problems
    conversations = tuple(_conversation(row, line, problems) for line, row in conversation_rows)
    known = {c.id for c in conversations}
    people = tuple(_person(row, line, known, problems) for line, row in people_rows)
    _unique([c.id for c in conversations], CONVERSATIONS_FILE, problems)
    _unique([p.id for p in people], PEOPLE_FILE, problems)
    if problems:
        return problems
    return OrganisationContent(conversations=conversations, people=people)


def _read(
    path: Path, columns: tuple[str, ...], problems: list[ImportProblem]
) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        problems.append(ImportProblem(path.name, None, None, "文件不存在"))
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(ImportProblem(path.name, 1, None, "缺少列：" + "、".join(missing)))
            return []
        return [
            (line, {k: (v or "").strip() for k, v in row.items() if k is not None})
            for line, row in enumerate(reader, start=2)
        ]


def _conversation(
    row: dict[str, str], line: int, problems: list[ImportProblem]
) -> ConversationRecord:
    def problem(column: str, reason: str) -> None:
        problems.append(ImportProblem(CONVERSATIONS_FILE, line, column, reason))

    if not row["id"]:
        problem("id", "不能为空")
    try:
        purpose = ConversationPurpose(row["purpose"])
    except ValueError:
        choices = "、".join(p.value for p in ConversationPurpose)
        problem("purpose", f"“{row['purpose']}”无效，应为 {choices}")
        purpose = ConversationPurpose.PRIVATE
    if (
        purpose in (ConversationPurpose.VILLAGE, ConversationPurpose.TOWNSHIP)
        and not row["township"]
    ):
        problem("township", "镇街群和村（社区）群必须写明所属镇街")
    if purpose is ConversationPurpose.VILLAGE and not row["village"]:
        problem("village", "村（社区）群必须写明村（社区）")
    if purpose is ConversationPurpose.DEPARTMENT and not row["department"]:
        problem("department", "部门群必须写明部门编码")
    return ConversationRecord(
        id=row["id"],
        title=row["title"] or row["id"],
        purpose=purpose,
        township=row["township"] or None,
        village=row["village"] or None,
        department=row["department"] or None,
    )


def _person(
    row: dict[str, str], line: int, conversations: set[str], problems: list[ImportProblem]
) -> PersonRecord:
    def problem(column: str, reason: str) -> None:
        problems.append(ImportProblem(PEOPLE_FILE, line, column, reason))

    for column in ("id", "name"):
        if not row[column]:
            problem(column, "不能为空")
    roles: list[RoleRecord] = []
    for text in filter(None, (part.strip() for part in row["roles"].split(";"))):
        parsed = parse_role(text)
        if isinstance(parsed, str):
            problem("roles", parsed)
        else:
            roles.append(parsed)
    if not roles:
        problem("roles", "至少要有一个角色")
    home = row["home_conversation"] or None
    if home is not None and home not in conversations:
        problem("home_conversation", f"群“{home}”不在 {CONVERSATIONS_FILE} 中")
    return PersonRecord(row["id"], row["name"], tuple(roles), home)


def parse_role(text: str) -> RoleRecord | str:
    """One role with its scope, or the reason it cannot be read."""
    name, _, scope = text.partition(":")
    try:
        role = Role(name.strip())
    except ValueError:
        return f"角色“{name}”无效"
    scope = scope.strip()
    if role in _AREA_ROLES:
        township, _, village = scope.partition("/")
        if not township:
            return f"角色 {role.value} 需要写明镇街，例如 {role.value}:清源街道"
        return RoleRecord(role, township=township, village=village or None)
    if role in _DEPARTMENT_ROLES:
        if not scope:
            return f"角色 {role.value} 需要写明部门编码，例如 {role.value}:DEPT05"
        return RoleRecord(role, department=scope)
    if role in _COUNTY_ROLES:
        return RoleRecord(role)
    return f"角色“{name}”不能分配给人员"


def _unique(ids: list[str], source: str, problems: list[ImportProblem]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            problems.append(ImportProblem(source, None, "id", f"编号“{value}”重复"))
        seen.add(value)
