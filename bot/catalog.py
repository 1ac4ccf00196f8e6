"""Building the classifier's `Catalog` from the database or from a list source."""

from __future__ import annotations

from dataclasses import asdict

from classifier.catalog import Catalog, CatalogDepartment, CatalogItem
from models.list_source import ItemRecord, ListContent
from models.repositories.lists import ListRepository


def catalog_from_content(content: ListContent, version_id: int | None = None) -> Catalog:
    """A catalog straight from list files (tests, benchmarks, a list not yet imported)."""
    return Catalog(
        items=tuple(catalog_item(record) for record in content.items),
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
        items=tuple(catalog_item(record) for record in items),
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


def catalog_item(record: ItemRecord) -> CatalogItem:
    """The classifier's copy of a list item (the classifier may not import `models`)."""
    return CatalogItem(**asdict(record))
