"""Saving and loading a trained classifier, with the metadata that says what it is.

A model directory holds `model.joblib` (the pipeline, keyword matcher, catalog, thresholds and
calibration)
and `meta.json` (library versions, list version and hash, data hash, labels, thresholds,
metrics). Loading refuses a model whose list has since been re-imported, or that was pickled
by other library versions (scikit-learn pickles are not portable across versions): both say
to retrain rather than classify with the wrong list.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib

from classifier.engine import Classifier, Thresholds

FORMAT_VERSION = 3
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba", "rapidfuzz", "opencc")


class ModelUnavailableError(RuntimeError):
    """No usable model: missing, unreadable, stale or built by other library versions."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # missing | unreadable | stale | incompatible


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PINNED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def data_hash(texts: tuple[str, ...], labels: tuple[str, ...], weights: tuple[float, ...]) -> str:
    digest = hashlib.sha256()
    for text, label, weight in zip(texts, labels, weights, strict=True):
        digest.update(f"{label}\t{weight}\t{text}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ModelMeta:
    model_id: str
    trained_at: str
    libraries: dict[str, str]
    list_version: int | None
    list_content_hash: str
    data_hash: str
    labels: list[str]
    thresholds: dict[str, float]
    params: dict[str, Any]
    training_counts: dict[str, int]
    metrics: dict[str, Any]
    format: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)


def new_model_id(data_digest: str) -> str:
    return f"m{datetime.now(UTC):%Y%m%d%H%M}-{data_digest[:8]}"


def save(classifier: Classifier, meta: ModelMeta, directory: Path) -> None:
    """Write atomically: a crash mid-save never leaves a half model where the bot loads it."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-", dir=directory.parent))
    try:
        joblib.dump(
            {
                "pipeline": classifier.pipeline,
                "catalog": classifier.catalog,
                "matcher": classifier.matcher,
                "thresholds": classifier.thresholds,
                "calibration": classifier.calibration,
            },
            staging / MODEL_FILE,
        )
        (staging / META_FILE).write_text(meta.to_json(), encoding="utf-8")
        previous = directory.with_name(directory.name + ".previous")
        if directory.exists():
            shutil.rmtree(previous, ignore_errors=True)
            os.replace(directory, previous)
        os.replace(staging, directory)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_meta(directory: Path) -> ModelMeta:
    path = directory / META_FILE
    if not path.is_file():
        raise ModelUnavailableError("missing", "尚未训练分类模型。请先运行：whistle train")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ModelMeta(**data)
    except (ValueError, TypeError) as error:
        msg = f"模型说明文件 {path} 已损坏（{error}）。请重新运行：whistle train"
        raise ModelUnavailableError("unreadable", msg) from error


def check_usable(meta: ModelMeta, current_list_hash: str | None) -> None:
    """Refuse a model trained for another list version or pickled by other libraries."""
    if meta.format != FORMAT_VERSION:
        msg = "模型文件格式与本程序不一致。请重新运行：whistle train"
        raise ModelUnavailableError("incompatible", msg)
    current = library_versions()
    changed = [
        f"{name} {meta.libraries.get(name)} → {current[name]}"
        for name in ("scikit-learn", "numpy", "scipy", "jieba")
        if meta.libraries.get(name) != current[name]
    ]
    if changed:
        msg = f"模型是用其他版本的库训练的（{'；'.join(changed)}）。请重新运行：whistle train"
        raise ModelUnavailableError("incompatible", msg)
    if current_list_hash is not None and meta.list_content_hash != current_list_hash:
        msg = (
            f"责任清单已重新导入，模型仍是按第 {meta.list_version} 版清单训练的，不能再用。"
            "请重新运行：whistle train"
        )
        raise ModelUnavailableError("stale", msg)


def load(directory: Path, *, current_list_hash: str | None) -> tuple[Classifier, ModelMeta]:
    meta = read_meta(directory)
    check_usable(meta, current_list_hash)
    try:
        parts = joblib.load(directory / MODEL_FILE)
    except (OSError, EOFError, ValueError, KeyError, AttributeError, ImportError) as error:
        msg = f"模型文件无法读取（{type(error).__name__}）。请重新运行：whistle train"
        raise ModelUnavailableError("unreadable", msg) from error
    classifier = Classifier(
        pipeline=parts["pipeline"],
        catalog=parts["catalog"],
        matcher=parts["matcher"],
        thresholds=parts["thresholds"],
        calibration=parts["calibration"],
    )
    return classifier, meta


def thresholds_dict(thresholds: Thresholds) -> dict[str, float]:
    return {key: float(value) for key, value in asdict(thresholds).items()}
