"""Building the classifier's `Catalog` from the database or from a list source."""

from __future__ import annotations

from classifier.catalog import Catalog, CatalogDepartment, CatalogItem
from models.list_source import ListContent
from models.repositories.lists import ItemView, ListRepository


def catalog_from_content(content: ListContent, version_id: int | None = None) -> Catalog:
    """A catalog straight from list files (tests, benchmarks, a list not yet imported)."""
    return Catalog(
        items=tuple(
            CatalogItem(
                code=r.code,
                domain=r.domain,
                name=r.name,
                description=r.description,
                kind=r.kind,
                lead_department=r.lead_department,
                cooperating_departments=r.cooperating_departments,
                township_duty=r.township_duty,
                county_duty=r.county_duty,
                legal_basis=r.legal_basis,
                response_hours=r.response_hours,
                resolve_days=r.resolve_days,
                standard=r.standard,
                keywords=r.keywords,
            )
            for r in content.items
        ),
        departments=tuple(
            CatalogDepartment(name=d.name, short_name=d.short_name, aliases=d.aliases, kind=d.kind)
            for d in content.departments
        ),
        place_names=tuple(name for t in content.townships for name in (t.name, *t.villages)),
        version_id=version_id,
        content_hash=content.content_hash(),
    )


class NoListError(LookupError):
    """No list version has been imported yet."""


async def load_current_catalog(repository: ListRepository) -> Catalog:
    version = await repository.current_version()
    if version is None:
        raise NoListError
    items = await repository.items(version.id)
    departments = await repository.active_departments()
    return Catalog(
        items=tuple(_item(view) for view in items),
        departments=tuple(
            CatalogDepartment(
                name=d.name,
                short_name=d.short_name,
                aliases=tuple(a.alias for a in d.aliases),
                kind=str(d.kind),
            )
            for d in departments
        ),
        place_names=tuple(await repository.place_names()),
        version_id=version.id,
        content_hash=version.content_hash,
    )


def _item(view: ItemView) -> CatalogItem:
    return CatalogItem(
        code=view.code,
        domain=view.domain,
        name=view.name,
        description=view.description,
        kind=view.kind,
        lead_department=view.lead_department,
        cooperating_departments=view.cooperating_departments,
        township_duty=view.township_duty,
        county_duty=view.county_duty,
        legal_basis=view.legal_basis,
        response_hours=view.response_hours,
        resolve_days=view.resolve_days,
        standard=view.standard,
        keywords=view.keywords,
    )
