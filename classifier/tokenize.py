"""Word segmentation with jieba, taught the county's own vocabulary.

Each `DomainTokenizer` owns a `jieba.Tokenizer` (never jieba's global one, which other code
in the process could change) and a user dictionary built from the list: item names and
keywords, department names and aliases, township and village names. Without it jieba splits
"东关社区" or "综合执法局" into pieces and loses the cue.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

import jieba

USER_WORD_FREQUENCY = 2000
"""High enough that jieba keeps a domain term whole rather than splitting it."""

# Spoken fillers and particles: frequent in voice transcripts, meaningless for routing.
FILLER_WORDS = frozenset(
    {
        "那个", "这个", "就是", "就是说", "然后", "反正", "怎么说", "对吧", "的话", "那么",
        "啊", "吧", "呢", "呀", "啦", "哦", "噢", "哎", "唉", "哈", "嘛", "的", "了", "吗",
        "是", "有", "在", "也", "都", "还", "又", "很", "我", "我们", "你", "您",
    }
)  # fmt: skip
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_SPLIT_TERMS = re.compile(r"[\s,，、;；/（）()]+")


class DomainTokenizer:
    """A callable `text -> tokens` for scikit-learn, picklable without jieba's dictionary.

    Pickling keeps only the user words; jieba's main dictionary is loaded again (from jieba's
    own cache) the first time the restored tokenizer is used.
    """

    def __init__(self, user_words: Iterable[str]) -> None:
        self.user_words = tuple(sorted({w for w in user_words if 2 <= len(w) <= 16}))
        self._jieba: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def _tokenizer(self) -> jieba.Tokenizer:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = _build_jieba(self.user_words)
        return self._jieba

    def warm(self) -> None:
        """Load the dictionary now rather than on the first message."""
        self._tokenizer()

    def __call__(self, text: str) -> list[str]:
        return [
            token
            for token in self._tokenizer().lcut(text, HMM=True)
            if token not in FILLER_WORDS and _WORD.search(token)
        ]

    def __getstate__(self) -> dict[str, Any]:
        return {"user_words": self.user_words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.user_words = state["user_words"]
        self._jieba = None
        self._lock = threading.Lock()


def _build_jieba(user_words: tuple[str, ...]) -> jieba.Tokenizer:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in user_words:
        tokenizer.add_word(word, freq=USER_WORD_FREQUENCY)
    return tokenizer


def terms_from_phrases(phrases: Iterable[str]) -> set[str]:
    """Dictionary terms from names and keyword phrases: the phrase, and its listed parts."""
    terms: set[str] = set()
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        terms.add(phrase)
        terms.update(part for part in _SPLIT_TERMS.split(phrase) if part)
    return terms
