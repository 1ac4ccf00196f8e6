"""Saving, loading and refusing models."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from classifier import artifact
from classifier.engine import Classifier

SAMPLES = ["东关社区门口电动车店占道", "河头村有人烧秸秆", "今天天气不错", "路灯坏了"]


def meta_for(classifier: Classifier, list_hash: str = "h1") -> artifact.ModelMeta:
    return artifact.ModelMeta(
        model_id="m-test",
        trained_at="2026-11-23T00:00:00+0000",
        libraries=artifact.library_versions(),
        list_version=1,
        list_content_hash=list_hash,
        data_hash="d",
        labels=list(classifier.labels),
        thresholds=artifact.thresholds_dict(classifier.thresholds),
        params={},
        training_counts={},
        metrics={},
    )


def test_round_trip_predicts_the_same(trained: Classifier, tmp_path: Path) -> None:
    directory = tmp_path / "model"
    artifact.save(trained, meta_for(trained), directory)
    started = time.perf_counter()
    loaded, meta = artifact.load(directory, current_list_hash="h1")
    loaded.warm()
    assert time.perf_counter() - started < 10  # generous: the benchmark measures it properly
    assert meta.model_id == "m-test"
    for text in SAMPLES:
        assert loaded.predict(text) == trained.predict(text)


def test_saving_again_replaces_the_model(trained: Classifier, tmp_path: Path) -> None:
    directory = tmp_path / "model"
    artifact.save(trained, meta_for(trained), directory)
    artifact.save(trained, replace(meta_for(trained), model_id="m-second"), directory)
    assert artifact.read_meta(directory).model_id == "m-second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_missing_model_says_to_train(tmp_path: Path) -> None:
    with pytest.raises(artifact.ModelUnavailableError) as error:
        artifact.load(tmp_path / "none", current_list_hash=None)
    assert error.value.reason == "missing"
    assert "whistle train" in str(error.value)


def test_model_for_another_list_version_is_refused(trained: Classifier, tmp_path: Path) -> None:
    artifact.save(trained, meta_for(trained, list_hash="old"), tmp_path / "m")
    with pytest.raises(artifact.ModelUnavailableError) as error:
        artifact.load(tmp_path / "m", current_list_hash="new")
    assert error.value.reason == "stale"
    assert "重新导入" in str(error.value)
    assert "whistle train" in str(error.value)


def test_model_from_other_library_versions_is_refused(trained: Classifier, tmp_path: Path) -> None:
    meta = meta_for(trained)
    meta = replace(meta, libraries={**meta.libraries, "scikit-learn": "0.24.2"})
    artifact.save(trained, meta, tmp_path / "m")
    with pytest.raises(artifact.ModelUnavailableError) as error:
        artifact.load(tmp_path / "m", current_list_hash="h1")
    assert error.value.reason == "incompatible"
    assert "0.24.2" in str(error.value)


def test_corrupt_files_are_refused_clearly(trained: Classifier, tmp_path: Path) -> None:
    artifact.save(trained, meta_for(trained), tmp_path / "m")
    (tmp_path / "m" / artifact.MODEL_FILE).write_bytes(b"garbage")
    with pytest.raises(artifact.ModelUnavailableError) as error:
        artifact.load(tmp_path / "m", current_list_hash="h1")
    assert error.value.reason == "unreadable"
    (tmp_path / "m" / artifact.META_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(artifact.ModelUnavailableError):
        artifact.read_meta(tmp_path / "m")


def test_meta_records_what_the_model_is(trained: Classifier, tmp_path: Path) -> None:
    artifact.save(trained, meta_for(trained), tmp_path / "m")
    data = json.loads((tmp_path / "m" / artifact.META_FILE).read_text(encoding="utf-8"))
    assert {"libraries", "list_version", "data_hash", "labels", "thresholds", "metrics"} <= set(
        data
    )
    assert "scikit-learn" in data["libraries"]
    assert len(data["labels"]) >= 127
