"""`whistle import-list` and `whistle list show`, as an official would run them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select, text

from models.db import make_engine
from models.tables import Base
from tests.cli.conftest import WhistleFactory, json_of
from tests.support.list_files import copy_list, read_rows, set_cell, to_workbook, write_rows

ITEM_FIELDS = {
    "code",
    "domain",
    "name",
    "kind",
    "lead_department",
    "cooperating_departments",
    "township_duty",
    "county_duty",
    "legal_basis",
    "response_hours",
    "resolve_days",
    "standard",
    "keywords",
}


def row_counts(url: str) -> dict[str, int]:
    async def collect() -> dict[str, int]:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return {
                    name: await connection.scalar(select(func.count()).select_from(table)) or 0
                    for name, table in Base.metadata.tables.items()
                }
        finally:
            await engine.dispose()

    return asyncio.run(collect())


def test_import_then_unchanged(
    whistle: WhistleFactory, migrated_url: str, demo_county: Path
) -> None:
    run = whistle(migrated_url)
    first = run("import-list", str(demo_county))
    assert first.exit_code == 0, first.output
    assert "已导入" in first.stdout
    assert "127" in first.stdout
    assert "生态环境" in first.stdout

    again = run("import-list", str(demo_county), "--json")
    assert again.exit_code == 0, again.output
    report = json_of(again)
    assert report["status"] == "unchanged"
    assert report["list_version"] == 1
    assert report["items"] == 127
    assert report["items_by_kind"] == {"配合履职": 94, "基本履职": 19, "上级收回": 14}
    assert report["items_by_domain"]["城市管理"] == {"配合履职": 9, "基本履职": 1, "上级收回": 2}
    assert row_counts(migrated_url)["list_versions"] == 1
    assert "unchanged" in run("import-list", str(demo_county)).stdout


def test_workbook_imports_to_the_same_version(
    whistle: WhistleFactory,
    migrated_url: str,
    demo_county: Path,
    tmp_path: Path,
) -> None:
    run = whistle(migrated_url)
    workbook = to_workbook(demo_county, tmp_path / "清河县清单.xlsx")
    imported = json_of(run("import-list", str(workbook), "--json"))
    assert imported["status"] == "imported"
    from_csv = json_of(run("import-list", str(demo_county), "--json"))
    assert from_csv["status"] == "unchanged"
    assert from_csv["content_hash"] == imported["content_hash"]


def test_bad_list_reports_all_errors_and_changes_nothing(
    whistle: WhistleFactory,
    migrated_url: str,
    demo_county: Path,
    tmp_path: Path,
) -> None:
    run = whistle(migrated_url)
    assert run("import-list", str(demo_county)).exit_code == 0
    before = row_counts(migrated_url)

    bad = copy_list(demo_county, tmp_path / "bad")
    lead_row = set_cell(bad, "responsibility_list", "D03-004", "lead_department", "县城建局")
    days_row = set_cell(bad, "responsibility_list", "D06-002", "resolve_days", "五")
    rows = read_rows(bad, "responsibility_list")
    rows[20]["code"] = rows[10]["code"]
    write_rows(bad, "responsibility_list", rows)

    result = run("import-list", str(bad))
    assert result.exit_code != 0
    assert "3 处错误" in result.stderr
    assert f"第 {lead_row} 行 lead_department 列" in result.stderr
    assert "第 22 行 code 列" in result.stderr
    assert f"第 {days_row} 行 resolve_days 列" in result.stderr
    assert row_counts(migrated_url) == before

    as_json = run("import-list", str(bad), "--json")
    assert as_json.exit_code != 0
    problems = json_of(as_json)["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {
        (lead_row, "lead_department"),
        (22, "code"),
        (days_row, "resolve_days"),
    }


def test_list_show_json_has_every_field(
    whistle: WhistleFactory, migrated_url: str, demo_county: Path
) -> None:
    run = whistle(migrated_url)
    run("import-list", str(demo_county))
    item = json_of(run("list", "show", "D01-001", "--json"))
    assert set(item) >= ITEM_FIELDS
    assert item["code"] == "D01-001"
    assert item["lead_department"] == "县生态环境分局"
    assert item["cooperating_departments"] == ["县农业农村局", "县消防救援大队"]
    assert item["response_hours"] == 2
    assert item["resolve_days"] == 3
    assert item["standard"] is True
    assert "烧秸秆" in item["keywords"]

    human = run("list", "show", "d04-002")
    assert human.exit_code == 0
    assert "县综合行政执法局" in human.stdout
    assert "个工作日" in human.stdout


def test_list_show_unknown_code_and_empty_database(
    whistle: WhistleFactory, migrated_url: str, demo_county: Path
) -> None:
    run = whistle(migrated_url)
    empty = run("list", "show", "D01-001")
    assert empty.exit_code == 1
    assert "尚未导入责任清单" in empty.stderr
    run("import-list", str(demo_county))
    unknown = run("list", "show", "D01-010")
    assert unknown.exit_code == 1
    assert "没有事项 D01-010" in unknown.stderr
    assert "相近的编码" in unknown.stderr
    assert "D01-009" in unknown.stderr


def test_commands_refuse_an_unmigrated_database(
    whistle: WhistleFactory, database_url: str, demo_county: Path
) -> None:
    run = whistle(database_url)
    result = run("import-list", str(demo_county))
    assert result.exit_code == 3
    assert "whistle db upgrade" in result.stderr
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "已升级" in upgraded.stdout
    assert "已是最新" in run("db", "upgrade").stdout
    assert run("import-list", str(demo_county)).exit_code == 0


def test_outdated_database_names_the_fixing_command(
    whistle: WhistleFactory, migrated_url: str
) -> None:
    async def downgrade_marker() -> None:
        engine = make_engine(migrated_url)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0000'"))
        await engine.dispose()

    asyncio.run(downgrade_marker())
    result = whistle(migrated_url)("list", "show", "D01-001")
    assert result.exit_code == 3
    assert "比本程序新" in result.stderr
