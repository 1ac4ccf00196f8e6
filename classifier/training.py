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

from classifier.catalog import Catalog
from classifier.engine import NOT_A_REPORT, Classifier, Thresholds
from classifier.fuzzy import KeywordMatcher
from classifier.normalize import for_classification, normalize
from classifier.pipeline import PipelineParams, build_pipeline, fit
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


def assemble(
    catalog: Catalog,
    examples: Sequence[LabelledText] = (),
    cases: Sequence[LabelledText] = (),
) -> TrainingSet:
    rows = [*list_documents(catalog), *examples, *cases]
    counts = {"list": 0, "example": 0, "case": 0}
    texts, labels, weights = [], [], []
    for row in rows:
        text = for_classification(normalize(row.text))
        if not text:
            continue
        texts.append(text)
        labels.append(row.label)
        weights.append(row.weight)
        counts[row.source] = counts.get(row.source, 0) + 1
    return TrainingSet(tuple(texts), tuple(labels), tuple(weights), counts)


def train(
    catalog: Catalog,
    training_set: TrainingSet,
    *,
    params: PipelineParams | None = None,
    thresholds: Thresholds | None = None,
    progress: Progress | None = None,
) -> Classifier:
    step = progress or (lambda _message: None)
    step("构建分词词典")
    tokenizer = DomainTokenizer(catalog.dictionary_terms())
    tokenizer.warm()
    step("训练模型")
    pipeline = fit(
        build_pipeline(tokenizer, params or PipelineParams()),
        training_set.texts,
        training_set.labels,
        training_set.weights,
    )
    step("建立关键词索引")
    labels = list(pipeline.classes_)
    matcher = KeywordMatcher.build(
        labels, {item.code: (item.name, *item.keywords) for item in catalog.items}
    )
    return Classifier(
        pipeline=pipeline, catalog=catalog, matcher=matcher, thresholds=thresholds or Thresholds()
    )
