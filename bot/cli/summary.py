"""Printing what a list version and the organisation hold, for people and for scripts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rich.table import Table

from models.repositories.lists import ListRepository, OrganisationCounts
from models.responsibility import ItemKind, ListVersion

KIND_COLUMNS = tuple(kind.value for kind in ItemKind)
DEPARTMENT_KIND_LABELS = {
    "department": "县直部门",
    "public_utility": "公用事业单位",
    "dispatch_center": "指挥中心",
}


@dataclass(frozen=True, slots=True)
class Holdings:
    """A list version and the organisation stored with it."""

    version: ListVersion
    domains: list[str]
    counts: Counter[tuple[str, str]]
    organisation: OrganisationCounts

    def as_json(self) -> dict[str, Any]:
        return {
            "list_version": self.version.id,
            "content_hash": self.version.content_hash,
            "imported_at": self.version.imported_at.isoformat(),
            "items": self.version.item_count,
            "items_by_domain": {
                domain: {kind: self.counts[(domain, kind)] for kind in KIND_COLUMNS}
                for domain in self.domains
            },
            "items_by_kind": {
                kind: sum(self.counts[(d, kind)] for d in self.domains) for kind in KIND_COLUMNS
            },
            "departments": self.organisation.departments_by_kind,
            "townships": self.organisation.townships,
            "villages": self.organisation.villages,
        }


async def load_holdings(repository: ListRepository, version: ListVersion) -> Holdings:
    return Holdings(
        version=version,
        domains=await repository.domains_in_order(version.id),
        counts=await repository.item_counts(version.id),
        organisation=await repository.organisation_counts(),
    )


def items_table(holdings: Holdings) -> Table:
    table = Table(title=f"清单第 {holdings.version.id} 版：各领域事项数", title_justify="left")
    table.add_column("领域")
    for kind in KIND_COLUMNS:
        table.add_column(kind, justify="right")
    table.add_column("合计", justify="right", style="bold")
    for domain in holdings.domains:
        row = [holdings.counts[(domain, kind)] for kind in KIND_COLUMNS]
        table.add_row(domain, *map(str, row), str(sum(row)))
    totals = [sum(holdings.counts[(d, kind)] for d in holdings.domains) for kind in KIND_COLUMNS]
    table.add_section()
    table.add_row("合计", *map(str, totals), str(sum(totals)), style="bold")
    return table


def organisation_line(organisation: OrganisationCounts) -> str:
    parts = [
        f"{DEPARTMENT_KIND_LABELS.get(kind, kind)} {count} 个"
        for kind, count in sorted(organisation.departments_by_kind.items())
    ]
    departments = sum(organisation.departments_by_kind.values())
    return (
        f"部门 {departments} 个（{'，'.join(parts)}）；"
        f"镇街 {organisation.townships} 个，村（社区）{organisation.villages} 个"
    )
