"""Assembling training data and training a `Classifier`.

Three sources, in order of trust:
(a) the list's own text, so that a freshly imported list classifies before anyone has
    written a single example;
(b) labelled examples (`data/examples/*.csv`, columns `text,item_code`; an empty code marks
    chat that is not a report);
(c) cases that a person confirmed, corrected or assigned: every correction teaches the model.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.special import softmax
from sklearn.pipeline import Pipeline

from classifier.calibration import (
    FOLDS,
    MIN_EXAMPLES_TO_CALIBRATE,
    Calibration,
    assign_folds,
    fit_confidence_map,
    fit_temperature,
    out_of_fold_decisions,
)
from classifier.catalog import Catalog
from classifier.engine import (
    NOT_A_REPORT,
    Classifier,
    Thresholds,
    department_decision,
    label_departments,
)
from classifier.fuzzy import KeywordMatcher
from classifier.normalize import for_classification, normalize
from classifier.pipeline import PipelineParams, build_pipeline, decisions, fit
from classifier.places import PlaceMasker
from classifier.tokenize import DomainTokenizer

# Weights per kind of text. Names and keywords are precise; descriptions are good; duties
# describe what officials do ("巡查、劝阻、上报"), shared by many items, so they count less.
LIST_TEXT_WEIGHTS = {"name": 1.0, "keyword": 1.0, "description": 1.0, "duty": 0.3}
EXAMPLE_WEIGHT = 1.0
CASE_WEIGHT = 1.0

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LabelledText:
    text: str
    label: str
    weight: float = 1.0
    source: str = "example"


@dataclass(slots=True)
class ExampleFile:
    """Examples read from CSV files, and the rows that could not be used (with why)."""

    examples: list[LabelledText] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def list_documents(catalog: Catalog) -> list[LabelledText]:
    documents: list[LabelledText] = []
    for item in catalog.items:

        def add(text: str, kind: str, code: str = item.code) -> None:
            if text.strip():
                documents.append(LabelledText(text, code, LIST_TEXT_WEIGHTS[kind], "list"))

        add(item.name, "name")
        add(item.description, "description")
        add(f"{item.name}，{item.description}", "description")
        add("，".join(item.keywords), "keyword")
        for keyword in item.keywords:
            add(keyword, "keyword")
        add(item.township_duty, "duty")
        add(item.county_duty, "duty")
    return documents


def read_examples(paths: Iterable[Path], catalog: Catalog | None = None) -> ExampleFile:
    """Rows of `text,item_code` CSV files. With a catalog, codes it lacks are skipped."""
    result = ExampleFile()
    known = {item.code for item in catalog.items} if catalog else None
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = {"text", "item_code"} - set(reader.fieldnames or ())
            if missing:
                result.skipped.append(f"{path.name}：缺少列 {'、'.join(sorted(missing))}")
                continue
            for number, row in enumerate(reader, start=2):
                text = (row.get("text") or "").strip()
                code = (row.get("item_code") or "").strip().upper()
                if not text:
                    continue
                if code and known is not None and code not in known:
                    result.skipped.append(f"{path.name} 第 {number} 行：清单中没有事项 {code}")
                    continue
                result.examples.append(LabelledText(text, code or NOT_A_REPORT, EXAMPLE_WEIGHT))
    return result


def example_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


@dataclass(frozen=True, slots=True)
class TrainingSet:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    weights: tuple[float, ...]
    counts: dict[str, int]
    sources: tuple[str, ...] = ()  # per row: list | example | case

    def written_by_people(self) -> np.ndarray:
        """Indices of examples and confirmed cases: reports, unlike the list's own text."""
        return np.flatnonzero(np.asarray(self.sources) != "list")


def assemble(
    catalog: Catalog,
    examples: Sequence[LabelledText] = (),
    cases: Sequence[LabelledText] = (),
) -> TrainingSet:
    """All training rows, normalised, in a fixed order.

    Chat that is not a report is learned only next to enough reports. Against the list's
    own text alone (short names and keywords) a `__not_a_report__` label learns "a whole
    sentence" rather than "not a problem", and swallowed nine reports in ten when measured.
    A freshly imported list therefore trains without it until examples or confirmed cases
    arrive; chit-chat then abstains on low confidence instead.
    """
    reports = [row for row in (*examples, *cases) if row.label != NOT_A_REPORT]
    chat_allowed = len(reports) >= MIN_EXAMPLES_TO_CALIBRATE
    rows = [
        *list_documents(catalog),
        *(row for row in (*examples, *cases) if chat_allowed or row.label != NOT_A_REPORT),
    ]
    counts = {"list": 0, "example": 0, "case": 0}
    texts, labels, weights, sources = [], [], [], []
    for row in rows:
        text = for_classification(normalize(row.text))
        if not text:
            continue
        texts.append(text)
        labels.append(row.label)
        weights.append(row.weight)
        sources.append(row.source)
        counts[row.source] = counts.get(row.source, 0) + 1
    return TrainingSet(tuple(texts), tuple(labels), tuple(weights), counts, tuple(sources))


def train(
    catalog: Catalog,
    training_set: TrainingSet,
    *,
    params: PipelineParams | None = None,
    thresholds: Thresholds | None = None,
    progress: Progress | None = None,
    calibrate: bool = True,
) -> Classifier:
    """Fit the model on everything, then calibrate it on out-of-fold predictions."""
    step = progress or (lambda _message: None)
    step("构建分词词典")
    tokenizer = DomainTokenizer(catalog.dictionary_terms())
    tokenizer.warm()
    masker = PlaceMasker(catalog.place_names)
    chosen = params or PipelineParams()

    def fresh() -> Pipeline:
        return build_pipeline(tokenizer, chosen, masker)

    step("训练模型")
    pipeline = fit(fresh(), training_set.texts, training_set.labels, training_set.weights)
    labels = list(pipeline.classes_)
    step("建立关键词索引")
    matcher = KeywordMatcher.build(
        labels, {item.code: (item.name, *item.keywords) for item in catalog.items}
    )
    chosen_thresholds = thresholds or Thresholds()

    def blend(texts: Sequence[str], probabilities: np.ndarray) -> np.ndarray:
        """The engine's keyword nudge, applied to out-of-fold probabilities."""
        cutoff, weight = chosen_thresholds.keyword_cutoff, chosen_thresholds.keyword_weight
        keywords = np.vstack([matcher.scores(text, cutoff) for text in texts])
        blended = probabilities + weight * keywords
        return blended / blended.sum(axis=1, keepdims=True)

    calibration = (
        _calibrate(catalog, training_set, fresh, labels, step, blend)
        if calibrate
        else Calibration()
    )
    return Classifier(
        pipeline=pipeline,
        catalog=catalog,
        matcher=matcher,
        thresholds=chosen_thresholds,
        calibration=calibration,
    )


def _calibrate(
    catalog: Catalog,
    training_set: TrainingSet,
    fresh: Callable[[], Pipeline],
    labels: list[str],
    step: Progress,
    blend: Callable[[Sequence[str], np.ndarray], np.ndarray],
) -> Calibration:
    """Temperature from cross-validation over the reports; the list's text always trains.

    With too few reports to hold any out (a list imported a minute ago) the temperature
    stays 1: the probabilities are then the model's own, flat and cautious.
    """
    reports = training_set.written_by_people()
    if len(reports) < MIN_EXAMPLES_TO_CALIBRATE:
        return Calibration(examples=len(reports))
    texts = np.asarray(training_set.texts, dtype=object)
    all_labels = np.asarray(training_set.labels, dtype=object)
    weights = np.asarray(training_set.weights)
    always = np.flatnonzero(np.asarray(training_set.sources) == "list")
    report_labels = [training_set.labels[i] for i in reports]
    fold_of = assign_folds([training_set.texts[i] for i in reports], report_labels)

    def fit_and_decide(
        train_rows: np.ndarray, scored_rows: np.ndarray
    ) -> tuple[np.ndarray, Sequence[str]]:
        step(f"校准置信度：交叉验证 {int(fold_of[scored_rows[0]]) + 1}/{FOLDS}")
        rows = np.concatenate([always, reports[train_rows]])
        pipeline = fit(fresh(), texts[rows].tolist(), all_labels[rows].tolist(), weights[rows])
        return decisions(pipeline, texts[reports[scored_rows]].tolist()), pipeline.classes_

    decision = out_of_fold_decisions(fit_and_decide, fold_of, report_labels, labels)
    index = {label: i for i, label in enumerate(labels)}
    targets = np.array([index[label] for label in report_labels])
    temperature, log_loss = fit_temperature(decision, targets)
    slope, intercept = _fit_confidence(
        catalog,
        labels,
        blend([texts[i] for i in reports], softmax(decision / temperature, 1)),
        report_labels,
    )
    predicted = [labels[i] for i in decision.argmax(axis=1)]
    department = {item.code: item.lead_department for item in catalog.items}
    same_department = [
        guess == truth or (truth in department and department.get(guess) == department[truth])
        for guess, truth in zip(predicted, report_labels, strict=True)
    ]
    return Calibration(
        temperature=temperature,
        examples=len(reports),
        folds=FOLDS,
        cv_item_top1=round(float(np.mean(np.array(predicted) == np.array(report_labels))), 4),
        cv_department_top1=round(float(np.mean(same_department)), 4),
        cv_log_loss=round(log_loss, 4),
        confidence_slope=slope,
        confidence_intercept=intercept,
    )


def _fit_confidence(
    catalog: Catalog, labels: list[str], scores: np.ndarray, truths: Sequence[str]
) -> tuple[float, float]:
    """Map the winning department's out-of-fold mass to how often that department was right.

    Rows where chat (not-a-report) wins are left out: they abstain whatever the mass. A chat
    row that an item wins counts as a wrong department, as a whistle on it would be.
    """
    department_of = label_departments(labels, catalog)
    department = {item.code: item.lead_department for item in catalog.items}
    masses, right = [], []
    for row, truth in zip(scores, truths, strict=True):
        winner, mass = department_decision(row, department_of)
        if mass <= 0:
            continue
        masses.append(mass)
        right.append(department.get(truth) == department[labels[winner]])
    return fit_confidence_map(np.asarray(masses), np.asarray(right))
