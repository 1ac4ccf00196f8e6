"""The pure parts of the DingTalk channel: rendering, rate limit, backoff, metrics text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.channels.dingtalk import render
from bot.channels.dingtalk.sender import RateLimiter, backoff
from bot.web import metrics_text
from handlers.messages import Button, Card, Outgoing

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _card_message() -> Outgoing:
    card = Card(
        title="【吹哨】QH-20261123-0001 店外经营",
        fields=(("事项", "D04-002"), ("签收时限", "11月24日(周二) 09:10前")),
        buttons=(
            Button("签收报到", "签收 0001", "签收 0001"),
            Button("退回", "ask:退回 0001 原因…", "退回 0001 原因…"),
        ),
        note="配合部门：县市场监督管理局",
    )
    return Outgoing(
        conversation="dg-DEPT05",
        text="请县综合行政执法局签收报到。",
        card=card,
        mentions=("li-DEPT05",),
        case_number="QH-20261123-0001",
        case_status="已吹哨待签收",
        card_key="case-1-department",
    )


def test_a_card_without_template_is_markdown_with_its_commands_and_mentions() -> None:
    body = render.session_body(_card_message(), ["li-DEPT05"])
    text = body["markdown"]["text"]  # type: ignore[index]
    assert text.startswith("@li-DEPT05")
    assert "#### 【吹哨】QH-20261123-0001" in text
    assert "- **签收时限**：11月24日(周二) 09:10前" in text
    assert "`签收 0001`" in text
    assert "`退回 0001 原因…`" in text
    assert body["at"] == {"atUserIds": ["li-DEPT05"], "isAtAll": False}
    assert len(body["markdown"]["title"]) <= render.TITLE_LENGTH  # type: ignore[index]


def test_card_parameters_are_all_strings() -> None:
    params = render.card_params(_card_message())
    assert all(isinstance(value, str) for value in params.values())
    assert json.loads(params["buttons"])[0] == {"label": "签收报到", "action": "签收 0001"}
    assert params["status"] == "已吹哨待签收"


def test_rate_limit_is_per_conversation_per_minute() -> None:
    limiter = RateLimiter(2)
    assert limiter.next_slot("a", T0) is None
    limiter.record("a", T0)
    limiter.record("a", T0 + timedelta(seconds=10))
    assert limiter.next_slot("a", T0 + timedelta(seconds=20)) == T0 + timedelta(minutes=1)
    assert limiter.next_slot("b", T0 + timedelta(seconds=20)) is None
    assert limiter.next_slot("a", T0 + timedelta(seconds=61)) is None


def test_backoff_grows_is_capped_and_waits_out_flow_control() -> None:
    assert backoff(1, throttled=False) == timedelta(seconds=2)
    assert backoff(3, throttled=False) == timedelta(seconds=8)
    assert backoff(20, throttled=False) == timedelta(minutes=5)
    assert backoff(1, throttled=True) == timedelta(minutes=1)


def test_metrics_text_lists_every_state() -> None:
    text = metrics_text({"messages_in": 3, "reconnects": 1}, {"reported": 2}, 5)
    assert "whistle_messages_in_total 3" in text
    assert "whistle_reconnects_total 1" in text
    assert "whistle_outbox_depth 5" in text
    assert 'whistle_cases{state="reported"} 2' in text
    assert 'whistle_cases{state="closed"} 0' in text


def test_the_shipped_card_samples_match_what_the_bot_sends() -> None:
    folder = Path(__file__).resolve().parents[2] / "data" / "dingtalk-cards"
    expected = set(render.card_params(_card_message()))
    samples = sorted(folder.glob("*.sample.json"))
    assert {p.name.split(".")[0] for p in samples} == {
        "receipt",
        "whistle",
        "liaison",
        "rating",
        "verify",
    }
    for path in samples:
        params = json.loads(path.read_text(encoding="utf-8"))["cardParamMap"]
        assert set(params) == expected, path.name
        assert all(isinstance(value, str) for value in params.values())
        for button in json.loads(params["buttons"]):
            assert set(button) == {"label", "action"}
