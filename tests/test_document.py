"""The block model: the Markdown conventions parse into blocks and back, exactly."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft
from draftgen.formats.document import HEADING, PARAGRAPH, SIGNATURE, SUBTITLE, TITLE, Run, parse_markdown, to_markdown


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_markdown_round_trips_through_blocks(key: str, form: str) -> None:
    markdown = build_draft(example_path(key), form=form).markdown
    assert to_markdown(parse_markdown(markdown)) == markdown


def test_conventions() -> None:
    blocks = parse_markdown(
        "# 甲镇2024年工作总结\n\n——甲镇2024年工作总结\n\n## 一、工作情况\n\n### （一）抓党建\n\n"
        "**一是开展学习。**组织学习3期【待补充：次数】。\n\n**——经济运行稳中有进。**全年……\n\n---\n\n甲镇人民政府\n\n"
        "【待补充：落款日期】\n")
    assert [(b.kind, b.level) for b in blocks] == [
        (TITLE, 0), (SUBTITLE, 0), (HEADING, 1), (HEADING, 2), (PARAGRAPH, 0), (PARAGRAPH, 0),
        (SIGNATURE, 0), (SIGNATURE, 0)]
    assert blocks[4].runs == (Run("一是开展学习。", bold=True), Run("组织学习3期"),
                              Run("【待补充：次数】", placeholder=True), Run("。"))
    assert blocks[5].runs[0] == Run("——经济运行稳中有进。", bold=True)
    assert blocks[7].runs == (Run("【待补充：落款日期】", placeholder=True),)
