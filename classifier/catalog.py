"""The classifier's view of a responsibility list: plain data, handed over by the caller.

The classifier never reads the database; `bot` converts the current list version into a
`Catalog`, and tests build one straight from the CSV files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from classifier.tokenize import terms_from_phrases


@dataclass(frozen=True, slots=True)
class CatalogItem:
    code: str
    domain: str
    name: str
    description: str
    kind: str
    lead_department: str  # a department name, or 乡镇（街道） for the township's own items
    cooperating_departments: tuple[str, ...]
    township_duty: str
    county_duty: str
    legal_basis: tuple[str, ...]
    response_hours: int
    resolve_days: int
    standard: bool
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CatalogDepartment:
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str

    @property
    def all_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, self.short_name, *self.aliases) if n))


@dataclass(frozen=True, slots=True)
class Catalog:
    items: tuple[CatalogItem, ...]
    departments: tuple[CatalogDepartment, ...]
    place_names: tuple[str, ...] = ()
    # The list version this catalog was read from and its content hash: a trained model
    # remembers both, so a model trained on an older list is refused.
    version_id: int | None = None
    content_hash: str = field(default="")

    def item(self, code: str) -> CatalogItem | None:
        return self._by_code().get(code)

    def _by_code(self) -> dict[str, CatalogItem]:
        return {item.code: item for item in self.items}

    def dictionary_terms(self) -> set[str]:
        """Words the tokenizer must keep whole."""
        phrases: list[str] = []
        for item in self.items:
            phrases.append(item.name)
            phrases.extend(item.keywords)
        for department in self.departments:
            phrases.extend(department.all_names)
        phrases.extend(self.place_names)
        return terms_from_phrases(phrases)

    def fingerprint(self) -> str:
        """A hash of everything training reads from the catalog."""
        data = {
            "items": [asdict(i) for i in self.items],
            "departments": [asdict(d) for d in self.departments],
            "places": list(self.place_names),
        }
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()
