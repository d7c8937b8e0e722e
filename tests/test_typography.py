"""Chinese punctuation inside Chinese text; numbers untouched."""

from __future__ import annotations

import pytest

from draftgen.text.typography import chinese_punctuation


@pytest.mark.parametrize(("text", "expected"), [
    ('组织"认购一棵樱桃树"活动,带动增收', "组织“认购一棵樱桃树”活动，带动增收"),
    ("增长5%,完成目标;排名第一", "增长5%，完成目标；排名第一"),
    ("总产值1,200万元(同比)", "总产值1,200万元（同比）"),
    ("主要问题:人口外流", "主要问题：人口外流"),
    ("产量35.6万吨", "产量35.6万吨"),
])
def test_chinese_punctuation(text: str, expected: str) -> None:
    assert chinese_punctuation(text) == expected
