"""Classifying one report: the linear model's calibrated probabilities, nudged by keyword
matches, with a decision to abstain when the evidence is thin.

The decision is about the department, because the department is what the whistle reaches:
confidence is the probability mass of every item the top item's lead department owns. When
the model hesitates between two items of the same department (燃气 vs 供热, both 住建局) the
whistle is right either way and the liaison picks the item; when it hesitates across
departments it abstains, and the report goes to the dispatch centre as 非标准事项 rather than
to a department that probably does not own it: a wrong whistle costs a county a day and the
bot its trust.

The department is therefore chosen first, as the one with the most probability mass, and the
item second, as that department's best item: three 住建局 items at 0.3 each beat one 交警
item at 0.4. Chat that is no report wins only over every department's mass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.calibration import Calibration
from classifier.catalog import Catalog
from classifier.fuzzy import KeywordMatcher
from classifier.normalize import for_classification, normalize
from classifier.pipeline import probabilities

NOT_A_REPORT = "__not_a_report__"
"""The label of chat that is no report at all (收到, 辛苦了, meeting notices)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to trust the top item; overridable by configuration.

    `min_confidence` is a calibrated probability that the department is right: at 0.5 the
    bot whistles when a right whistle is more likely than a wrong one.
    """

    min_confidence: float = 0.5
    keyword_weight: float = 0.3
    keyword_cutoff: float = 80.0


@dataclass(frozen=True, slots=True)
class RankedItem:
    code: str
    name: str
    lead_department: str
    cooperating_departments: tuple[str, ...]
    score: float


ABSTAIN_REASONS = ("empty", "not_a_report", "low_confidence")


@dataclass(frozen=True, slots=True)
class Prediction:
    abstained: bool
    items: tuple[RankedItem, ...]
    method: str  # model | keyword | empty
    normalized_text: str
    abstain_reason: str | None = None  # one of ABSTAIN_REASONS
    confidence: float = 0.0  # probability that the top item's department is right

    @property
    def top(self) -> RankedItem | None:
        return self.items[0] if self.items else None

    def as_json(self) -> dict[str, Any]:
        return {
            "abstained": self.abstained,
            "abstain_reason": self.abstain_reason,
            "confidence": round(self.confidence, 4),
            "items": [
                {
                    **asdict(item),
                    "cooperating_departments": list(item.cooperating_departments),
                    "score": round(item.score, 4),
                }
                for item in self.items
            ],
            "method": self.method,
            "normalized_text": self.normalized_text,
        }


def label_departments(labels: Sequence[str], catalog: Catalog) -> np.ndarray:
    """Per label, an index of its lead department (-1: not an item, e.g. not-a-report)."""
    lead = {item.code: item.lead_department for item in catalog.items}
    position = {name: i for i, name in enumerate(sorted(set(lead.values())))}
    return np.array([position[lead[label]] if label in lead else -1 for label in labels])


def department_decision(scores: np.ndarray, department_of: np.ndarray) -> tuple[int, float]:
    """The winning label and its department's probability mass (0 when no item wins).

    `department_of` gives each label's department index, -1 for labels that are no item.
    """
    is_item = department_of >= 0
    if not is_item.any():
        return int(scores.argmax()), 0.0
    mass = np.bincount(department_of[is_item], weights=scores[is_item])
    department = int(mass.argmax())
    others = np.flatnonzero(~is_item)
    if others.size and scores[others].max() > mass[department]:
        return int(others[scores[others].argmax()]), 0.0
    members = np.flatnonzero(department_of == department)
    return int(members[scores[members].argmax()]), float(mass[department])


class Classifier:
    """A trained model bound to the catalog it was trained on."""

    def __init__(
        self,
        *,
        pipeline: Pipeline,
        catalog: Catalog,
        matcher: KeywordMatcher,
        thresholds: Thresholds,
        calibration: Calibration | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.catalog = catalog
        self.matcher = matcher
        self.thresholds = thresholds
        self.calibration = calibration or Calibration()
        self.labels: tuple[str, ...] = tuple(pipeline.classes_)
        self._items = {item.code: item for item in catalog.items}
        self._department_of = label_departments(self.labels, catalog)

    def with_thresholds(self, thresholds: Thresholds) -> Classifier:
        return Classifier(
            pipeline=self.pipeline,
            catalog=self.catalog,
            matcher=self.matcher,
            thresholds=thresholds,
            calibration=self.calibration,
        )

    def warm(self) -> None:
        """Pay the one-off costs (jieba's dictionary) before the first real message."""
        self.predict("路灯坏了")

    def scores(self, normalized: str) -> tuple[np.ndarray, bool]:
        """Blended label scores (summing to 1) and whether keywords changed the winner."""
        text = for_classification(normalized)
        model = probabilities(self.pipeline, [text], self.calibration.temperature)[0]
        keywords = self.matcher.scores(text, self.thresholds.keyword_cutoff)
        if not keywords.any():
            return model, False
        blended = model + self.thresholds.keyword_weight * keywords
        blended /= blended.sum()
        return blended, int(blended.argmax()) != int(model.argmax())

    def predict(self, text: str, top: int = 3) -> Prediction:
        normalized = normalize(text)
        if len(normalized) < 2:
            return Prediction(True, (), "empty", normalized, "empty")
        scores, by_keyword = self.scores(normalized)
        method = "keyword" if by_keyword else "model"
        winner, mass = department_decision(scores, self._department_of)
        ranked = self._rank(scores, top, winner)
        confidence = self.calibration.department_confidence(mass) if mass > 0 else 0.0
        reason = self._abstain_reason(winner, confidence)
        return Prediction(reason is not None, ranked, method, normalized, reason, confidence)

    def _rank(self, scores: np.ndarray, top: int, winner: int) -> tuple[RankedItem, ...]:
        """The winning item first (when it is an item), then the rest by score."""
        order = [winner, *(i for i in np.argsort(-scores) if i != winner)]
        ranked = []
        for index in order:
            code = self.labels[index]
            item = self._items.get(code)
            if item is None:
                continue
            ranked.append(
                RankedItem(
                    code=item.code,
                    name=item.name,
                    lead_department=item.lead_department,
                    cooperating_departments=item.cooperating_departments,
                    score=float(scores[index]),
                )
            )
            if len(ranked) == top:
                break
        return tuple(ranked)

    def _abstain_reason(self, winner: int, confidence: float) -> str | None:
        if self.labels[winner] not in self._items:
            return "not_a_report"
        if confidence < self.thresholds.min_confidence:
            return "low_confidence"
        return None
