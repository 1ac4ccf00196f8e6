"""Who owns it: by code, by department alias, by matter."""

from __future__ import annotations

import pytest

from classifier.catalog import Catalog
from classifier.engine import Classifier
from classifier.lookup import lookup, subject_of


@pytest.mark.parametrize(
    ("query", "code"),
    [("谁负责秸秆焚烧", "D01-001"), ("违建归谁管", "D04-003"), ("井盖丢了找谁？", "D04-010")],
)
def test_matter_finds_its_item(
    trained: Classifier, demo_catalog: Catalog, query: str, code: str
) -> None:
    answer = lookup(query, demo_catalog, trained)
    assert answer.matched == "item"
    assert code in [a.item.code for a in answer.items]


@pytest.mark.parametrize("query", ["D03-007", "清单 d03-007", "D03007 归谁", "事项D03－007"])
def test_code_finds_exactly_that_item(demo_catalog: Catalog, query: str) -> None:
    answer = lookup(query, demo_catalog)
    assert answer.matched == "code"
    assert [a.item.code for a in answer.items] == ["D03-007"]


@pytest.mark.parametrize(
    ("query", "department"),
    [
        ("交通局", "县交通运输局"),
        ("城管管哪些事", "县综合行政执法局"),
        ("环保局负责什么", "县生态环境分局"),
        ("县住房和城乡建设局", "县住房和城乡建设局"),
    ],
)
def test_department_names_and_aliases_resolve(
    demo_catalog: Catalog, query: str, department: str
) -> None:
    answer = lookup(query, demo_catalog)
    assert answer.matched == "department"
    assert answer.department is not None
    assert answer.department.name == department
    assert answer.items
    assert all(a.item.lead_department == department for a in answer.items)
    assert all(department in i.cooperating_departments for i in answer.cooperating_items)


def test_lookup_works_without_a_trained_model(demo_catalog: Catalog) -> None:
    answer = lookup("谁负责秸秆焚烧", demo_catalog)
    assert answer.items[0].item.code == "D01-001"


def test_empty_question_finds_nothing(demo_catalog: Catalog) -> None:
    assert lookup("谁负责？", demo_catalog).matched == "none"


def test_subject_strips_the_question() -> None:
    assert subject_of("请问违建归谁管？") == "违建"


def test_answer_json_has_duties_and_limits(trained: Classifier, demo_catalog: Catalog) -> None:
    item = lookup("D01-001", demo_catalog, trained).as_json()["items"][0]
    assert item["lead_department"] == "县生态环境分局"
    assert item["township_duty"]
    assert item["response_hours"] == 2
    assert item["resolve_days"] == 3
    assert item["legal_basis"] == ["《中华人民共和国大气污染防治法》"]
