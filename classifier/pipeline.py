"""The text model: word and character n-gram TF-IDF into a calibrated linear classifier.

One pipeline serves both the product (labels = list item codes) and the external benchmark
(labels = a corpus's own classes), so a benchmark number measures the code that runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.places import PlaceMasker
from classifier.tokenize import DomainTokenizer


@dataclass(frozen=True, slots=True)
class PipelineParams:
    """Chosen on the held-out examples (bench/README.md has the table).

    Short n-grams win with a few examples per item: word bigrams and character trigrams are
    mostly seen once, so they fit the training text and miss the next report. A weakly
    regularised model (C=100) with its probabilities calibrated afterwards beat a strongly
    regularised one on both ranking and calibration.
    """

    word_ngrams: tuple[int, int] = (1, 1)
    char_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 1
    c: float = 100.0
    class_weight: str | None = None
    # L-BFGS converges in seconds at C=100 where saga needs minutes; with the short n-grams
    # its memory (ten copies of the classes × features weights) stays near 300 MB.
    solver: str = "lbfgs"
    max_iter: int = 3000

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ModelText:
    """What both vectorizers see: lower case, place names masked (see `classifier.places`)."""

    def __init__(self, masker: PlaceMasker) -> None:
        self.masker = masker

    def __call__(self, text: str) -> str:
        return self.masker(text.lower())


def build_pipeline(
    tokenizer: DomainTokenizer, params: PipelineParams, masker: PlaceMasker | None = None
) -> Pipeline:
    preprocessor = ModelText(masker or PlaceMasker(()))
    words = TfidfVectorizer(
        preprocessor=preprocessor,
        tokenizer=tokenizer,
        token_pattern=None,
        lowercase=False,
        ngram_range=params.word_ngrams,
        min_df=params.min_df,
        sublinear_tf=True,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        preprocessor=preprocessor,
        analyzer="char",
        ngram_range=params.char_ngrams,
        min_df=params.min_df,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float32,
    )
    model = LogisticRegression(
        C=params.c,
        solver=params.solver,
        max_iter=params.max_iter,
        class_weight=params.class_weight,
    )
    return Pipeline(
        [("features", FeatureUnion([("words", words), ("chars", chars)])), ("model", model)]
    )


def fit(
    pipeline: Pipeline,
    texts: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
) -> Pipeline:
    fit_params = {} if weights is None else {"model__sample_weight": np.asarray(weights)}
    pipeline.fit(list(texts), list(labels), **fit_params)
    _shrink(pipeline)
    return pipeline


def _shrink(pipeline: Pipeline) -> None:
    """float32 coefficients: half the memory and load time, no measurable accuracy cost."""
    model: LogisticRegression = pipeline.named_steps["model"]
    model.coef_ = model.coef_.astype(np.float32)
    model.intercept_ = model.intercept_.astype(np.float32)


def decisions(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """`pipeline.decision_function`, without its per-call validation and joblib dispatch.

    Those cost more than the arithmetic for one short message (about 1 ms of a 5 ms budget).
    """
    features: FeatureUnion = pipeline.named_steps["features"]
    matrix = sparse.hstack(
        [transformer.transform(texts) for _, transformer in features.transformer_list],
        format="csr",
    )
    model: LogisticRegression = pipeline.named_steps["model"]
    return np.asarray(matrix @ model.coef_.T) + model.intercept_


def probabilities(
    pipeline: Pipeline, texts: Sequence[str], temperature: float = 1.0
) -> np.ndarray:
    """Class probabilities: the softmax of the decision function divided by `temperature`.

    At temperature 1 this is exactly `predict_proba` of the multinomial logistic regression
    (a test holds the two equal); the calibrated temperature comes from training.
    """
    decision = decisions(pipeline, texts) / temperature
    if decision.shape[1] == 1:  # two classes: one logit for the second class
        positive = expit(decision[:, 0])
        return np.column_stack([1.0 - positive, positive])
    return softmax(decision, axis=1)


def feature_count(pipeline: Pipeline) -> int:
    features: FeatureUnion = pipeline.named_steps["features"]
    return sum(len(t.vocabulary_) for _, t in features.transformer_list)


__all__ = [
    "ModelText",
    "PipelineParams",
    "build_pipeline",
    "decisions",
    "feature_count",
    "fit",
    "probabilities",
]
