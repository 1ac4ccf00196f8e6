"""Measuring the classifier: on labelled reports, and on external corpora.

`evaluate_reports` scores the trained model the way officials experience it (right item,
right department, abstaining when it should). `evaluate_corpus` trains a fresh model of the
same pipeline on another corpus's texts and labels alone, to compare with published results.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from classifier.engine import Classifier
from classifier.normalize import for_classification, normalize
from classifier.pipeline import PipelineParams, build_pipeline, fit
from classifier.tokenize import DomainTokenizer

Progress = Callable[[int, int], None]


class EvaluationInputError(ValueError):
    """The test file cannot be used; the message says why in Chinese."""


@dataclass(frozen=True, slots=True)
class LabelledReport:
    text: str
    code: str  # empty: the right answer is to abstain
    also_ok: frozenset[str]


def read_test_file(path: Path, known_codes: set[str] | None = None) -> list[LabelledReport]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = {"text", "item_code"} - set(reader.fieldnames or ())
            if missing:
                msg = f"{path.name} 缺少列：{'、'.join(sorted(missing))}（需要 text,item_code）"
                raise EvaluationInputError(msg)
            rows = []
            unknown = []
            for number, row in enumerate(reader, start=2):
                text = (row.get("text") or "").strip()
                code = (row.get("item_code") or "").strip().upper()
                also = frozenset(
                    c.strip().upper() for c in (row.get("also_ok") or "").split(";") if c.strip()
                )
                if not text:
                    continue
                if known_codes is not None and code and code not in known_codes:
                    unknown.append(f"第 {number} 行 {code}")
                rows.append(LabelledReport(text, code, also))
    except FileNotFoundError as error:
        raise EvaluationInputError(f"找不到测试文件：{path}") from error
    if unknown:
        msg = f"{path.name} 中有清单里没有的事项编码：{'；'.join(unknown[:10])}"
        raise EvaluationInputError(msg)
    if not rows:
        raise EvaluationInputError(f"{path.name} 没有可用的数据行")
    return rows


def evaluate_reports(
    classifier: Classifier,
    reports: Sequence[LabelledReport],
    *,
    load_seconds: float | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    departments = {item.code: item.lead_department for item in classifier.catalog.items}
    top1 = top3 = department = labelled = 0
    abstained_total = abstained_right = should_abstain = 0
    latencies = []
    for index, report in enumerate(reports):
        started = time.perf_counter()
        prediction = classifier.predict(report.text, top=3)
        latencies.append((time.perf_counter() - started) * 1000)
        codes = [item.code for item in prediction.items]
        abstained_total += prediction.abstained
        if not report.code:
            should_abstain += 1
            abstained_right += prediction.abstained
        else:
            labelled += 1
            accepted = {report.code} | report.also_ok
            top1 += bool(codes) and codes[0] in accepted
            top3 += bool(accepted & set(codes[:3]))
            if not prediction.abstained and codes:
                department += codes[0] in accepted or departments.get(codes[0]) == departments.get(
                    report.code
                )
        if progress:
            progress(index + 1, len(reports))
    return {
        "n": len(reports),
        "n_labelled": labelled,
        "n_abstain_expected": should_abstain,
        "item_top1": _ratio(top1, labelled),
        "item_top3": _ratio(top3, labelled),
        "department_top1": _ratio(department, labelled),
        "abstain_rate": _ratio(abstained_total, len(reports)),
        "abstain_precision": _ratio(abstained_right, abstained_total),
        "abstain_recall": _ratio(abstained_right, should_abstain),
        "latency_ms_p50": round(float(np.percentile(latencies, 50)), 3),
        "latency_ms_p99": round(float(np.percentile(latencies, 99)), 3),
        "load_seconds": None if load_seconds is None else round(load_seconds, 3),
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(numerator / denominator, 4)


def read_corpus(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            for column in (text_column, label_column):
                if column not in (reader.fieldnames or ()):
                    found = "、".join(reader.fieldnames or ())
                    raise EvaluationInputError(f"{path.name} 没有列“{column}”（现有：{found}）")
            pairs = [
                (row[text_column].strip(), row[label_column].strip())
                for row in reader
                if (row[text_column] or "").strip() and (row[label_column] or "").strip()
            ]
    except FileNotFoundError as error:
        raise EvaluationInputError(f"找不到文件：{path}") from error
    if not pairs:
        raise EvaluationInputError(f"{path.name} 没有可用的数据行")
    texts, labels = zip(*pairs, strict=True)
    return list(texts), list(labels)


def evaluate_corpus(
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    test_texts: Sequence[str],
    test_labels: Sequence[str],
    params: PipelineParams | None = None,
) -> dict[str, Any]:
    """Train the product pipeline on a corpus alone (no list, no keywords) and score it."""
    started = time.perf_counter()
    pipeline = fit(
        build_pipeline(DomainTokenizer(()), params or PipelineParams()),
        [for_classification(normalize(t)) for t in train_texts],
        train_labels,
    )
    train_seconds = time.perf_counter() - started
    predicted = pipeline.predict([for_classification(normalize(t)) for t in test_texts])
    labels = sorted(set(train_labels) | set(test_labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        test_labels, predicted, labels=labels, zero_division=0
    )
    return {
        "n_train": len(train_texts),
        "n_test": len(test_texts),
        "accuracy": round(float(accuracy_score(test_labels, predicted)), 4),
        "macro_f1": round(float(f1_score(test_labels, predicted, average="macro")), 4),
        "per_label": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "train_seconds": round(train_seconds, 2),
    }
