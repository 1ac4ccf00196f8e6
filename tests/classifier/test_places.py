"""Place names are masked before the text model sees them, keeping the kind of place."""

from __future__ import annotations

import pickle

from classifier.places import PLACE_MARK, PlaceMasker

P = PLACE_MARK
MASKER = PlaceMasker(["柳河镇", "河头村", "后石桥村", "石桥村", "东关社区", "城南街道", "王村"])


def test_full_names_keep_their_kind() -> None:
    assert MASKER("柳河镇河头村村口") == f"{P}镇{P}村村口"
    assert MASKER("东关社区门口，城南街道办") == f"{P}社区门口，{P}街道办"


def test_bare_names_are_masked_and_longest_name_wins() -> None:
    assert MASKER("河头那边") == f"{P}那边"
    assert MASKER("后石桥村和石桥村") == f"{P}村和{P}村"


def test_single_character_cores_stay_whole() -> None:
    """王村 would otherwise mask every 王 (a surname) in the county."""
    assert MASKER("王村的老王") == f"{P}的老王"


def test_anonymised_corpus_places_are_masked() -> None:
    assert PlaceMasker(())("A市A7县B3区的事，PM2.5超标") == f"{P}市{P}县{P}区的事，PM2.5超标"


def test_text_without_places_is_unchanged_and_masker_pickles() -> None:
    assert MASKER("路灯坏了") == "路灯坏了"
    assert pickle.loads(pickle.dumps(MASKER)) == MASKER  # noqa: S301 (our own bytes)
