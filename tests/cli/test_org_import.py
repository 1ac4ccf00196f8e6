"""`whistle org import`: a county's own groups and people, checked whole before anything is
written; people are known on DingTalk by their id, groups once bound in chat."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.conftest import WhistleFactory, json_of

DEMO = Path(__file__).resolve().parents[2] / "data" / "county-demo"


def test_people_are_imported_and_known_on_dingtalk_by_their_id(
    whistle: WhistleFactory, migrated_url: str
) -> None:
    run = whistle(migrated_url)
    assert run("import-list", str(DEMO)).exit_code == 0
    imported = json_of(run("org", "import", str(DEMO), "--json"))
    assert imported == {"status": "imported", "people": 40, "conversations": 39}
    people = {p["id"]: p for p in json_of(run("org", "show", "--json"))["people"]}
    assert len(people) == 40
    gw1 = people["gw1"]
    assert gw1["platform_user_ids"] == {"console": "gw1", "dingtalk": "gw1"}
    # A real DingTalk group's id is opaque: bound later with 绑定本群, never guessed.
    assert "dingtalk" not in (gw1["home_conversation"]["platform_ids"] or {})
    again = run("org", "import", str(DEMO))  # a re-import updates, it does not duplicate
    assert again.exit_code == 0
    assert len(json_of(run("org", "show", "--json"))["people"]) == 40


def test_an_organisation_needs_the_list_first(whistle: WhistleFactory, migrated_url: str) -> None:
    run = whistle(migrated_url)
    result = run("org", "import", str(DEMO))
    assert result.exit_code != 0
    assert "请先导入责任清单" in result.output
    assert json_of(run("org", "show", "--json"))["people"] == []


def test_a_bad_file_is_refused_whole(
    tmp_path: Path, whistle: WhistleFactory, migrated_url: str
) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    shutil.copy(DEMO / "conversations.csv", folder)
    rows = (DEMO / "people.csv").read_text(encoding="utf-8").splitlines()
    rows.append("gw99,赵六,grid_worker:不存在镇/某村,vg-dongguan")
    (folder / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = whistle(migrated_url)
    assert run("import-list", str(DEMO)).exit_code == 0
    refused = json_of(run("org", "import", str(folder), "--json"))
    assert refused["status"] == "invalid"
    assert any("不存在镇" in p["reason"] for p in refused["problems"])
    assert json_of(run("org", "show", "--json"))["people"] == []  # nothing half-written
