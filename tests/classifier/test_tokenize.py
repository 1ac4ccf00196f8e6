"""The domain tokenizer: county words stay whole, fillers go, jieba's global state is untouched."""

from __future__ import annotations

import pickle

import jieba

from classifier.catalog import Catalog
from classifier.tokenize import DomainTokenizer, terms_from_phrases


def test_county_vocabulary_is_kept_whole(demo_catalog: Catalog) -> None:
    tokenizer = DomainTokenizer(demo_catalog.dictionary_terms())
    tokens = tokenizer("东关社区门口电动车专卖店出店经营，综合执法局管不管")
    assert "东关社区" in tokens
    assert "综合执法局" in tokens
    assert "出店经营" in tokens


def test_place_and_alias_terms_come_from_the_catalog(demo_catalog: Catalog) -> None:
    terms = demo_catalog.dictionary_terms()
    assert {"河头村", "柳河镇", "城管", "环保局", "烧秸秆", "县综合行政执法局"} <= terms


def test_fillers_and_punctuation_are_dropped() -> None:
    tokenizer = DomainTokenizer(["路灯"])
    assert tokenizer("那个 就是 然后 路灯，坏了！") == ["路灯", "坏"]


def test_own_instance_leaves_global_jieba_alone() -> None:
    word = "吹哨测试专用词"
    DomainTokenizer([word])("里面有吹哨测试专用词吗")
    assert word not in jieba.lcut(f"里面有{word}吗")


def test_pickle_keeps_only_the_user_words() -> None:
    tokenizer = DomainTokenizer(["东关社区", "电动车店"])
    tokenizer.warm()
    data = pickle.dumps(tokenizer)
    assert len(data) < 2_000
    restored = pickle.loads(data)  # noqa: S301 - our own object
    assert restored("东关社区电动车店") == ["东关社区", "电动车店"]


def test_terms_from_phrases_splits_listed_parts() -> None:
    assert terms_from_phrases(["占道经营、流动摊贩", " "]) == {
        "占道经营、流动摊贩",
        "占道经营",
        "流动摊贩",
    }
