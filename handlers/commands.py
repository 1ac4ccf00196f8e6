"""Text commands: the twin of every card button, typed in any chat (DESIGN §3).

Pure parsing, no database: `parse_command` turns a line such as `退回 0007 不属于本部门职责
建议:县综合行政执法局` into a `Command`, returns None for a line that is not a command (a
report, a question), and raises `CommandError` with a one-line Chinese answer when a command
word is there but its arguments are not.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from models.case import RatingValue


class Verb(enum.StrEnum):
    CONFIRM = "confirm"
    RECLASSIFY = "reclassify"
    HANDLE_LOCALLY = "handle_locally"
    CLOSE_LOCALLY = "close_locally"
    REFER_TO_DISPATCH = "refer_to_dispatch"
    MERGE = "merge"
    CANCEL = "cancel"
    ASSIGN = "assign"
    HAND_BACK = "hand_back"
    SIGN = "sign"
    PROGRESS = "progress"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    RETURN = "return"
    REQUEST_INFO = "request_info"
    SUPPLY_INFO = "supply_info"
    RESOLVE = "resolve"
    REDISPATCH = "redispatch"
    RULE_KEEP = "rule_keep"
    ARBITRATE = "arbitrate"
    URGE = "urge"
    RATE = "rate"
    VERIFY = "verify"
    SHOW = "show"
    MY_TASKS = "my_tasks"
    WHO_OWNS = "who_owns"
    HELP = "help"
    BIND_GROUP = "bind_group"


class ReturnReason(enum.StrEnum):
    NOT_OUR_DUTY = "not_our_duty"
    WRONG_AREA = "wrong_area"
    INCOMPLETE = "incomplete"
    OTHER = "other"

    @property
    def label(self) -> str:
        return RETURN_REASON_LABELS[self]


RETURN_REASON_LABELS = {
    ReturnReason.NOT_OUR_DUTY: "不属于本部门职责",
    ReturnReason.WRONG_AREA: "属地不符",
    ReturnReason.INCOMPLETE: "信息不全",
    ReturnReason.OTHER: "其他",
}
_RETURN_REASON_WORDS = {
    **{label: reason for reason, label in RETURN_REASON_LABELS.items()},
    "不属于本局职责": ReturnReason.NOT_OUR_DUTY,
    "不属于我局职责": ReturnReason.NOT_OUR_DUTY,
    "不属于本单位职责": ReturnReason.NOT_OUR_DUTY,
    "非本部门职责": ReturnReason.NOT_OUR_DUTY,
}
RATING_WORDS = {
    "满意": RatingValue.SATISFIED,
    "基本满意": RatingValue.BASICALLY_SATISFIED,
    "不满意": RatingValue.UNSATISFIED,
}
VERIFY_WORDS = {"已解决": True, "解决了": True, "未解决": False, "没解决": False}


@dataclass(frozen=True, slots=True)
class CaseRef:
    """A case as typed: `0007`, `7` or `QH-20261122-0007`. The county-wide sequence decides."""

    seq: int
    typed: str


@dataclass(frozen=True, slots=True)
class Command:
    verb: Verb
    case: CaseRef | None = None
    item_code: str | None = None
    other_case: CaseRef | None = None
    text: str = ""
    days: int | None = None
    reason: ReturnReason | None = None
    suggested_owner: str | None = None
    rating: RatingValue | None = None
    fixed: bool | None = None


class CommandError(ValueError):
    """A command word with missing or malformed arguments; the message is the chat answer."""


@dataclass(frozen=True, slots=True)
class _Syntax:
    verb: Verb
    usage: str  # shown in 帮助 and in error answers


# Longest words first, so 批准延期 wins over 延期 and 自办办结 over 自办.
SYNTAX: dict[str, _Syntax] = {
    "确认吹哨": _Syntax(Verb.CONFIRM, "确认 0007"),
    "确认": _Syntax(Verb.CONFIRM, "确认 0007"),
    "改选": _Syntax(Verb.RECLASSIFY, "改选 0007 D03-002"),
    "改派": _Syntax(Verb.RECLASSIFY, "改派 0007 D03-002"),
    "自办办结": _Syntax(Verb.CLOSE_LOCALLY, "自办办结 0007 已处理完毕"),
    "镇街自办": _Syntax(Verb.HANDLE_LOCALLY, "自办 0007"),
    "自办": _Syntax(Verb.HANDLE_LOCALLY, "自办 0007"),
    "转指挥中心": _Syntax(Verb.REFER_TO_DISPATCH, "转指挥中心 0007 原因…"),
    "合并": _Syntax(Verb.MERGE, "合并 0009 0007（把 0009 并入 0007）"),
    "撤销": _Syntax(Verb.CANCEL, "撤销 0007 原因…"),
    "派单": _Syntax(Verb.ASSIGN, "派单 0007 D03-002"),
    "退回镇街": _Syntax(Verb.HAND_BACK, "退回镇街 0007 原因…"),
    "签收": _Syntax(Verb.SIGN, "签收 0007"),
    "进展": _Syntax(Verb.PROGRESS, "进展 0007 已联系施工方"),
    "批准延期": _Syntax(Verb.GRANT_EXTENSION, "批准延期 0007"),
    "驳回延期": _Syntax(Verb.REFUSE_EXTENSION, "驳回延期 0007 原因…"),
    "延期": _Syntax(Verb.REQUEST_EXTENSION, "延期 0007 3 原因…"),
    "退回": _Syntax(Verb.RETURN, "退回 0007 不属于本部门职责 建议:县综合行政执法局"),
    "要求补充": _Syntax(Verb.REQUEST_INFO, "要求补充 0007 请提供具体位置"),
    "补充": _Syntax(Verb.SUPPLY_INFO, "补充 0007 在东关路12号门口"),
    "办结": _Syntax(Verb.RESOLVE, "办结 0007 已清理"),
    "重新派单": _Syntax(Verb.REDISPATCH, "重新派单 0007 D03-002"),
    "维持原派": _Syntax(Verb.RULE_KEEP, "维持原派 0007"),
    "提交仲裁": _Syntax(Verb.ARBITRATE, "仲裁 0007 两部门均称无职责，提请分管领导协调"),
    "仲裁": _Syntax(Verb.ARBITRATE, "仲裁 0007 两部门均称无职责，提请分管领导协调"),
    "催办": _Syntax(Verb.URGE, "催办 0007 群众反映强烈，请今日到场"),
    "评价": _Syntax(Verb.RATE, "评价 0007 满意 处理及时"),
    "核查": _Syntax(Verb.VERIFY, "核查 0007 已解决"),
    "查": _Syntax(Verb.SHOW, "查 0007"),
    "我的待办": _Syntax(Verb.MY_TASKS, "我的待办"),
    "待办": _Syntax(Verb.MY_TASKS, "我的待办"),
    "谁负责": _Syntax(Verb.WHO_OWNS, "谁负责 秸秆焚烧"),
    "帮助": _Syntax(Verb.HELP, "帮助"),
    "绑定本群": _Syntax(Verb.BIND_GROUP, "绑定本群 tg-T02"),
}
_WORDS = sorted(SYNTAX, key=len, reverse=True)
_CASE = re.compile(r"(?:[A-Z]{1,4}-\d{8}-)?(\d{1,6})(?!\d)", re.IGNORECASE)
_ITEM_CODE = re.compile(r"D\d{2}-\d{3}", re.IGNORECASE)
_SUGGESTION = re.compile(r"(?:建议|建议部门|建议由)[:：]?\s*(\S+)")
_NO_ARGUMENTS = frozenset({Verb.MY_TASKS, Verb.HELP})
# Verbs whose word also starts ordinary sentences ("查一下…", "确认一下…"): without a case
# number right after, the line is a report or a question, not a broken command.
_ONLY_WITH_CASE = frozenset({Verb.SHOW, Verb.CONFIRM, Verb.SUPPLY_INFO, Verb.MERGE})


def parse_command(line: str) -> Command | None:
    text = line.strip()
    for word in _WORDS:
        if not text.startswith(word):
            continue
        rest = text[len(word) :]
        syntax = SYNTAX[word]
        if syntax.verb in _NO_ARGUMENTS:
            return Command(syntax.verb) if not rest.strip() else None
        if syntax.verb is Verb.WHO_OWNS:
            return _who_owns(rest, syntax)
        if syntax.verb is Verb.BIND_GROUP:
            return _bind_group(rest, syntax)
        if rest and not (rest[0].isspace() or rest[0].isascii() or rest[0] in ":："):
            return None  # 签收了吗 / 查一下: a sentence that happens to start with the word
        return _with_case(syntax, rest.strip(" :："))
    return None


def _who_owns(rest: str, syntax: _Syntax) -> Command:
    subject = rest.strip(" :：？?")
    if not subject:
        raise CommandError(f"请说明要查的事项，例如：{syntax.usage}")
    return Command(Verb.WHO_OWNS, text=subject)


def _bind_group(rest: str, syntax: _Syntax) -> Command:
    group = rest.strip(" :：")
    if not group or " " in group:
        raise CommandError(f"请写上本群在系统中的群编号，例如：{syntax.usage}")
    return Command(Verb.BIND_GROUP, text=group)


def _with_case(syntax: _Syntax, rest: str) -> Command | None:
    match = _CASE.match(rest)
    if match is None:
        if syntax.verb in _ONLY_WITH_CASE:
            return None
        raise CommandError(f"请写上案件编号，例如：{syntax.usage}")
    case = CaseRef(int(match[1]), match[0])
    tail = rest[match.end() :].strip()
    return _ARGUMENTS.get(syntax.verb, _no_more)(syntax, case, tail)


def _no_more(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    return Command(syntax.verb, case, text=tail)


def _needs_text(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    if not tail:
        raise CommandError(f"请写明内容，例如：{syntax.usage}")
    return Command(syntax.verb, case, text=tail)


def _needs_item(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    match = _ITEM_CODE.search(tail)
    if match is None:
        raise CommandError(f"请写上清单事项编码，例如：{syntax.usage}")
    return Command(syntax.verb, case, item_code=match[0].upper(), text=tail[match.end() :].strip())


def _merge(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    match = _CASE.search(tail)
    if match is None:
        raise CommandError(f"请写上要并入的案件编号，例如：{syntax.usage}")
    return Command(syntax.verb, case, other_case=CaseRef(int(match[1]), match[0]))


def _extension(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    match = re.match(r"(\d{1,2})\s*(?:个)?(?:工作日|天|日)?\s*(.*)", tail)
    if match is None or int(match[1]) == 0:
        raise CommandError(f"请写上延期的工作日数和原因，例如：{syntax.usage}")
    if not match[2].strip():
        raise CommandError(f"请写明延期原因，例如：{syntax.usage}")
    return Command(syntax.verb, case, days=int(match[1]), text=match[2].strip())


def _return(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    reason = next((r for word, r in _RETURN_REASON_WORDS.items() if tail.startswith(word)), None)
    if reason is None:
        choices = "、".join(RETURN_REASON_LABELS.values())
        raise CommandError(f"请写明退回原因（{choices}），例如：{syntax.usage}")
    suggestion = _SUGGESTION.search(tail)
    if reason is ReturnReason.NOT_OUR_DUTY and suggestion is None:
        raise CommandError(f"不属于本部门职责的，请写上建议的责任部门，例如：{syntax.usage}")
    return Command(
        syntax.verb,
        case,
        reason=reason,
        suggested_owner=suggestion[1] if suggestion else None,
        text=tail,
    )


def _rate(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    # 基本满意 and 不满意 both end in 满意: try the longer words first.
    for word in sorted(RATING_WORDS, key=len, reverse=True):
        if tail.startswith(word):
            comment = tail[len(word) :].strip(" ,，。")
            return Command(syntax.verb, case, rating=RATING_WORDS[word], text=comment)
    raise CommandError(f"请选择 满意、基本满意 或 不满意，例如：{syntax.usage}")


def _verify(syntax: _Syntax, case: CaseRef, tail: str) -> Command:
    for word, fixed in VERIFY_WORDS.items():
        if tail.startswith(word):
            return Command(syntax.verb, case, fixed=fixed, text=tail[len(word) :].strip())
    raise CommandError(f"请回复 已解决 或 未解决，例如：{syntax.usage}")


_ARGUMENTS = {
    Verb.RECLASSIFY: _needs_item,
    Verb.ASSIGN: _needs_item,
    Verb.REDISPATCH: _needs_item,
    Verb.CLOSE_LOCALLY: _needs_text,
    Verb.ARBITRATE: _needs_text,
    Verb.REFER_TO_DISPATCH: _no_more,
    Verb.CANCEL: _needs_text,
    Verb.HAND_BACK: _needs_text,
    Verb.PROGRESS: _needs_text,
    Verb.REFUSE_EXTENSION: _needs_text,
    Verb.REQUEST_INFO: _needs_text,
    Verb.SUPPLY_INFO: _needs_text,
    Verb.RESOLVE: _needs_text,
    Verb.MERGE: _merge,
    Verb.REQUEST_EXTENSION: _extension,
    Verb.RETURN: _return,
    Verb.RATE: _rate,
    Verb.VERIFY: _verify,
}


def usage_lines(verbs: frozenset[Verb] | None = None) -> list[str]:
    """One example per verb (only `verbs`, when given), in the order of SYNTAX: the body of
    the 帮助 answer."""
    seen: dict[Verb, str] = {}
    for syntax in SYNTAX.values():
        if verbs is None or syntax.verb in verbs:
            seen.setdefault(syntax.verb, syntax.usage)
    return list(seen.values())


__all__ = [
    "RATING_WORDS",
    "RETURN_REASON_LABELS",
    "SYNTAX",
    "CaseRef",
    "Command",
    "CommandError",
    "ReturnReason",
    "Verb",
    "parse_command",
    "usage_lines",
]
