"""The scripted walk-through `whistle demo` plays: the whole case loop as a chat transcript.

Every line goes the real way (console session → inbox → conversation core → outbox), so the
transcript shows what officials would see in their groups. The script names the people of the
demo county; where the right person depends on the classifier's answer (which department's
liaison signs) it reads that from the bot's own messages: `{case}` is the newest case number
in short form, `{liaison}` the liaison the newest whistle mentioned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.channels.console.session import ConsoleSession, Delivered
from bot.clock import parse_duration
from handlers.deadlines import show_time
from models.repositories.organisation import OrganisationRepository


@dataclass(frozen=True, slots=True)
class Scene:
    title: str
    steps: tuple[str, ...]  # "persona: text", "persona: /click 按钮", "/advance 30m" or "# 旁白"


SCENES: tuple[Scene, ...] = (
    Scene(
        "一、网格员吹哨，部门报到：从上报到结案",
        (
            "# 东关社区网格员张伟在网格群里随手发了一句话，没有表格，也不用选分类。",
            "gw1: 东关社区门口那家电动车店把车全摆到人行道上了，行人只能走机动车道",
            "# 机器人按县里公布的责任清单认定了事项和牵头部门，请清源街道确认。",
            "/advance 10m",
            "ts1: /click 确认吹哨",
            "# 哨声吹到了牵头部门的联络员，配合部门同时知晓。",
            "/advance 40m",
            "{liaison}: /click 签收报到",
            "/advance 3h",
            "{liaison}: 进展 {case} 执法队员已到现场，责令店主把车辆移回店内",
            "/advance 1d",
            "{liaison}: 办结 {case} 人行道已清空，店主签了门前三包承诺书",
            "# 办结后由镇街评价部门的办理，网格员核查现场。",
            "/advance 1h",
            "gw1: /click 已解决",
            "ts1: /click 满意",
        ),
    ),
    Scene(
        "二、部门退回，指挥中心按清单裁定",
        (
            "gw2: 河头村西头有人在空地上烧垃圾，塑料味呛得人睁不开眼",
            "ts2: /click 确认吹哨",
            "# 联络员认为不归本部门管，退回并说明理由、建议责任单位。",
            "/advance 30m",
            "{liaison}: 退回 {case} 不属于本部门职责 建议:县生态环境分局",
            "# 指挥中心对照清单：露天焚烧垃圾由县综合行政执法局牵头，维持原派。",
            "/advance 30m",
            "dc1: /click 维持原派",
            "{liaison}: 签收 {case}",
        ),
    ),
    Scene(
        "三、基本履职事项：镇街自己办",
        (
            "gw2: 河头村东边那条村道坑坑洼洼的，一下雨全是泥水，三轮车都陷进去了",
            "# 村道日常养护是镇街的基本履职事项，柳河镇决定自己办，不向县里吹哨。",
            "ts2: /click 镇街自办",
            "/advance 1d",
            "ts2: 自办办结 {case} 镇里安排养护队用石子填平了坑洼",
        ),
    ),
    Scene(
        "四、谁负责：随时查清单",
        ("ts1: 谁负责秸秆焚烧",),
    ),
    Scene(
        "五、时限：按工作日历催办、督办",
        (
            "# 第二件案子签收后一直没有办结。时间往后拨，机器人在工作时间提醒联络员，",
            "# 超过办结时限后向部门督办并抄送指挥中心；早上八点半还给指挥中心发每日汇总。",
            "/advance 4d",
        ),
    ),
)

CHAT_HINT = (
    "自己试一试：运行 whistle chat，用 /as gw1 扮演网格员、/as ts1 扮演镇街、"
    "/as li-DEPT05 扮演联络员、/as dc1 扮演指挥中心，直接打字说话，"
    "/click 按钮文字 按卡片上的按钮，/help 查看全部用法。"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the transcript: a narration, a person's turn, or what the bot sent."""

    kind: str  # scene | narration | clock | said | clicked | sent
    text: str
    delivered: Delivered | None = None
    names: dict[str, str] = field(default_factory=dict)  # of the people a sent message @-s


class Walkthrough:
    """Plays the scenes on a console session and hands each transcript line to `emit`."""

    def __init__(self, console: ConsoleSession, emit: Callable[[Line], None]) -> None:
        self.console = console
        self.emit = emit
        self.case = ""
        self.liaison = ""

    async def play(self, scenes: tuple[Scene, ...] = SCENES) -> None:
        for scene in scenes:
            self.emit(Line("scene", scene.title))
            for step in scene.steps:
                await self._step(step)

    async def _step(self, step: str) -> None:
        if step.startswith("# "):
            self.emit(Line("narration", step[2:]))
            return
        if step.startswith("/advance "):
            delivered = await self.console.advance(parse_duration(step.split(" ", 1)[1]))
            await self._show(delivered, timed=True)
            self.emit(Line("clock", f"（时间来到 {show_time(self.console.clock())}）"))
            return
        persona, _, text = step.partition(": ")
        text = text.replace("{case}", self.case)
        person_id = persona.replace("{liaison}", self.liaison)
        await self.console.switch(person_id)
        who = await self._who(person_id)
        if text.startswith("/click "):
            label = text.removeprefix("/click ")
            self.emit(Line("clicked", f"{who} 按下【{label}】"))
            await self._show(await self.console.click(label))
        else:
            self.emit(Line("said", f"{who}：{text}"))
            await self._show(await self.console.say(text))

    async def _show(self, delivered: list[Delivered], *, timed: bool = False) -> None:
        shown_at = None
        for item in delivered:
            if timed and item.at is not None and item.at != shown_at:
                shown_at = item.at
                self.emit(Line("clock", f"（{show_time(item.at)}）"))
            message = item.message
            if message.case_number:
                self.case = message.case_number.rsplit("-", 1)[1]
            liaison = next((m for m in message.mentions if m.startswith("li-")), None)
            if liaison:
                self.liaison = liaison
            names = await self.console.names(list(message.mentions))
            self.emit(Line("sent", "", item, names))

    async def _who(self, person_id: str) -> str:
        async with self.console.sessions() as session:
            organisation = OrganisationRepository(session)
            person = await organisation.person(person_id)
            home_id = person.home_conversation_id if person else None
            home = await organisation.conversation(home_id) if home_id else None
        name = person.name if person else person_id
        return f"{name}（{home.title}）" if home else name
