"""Making the model's probabilities mean what they say.

A linear model trained on a few examples per item over 128 labels spreads its probability
thinly: its top item was right about three times in four, yet scored 0.1–0.3, so any fixed
abstain threshold either sent almost everything to the dispatch centre or nothing. Temperature
scaling (Guo et al., 2017) fixes the scale with one number: the temperature that makes
out-of-fold predictions on the training examples most likely. It changes no ranking, only how
sure the model says it is, so "abstain below 0.5" can mean "abstain when a wrong whistle is
more likely than a right one".

One temperature makes the item probabilities right on average, but the decision is taken on
a different number: the probability mass of the leading department. Out of fold that mass was
too extreme at both ends (reports at 0.35 had their department right about half the time,
reports at 0.9 rather less than 0.9), so the bot abstained on many reports it would have
routed correctly. A second, one-dimensional logistic fit (Platt, 1999) maps the mass to the
observed chance that the department is right; "abstain below 0.5" then means what it says.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, log_softmax, logit

FOLDS = 4
MIN_EXAMPLES_TO_CALIBRATE = 50
# Bounds on log(temperature): e^-5 ≈ 0.007 sharpens a lot, e^3 ≈ 20 flattens a lot.
_LOG_TEMPERATURE_BOUNDS = (-5.0, 3.0)
# Fewer right (or wrong) out-of-fold departments than this: keep the mass as it is.
MIN_OUTCOMES_TO_MAP = 20
_MASS_CLIP = 1e-6


@dataclass(frozen=True, slots=True)
class Calibration:
    """The fitted temperature and the out-of-fold numbers it was fitted on."""

    temperature: float = 1.0
    examples: int = 0
    folds: int = 0
    cv_item_top1: float | None = None
    cv_department_top1: float | None = None
    cv_log_loss: float | None = None
    # confidence = expit(slope · logit(department mass) + intercept); (1, 0) keeps the mass.
    confidence_slope: float = 1.0
    confidence_intercept: float = 0.0

    def department_confidence(self, mass: float) -> float:
        """The chance that the leading department is right, given its probability mass."""
        if self.confidence_slope == 1.0 and self.confidence_intercept == 0.0:
            return mass
        clipped = min(max(mass, _MASS_CLIP), 1.0 - _MASS_CLIP)
        return float(expit(self.confidence_slope * logit(clipped) + self.confidence_intercept))

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


def fit_confidence_map(mass: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """(slope, intercept) of the logistic fit of `right` (0/1) on logit(mass); identity
    when there are too few right or wrong outcomes to fit two numbers."""
    right = np.asarray(right, dtype=np.float64)
    if min(right.sum(), len(right) - right.sum()) < MIN_OUTCOMES_TO_MAP:
        return 1.0, 0.0
    x = logit(np.clip(np.asarray(mass, dtype=np.float64), _MASS_CLIP, 1.0 - _MASS_CLIP))

    def log_loss(params: np.ndarray) -> float:
        z = params[0] * x + params[1]
        return float(np.mean(np.logaddexp(0.0, z) - right * z))

    found = minimize(log_loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(found.x[0]), float(found.x[1])


__all__ = [
    "FOLDS",
    "MIN_EXAMPLES_TO_CALIBRATE",
    "Calibration",
    "assign_folds",
    "fit_confidence_map",
    "fit_temperature",
    "out_of_fold_decisions",
]
