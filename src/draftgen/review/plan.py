"""Plan → outcome: every item and target of last year's plan is answered in this year's draft.

The promises come from last year's report (``check --plan 去年报告.docx``, read by
:mod:`draftgen.extract.promises`) or from a sheet made by ``init --from`` (work items
marked ``from_plan``). A promise is answered when the summary part of the draft names most of its key terms; a target
is missed when the draft's figure for it falls short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from draftgen.findings import WARNING, Finding
from draftgen.review.model import Draft
from draftgen.sheet.model import TARGET_GROWTH, Promise
from draftgen.text.patterns import CJK, PLACEHOLDER, TYPED_SENTENCE

PLAN_RULES = ("plan.unanswered", "plan.target-missed")

# words every plan uses: they say nothing about which promise a sentence answers
_GENERIC_WORDS = (
    "推进 加快 实施 完成 建成 新增 实现 打造 抓好 提升 确保 开展 建设 发展 培育 扩大 强化 深化 落实 持续 积极 进一步 "
    "全力 全面 着力 大力 切实 不断 加大 力度 工作 推动 坚持 围绕 重点 以上 左右 全镇 我镇 我们 一批 各项 有效 "
    "同时 坚决 扎实 稳步 主动 力争 保持 做好 突出 聚焦 提高 完善 健全 机制 体系 水平 能力 质量 作用 优势 "
    "项目 产业 群众 工作 目标 任务 增长 同比 全年 年度 今年 明年 新的 更加 更好 一步 加强 注重")
_GENERIC = frozenset(_GENERIC_WORDS.split())
_CJK_WORD = re.compile(rf"^[{CJK}]{{2,}}$")
_ANSWERED_SHARE = 0.5
_OUTCOME_TO_WRITE = "去年工作打算中的这一条"  # the placeholder compose writes after a from_plan item


def promises_from_facts(facts: object) -> list[Promise]:
    """Work items that ``init --from`` carried over from last year's plan."""
    out: list[Promise] = []
    for work in getattr(facts, "work", ()):
        for item in work.items:
            if item.from_plan and item.title:
                out.append(Promise(item.title, f"事实表 work › {work.topic[:24]}（from_plan）"))
    return out


def key_terms(text: str) -> list[str]:
    """The words of a promise that say which promise it is (segmented with jieba)."""
    from draftgen.text.segment import mask_text, segmenter

    _, cut = segmenter()
    plain = mask_text(text).replace("\ue002", " ")
    seen: list[str] = []
    for token in cut(plain):
        if _CJK_WORD.match(token) and token not in _GENERIC and token not in seen:
            seen.append(token)
    return seen


def plan_findings(draft: Draft, promises: list[Promise]) -> Iterator[Finding]:
    """``plan.unanswered`` for each promise the draft's summary leaves out; ``plan.target-missed``
    for a target whose figure falls short."""
    summary = _summary_text(draft)
    for promise in promises:
        if promise.indicator is not None:
            yield from _target(promise, summary)
            continue
        terms = key_terms(promise.text)
        if not terms:
            continue
        found = [t for t in terms if t in summary]
        if len(found) / len(terms) < _ANSWERED_SHARE:
            left = [t for t in terms if t not in summary]
            missing = "、".join(left[:6]) + ("等" if len(left) > 6 else "")
            yield Finding("plan.unanswered", WARNING, promise.where, promise.text[:80],
                          f"去年工作打算里的这一条，今年的总结没有交代（没写到：{missing}）。"
                          "请写上完成情况；没做成的也要说明原因。")


def _summary_text(draft: Draft) -> str:
    """The work-done part, without sentences that still hold a placeholder."""
    text = "\n".join(item.text for item in draft.blocks if not item.in_plan)
    sentences = TYPED_SENTENCE.findall(text)
    kept: list[str] = []
    for sentence in sentences:
        if PLACEHOLDER.search(sentence):
            if _OUTCOME_TO_WRITE in sentence and kept:
                kept.pop()  # the promise itself, printed before its outcome is written, answers nothing
            continue
        kept.append(sentence)
    return "".join(kept)


def _target(promise: Promise, summary: str) -> Iterator[Finding]:
    name = promise.indicator or ""
    at = summary.find(name)
    if at < 0:
        yield Finding("plan.unanswered", WARNING, promise.where, promise.text[:80],
                      f"去年定了“{name}”的目标，今年的总结没有写它完成得怎样。")
        return
    clause = re.split(r"[。；;]", summary[at:], maxsplit=1)[0]
    match = TARGET_GROWTH.search(clause)
    if promise.growth is not None and match and float(match.group("g")) < promise.growth:
        yield Finding("plan.target-missed", WARNING, promise.where, promise.text[:80],
                      f"目标是增长{_fmt(promise.growth)}%，今年实际增长{match.group('g')}%，没有完成："
                      "请如实写明并说明原因。")


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
