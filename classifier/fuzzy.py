"""Keyword and name matching with rapidfuzz: the list's own words, found in a report.

The linear model generalises; this catches the short report that is little more than a
keyword ("烧秸秆了") or a near-miss spelling of an item name, where n-gram statistics are thin.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

MIN_PHRASE_CHARS = 3
"""Two-character phrases match by accident too often (路灯 is in 村内路灯 and 城区路灯)."""


class KeywordMatcher:
    """Phrases (item names and keywords) and the label index each phrase belongs to."""

    def __init__(self, phrases: Sequence[str], owners: Sequence[int], label_count: int) -> None:
        self.phrases = tuple(phrases)
        self.label_count = label_count
        self._owners = np.asarray(owners, dtype=np.int64)
        self._lengths = np.fromiter((len(p) for p in self.phrases), dtype=np.float32)
        # Character counts per phrase: an upper bound on how much of a phrase any text can
        # match, cheap enough to skip the ~95 % of phrases that cannot reach the cutoff.
        self._chars = {ch: i for i, ch in enumerate(sorted({c for p in self.phrases for c in p}))}
        rows, cols, counts = [], [], []
        for row, phrase in enumerate(self.phrases):
            for ch in set(phrase):
                rows.append(row)
                cols.append(self._chars[ch])
                counts.append(phrase.count(ch))
        self._char_counts = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float32), (rows, cols)),
            shape=(len(self.phrases), len(self._chars)),
        )

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
        candidates = self._candidates(text, cutoff)
        if candidates.size == 0:
            return result
        phrases = [self.phrases[i] for i in candidates]
        partial = process.cdist([text], phrases, scorer=fuzz.partial_ratio)[0]
        whole = process.cdist([text], phrases, scorer=fuzz.ratio)[0]
        scores = np.where(self._lengths[candidates] > len(text), whole, partial)
        hits = np.flatnonzero(scores >= cutoff)
        if hits.size == 0:
            return result
        values = (scores[hits] - cutoff) / max(100.0 - cutoff, 1e-9)
        np.maximum.at(result, self._owners[candidates[hits]], values.astype(np.float32))
        return result

    def _candidates(self, text: str, cutoff: float) -> np.ndarray:
        """Phrases that could reach `cutoff`: rapidfuzz's ratios are 2·M/(len₁+len₂) with M
        the matched characters, and M is at most the phrase's characters present in the text.
        """
        present = [self._chars[ch] for ch in set(text) if ch in self._chars]
        if not text or not present:
            return np.empty(0, dtype=np.int64)
        indicator = np.zeros(len(self._chars), dtype=np.float32)
        indicator[present] = 1.0
        reachable = self._char_counts @ indicator
        # ratio (phrase longer than text): M ≥ c·(Lp+Lt)/2. partial_ratio also scores shorter
        # windows at the text's edges, 2M/(Lp+Lw) with Lw ≥ M, which needs M ≥ c·Lp/(2−c).
        share = cutoff / 100.0
        needed = np.where(
            self._lengths > len(text),
            share * (self._lengths + len(text)) / 2.0,
            share * self._lengths / (2.0 - share),
        )
        return np.flatnonzero(reachable + 1e-6 >= needed)
