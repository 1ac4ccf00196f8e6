"""Training, loading and configuring the classifier for the bot and the CLI.

The classifier package is pure; this module feeds it the current list from the database,
the shipped examples and the confirmed cases, and applies configured threshold overrides.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from bot.catalog import load_current_catalog
from bot.paths import data_dir
from bot.settings import Settings
from classifier import artifact
from classifier.engine import Classifier, Thresholds
from classifier.training import (
    LabelledText,
    Progress,
    TrainingSet,
    assemble,
    example_paths,
    read_examples,
    train,
)
from models.repositories.lists import ListRepository
from models.repositories.training_data import confirmed_case_texts


def shipped_examples_dir() -> Path:
    return data_dir() / "examples"


def heldout_file() -> Path:
    """Examples kept out of training, to measure what the shipped model does on unseen text."""
    return data_dir() / "evaluation" / "heldout.csv"


@dataclass(frozen=True, slots=True)
class TrainingOutcome:
    classifier: Classifier
    meta: artifact.ModelMeta
    training_set: TrainingSet
    skipped_examples: list[str]


async def train_from_database(
    repository: ListRepository,
    *,
    example_dirs: list[Path],
    progress: Progress | None = None,
) -> TrainingOutcome:
    step = progress or (lambda _message: None)
    step("读取清单和已确认的案件")
    catalog = await load_current_catalog(repository)
    cases = [
        LabelledText(text, code, source="case")
        for text, code in await confirmed_case_texts(repository.session)
        if catalog.item(code) is not None
    ]
    paths = [path for folder in example_dirs for path in example_paths(folder)]
    examples = read_examples(paths, catalog)
    step("整理训练数据")
    training_set = assemble(catalog, examples.examples, cases)
    classifier = train(catalog, training_set, progress=progress)
    digest = artifact.data_hash(training_set.texts, training_set.labels, training_set.weights)
    meta = artifact.ModelMeta(
        model_id=artifact.new_model_id(digest),
        trained_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        libraries=artifact.library_versions(),
        list_version=catalog.version_id,
        list_content_hash=catalog.content_hash,
        data_hash=digest,
        labels=list(classifier.labels),
        thresholds=artifact.thresholds_dict(classifier.thresholds),
        params=classifier_params(classifier),
        training_counts=training_set.counts,
        metrics={},
    )
    return TrainingOutcome(classifier, meta, training_set, examples.skipped)


def classifier_params(classifier: Classifier) -> dict[str, object]:
    model = classifier.pipeline.named_steps["model"]
    return {
        "model": type(model).__name__,
        "C": float(model.C),
        "temperature": classifier.calibration.temperature,
    }


@dataclass(frozen=True, slots=True)
class LoadedClassifier:
    classifier: Classifier
    meta: artifact.ModelMeta
    load_seconds: float


async def load_for_current_list(
    settings: Settings, repository: ListRepository
) -> LoadedClassifier:
    """The saved model, refused if the list was re-imported since; thresholds as configured."""
    version = await repository.current_version()
    current_hash = version.content_hash if version else None
    started = time.perf_counter()
    classifier, meta = artifact.load(settings.effective_model_dir, current_list_hash=current_hash)
    classifier.warm()  # jieba's dictionary is part of loading, not of the first message
    load_seconds = time.perf_counter() - started
    return LoadedClassifier(configured(classifier, settings), meta, load_seconds)


def configured(classifier: Classifier, settings: Settings) -> Classifier:
    thresholds: Thresholds = classifier.thresholds
    if settings.abstain_min_confidence is not None:
        thresholds = replace(thresholds, min_confidence=settings.abstain_min_confidence)
    return (
        classifier
        if thresholds == classifier.thresholds
        else classifier.with_thresholds(thresholds)
    )


async def load_or_train(
    settings: Settings, repository: ListRepository, progress: Progress | None = None
) -> Classifier:
    """The saved model, or — when there is none or it is stale — a freshly trained one, saved
    for next time. `whistle chat` and `whistle demo` use this so a first run just works."""
    try:
        return (await load_for_current_list(settings, repository)).classifier
    except artifact.ModelUnavailableError as error:
        if error.reason == "unreadable":
            raise
    outcome = await train_from_database(
        repository, example_dirs=[shipped_examples_dir()], progress=progress
    )
    artifact.save(outcome.classifier, outcome.meta, settings.effective_model_dir)
    return configured(outcome.classifier, settings)
