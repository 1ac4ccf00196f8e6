"""Classifying one report: the linear model's probabilities, nudged by keyword matches, with
a decision to abstain when the evidence is thin.

An abstained report goes to the dispatch centre as 非标准事项 rather than to a department
that probably does not own it: a wrong whistle costs a county a day and the bot its trust.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.catalog import Catalog
from classifier.fuzzy import KeywordMatcher
from classifier.normalize import for_classification, normalize
from classifier.pipeline import probabilities

NOT_A_REPORT = "__not_a_report__"
"""The label of chat that is no report at all (收到, 辛苦了, meeting notices)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to trust the top item. Tuned at training time; overridable by configuration."""

    min_score: float = 0.12
    min_margin: float = 0.05
    keyword_weight: float = 0.3
    keyword_cutoff: float = 80.0


@dataclass(frozen=True, slots=True)
class RankedItem:
    code: str
    name: str
    lead_department: str
    cooperating_departments: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class Prediction:
    abstained: bool
    items: tuple[RankedItem, ...]
    method: str  # model | keyword | empty
    normalized_text: str
    abstain_reason: str | None = None  # empty | not_a_report | low_score | low_margin

    @property
    def top(self) -> RankedItem | None:
        return self.items[0] if self.items else None

    def as_json(self) -> dict[str, Any]:
        return {
            "abstained": self.abstained,
            "abstain_reason": self.abstain_reason,
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


class Classifier:
    """A trained model bound to the catalog it was trained on."""

    def __init__(
        self,
        *,
        pipeline: Pipeline,
        catalog: Catalog,
        matcher: KeywordMatcher,
        thresholds: Thresholds,
    ) -> None:
        self.pipeline = pipeline
        self.catalog = catalog
        self.matcher = matcher
        self.thresholds = thresholds
        self.labels: tuple[str, ...] = tuple(pipeline.classes_)
        self._items = {item.code: item for item in catalog.items}
        self._report_labels = np.array([label != NOT_A_REPORT for label in self.labels])

    def with_thresholds(self, thresholds: Thresholds) -> Classifier:
        return Classifier(
            pipeline=self.pipeline,
            catalog=self.catalog,
            matcher=self.matcher,
            thresholds=thresholds,
        )

    def warm(self) -> None:
        """Pay the one-off costs (jieba's dictionary) before the first real message."""
        self.predict("路灯坏了")

    def scores(self, normalized: str) -> tuple[np.ndarray, bool]:
        """Blended label scores (summing to 1) and whether keywords changed the winner."""
        text = for_classification(normalized)
        model = probabilities(self.pipeline, [text])[0]
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
        # The margin needs the runner-up even when only the top item is asked for.
        ranked = self._rank(scores, max(top, 2))
        reason = self._abstain_reason(scores, ranked)
        return Prediction(reason is not None, ranked[:top], method, normalized, reason)

    def _rank(self, scores: np.ndarray, top: int) -> tuple[RankedItem, ...]:
        order = np.argsort(-scores)
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

    def _abstain_reason(self, scores: np.ndarray, ranked: tuple[RankedItem, ...]) -> str | None:
        if not ranked or self.labels[int(scores.argmax())] == NOT_A_REPORT:
            return "not_a_report"
        if ranked[0].score < self.thresholds.min_score:
            return "low_score"
        second = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score - second < self.thresholds.min_margin:
            return "low_margin"
        return None
