"""Normalisation: what a phone, an IME and speech recognition do to a report."""

from __future__ import annotations

import pytest

from classifier.normalize import mask_personal_numbers, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３，路灯坏了！", "ABC123,路灯坏了!"),
        ("東關社區門口電動車店把車擺到人行道上", "东关社区门口电动车店把车摆到人行道上"),
        ("@清河吹哨 村口路灯坏了", "村口路灯坏了"),
        ("＠清河吹哨　村口路灯坏了", "村口路灯坏了"),
        ("路灯坏了 https://t.cn/A6xyz 看图", "路灯坏了 看图"),
        ("路灯坏了😡😡👍🏻", "路灯坏了"),
        ("路灯坏了[捂脸][微笑]", "路灯坏了"),
        ("嗯 那个 村口嗯嗯路灯 呃 坏了", "那个 村口 路灯 坏了"),
        ("  村口 \n\t 路灯   坏了  ", "村口 路灯 坏了"),
        ("👍🎉", ""),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("联系人电话13812345678", "联系人电话138****5678"),
        ("电话 138-1234-5678 找他", "电话 138****5678 找他"),
        ("座机0311-5551234", "座机0311-****1234"),
        ("身份证号110101199003071234", "身份证号110**************4"),
        ("身份证11010119900307123X", "身份证110**************X"),
        ("编号2024001号楼", "编号2024001号楼"),
        ("门牌号138号", "门牌号138号"),
    ],
)
def test_personal_numbers_are_masked(raw: str, expected: str) -> None:
    assert mask_personal_numbers(raw) == expected


def test_full_width_phone_number_is_masked_after_normalising() -> None:
    assert normalize("电话：１３８１２３４５６７８") == "电话:138****5678"


def test_mention_without_space_is_not_swallowed() -> None:
    assert "东关社区门口" in normalize("@东关社区门口有人占道")
