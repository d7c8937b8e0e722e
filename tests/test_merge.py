"""The three-way merge of `update` on text: where the new facts' changes land in the
writer's paragraphs, and where the writer's own wording keeps them out."""

from __future__ import annotations

from draftgen.review.merge import Merge, align, merge

BASE = ["一、主要工作",
        "全年主要指标完成情况是，实现地区生产总值42.8亿元，同比增长7.3%；完成固定资产投资11.5亿元，增长12.7%。",
        "排查化解矛盾纠纷412件，化解率97.6%。"]
NEW = ["一、主要工作",
       "全年主要指标完成情况是，实现地区生产总值43.5亿元，同比增长9.0%；完成固定资产投资11.5亿元，增长12.7%；"
       "实现社会消费品零售总额9.6亿元，增长6.2%。",
       "排查化解矛盾纠纷430件，化解率97.6%。"]


def apply(result: Merge) -> list[str]:
    """The writer's paragraphs with the merge's edits made (no Word file)."""
    out = list(result.theirs.paragraphs)
    for edit in sorted(result.edits, key=lambda e: (e.paragraph, e.start), reverse=True):
        text = out[edit.paragraph]
        out[edit.paragraph] = text[:edit.start] + edit.text + text[edit.end:]
    return out


def test_a_reworded_lead_takes_the_new_figures_and_the_new_indicator() -> None:
    theirs = [BASE[0], BASE[1].replace("全年主要指标完成情况是，", "这一年，全镇主要经济指标稳中有进："), BASE[2]]
    result = merge(BASE, theirs, NEW)
    assert apply(result)[1] == NEW[1].replace("全年主要指标完成情况是，", "这一年，全镇主要经济指标稳中有进：")
    assert [g.outcome for g in result.groups] == ["applied", "applied", "applied"]


def test_a_figure_the_writer_changed_keeps_its_rate_and_both_are_named() -> None:
    theirs = [BASE[0], BASE[1].replace("42.8", "43.1"), BASE[2]]
    result = merge(BASE, theirs, NEW)
    text = apply(result)[1]
    assert "地区生产总值43.1亿元，同比增长7.3%" in text  # theirs, with its own rate
    assert "社会消费品零售总额9.6亿元" in text  # what they did not touch still lands
    conflict = next(g for g in result.groups if g.outcome == "conflict")
    assert conflict.detail == "地区生产总值：42.8亿元 → 43.5亿元；同比增长：7.3% → 9.0%"
    assert conflict.anchor == 1 and not conflict.neighbour


def test_a_figure_the_writer_already_corrected_brings_its_rate_along() -> None:
    theirs = [BASE[0], BASE[1].replace("42.8", "43.5"), BASE[2]]
    assert apply(merge(BASE, theirs, NEW))[1] == NEW[1]


def test_a_moved_sentence_and_a_split_paragraph_still_take_their_figures() -> None:
    moved = [BASE[0], BASE[1], "化解率97.6%，排查化解矛盾纠纷412件。"]
    assert "纠纷430件" in apply(merge(BASE, moved, NEW))[2]
    first, second = BASE[1].split("；")
    split = [BASE[0], first + "。", "此外，" + second, BASE[2]]
    assert apply(merge(BASE, split, NEW))[1:3] == ["全年主要指标完成情况是，实现地区生产总值43.5亿元，同比增长9.0%。",
                                                   "此外，完成固定资产投资11.5亿元，增长12.7%；实现社会消费品零售总额9.6亿元，增长6.2%。"]


def test_a_deleted_paragraphs_change_is_anchored_on_its_neighbour() -> None:
    result = merge(BASE, BASE[:2], NEW)
    conflict = next(g for g in result.groups if g.outcome == "conflict")
    assert (conflict.anchor, conflict.neighbour, conflict.detail) == (1, True, "排查化解矛盾纠纷：412件 → 430件")


def test_new_paragraphs_go_after_the_one_before_them() -> None:
    new = [*NEW[:2], "二、存在的问题", "工业基础薄弱。", NEW[2]]
    result = merge(BASE, [*BASE, "我自己加的一段。"], new)
    assert [(i.after, i.paragraphs) for i in result.inserts] == [(1, [2, 3])]


def test_align_pairs_alike_paragraphs() -> None:
    a = ["一、工作", "实现地区生产总值42.8亿元，同比增长7.3%", "二、问题"]
    b = ["一、工作", "实现地区生产总值43.1亿元，同比增长8.0%", "我自己加的一段话", "二、问题"]
    assert align(a, b) == [(0, 0), (1, 1), (None, 2), (2, 3)]
