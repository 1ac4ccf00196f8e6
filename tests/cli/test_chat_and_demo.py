"""`whistle chat --json` driven line by line through a pipe, and `whistle demo`: real processes."""

from __future__ import annotations

import json
import os
import selectors
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.console import REPORT
from tests.support.home import Home

WHISTLE = [sys.executable, "-c", "from bot.cli import main; main()"]
REPLY_TIMEOUT = 60.0  # the first line loads the model


def _environment(home: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WHISTLE_")}
    return environment | {"WHISTLE_HOME": str(home), "COLUMNS": "120"}


class PipedChat:
    """`whistle chat --json` with its stdin and stdout as pipes; one line in, replies out."""

    def __init__(self, home: Path, *options: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
            [*WHISTLE, "chat", "--json", *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(home),
        )
        assert self.process.stdout is not None
        # Raw reads on the descriptor: a buffered reader would swallow lines that select()
        # then no longer sees.
        self.fd = self.process.stdout.fileno()
        self.pending = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)
        self.received: list[dict[str, Any]] = []

    def send(self, line: str, *, replies: bool = True) -> list[dict[str, Any]]:
        """Write one line; when it should be answered, wait for the answer before returning —
        so the next line is only written once this one's reply has been seen."""
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode("utf-8"))
        self.process.stdin.flush()
        if not replies:
            return []
        got = [self._read(REPLY_TIMEOUT)]
        while (more := self._read(0.5, required=False)) is not None:
            got.append(more)
        self.received.extend(got)
        return got

    def _read(self, timeout: float, *, required: bool = True) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(timeout=left):
                break
            chunk = os.read(self.fd, 65536)
            if not chunk:
                break  # end of output: the process has exited
            self.pending += chunk
        if b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            return json.loads(line.decode("utf-8"))
        if required:
            self.process.kill()
            _, stderr = self.process.communicate()
            pytest.fail(f"no reply within {timeout} s; stderr: {stderr.decode('utf-8')}")
        return None

    def close(self) -> tuple[int, str]:
        """End of input (as at the end of a pipe): the process must finish on its own."""
        self.selector.close()
        rest, stderr = self.process.communicate(timeout=30)
        for line in (self.pending + rest).decode("utf-8").splitlines():
            self.received.append(json.loads(line))
        return self.process.returncode, stderr.decode("utf-8")


@pytest.fixture
def chat_home(trained_home: Home, tmp_path: Path) -> Path:
    return trained_home.copy(tmp_path / "home").path


def _case_number(messages: list[dict[str, Any]]) -> str:
    numbers = {m["case"] for m in messages if "case" in m}
    assert len(numbers) == 1, messages
    return numbers.pop().rsplit("-", 1)[1]


def _database(home: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "whistle.db") as connection:
        return connection.execute(query).fetchall()


def test_the_piped_acceptance_scenario_closes_the_case_with_a_rating(chat_home: Path) -> None:
    chat = PipedChat(chat_home)
    chat.send("/as gw1", replies=False)
    receipt = chat.send(REPORT)
    n = _case_number(receipt)
    assert receipt[0]["conversation"] == "vg-dongguan"
    assert receipt[0]["status"] == "待确认"
    review = next(m for m in receipt if m["conversation"] == "tg-T01")
    assert review["card"]["buttons"][0] == "确认吹哨"
    assert review["to"] == ["ts1"]

    chat.send("/as ts1", replies=False)
    whistled = chat.send("/click 确认吹哨")
    assert any(
        m["conversation"] == "dg-DEPT05" and m["status"] == "已吹哨待签收" for m in whistled
    )

    chat.send("/as gw2", replies=False)
    [refusal] = chat.send(f"签收 {n}")
    assert refusal["conversation"] == "vg-hetou"
    assert "签收" in refusal["text"]
    assert _database(chat_home, "SELECT status FROM cases") == [("dispatched",)]

    chat.send("/as li-DEPT05", replies=False)
    signed = chat.send(f"签收 {n}")
    assert signed[0]["status"] == "已签收办理中"
    chat.send(f"办结 {n} 已责令店主将车辆移回店内")
    chat.send("/as ts1", replies=False)
    chat.send(f"评价 {n} 满意")
    [shown] = chat.send(f"查 {n}")
    assert shown["status"] == "已结案"
    assert any(value == "已结案" for _label, value in shown["card"]["fields"]), shown
    code, stderr = chat.close()
    assert code == 0, stderr
    assert "Traceback" not in stderr

    assert _database(chat_home, "SELECT status FROM cases") == [("closed",)]
    assert _database(chat_home, "SELECT kind, value, rater_id FROM ratings") == [
        ("rating", "satisfied", "ts1")
    ]
    events = _database(chat_home, "SELECT kind FROM case_events ORDER BY id")
    assert [kind for (kind,) in events] == ["report", "confirm", "sign", "resolve", "rate"]
    # Every stdout line was one JSON object with the documented keys.
    for message in chat.received:
        assert {"conversation", "to", "text"} <= message.keys()


def test_chat_answers_bad_lines_and_keeps_going(chat_home: Path) -> None:
    chat = PipedChat(chat_home)
    chat.send("/click 确认吹哨", replies=False)  # no persona yet: a notice on stderr
    chat.send("/as nobody", replies=False)
    chat.send("/as gw1", replies=False)
    chat.send("/advance soon", replies=False)
    [answer] = chat.send("查 9999")
    assert "9999" in answer["text"]
    code, stderr = chat.close()
    assert code == 0
    assert "请先用 /as" in stderr
    assert "没有人员“nobody”" in stderr
    assert "Traceback" not in stderr


def _whistle(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*WHISTLE, *args],
        capture_output=True,
        text=True,
        env=_environment(home),
        timeout=300,
        check=False,
    )


def test_demo_plays_the_whole_loop_and_starts_afresh_each_time(chat_home: Path) -> None:
    shown = _whistle(chat_home, "demo")
    assert shown.returncode == 0, shown.stderr
    screen = shown.stdout
    for stage in ("【已受理】", "按下【确认吹哨】", "【签收报到】", "【进展】", "【请评价】"):
        assert stage in screen
    assert "案件已结案" in screen
    assert "退回待裁定" in screen
    assert "按下【维持原派】" in screen
    assert "【镇街自办】" in screen
    assert "的责任归属" in screen
    assert "【催办】" in screen
    assert "【超期督办】" in screen
    assert "【每日汇总】" in screen
    assert "whistle chat" in screen.splitlines()[-1]
    assert "Traceback" not in shown.stderr

    again = _whistle(chat_home, "demo", "--json")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert (data["list_version"], data["items"], data["townships"], data["villages"]) == (
        1,
        127,
        8,
        50,
    )
    assert sum(data["departments"].values()) == 29
    sent = [line["message"] for line in data["walkthrough"] if line["kind"] == "sent"]
    last_status = {m["case"].rsplit("-", 1)[1]: m["status"] for m in sent if "case" in m}
    # A fresh walk-through file each run: the same three cases, the same ending.
    assert last_status == {"0001": "已结案", "0002": "已签收办理中", "0003": "已结案"}
    # The walk-through never touches the database `whistle chat` uses.
    assert _database(chat_home, "SELECT count(*) FROM cases") == [(0,)]
    assert _database(chat_home, "SELECT count(*) FROM people")[0][0] > 30


def test_piped_timers_arrive_at_working_time_once_each(chat_home: Path) -> None:
    """Issue 6's acceptance: confirmed on a Friday 16:00 (response 24 h, resolve 3 working
    days), then the clock moved over the weekend in steps."""
    chat = PipedChat(chat_home, "--start", "2026-11-20 16:00")
    chat.send("/as gw1", replies=False)
    chat.send(REPORT)
    chat.send("/as ts1", replies=False)
    chat.send("/click 确认吹哨")
    for step in ("12h", "1d", "1d", "12h", "1d", "1d"):
        chat.send(f"/advance {step}", replies=False)
    code, stderr = chat.close()
    assert code == 0, stderr
    timers = [
        (m["at"], m["conversation"], m["text"][:6])
        for m in chat.received
        if m["text"].startswith(("【催办】", "【超期督办】"))
    ]
    assert timers == [
        ("2026-11-23 08:30", "dg-DEPT05", "【催办】QH"),
        ("2026-11-23 11:12", "dg-DEPT05", "【催办】QH"),
        ("2026-11-23 16:00", "dg-DEPT05", "【超期督办】"),
        ("2026-11-23 16:00", "dc", "【超期督办】"),
        ("2026-11-24 08:30", "dg-DEPT05", "【催办】QH"),  # resolve window, 50 %
        ("2026-11-24 16:00", "dg-DEPT05", "【超期督办】"),  # still unsigned: daily
        ("2026-11-24 16:00", "dc", "【超期督办】"),
        ("2026-11-25 08:30", "dg-DEPT05", "【催办】QH"),  # resolve window, 80 %
        ("2026-11-25 16:00", "dg-DEPT05", "【超期督办】"),
        ("2026-11-25 16:00", "dc", "【超期督办】"),
    ]
