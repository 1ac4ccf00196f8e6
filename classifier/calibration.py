"""Making the model's probabilities mean what they say.

A linear model trained on a few examples per item over 128 labels spreads its probability
thinly: its top item was right about three times in four, yet scored 0.1–0.3, so any fixed
abstain threshold either sent almost everything to the dispatch centre or nothing. Temperature
scaling (Guo et al., 2017) fixes the scale with one number: the temperature that makes
out-of-fold predictions on the training examples most likely. It changes no ranking, only how
sure the model says it is, so "abstain below 0.5" can mean "abstain when a wrong whistle is
more likely than a right one".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

FOLDS = 4
MIN_EXAMPLES_TO_CALIBRATE = 50
# Bounds on log(temperature): e^-5 ≈ 0.007 sharpens a lot, e^3 ≈ 20 flattens a lot.
_LOG_TEMPERATURE_BOUNDS = (-5.0, 3.0)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The fitted temperature and the out-of-fold numbers it was fitted on."""

    temperature: float = 1.0
    examples: int = 0
    folds: int = 0
    cv_item_top1: float | None = None
    cv_department_top1: float | None = None
    cv_log_loss: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def assign_folds(texts: Sequence[str], labels: Sequence[str], folds: int = FOLDS) -> np.ndarray:
    """A fold per row: within each label, rows in SHA-256 order dealt out round-robin.

    Deterministic (the same data gives the same temperature) and stratified, so every label
    with at least `folds` examples is in every training part.
    """
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    assignment = np.zeros(len(labels), dtype=np.int64)
    for indices in by_label.values():
        ordered = sorted(indices, key=lambda i: hashlib.sha256(texts[i].encode()).hexdigest())
        for position, index in enumerate(ordered):
            assignment[index] = position % folds
    return assignment


FitAndDecide = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, Sequence[str]]]
"""Given (training rows, scoring rows) as index arrays: decision values and their labels."""


def out_of_fold_decisions(
    fit_and_decide: FitAndDecide,
    fold_of: np.ndarray,
    labels: Sequence[str],
    all_labels: Sequence[str],
) -> np.ndarray:
    """Decision values for every row, from a model that did not see that row's fold.

    A label missing from a fold's training part gets a column far below the rest, so it is
    never predicted for rows of that fold, as a model without that label would behave.
    """
    column = {label: i for i, label in enumerate(all_labels)}
    result = np.zeros((len(labels), len(all_labels)))
    everything = np.arange(len(labels))
    for fold in np.unique(fold_of):
        scored = everything[fold_of == fold]
        decision, fold_labels = fit_and_decide(everything[fold_of != fold], scored)
        block = np.full((len(scored), len(all_labels)), decision.min() - 50.0)
        block[:, [column[label] for label in fold_labels]] = decision
        result[scored] = block
    return result


def fit_temperature(decision: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """The temperature minimising the log loss of softmax(decision / T); and that loss."""
    rows = np.arange(len(targets))

    def log_loss(log_temperature: float) -> float:
        scaled = decision / np.exp(log_temperature)
        return float(-log_softmax(scaled, axis=1)[rows, targets].mean())

    found = minimize_scalar(log_loss, bounds=_LOG_TEMPERATURE_BOUNDS, method="bounded")
    return float(np.exp(found.x)), float(found.fun)


__all__ = [
    "FOLDS",
    "MIN_EXAMPLES_TO_CALIBRATE",
    "Calibration",
    "assign_folds",
    "fit_temperature",
    "out_of_fold_decisions",
]
