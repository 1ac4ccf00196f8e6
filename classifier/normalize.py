"""Cleaning a field report before anything reads it.

Reports arrive typed on phones (full-width characters, Traditional IMEs, emoji, @-mentions),
dictated (DingTalk's speech recognition: no punctuation, filler sounds) or pasted with links.
Personal numbers are masked here too, because the normalised text is what travels onward.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

import opencc

MAX_CLASSIFIED_CHARS = 1000
"""Only the head of a very long message is classified: the problem is stated first."""

# DingTalk puts a space after every @-mention; a mention ends the message only after content,
# so "@东关社区门口有人占道" (no space, nothing else) is a report, not a mention.
_MENTION = re.compile(r"@[^\s@]{1,24}\s+|(?<=\S)\s+@[^\s@]{1,24}$")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff]+", re.IGNORECASE)
_DINGTALK_EMOTICON = re.compile(r"\[[\u4e00-\u9fff]{1,4}\]")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?(\d{3,4})(\d{4})(?!\d)")
_ID_CARD = re.compile(
    r"(?<![\dA-Za-z])(\d{3})\d{3}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}([\dXx])(?![\dA-Za-z])"
)
# Sounds of hesitation that never belong to a word; multi-character fillers such as 那个 or
# 就是 are dropped after segmentation instead, where they can be told apart from real words.
_HESITATION = re.compile(r"[嗯呃唔]+")
_SPACES = re.compile(r"\s+")
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Cf", "Me", "Mn"})


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_converter_lock = threading.Lock()


def to_simplified(text: str) -> str:
    # The OpenCC object is not documented as thread-safe; classification runs in worker threads.
    with _converter_lock:
        return _converter().convert(text)


def mask_personal_numbers(text: str) -> str:
    """Hide mobile, landline and ID-card numbers, keeping just enough to recognise them."""
    text = _ID_CARD.sub(lambda m: f"{m[1]}{'*' * 14}{m[2]}", text)
    text = _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", text)
    return _LANDLINE.sub(lambda m: f"{m[1]}-****{m[3]}", text)


def _drop_symbols(text: str) -> str:
    """Emoji, pictographs and invisible joiners carry nothing a classifier or official needs."""
    return "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )


def normalize(text: str) -> str:
    """The cleaned text: half-width, Simplified, no mentions/links/emoji, numbers masked."""
    text = unicodedata.normalize("NFKC", text)
    text = mask_personal_numbers(text)
    text = _MENTION.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _DINGTALK_EMOTICON.sub(" ", text)
    text = _drop_symbols(text)
    text = to_simplified(text)
    text = _HESITATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def for_classification(normalized: str) -> str:
    return normalized[:MAX_CLASSIFIED_CHARS]
