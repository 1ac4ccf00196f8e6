"""Answering "who owns this?": by list code, by department name or alias, or by the matter.

"谁负责秸秆焚烧" and "违建归谁管" name a matter; "D03-007" names an item; "城管管哪些事" names a
department. The same classifier that routes reports ranks the items for a matter, so the
answer an official gets agrees with where the bot would send a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from classifier.catalog import Catalog, CatalogDepartment, CatalogItem
from classifier.engine import Classifier
from classifier.normalize import normalize

# Chinese characters count as word characters, so \b would not separate 事项 from D03-007.
_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]\d{2})\s*[-－—]?\s*(\d{3})(?!\d)")
_QUESTION = re.compile(
    r"(请问|问一下|想问|谁来?负责|由谁负责|谁来?管|归谁管|该谁管|找谁|找哪个部门|哪个部门(?:管|负责)?|"
    r"哪个单位(?:管|负责)?|是谁的事|是哪个部门的|管哪些事?|管什么|负责什么|负责哪些|清单|事项|"
    r"的事情?|问题|怎么办|[吗呢啊呀吧]|[?？。！!，,])"
)
MIN_ITEM_SCORE = 0.02
DEPARTMENT_NAME_SCORE = 90.0


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    item: CatalogItem
    score: float


@dataclass(frozen=True, slots=True)
class OwnerAnswer:
    query: str
    matched: str  # code | department | item | none
    items: tuple[ItemAnswer, ...]
    department: CatalogDepartment | None = None
    cooperating_items: tuple[CatalogItem, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "matched": self.matched,
            "department": None
            if self.department is None
            else {
                "name": self.department.name,
                "short_name": self.department.short_name,
                "aliases": list(self.department.aliases),
                "cooperating_items": [i.code for i in self.cooperating_items],
            },
            "items": [_item_json(a.item) | {"score": round(a.score, 4)} for a in self.items],
        }


def _item_json(item: CatalogItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "domain": item.domain,
        "kind": item.kind,
        "lead_department": item.lead_department,
        "cooperating_departments": list(item.cooperating_departments),
        "township_duty": item.township_duty,
        "county_duty": item.county_duty,
        "response_hours": item.response_hours,
        "resolve_days": item.resolve_days,
        "legal_basis": list(item.legal_basis),
        "standard": item.standard,
    }


def subject_of(query: str) -> str:
    """The matter asked about, without the question around it."""
    return _QUESTION.sub(" ", normalize(query)).strip()


def lookup(
    query: str, catalog: Catalog, classifier: Classifier | None = None, top: int = 3
) -> OwnerAnswer:
    normalized = normalize(query)
    code = _CODE.search(normalized)
    if code:
        item = catalog.item(f"{code[1].upper()}-{code[2]}")
        if item is not None:
            return OwnerAnswer(query, "code", (ItemAnswer(item, 1.0),))
    subject = subject_of(query)
    if not subject:
        return OwnerAnswer(query, "none", ())
    department = _department(subject, catalog)
    if department is not None:
        led = tuple(i for i in catalog.items if i.lead_department == department.name)
        cooperating = tuple(
            i for i in catalog.items if department.name in i.cooperating_departments
        )
        return OwnerAnswer(
            query, "department", tuple(ItemAnswer(i, 1.0) for i in led), department, cooperating
        )
    ranked = _rank_items(subject, catalog, classifier, top)
    return OwnerAnswer(query, "item" if ranked else "none", ranked)


def _department(subject: str, catalog: Catalog) -> CatalogDepartment | None:
    names = {name: d for d in catalog.departments for name in d.all_names}
    compact = subject.replace(" ", "")
    if compact in names:
        return names[compact]
    # "城管管哪些事" leaves "城管"; "县交通运输局的" leaves a near-exact name.
    if len(compact) <= 12:
        best = process.extractOne(
            compact, list(names), scorer=fuzz.WRatio, score_cutoff=DEPARTMENT_NAME_SCORE
        )
        if best is not None:
            return names[best[0]]
    return None


def _rank_items(
    subject: str, catalog: Catalog, classifier: Classifier | None, top: int
) -> tuple[ItemAnswer, ...]:
    if classifier is not None:
        scores, _ = classifier.scores(subject)
        labels = classifier.labels
        order = np.argsort(-scores)
        answers = []
        for index in order:
            item = catalog.item(labels[index])
            if item is None or scores[index] < MIN_ITEM_SCORE:
                continue
            answers.append(ItemAnswer(item, float(scores[index])))
            if len(answers) == top:
                break
        return tuple(answers)
    # No trained model yet: match names and keywords directly.
    choices = {item.code: " ".join((item.name, *item.keywords)) for item in catalog.items}
    matches = process.extract(
        subject, choices, scorer=fuzz.partial_ratio, limit=top, score_cutoff=60
    )
    return tuple(ItemAnswer(catalog.item(code), score / 100) for _, score, code in matches)  # type: ignore[arg-type]
