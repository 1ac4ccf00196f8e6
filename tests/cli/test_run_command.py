"""`whistle run` as a real process against a fake DingTalk that the test runs on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo_setup import bind_demo_organisation, ensure_demo_county
from models import schema
from models.db import make_engine, make_sessionmaker
from tests.support.console import REPORT
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk
from tests.support.home import Home

WHISTLE = [sys.executable, "-c", "from bot.cli import main; main()"]


def _environment(home: Path, **extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WHISTLE_")}
    return environment | {
        "WHISTLE_HOME": str(home),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        **extra,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_refuses_to_start_without_credentials(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*WHISTLE, "run"],
        capture_output=True,
        text=True,
        env=_environment(tmp_path),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "WHISTLE_DINGTALK_CLIENT_ID" in result.stderr
    assert "WHISTLE_DINGTALK_CLIENT_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def gateway() -> Iterator[FakeDingTalk]:
    fake = FakeDingTalk()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


async def test_run_serves_dingtalk_health_and_metrics_and_stops_cleanly(
    trained_home: Home, tmp_path: Path, gateway: FakeDingTalk
) -> None:
    home = trained_home.copy(tmp_path / "home").path
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603, ASYNC220 - our own CLI; Popen only starts it
        [*WHISTLE, "run", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(
            home,
            WHISTLE_DINGTALK_CLIENT_ID=CLIENT_ID,
            WHISTLE_DINGTALK_CLIENT_SECRET=CLIENT_SECRET,
            WHISTLE_DINGTALK_API_BASE=gateway.base_url,
        ),
    )
    try:
        await gateway.call(gateway.wait_connected(timeout=60))
        payload = gateway.chatbot_payload(REPORT, sender="gw1", conversation="cid-vg-dongguan")
        ack = await gateway.call(gateway.push_chatbot(payload))
        assert ack is not None
        assert ack["code"] == 200
        sent = await gateway.wait_sent(2)
        assert any("【已受理】" in s.text for s in sent)

        health = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/healthz")
        assert '"ok"' in health
        metrics = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/metrics")
        assert "whistle_messages_in_total 1" in metrics
        assert 'whistle_cases{state="reported"} 1' in metrics
        assert "whistle_outbox_depth" in metrics
    finally:
        process.send_signal(signal.SIGTERM)
        _out, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "已停止" in stderr
    assert "Traceback" not in stderr
    assert CLIENT_SECRET not in stderr


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def test_org_show_lists_people_with_their_dingtalk_ids(tmp_path: Path) -> None:
    """After `whistle run` bound the demo county on DingTalk (user id = person id, groups
    `cid-<id>`), `whistle org show --json` tells an administrator who is who."""

    async def prepare() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}")
        try:
            await schema.upgrade(engine)
            async with make_sessionmaker(engine).begin() as session:
                await ensure_demo_county(session, channels=("console",))
                assert await bind_demo_organisation(session, "dingtalk")
                assert not await bind_demo_organisation(session, "dingtalk")  # once only
        finally:
            await engine.dispose()

    asyncio.run(prepare())
    result = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*WHISTLE, "org", "show", "--json"],
        capture_output=True,
        text=True,
        env=_environment(tmp_path),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    people = {p["id"]: p for p in json.loads(result.stdout)["people"]}
    gw1 = people["gw1"]
    assert gw1["roles"] == ["grid_worker:清源街道/东关社区"]
    assert gw1["platform_user_ids"] == {"console": "gw1", "dingtalk": "gw1"}
    assert gw1["home_conversation"]["platform_ids"]["dingtalk"] == "cid-vg-dongguan"
    assert people["li-DEPT05"]["roles"] == ["liaison:DEPT05"]
    assert people["ad1"]["roles"] == ["admin"]


def test_run_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    empty = tmp_path / "county.db"
    result = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*WHISTLE, "run"],
        capture_output=True,
        text=True,
        env=_environment(
            tmp_path,
            WHISTLE_DATABASE_URL=f"sqlite+aiosqlite:///{empty}",
            WHISTLE_DINGTALK_CLIENT_ID=CLIENT_ID,
            WHISTLE_DINGTALK_CLIENT_SECRET=CLIENT_SECRET,
            WHISTLE_DINGTALK_API_BASE="http://127.0.0.1:9",
        ),
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "whistle db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
