"""DingTalk payloads (captured shapes in tests/fixtures/dingtalk/) → neutral events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.channels.dingtalk.inbound import (
    CHANNEL,
    PayloadError,
    parse_card_callback,
    parse_chatbot_message,
)
from handlers.messages import AttachmentKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dingtalk"
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def test_group_text_is_stripped_of_the_mention_space_and_keeps_its_route() -> None:
    parsed = parse_chatbot_message(fixture("text_group"), received_at=NOW)
    message = parsed.message
    assert message.channel == CHANNEL
    assert message.platform_message_id == "msgGroupText001=="
    assert message.conversation == "cid-vg-dongguan"
    assert message.sender == "gw1"
    assert message.text.startswith("东关社区门口")
    assert message.mentions_bot is True
    assert message.sender_name == "张伟"
    assert parsed.route is not None
    assert parsed.route.session_webhook.endswith("session=abc")
    assert parsed.route.expires_at == datetime.fromtimestamp(1795000000, UTC)


def test_a_single_chat_is_always_addressed_to_the_bot() -> None:
    message = parse_chatbot_message(fixture("text_single"), received_at=NOW).message
    assert message.mentions_bot is True
    assert message.conversation == "cidSingleChatGw1"


def test_rich_text_joins_its_lines_and_keeps_the_pictures() -> None:
    message = parse_chatbot_message(fixture("rich_text"), received_at=NOW).message
    assert message.text == "河头村桥栏杆断了\n晚上很危险"
    assert [(a.kind, a.media_id) for a in message.attachments] == [
        (AttachmentKind.PICTURE, "dl-pic-1")
    ]


def test_a_picture_alone_is_an_attachment_without_text() -> None:
    message = parse_chatbot_message(fixture("picture"), received_at=NOW).message
    assert message.text == ""
    assert message.attachments[0].media_id == "dl-pic-2"


def test_voice_brings_its_recognition_text() -> None:
    message = parse_chatbot_message(fixture("audio"), received_at=NOW).message
    assert message.voice_transcript == "那个东关社区门口嗯电动车把人行道都占了"
    assert message.attachments[0].kind is AttachmentKind.AUDIO


def test_video_is_kept_like_a_photo_and_unknown_kinds_arrive_empty() -> None:
    video = parse_chatbot_message(fixture("video"), received_at=NOW).message
    assert video.attachments[0].kind is AttachmentKind.VIDEO
    unknown = parse_chatbot_message(fixture("unknown"), received_at=NOW).message
    assert (unknown.text, unknown.attachments) == ("", ())


@pytest.mark.parametrize(
    "change",
    [
        {"msgId": None},
        {"conversationId": 7},
        {"senderStaffId": None, "senderId": None},
    ],
)
def test_payloads_without_ids_are_refused(change: dict[str, Any]) -> None:
    data = fixture("text_group") | change
    with pytest.raises(PayloadError):
        parse_chatbot_message(data, received_at=NOW)
    with pytest.raises(PayloadError):
        parse_chatbot_message(fixture("missing_msg_id"), received_at=NOW)


def test_an_external_sender_without_staff_id_falls_back_to_the_sender_id() -> None:
    data = fixture("text_group") | {"senderStaffId": None}
    assert parse_chatbot_message(data, received_at=NOW).message.sender == "$:LWCP_v1:$gw1"


def test_card_callback_carries_the_packed_text_command() -> None:
    click = parse_card_callback(
        fixture("card_callback"), frame_message_id="frame-1", received_at=NOW
    )
    assert click.card_id == "case-1-township"
    assert click.action == "确认 0001"
    assert click.actor == "ts1"
    assert click.conversation == "cid-tg-T01"
    assert click.platform_event_id == "frame-1"


@pytest.mark.parametrize(
    "change",
    [
        {"content": "not json"},
        {"content": json.dumps({"cardPrivateData": {"params": {}}})},
        {"content": None},
        {"outTrackId": ""},
        {"userId": None},
    ],
)
def test_malformed_card_callbacks_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(PayloadError):
        parse_card_callback(
            fixture("card_callback") | change, frame_message_id="frame-2", received_at=NOW
        )
