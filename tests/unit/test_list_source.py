"""The list source: the demo county reads cleanly and every kind of mistake is located."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from models.list_source import ImportProblem, ListContent, load_list_source
from tests.support.list_files import (
    copy_list,
    read_rows,
    set_cell,
    to_workbook,
    write_rows,
)


def problems_of(path: Path) -> list[ImportProblem]:
    result = load_list_source(path)
    assert not isinstance(result, ListContent), "expected the source to be rejected"
    return result


@pytest.fixture
def editable(demo_county: Path, tmp_path: Path) -> Path:
    return copy_list(demo_county, tmp_path / "list")


def test_demo_county_matches_its_readme(demo_county: Path) -> None:
    content = load_list_source(demo_county)
    assert isinstance(content, ListContent)
    assert len(content.departments) == 29
    assert len(content.townships) == 8
    assert sum(len(t.villages) for t in content.townships) == 50
    assert len(content.items) == 127
    assert len({item.domain for item in content.items}) == 16
    kinds = Counter(item.kind for item in content.items)
    assert kinds == {"配合履职": 94, "基本履职": 19, "上级收回": 14}
    assert sum(not item.standard for item in content.items) == 19
    assert Counter(item.response_hours for item in content.items) == {2: 20, 12: 17, 24: 90}
    d01 = next(item for item in content.items if item.code == "D01-001")
    assert d01.lead_department == "县生态环境分局"
    assert d01.cooperating_departments == ("县农业农村局", "县消防救援大队")
    assert "烧秸秆" in d01.keywords


def test_workbook_gives_the_same_content_as_the_folder(editable: Path, tmp_path: Path) -> None:
    from_csv = load_list_source(editable)
    from_xlsx = load_list_source(to_workbook(editable, tmp_path / "list.xlsx"))
    assert isinstance(from_csv, ListContent)
    assert from_xlsx == from_csv
    assert from_xlsx.content_hash() == from_csv.content_hash()


def test_the_three_acceptance_errors_are_all_reported(editable: Path) -> None:
    lead_row = set_cell(editable, "responsibility_list", "D02-001", "lead_department", "县交通局")
    days_row = set_cell(editable, "responsibility_list", "D09-002", "resolve_days", "五")
    rows = read_rows(editable, "responsibility_list")
    rows[40]["code"] = rows[3]["code"]  # row 42 repeats the code of row 5
    write_rows(editable, "responsibility_list", rows)

    problems = problems_of(editable)

    located = {(p.source, p.row, p.column) for p in problems}
    assert located == {
        ("responsibility_list.csv", lead_row, "lead_department"),
        ("responsibility_list.csv", 42, "code"),
        ("responsibility_list.csv", days_row, "resolve_days"),
    }
    reasons = " ".join(p.describe() for p in problems)
    assert "未知部门“县交通局”" in reasons
    assert "重复（第 5 行已出现）" in reasons
    assert "“五”不是正整数" in reasons


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("kind", "配合", "不是有效取值"),
        ("response_hours", "0", "必须大于 0"),
        ("response_hours", "-3", "必须大于 0"),
        ("resolve_days", "2.5", "不是正整数"),
        ("name", "", "必填项为空"),
        ("standard", "Y", "不是有效取值"),
        ("lead_department", "环保局", "请填写全称“县生态环境分局”"),
        ("lead_department", "县社会治理指挥中心", "不能作为牵头部门"),
        ("lead_department", "乡镇（街道）", "应由县级部门牵头"),
        ("cooperating_departments", "县农业农村局;县农业农村局", "配合部门重复"),
        ("cooperating_departments", "县生态环境分局", "已是牵头部门"),
        ("code", "D01 001", "不能含空格"),
    ],
)
def test_each_item_mistake_names_row_column_and_reason(
    editable: Path, column: str, value: str, reason: str
) -> None:
    row = set_cell(editable, "responsibility_list", "D01-001", column, value)
    problems = problems_of(editable)
    assert [(p.row, p.column) for p in problems] == [(row, column)]
    assert reason in problems[0].reason


def test_basic_items_must_be_led_by_the_township(editable: Path) -> None:
    code = next(
        r["code"] for r in read_rows(editable, "responsibility_list") if r["kind"] == "基本履职"
    )
    row = set_cell(editable, "responsibility_list", code, "lead_department", "县住房和城乡建设局")
    (problem,) = problems_of(editable)
    assert (problem.row, problem.column) == (row, "lead_department")


def test_department_and_township_tables_are_checked(editable: Path) -> None:
    set_cell(editable, "departments", "DEPT03", "kind", "bureau")
    set_cell(editable, "departments", "DEPT05", "aliases", "环保局")  # belongs to DEPT02
    set_cell(editable, "townships", "T02", "villages", "南关社区;南关社区")
    set_cell(editable, "townships", "T03", "name", "清源街道")
    found = {(p.source, p.row, p.column) for p in problems_of(editable)}
    assert found == {
        ("departments.csv", 4, "kind"),
        ("departments.csv", 6, "aliases"),
        ("townships.csv", 3, "villages"),
        ("townships.csv", 4, "name"),
    }


def test_missing_file_and_missing_column(editable: Path) -> None:
    (editable / "townships.csv").unlink()
    rows = read_rows(editable, "departments")
    for row in rows:
        del row["kind"]
    write_rows(editable, "departments", rows)
    problems = problems_of(editable)
    described = [p.describe() for p in problems]
    assert any(d.startswith("townships.csv：缺少此文件") for d in described)
    assert any("departments.csv" in d and "表头缺少列：kind" in d for d in described)


def test_missing_sheet_in_workbook(editable: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = to_workbook(editable, tmp_path / "list.xlsx")
    workbook = load_workbook(path)
    del workbook["townships"]
    workbook.save(path)
    (problem,) = problems_of(path)
    assert problem.source == "list.xlsx 的 townships 工作表"
    assert "缺少此工作表" in problem.reason


def test_gbk_csv_from_excel_and_full_width_separator_are_accepted(editable: Path) -> None:
    expected = load_list_source(editable)
    path = editable / "responsibility_list.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("县农业农村局;县消防救援大队", "县农业农村局；县消防救援大队")
    path.write_bytes(text.encode("gb18030"))
    assert load_list_source(editable) == expected


def test_blank_rows_are_ignored_and_bom_is_tolerated(editable: Path) -> None:
    expected = load_list_source(editable)
    path = editable / "townships.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b",,,\n\n")
    assert load_list_source(editable) == expected


def test_not_a_list_source(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert "不支持的文件类型" in problems_of(tmp_path / "notes.txt")[0].reason
    assert "路径不存在" in problems_of(tmp_path / "missing")[0].reason
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert "无法读取工作簿" in problems_of(tmp_path / "broken.xlsx")[0].reason


def test_content_hash_ignores_layout_but_not_content(editable: Path) -> None:
    before = load_list_source(editable)
    assert isinstance(before, ListContent)
    set_cell(editable, "responsibility_list", "D01-001", "keywords", "烧秸秆 ; 烧麦秸")
    changed = load_list_source(editable)
    assert isinstance(changed, ListContent)
    assert changed.content_hash() != before.content_hash()


def test_problems_come_in_row_order(editable: Path) -> None:
    set_cell(editable, "responsibility_list", "D09-002", "resolve_days", "五")
    rows = read_rows(editable, "responsibility_list")
    rows[20]["code"] = rows[10]["code"]
    rows[5]["kind"] = "其他"
    write_rows(editable, "responsibility_list", rows)
    found = [problem.row for problem in problems_of(editable)]
    assert found == sorted(found)
    assert len(found) == 3
