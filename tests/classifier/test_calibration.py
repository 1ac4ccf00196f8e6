"""Temperature scaling and its cross-validation folds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import softmax

from classifier.calibration import (
    Calibration,
    assign_folds,
    fit_confidence_map,
    fit_temperature,
    out_of_fold_decisions,
)


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(4000, 6)) * 3.0
    true_temperature = 0.4
    probabilities = softmax(logits / true_temperature, axis=1)
    targets = np.array([rng.choice(6, p=row) for row in probabilities])
    temperature, loss = fit_temperature(logits, targets)
    assert temperature == pytest.approx(true_temperature, rel=0.1)
    rows = np.arange(len(targets))
    unscaled = -np.log(softmax(logits, axis=1)[rows, targets]).mean()
    assert loss < unscaled


def test_folds_are_deterministic_and_stratified() -> None:
    texts = [f"文本{i}" for i in range(40)]
    labels = ["甲"] * 20 + ["乙"] * 12 + ["丙"] * 8
    folds = assign_folds(texts, labels, folds=4)
    assert (folds == assign_folds(texts, labels, folds=4)).all()
    for label in set(labels):
        counts = np.bincount(folds[np.array(labels) == label], minlength=4)
        assert counts.max() - counts.min() <= 1


def test_out_of_fold_scores_each_row_once_with_a_model_that_never_saw_it() -> None:
    labels = ["a", "b", "a", "b", "c"]
    fold_of = np.array([0, 0, 1, 1, 1])
    seen: list[tuple[set[int], set[int]]] = []

    def fit_and_decide(
        train_rows: np.ndarray, scored_rows: np.ndarray
    ) -> tuple[np.ndarray, list[str]]:
        seen.append((set(train_rows.tolist()), set(scored_rows.tolist())))
        fold_labels = sorted({labels[i] for i in train_rows})
        return np.ones((len(scored_rows), len(fold_labels))), fold_labels

    decision = out_of_fold_decisions(fit_and_decide, fold_of, labels, ["a", "b", "c"])
    assert all(not (train & scored) for train, scored in seen)
    assert set().union(*(scored for _, scored in seen)) == set(range(5))
    # Fold 1's model trained on rows 0 and 1 only, never on "c": that column sinks.
    assert (decision[[2, 3, 4], 2] < decision[[2, 3, 4], 0] - 10).all()
    assert (decision[[0, 1], 2] == decision[[0, 1], 0]).all()


def test_confidence_map_recovers_an_over_extreme_mass() -> None:
    """Masses whose log-odds are twice too extreme: the fit halves them."""
    rng = np.random.default_rng(3)
    true_log_odds = rng.normal(size=5000) * 1.5
    right = rng.random(5000) < 1 / (1 + np.exp(-true_log_odds))
    mass = 1 / (1 + np.exp(-2.0 * true_log_odds))
    slope, intercept = fit_confidence_map(mass, right)
    assert slope == pytest.approx(0.5, rel=0.1)
    assert abs(intercept) < 0.1
    calibration = Calibration(confidence_slope=slope, confidence_intercept=intercept)
    assert calibration.department_confidence(0.9) < 0.9
    assert Calibration().department_confidence(0.9) == 0.9


def test_confidence_map_stays_the_identity_with_too_few_outcomes() -> None:
    assert fit_confidence_map(np.array([0.9, 0.8, 0.3]), np.array([1, 1, 0])) == (1.0, 0.0)
