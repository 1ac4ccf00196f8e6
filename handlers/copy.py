"""Every word the bot says, and the neutral cards it sends (DESIGN §3.1).

One module so that the register stays one register: short, polite, factual; what happened
first, then what happens next; no emoji in escalations. Functions here are pure: they take a
`CaseView` and plain values and return text or a `Card`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from classifier.normalize import mask_personal_numbers
from handlers.case_view import CaseView, ItemView
from handlers.commands import ReturnReason
from handlers.deadlines import show_deadline, show_time
from handlers.messages import Button, Card
from models.case import RatingValue
from models.lifecycle import CaseEvent, CaseStatus, Role

BOT_NAME = "清河吹哨"
DISPATCH_CENTRE = "县社会治理指挥中心"
MAX_SHOWN_TEXT = 300
ASK = "ask:"

RATING_LABELS = {
    RatingValue.SATISFIED: "满意",
    RatingValue.BASICALLY_SATISFIED: "基本满意",
    RatingValue.UNSATISFIED: "不满意",
    RatingValue.UNRATED: "未评价",
    RatingValue.FIXED: "已解决",
    RatingValue.NOT_FIXED: "未解决",
}


# ---------------------------------------------------------------- small pieces


def shown_text(text: str, *, mask: bool) -> str:
    """Report text as shown in chat: numbers masked outside the reporter's group, long text cut
    (the full text stays in the case)."""
    shown = mask_personal_numbers(text) if mask else text
    if len(shown) > MAX_SHOWN_TEXT:
        shown = shown[:MAX_SHOWN_TEXT] + f"…（原文共 {len(text)} 字，已完整保存）"
    return shown


def headline(view: CaseView) -> str:
    name = view.item.name if view.item else "待定事项"
    return f"{view.number} {name} · {view.place}"


def _item(view: CaseView) -> ItemView:
    """The case's item, for messages that only exist once a case has one."""
    if view.item is None:
        msg = f"case {view.number} has no item yet"
        raise ValueError(msg)
    return view.item


def item_line(item: ItemView) -> str:
    return f"{item.code} {item.name}"


def department_line(item: ItemView) -> str:
    if item.lead_department is None:
        return "镇街自办（基本履职）"
    line = item.lead_department
    if item.cooperating:
        line += f"（配合：{'、'.join(item.cooperating_names)}）"
    return line


def window_line(item: ItemView) -> str:
    return f"签收时限 {item.response_hours} 小时，办结时限 {item.resolve_days} 个工作日"


def deadlines_fields(view: CaseView) -> tuple[tuple[str, str], ...]:
    fields: list[tuple[str, str]] = []
    if view.case.response_due_at and view.case.signed_at is None:
        fields.append(("签收时限", show_deadline(view.case.response_due_at)))
    if view.case.resolve_due_at:
        fields.append(("办结时限", show_deadline(view.case.resolve_due_at)))
    return tuple(fields)


def ask(label: str, template: str) -> Button:
    """A button that needs words the button cannot carry: it answers with the command to type."""
    return Button(label=label, action=ASK + template, command=template)


def act(label: str, command: str) -> Button:
    return Button(label=label, action=command, command=command)


# ---------------------------------------------------------------- intake


def receipt(view: CaseView, confidence: float, *, text: str) -> str:
    item = _item(view)
    lines = [
        f"【已受理】{view.number}",
        f"您反映的“{shown_text(text, mask=False)}”已收到。",
        f"识别事项：{item_line(item)}  置信度 {confidence:.2f}",
        f"责任部门：{department_line(item)}",
    ]
    if view.township:
        lines.append(f"已请{view.township}确认后吹哨。")
    return "\n".join(lines)


def referred_receipt(view: CaseView, *, text: str) -> str:
    return "\n".join(
        [
            f"【已受理】{view.number}",
            f"您反映的“{shown_text(text, mask=False)}”已收到。",
            f"暂未能确定对应的清单事项，已转{DISPATCH_CENTRE}派单（非标准事项）。",
        ]
    )


def review_card(
    view: CaseView,
    *,
    text: str,
    confidence: float,
    alternatives: Sequence[ItemView],
    duplicates: Sequence[str],
) -> Card:
    """The township's receipt card: confirm, pick another of the top three, handle it, cancel."""
    item = _item(view)
    s = view.short
    fields = [
        ("报告人", f"{view.reporter or '未知'}（{view.village or view.township or ''}）"),
        ("内容", shown_text(text, mask=True)),
        ("识别事项", f"{item_line(item)}（置信度 {confidence:.2f}）"),
        ("责任部门", department_line(item)),
        ("时限", window_line(item)),
    ]
    buttons: list[Button] = []
    if item.lead_department is not None:
        buttons.append(act("确认吹哨", f"确认 {s}"))
    buttons.extend(
        act(f"改选 {alt.code} {alt.name}", f"改选 {s} {alt.code}") for alt in alternatives
    )
    buttons.append(act("镇街自办", f"自办 {s}"))
    buttons.extend(act(f"合并到 {d}", f"合并 {s} {d}") for d in duplicates)
    buttons.append(act("转指挥中心", f"转指挥中心 {s}"))
    buttons.append(ask("撤销", f"撤销 {s} 原因…"))
    note = "本事项属镇街基本履职，请镇街自办。" if item.lead_department is None else ""
    if duplicates:
        note += f"同村 7 日内有同类未结案件：{'、'.join(duplicates)}，如属重复可合并。"
    return Card(
        title=f"【待确认】{headline(view)}",
        fields=tuple(fields),
        buttons=tuple(buttons),
        note=note,
    )


def township_referred_notice(view: CaseView, *, text: str) -> str:
    return (
        f"【知会】{view.number} {view.place}：“{shown_text(text, mask=True)}”"
        f"未能自动识别事项，已转{DISPATCH_CENTRE}派单。"
    )


def dispatch_card(
    view: CaseView, *, text: str, suggestions: Sequence[ItemView], heading: str
) -> Card:
    """The dispatcher's card for a case without an owner (非标准 / abstained / handed up)."""
    s = view.short
    buttons = [
        act(f"派单 {item.code} {item.name}", f"派单 {s} {item.code}") for item in suggestions
    ]
    buttons.append(ask("派单到其他事项", f"派单 {s} 事项编码"))
    buttons.append(ask("退回镇街", f"退回镇街 {s} 原因…"))
    buttons.append(ask("撤销", f"撤销 {s} 原因…"))
    fields = [
        ("地点", view.place),
        ("报告人", view.reporter or "未知"),
        ("内容", shown_text(text, mask=True)),
    ]
    if suggestions:
        fields.append(
            (
                "参考事项",
                "；".join(
                    f"{i.code} {i.name}（{i.lead_department or '镇街'}）" for i in suggestions
                ),
            )
        )
    return Card(
        title=f"【{heading}】{view.number} · {view.place}",
        fields=tuple(fields),
        buttons=tuple(buttons),
    )


NOT_A_REPORT = (
    "您好，我是清河吹哨机器人。如需反映问题，请直接描述发生了什么、在哪里，"
    "例如：东关社区门口电动车店把车摆到人行道上。发送“帮助”查看可用指令。"
)
EMPTY = "没有收到文字内容。请用一句话描述问题和地点，例如：河头村村口路灯不亮了。"
PHOTO_ONLY = "照片已收到。请再用一句话说明问题和地点，照片会附在这条报告里一起上报。"
UNREGISTERED = (
    "您还没有登记为本系统的网格员或工作人员，暂不能提交报告。请联系镇街或指挥中心管理员登记。"
)
CANNOT_REPORT = (
    "您的角色不能提交问题报告（由网格员或镇街工作人员提交）。发送“帮助”查看您可用的指令。"
)
NO_MODEL = "机器人的分类模型尚未训练，暂时不能受理报告。请管理员运行 whistle train。"
TRY_AGAIN = "系统刚才处理这条消息时出错，消息已保存，稍后会自动重试，不会丢失。"
BUSY = "这个案件刚被其他人处理过，请发送“查 {short}”看最新状态后再操作。"


def unknown_case(typed: str) -> str:
    return f"没有找到案件 {typed}，请核对编号（例如 0007 或 QH-20261122-0007）。"


def forged_click() -> str:
    return "这个按钮无效或已过期，未做任何改动。请发送“帮助”查看文字指令。"


def asked(template: str) -> str:
    return f"请直接回复：{template}"


# ---------------------------------------------------------------- refusals


def refused_state(view: CaseView, event: CaseEvent) -> str:
    return f"案件 {view.short} 当前状态为「{view.status.label}」，不能{event.label}。"


def refused_role(view: CaseView, event: CaseEvent, roles: Iterable[Role]) -> str:
    allowed = set(roles)
    who: list[str] = []
    if Role.TOWNSHIP_STAFF in allowed:
        who.append(f"{view.township or '所属镇街'}的工作人员")
    if Role.GRID_WORKER in allowed:
        who.append("报告人或本村（社区）网格员")
    if Role.LIAISON in allowed:
        who.append(f"{view.lead_department or '承办部门'}的联络员")
    if Role.DISPATCHER in allowed:
        who.append(f"{DISPATCH_CENTRE}调度员")
    return f"您无权对案件 {view.short} {event.label}：只有{'或'.join(who) or '系统'}可以操作。"


def refused_basic_item(view: CaseView) -> str:
    code = view.item.code if view.item else ""
    return f"事项 {code} 属镇街基本履职，没有县直部门可吹哨，请用“自办 {view.short}”。"


def refused_item_unknown(code: str) -> str:
    return f"清单中没有事项 {code}，请核对编码（可发送“谁负责 关键词”查询）。"


def refused_merge(reason: str) -> str:
    return f"不能合并：{reason}"


NO_PENDING_EXTENSION = "这个案件没有待审批的延期申请。"
ALREADY_VERIFIED = "这个案件本轮已经评价（核查）过了，不能重复。"


# ---------------------------------------------------------------- dispatch and work


def whistle_card(view: CaseView, *, note: str = "") -> Card:
    s = view.short
    item = _item(view)
    fields = (
        ("内容", shown_text(view.case.original_text, mask=True)),
        ("事项", item_line(item)),
        ("地点", view.place),
        ("配合部门", "、".join(item.cooperating_names) or "无"),
        *deadlines_fields(view),
    )
    buttons = (
        act("签收报到", f"签收 {s}"),
        ask("退回", f"退回 {s} 不属于本部门职责 建议:部门名称"),
    )
    return Card(
        title=f"【吹哨】{headline(view)}",
        fields=fields,
        buttons=buttons,
        note=note or f"文字指令：签收 {s} / 退回 {s} 原因…",
    )


def working_card(view: CaseView) -> Card:
    s = view.short
    fields = (("状态", view.status.label), *deadlines_fields(view))
    buttons = (
        ask("反馈进展", f"进展 {s} 进展情况…"),
        ask("申请延期", f"延期 {s} 工作日数 原因…"),
        ask("要求补充", f"要求补充 {s} 需要补充的内容…"),
        ask("退回", f"退回 {s} 不属于本部门职责 建议:部门名称"),
        ask("办结", f"办结 {s} 办理结果…"),
    )
    return Card(title=f"【办理中】{headline(view)}", fields=fields, buttons=buttons)


def dispatched_notice(view: CaseView) -> str:
    lines = [f"【已吹哨】{view.number} 已派至{view.lead_department}。"]
    if view.case.response_due_at:
        lines.append(f"签收时限：{show_deadline(view.case.response_due_at)}")
    if view.case.resolve_due_at:
        lines.append(f"办结时限：{show_deadline(view.case.resolve_due_at)}")
    return "\n".join(lines)


def cooperation_notice(view: CaseView) -> str:
    return (
        f"【知会】{headline(view)}\n已吹哨至{view.lead_department}牵头办理，"
        f"贵单位为配合部门，请配合做好相关工作。"
    )


def reclassified_notice(view: CaseView, old: ItemView | None) -> str:
    before = f"由 {item_line(old)} " if old else ""
    item = _item(view)
    return (
        f"案件 {view.short} 已{before}改选为 {item_line(item)}，"
        f"责任部门：{department_line(item)}。"
    )


def local_card(view: CaseView) -> Card:
    s = view.short
    return Card(
        title=f"【镇街自办】{headline(view)}",
        fields=(("内容", shown_text(view.case.original_text, mask=False)),),
        buttons=(ask("自办办结", f"自办办结 {s} 处理结果…"), act("转指挥中心", f"转指挥中心 {s}")),
        note=f"办结后请回复：自办办结 {s} 处理结果…",
    )


def handled_locally_notice(view: CaseView) -> str:
    return f"【镇街自办】{view.number} 由{view.township}自行办理。"


def closed_locally_notice(view: CaseView, note: str) -> str:
    return f"【已办结】{view.number} {view.township}已办结：“{note}”。案件已结案。"


def cancelled_notice(view: CaseView, reason: str) -> str:
    return f"【已撤销】{view.number}，原因：{reason}"


def merged_notice(view: CaseView, into: str) -> str:
    return f"【已合并】{view.number} 与案件 {into} 重复，已并入 {into} 一并办理。"


def signed_notice(view: CaseView, who: str) -> str:
    due = (
        f"，办结时限 {show_deadline(view.case.resolve_due_at)}" if view.case.resolve_due_at else ""
    )
    return f"【已签收】{view.number} {view.lead_department}（{who}）已签收办理{due}。"


def progress_notice(view: CaseView, note: str) -> str:
    return f"【进展】{view.number} {view.lead_department}：{note}"


def extension_card(view: CaseView, days: int, reason: str) -> Card:
    s = view.short
    fields = (
        ("申请部门", view.lead_department or ""),
        ("延期", f"{days} 个工作日"),
        ("原因", reason),
        *deadlines_fields(view),
    )
    return Card(
        title=f"【延期申请】{headline(view)}",
        fields=fields,
        buttons=(act("批准延期", f"批准延期 {s}"), ask("驳回延期", f"驳回延期 {s} 原因…")),
    )


def extension_requested_notice(view: CaseView, days: int) -> str:
    return f"案件 {view.short} 的延期申请（{days} 个工作日）已提交{DISPATCH_CENTRE}审批。"


def extension_granted_notice(view: CaseView, days: int) -> str:
    due = show_deadline(view.case.resolve_due_at) if view.case.resolve_due_at else "（暂停中）"
    return f"【延期已批准】{view.number} 延期 {days} 个工作日，新的办结时限：{due}。"


def extension_refused_notice(view: CaseView, reason: str) -> str:
    return f"【延期未批准】{view.number}，原因：{reason}。请按原时限办结。"


def info_requested_notice(view: CaseView, what: str) -> str:
    return (
        f"【请补充】{view.number} {view.lead_department}需要补充：{what}\n"
        f"请回复：补充 {view.short} 补充内容…（补充前办理时限暂停计算）"
    )


def info_supplied_notice(view: CaseView, what: str) -> str:
    due = (
        f"，办结时限顺延至 {show_deadline(view.case.resolve_due_at)}"
        if view.case.resolve_due_at
        else ""
    )
    return f"【已补充】{view.number}：{what}{due}"


def returned_card(
    view: CaseView,
    *,
    reason: ReturnReason,
    suggestion: str | None,
    note: str,
    options: Sequence[ItemView],
) -> Card:
    s = view.short
    fields = [
        ("退回部门", view.lead_department or ""),
        ("原因", reason.label),
        ("说明", note),
        ("建议责任部门", suggestion or "未填写"),
        ("内容", shown_text(view.case.original_text, mask=True)),
        ("退回次数", str(view.case.return_count)),
    ]
    buttons = [act(f"重新派单 {i.code} {i.name}", f"重新派单 {s} {i.code}") for i in options]
    buttons.append(ask("重新派单到其他事项", f"重新派单 {s} 事项编码"))
    buttons.append(act("维持原派", f"维持原派 {s}"))
    buttons.append(ask("提交仲裁", f"仲裁 {s} 原因…"))
    buttons.append(ask("撤销", f"撤销 {s} 原因…"))
    return Card(
        title=f"【退回待裁定】{headline(view)}", fields=tuple(fields), buttons=tuple(buttons)
    )


def arbitration_card(view: CaseView, *, reason: str) -> Card:
    """The dispatch centre's card while a disputed return waits for a ruling (仲裁中)."""
    s = view.short
    return Card(
        title=f"【仲裁中】{headline(view)}",
        fields=(
            ("退回部门", view.lead_department or ""),
            ("提请仲裁原因", reason),
            ("内容", shown_text(view.case.original_text, mask=True)),
            ("退回次数", str(view.case.return_count)),
        ),
        buttons=(
            ask("重新派单", f"重新派单 {s} 事项编码"),
            act("维持原派", f"维持原派 {s}"),
            ask("撤销", f"撤销 {s} 原因…"),
        ),
        note=f"仲裁结果请回复：重新派单 {s} 事项编码 / 维持原派 {s}",
    )


def arbitration_notice(view: CaseView, reason: str) -> str:
    return f"【仲裁中】{view.number} 已提请{DISPATCH_CENTRE}仲裁：{reason}。期间办理时限暂停计算。"


def urge_notice(view: CaseView, note: str) -> str:
    what = "请尽快签收报到" if view.status is CaseStatus.DISPATCHED else "请抓紧办理"
    said = f"：{note}。" if note else "，"
    return f"【催办】{view.number} {DISPATCH_CENTRE}催办{said}{what}。"


def returned_notice(view: CaseView, reason: ReturnReason) -> str:
    return (
        f"【已退回】{view.number} 被{view.lead_department}退回（{reason.label}），"
        f"等待{DISPATCH_CENTRE}裁定。"
    )


def ruled_keep_notice(view: CaseView) -> str:
    return (
        f"【裁定】{view.number} 经{DISPATCH_CENTRE}审定，仍由{view.lead_department}办理，请签收。"
    )


def redispatched_away_notice(view: CaseView, old_department: str) -> str:
    return (
        f"【已改派】{view.number} 已由{DISPATCH_CENTRE}改派至{view.lead_department}，"
        f"{old_department}无需再办理。"
    )


def rating_card(view: CaseView, note: str) -> Card:
    s = view.short
    fields = (("办理结果", note), ("承办部门", view.lead_department or ""))
    buttons = (
        act("满意", f"评价 {s} 满意"),
        act("基本满意", f"评价 {s} 基本满意"),
        act("不满意", f"评价 {s} 不满意"),
    )
    due = show_deadline(view.case.rating_due_at) if view.case.rating_due_at else ""
    return Card(
        title=f"【请评价】{headline(view)}",
        fields=fields,
        buttons=buttons,
        note=f"可附意见：评价 {s} 满意 意见…  评价期限：{due}（逾期记为未评价）",
    )


def verify_card(view: CaseView, note: str) -> Card:
    s = view.short
    return Card(
        title=f"【请核查】{view.number}",
        fields=(("办理结果", note), ("承办部门", view.lead_department or "")),
        buttons=(act("已解决", f"核查 {s} 已解决"), act("未解决", f"核查 {s} 未解决")),
        note="请到现场看一看，问题是否真的解决了。",
    )


def answered_card(view: CaseView, tag: str, answer: str) -> Card:
    """What a rating or 核查 card turns into once answered: the answer, no buttons left."""
    return Card(title=f"【{tag}】{headline(view)}", fields=((tag, answer),))


def resolved_notice(view: CaseView, note: str) -> str:
    return (
        f"【已办结】{view.number} {view.lead_department}已办结：“{note}”，"
        f"等待{view.township}评价。"
    )


def rated_notice(view: CaseView, value: RatingValue, comment: str) -> str:
    tail = f"，意见：{comment}" if comment else ""
    return (
        f"【已评价】{view.number} {view.township}评价：{RATING_LABELS[value]}{tail}。案件已结案。"
    )


def reopened_notice(view: CaseView, why: str) -> str:
    due = show_deadline(view.case.resolve_due_at) if view.case.resolve_due_at else ""
    return (
        f"【重办】{view.number} {why}，已退回{view.lead_department}重新办理"
        f"（第 {view.case.reopen_count} 次重办），办结时限：{due}。"
    )


def verified_notice(view: CaseView) -> str:
    return f"【核查】{view.number} 报告人核查：问题已解决。"


def done(view: CaseView, what: str) -> str:
    return f"已{what}：{view.number}（{view.status.label}）"


# ---------------------------------------------------------------- queries


def case_card(view: CaseView, *, mask: bool, history: Sequence[tuple[datetime, str]]) -> Card:
    fields: list[tuple[str, str]] = [
        ("状态", view.status.label),
        ("地点", view.place),
        ("内容", shown_text(view.case.original_text, mask=mask)),
    ]
    if view.item:
        fields.append(("事项", item_line(view.item)))
    if view.lead_department:
        fields.append(("承办部门", view.lead_department))
    fields.extend(
        deadlines_fields(view)
        if view.status not in (CaseStatus.CLOSED, CaseStatus.CANCELLED)
        else ()
    )
    if view.case.return_count:
        fields.append(("退回次数", str(view.case.return_count)))
    if view.case.reopen_count:
        fields.append(("重办次数", str(view.case.reopen_count)))
    for at, line in history[-5:]:
        fields.append((show_time(at), line))
    return Card(title=f"【案件】{headline(view)}", fields=tuple(fields))


def my_tasks(lines: Sequence[str]) -> str:
    if not lines:
        return "您目前没有待办事项。"
    return "您的待办：\n" + "\n".join(lines)


def task_line(view: CaseView, todo: str) -> str:
    name = view.item.name if view.item else "待定事项"
    return f"· {view.short} {name}（{view.place}）{view.status.label} → {todo}"


def help_text(role_labels: Sequence[str], usages: Sequence[str], *, can_report: bool) -> str:
    """The 帮助 answer: only the commands this person's roles can use."""
    who = "、".join(role_labels) or "未登记人员"
    lines = [f"清河吹哨 使用说明（您的身份：{who}）"]
    if can_report:
        lines.append("直接描述问题即可上报，例如：河头村村口路灯坏了三天了。")
    lines.append("您可用的文字指令（卡片上的按钮与之等效）：")
    lines.extend(f"  {usage}" for usage in usages)
    lines.append("案件编号可写简写，例如 0007。")
    return "\n".join(lines)


ADMIN_ONLY = "只有系统管理员可以绑定群。"


def unknown_group(group_id: str) -> str:
    return (
        f"没有编号为“{group_id}”的群。群编号见 whistle org show 或组织数据的 conversations.csv。"
    )


def group_bound(title: str, group_id: str) -> str:
    return f"已将本群绑定为“{title}”（{group_id}），此后发往该群的消息都在这里。"


_WINDOWS = {"response": "签收", "resolve": "办结"}


def _span(delta: timedelta) -> str:
    hours = max(int(delta.total_seconds() // 3600), 0)
    if hours >= 24:
        return f"{hours // 24} 天 {hours % 24} 小时" if hours % 24 else f"{hours // 24} 天"
    minutes = max(int(delta.total_seconds() // 60), 0)
    return f"{hours} 小时" if hours else f"{minutes} 分钟"


def reminder(view: CaseView, window: str, left: timedelta) -> str:
    what = _WINDOWS.get(window, "办结")
    return (
        f"【催办】{view.number} 距{what}时限还剩 {_span(left)}，"
        f"请{view.lead_department or '承办部门'}抓紧{what}。"
    )


def overdue(view: CaseView, window: str, over: timedelta) -> str:
    what = _WINDOWS.get(window, "办结")
    if over < timedelta(minutes=1):
        return (
            f"【超期督办】{view.number} 已到{what}时限，{view.lead_department or '承办部门'}"
            f"仍未{what}。已抄送{DISPATCH_CENTRE}。"
        )
    return (
        f"【超期督办】{view.number} {view.lead_department or '承办部门'}已超过{what}时限 "
        f"{_span(over)}。已抄送{DISPATCH_CENTRE}。"
    )


def lateness(late: timedelta) -> str:
    return f"（系统停机后补发，晚了 {_span(late)}）"


def rating_reminder(view: CaseView) -> str:
    return f"【请评价】{view.number} 已办结，请尽快评价；逾期未评价将记为“未评价”。"


def closed_unrated(view: CaseView) -> str:
    return f"【已结案】{view.number} 评价期限已过，按“未评价”结案（不计为满意）。"


def digest(counts: dict[str, int]) -> str:
    return (
        f"【每日汇总】过去一天新报 {counts.get('new', 0)} 件；"
        f"超期 {counts.get('overdue', 0)} 件；退回待裁定 {counts.get('returned', 0)} 件；"
        f"待派单 {counts.get('pending_assignment', 0)} 件；"
        f"待评价 {counts.get('awaiting_rating', 0)} 件。"
        "发送“我的待办”查看明细。"
    )


def escalation_card(view: CaseView, window: str) -> Card:
    """The dispatch centre's card for an overdue case: chase it, or take it back."""
    s = view.short
    what = _WINDOWS.get(window, "办结")
    due = view.case.response_due_at if window == "response" else view.case.resolve_due_at
    return Card(
        title=f"【超期督办】{headline(view)}",
        fields=(
            ("承办部门", view.lead_department or ""),
            (f"{what}时限", show_deadline(due) if due else "—"),
            ("状态", view.status.label),
        ),
        buttons=(ask("催办", f"催办 {s} 说明…"), act("查看", f"查 {s}")),
    )
