"""Accuracy floors on the held-out examples: low enough never to flake, high enough that a broken
pipeline (lost tokenizer dictionary, shuffled labels, normalisation gone wrong) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.engine import Classifier
from classifier.evaluation import evaluate_reports, read_test_file

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "evaluation" / "heldout.csv"


@pytest.mark.skipif(not HELDOUT.is_file(), reason="no held-out examples shipped")
def test_heldout_examples_clear_the_floors(trained: Classifier) -> None:
    codes = {item.code for item in trained.catalog.items}
    metrics = evaluate_reports(trained, read_test_file(HELDOUT, codes))
    assert metrics["n_labelled"] >= 200
    assert metrics["department_top1"] >= 0.75
    assert metrics["item_top3"] >= 0.85
    assert metrics["abstain_recall"] >= 0.6
