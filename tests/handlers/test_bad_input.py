"""Bad input gets a clear answer and loses nothing; nothing crashes, nothing is half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.channels.console.session import ConsoleSession
from handlers.messages import Attachment, AttachmentKind
from models.case import Case
from models.lifecycle import CaseStatus
from models.messaging import InboxMessage, InboxStatus
from tests.support.console import REPORT, case_row, events_of, incoming, reported, texts


async def _case_count(chat: ConsoleSession) -> int:
    async with chat.sessions() as db:
        return await db.scalar(select(func.count(Case.id))) or 0


async def _only_answer(chat: ConsoleSession, line: str) -> str:
    delivered = await chat.say(line)
    assert len(delivered) == 1, texts(delivered)
    return delivered[0].message.text


async def test_empty_and_emoji_only_messages_ask_for_a_sentence(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    assert "请用一句话描述问题" in await _only_answer(chat, "   ")
    assert "请用一句话描述问题" in await _only_answer(chat, "😀😀👍")
    assert await _case_count(chat) == 0


async def test_chat_that_is_no_report_opens_no_case(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    for line in ("收到", "好的，谢谢", "今天天气不错"):
        assert "如需反映问题" in await _only_answer(chat, line)
    assert await _case_count(chat) == 0


async def test_a_very_long_report_is_shown_short_and_kept_whole(chat: ConsoleSession) -> None:
    text = (REPORT + "，") * 160  # about 5,000 characters
    seq = await reported(chat, text)
    case = await case_row(chat, seq)
    assert case.original_text == text.strip()
    delivered = await chat.say(f"查 {seq}")
    card = delivered[0].message.card
    assert card is not None
    content = dict(card.fields)["内容"]
    assert len(content) < 400
    assert f"原文共 {len(text.strip())} 字，已完整保存" in content


async def test_photo_alone_asks_for_a_sentence_and_is_attached_to_it(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    photo = Attachment(AttachmentKind.PICTURE, "media-123")
    answer = await chat.say("", attachments=(photo,))
    assert "照片已收到" in answer[0].message.text
    assert await _case_count(chat) == 0
    delivered = await chat.say(REPORT)
    seq = int(next(d.message.case_number for d in delivered if d.message.case_number)[-4:])
    case = await case_row(chat, seq)
    assert case.attachments == [{"kind": "picture", "media_id": "media-123"}]
    # The photo belongs to that report only; the next one starts clean.
    second = await reported(chat, "东关社区菜市场门口有人摆摊卖菜，把路全占了")
    assert (await case_row(chat, second)).attachments == []


async def test_voice_transcript_is_the_report_text(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    spoken = "那个就是东关社区门口那个电动车店嗯把车都摆到人行道上了"
    delivered = await chat.say("", voice_transcript=spoken)
    seq = int(next(d.message.case_number for d in delivered if d.message.case_number)[-4:])
    case = await case_row(chat, seq)
    assert (case.original_text, case.voice_transcript) == (spoken, spoken)


async def test_phone_numbers_are_masked_beyond_the_reporters_group(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    delivered = await chat.say(REPORT + "，店主电话13812345678")
    own = " ".join(texts(delivered, "vg-dongguan"))
    assert "13812345678" in own
    township = next(d.message for d in delivered if d.message.conversation == "tg-T01")
    assert township.card is not None
    shown = " ".join(value for _, value in township.card.fields)
    assert "13812345678" not in shown
    assert "138****5678" in shown or "*" in shown


async def test_unknown_case_number_and_missing_arguments(chat: ConsoleSession) -> None:
    await chat.switch("li-DEPT05")
    assert "没有找到案件 0999" in await _only_answer(chat, "签收 0999")
    assert "请写上案件编号" in await _only_answer(chat, "签收")
    assert "请写明退回原因" in await _only_answer(chat, "退回 0001")
    assert "请写上延期的工作日数" in await _only_answer(chat, "延期 0001")


async def test_a_redelivered_message_produces_nothing_new(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    first = await chat.say(REPORT, message_id="dup-1")
    assert first
    again = await chat.say(REPORT, message_id="dup-1")
    assert again == []
    assert await _case_count(chat) == 1


async def test_forged_card_actions_are_refused(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    # A button payload pointing at another case than its card.
    other = await chat.press("case-99-township", f"确认 {seq}")
    assert "按钮无效" in other[0].message.text
    nonsense = await chat.press(f"case-{seq}-township", "drop table cases")
    assert "按钮无效" in nonsense[0].message.text
    assert await events_of(chat, seq) == ["report"]


async def test_a_button_for_a_state_the_case_has_left(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    await chat.click("确认吹哨")
    stale = await chat.click("确认吹哨")  # the old review card is still on screen
    assert "已吹哨待签收" in stale[0].message.text
    assert (await case_row(chat, seq)).status is CaseStatus.DISPATCHED
    assert await events_of(chat, seq) == ["report", "confirm"]


async def test_a_handler_crash_keeps_the_message_and_apologises(chat: ConsoleSession) -> None:
    """The classifier failing mid-way (a broken model file, say) must not lose the report."""

    class BrokenModel:
        def predict(self, text: str) -> None:
            raise RuntimeError("model file damaged")

    chat.core.services = type(chat.core.services)(BrokenModel(), chat.clock)  # type: ignore[arg-type]
    answer = await chat.core.handle_message(incoming("gw1", "vg-dongguan", REPORT))
    assert "消息已保存" in answer[0].text
    async with chat.sessions() as db:
        row = (await db.scalars(select(InboxMessage))).one()
    assert row.status is InboxStatus.FAILED
    assert "model file damaged" in (row.last_error or "")
    assert row.payload["text"] == REPORT
    assert await _case_count(chat) == 0


async def test_recover_handles_a_failed_message_once_the_fault_is_gone(
    chat: ConsoleSession,
) -> None:
    working = chat.core.services

    class BrokenModel:
        def predict(self, text: str) -> None:
            raise RuntimeError("model file damaged")

    chat.core.services = type(working)(BrokenModel(), chat.clock)  # type: ignore[arg-type]
    await chat.core.handle_message(incoming("gw1", "vg-dongguan", REPORT))
    chat.core.services = working
    recovered = await chat.core.recover("console")
    assert any(m.text.startswith("【已受理】") for m in recovered)
    assert await _case_count(chat) == 1
    assert await chat.core.recover("console") == []


async def test_group_chatter_not_addressed_to_the_bot_is_kept_but_not_answered(
    chat: ConsoleSession,
) -> None:
    await chat.core.handle_message(
        incoming("gw1", "vg-dongguan", REPORT, mentions_bot=False, message_id="chatter-1")
    )
    assert await chat.deliver() == []
    assert await _case_count(chat) == 0
    async with chat.sessions() as db:
        row = await db.scalar(
            select(InboxMessage).where(InboxMessage.platform_message_id == "chatter-1")
        )
    assert row is not None
    assert row.status is InboxStatus.DONE
