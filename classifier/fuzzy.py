"""Keyword and name matching with rapidfuzz: the list's own words, found in a report.

The linear model generalises; this catches the short report that is little more than a
keyword ("烧秸秆了") or a near-miss spelling of an item name, where n-gram statistics are thin.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

MIN_PHRASE_CHARS = 3
"""Two-character phrases match by accident too often (路灯 is in 村内路灯 and 城区路灯)."""


class KeywordMatcher:
    """Phrases (item names and keywords) and the label index each phrase belongs to."""

    def __init__(self, phrases: Sequence[str], owners: Sequence[int], label_count: int) -> None:
        self.phrases = tuple(phrases)
        self.label_count = label_count
        self._owners = np.asarray(owners, dtype=np.int64)
        self._lengths = np.fromiter((len(p) for p in self.phrases), dtype=np.int32)

    @classmethod
    def build(
        cls, labels: Sequence[str], phrases_by_label: dict[str, Sequence[str]]
    ) -> KeywordMatcher:
        index = {label: i for i, label in enumerate(labels)}
        phrases: list[str] = []
        owners: list[int] = []
        for label, label_phrases in phrases_by_label.items():
            for phrase in dict.fromkeys(label_phrases):
                if len(phrase) >= MIN_PHRASE_CHARS and label in index:
                    phrases.append(phrase)
                    owners.append(index[label])
        return cls(phrases, owners, len(labels))

    def scores(self, text: str, cutoff: float) -> np.ndarray:
        """Per label, the best phrase match in [0, 1] (0 below `cutoff` on rapidfuzz's 0–100).

        partial_ratio finds a phrase inside a longer report; a phrase longer than the report
        is compared whole (ratio), so a two-word message does not match every long item name.
        """
        result = np.zeros(self.label_count, dtype=np.float32)
        if not text or not self.phrases:
            return result
        partial = process.cdist([text], self.phrases, scorer=fuzz.partial_ratio)[0]
        whole = process.cdist([text], self.phrases, scorer=fuzz.ratio)[0]
        scores = np.where(self._lengths > len(text), whole, partial)
        hits = np.flatnonzero(scores >= cutoff)
        if hits.size == 0:
            return result
        values = (scores[hits] - cutoff) / max(100.0 - cutoff, 1e-9)
        np.maximum.at(result, self._owners[hits], values.astype(np.float32))
        return result
