"""The workbench's form edits merged into a commented fact sheet: by path, not position.
A random run of the edits a writer makes in the form (a field cleared and typed again, a
value changed, a row moved up or down, a row deleted, a row added) keeps every comment on
the key it was written on."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from draftgen.web import sheet

SHEET = """# 桃源镇的事实表
town: 桃源镇  # c:town
division: 镇  # c:division
year: 2024  # c:year
period: annual  # c:period
honors:
  - 获评省级文明村镇  # c:hon:获评省级文明村镇
  - 入选全省农业产业强镇  # c:hon:入选全省农业产业强镇
  - 桃花村被评为示范村  # c:hon:桃花村被评为示范村
indicators:
  - name: 地区生产总值  # c:ind:地区生产总值:name
    value: 42.8  # c:ind:地区生产总值:value
    unit: 亿元  # c:ind:地区生产总值:unit
    previous: 39.9  # c:ind:地区生产总值:previous
  - name: 一般公共预算收入  # c:ind:一般公共预算收入:name
    value: 1.36  # c:ind:一般公共预算收入:value
    unit: 亿元  # c:ind:一般公共预算收入:unit
    growth: 8.4  # c:ind:一般公共预算收入:growth
  - name: 固定资产投资  # c:ind:固定资产投资:name
    value: 11.5  # c:ind:固定资产投资:value
    unit: 亿元  # c:ind:固定资产投资:unit
    rank: 全县第2  # c:ind:固定资产投资:rank
  - name: 村级集体经济收入  # c:ind:村级集体经济收入:name
    value: 26.4  # c:ind:村级集体经济收入:value
    unit: 万元  # c:ind:村级集体经济收入:unit
"""


def _identity(data: dict[str, Any], path: tuple[Any, ...]) -> str | None:
    """What a line's path is, by the row's name rather than its place (c:ind:地区生产总值:value)."""
    if len(path) == 1:
        return str(path[0])
    if path[0] == "honors" and len(path) == 2:
        return f"hon:{data['honors'][path[1]]}"
    if path[0] == "indicators" and len(path) == 2:  # a row's first line is its name's
        return f"ind:{data['indicators'][path[1]]['name']}:name"
    if path[0] == "indicators" and len(path) == 3:
        return f"ind:{data['indicators'][path[1]]['name']}:{path[2]}"
    return None


def comments_on_their_keys(text: str) -> list[str]:
    """The comments that stand on a line other than the one of their key."""
    doc = sheet.parse(text)
    data = sheet.to_data(doc)
    lines = sheet.line_paths(doc)
    wrong = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "# c:" not in line:
            continue
        said = line.split("# c:", 1)[1].strip()
        path = lines.get(number)
        if path is None or _identity(data, path) != said:
            wrong.append(f"第{number}行 {line.strip()} → {path}")
    return wrong


def _edit(rng: random.Random, data: dict[str, Any], pending: list[tuple[tuple[Any, ...], Any]]) -> None:
    """One edit a writer makes in the form (a cleared field is typed again at the next edit)."""
    if pending:
        (*where, key), value = pending.pop()
        node: Any = data
        for part in where:
            node = node[part]
        node[key] = value
        return
    rows = data["indicators"]
    kind = rng.choice(["clear", "clear", "value", "move", "move", "delete", "add", "honor"])
    if kind == "clear":
        choices: list[tuple[Any, ...]] = [(k,) for k in ("town", "division", "year", "period")]
        choices += [("indicators", i, k) for i, row in enumerate(rows) for k in row]
        path = rng.choice(choices)
        node = data
        for part in path[:-1]:
            node = node[part]
        if path[-1] in node:
            pending.append((path, node.pop(path[-1])))
    elif kind == "value" and rows:
        row = rng.choice(rows)
        row["value"] = round(rng.uniform(1, 100), 1)
    elif kind == "move" and len(rows) > 1:
        i = rng.randrange(len(rows) - 1)
        rows[i], rows[i + 1] = rows[i + 1], rows[i]
    elif kind == "delete" and len(rows) > 1:
        rows.pop(rng.randrange(len(rows)))
    elif kind == "add":
        rows.append({"name": f"新指标{rng.randrange(1000)}", "value": 1.0, "unit": "万元"})
    elif kind == "honor" and len(data["honors"]) > 1:
        honors = data["honors"]
        i = rng.randrange(len(honors) - 1)
        honors[i], honors[i + 1] = honors[i + 1], honors[i]


@pytest.mark.slow  # 500 runs, about 8,000 merges: half a minute
@pytest.mark.parametrize("chunk", range(10))
def test_random_form_edits_keep_every_comment_on_its_key(chunk: int) -> None:
    for run in range(chunk * 50, chunk * 50 + 50):  # 500 runs in all, 4–30 edits each
        rng = random.Random(run)
        text = SHEET
        data = sheet.to_data(sheet.parse(text))
        pending: list[tuple[tuple[Any, ...], Any]] = []
        for _ in range(rng.randint(4, 30)):
            _edit(rng, data, pending)
            text = sheet.merge(text, copy.deepcopy(data))
        if pending:  # the field cleared last is typed again too
            _edit(rng, data, pending)
            text = sheet.merge(text, copy.deepcopy(data))
        assert comments_on_their_keys(text) == [], f"run {run}"


def test_a_cleared_field_typed_again_comes_back_in_its_place_with_its_comment() -> None:
    data = sheet.to_data(sheet.parse(SHEET))
    cleared = copy.deepcopy(data)
    del cleared["division"]
    middle = sheet.merge(SHEET, cleared)
    assert "division" not in middle
    again = sheet.merge(middle, data)
    assert again.splitlines()[1:4] == ["town: 桃源镇  # c:town", "division: 镇  # c:division", "year: 2024  # c:year"]


def test_a_moved_row_takes_its_comments() -> None:
    data = sheet.to_data(sheet.parse(SHEET))
    data["indicators"][0], data["indicators"][1] = data["indicators"][1], data["indicators"][0]
    moved = sheet.merge(SHEET, data)
    assert ("  - name: 一般公共预算收入  # c:ind:一般公共预算收入:name\n"
            "    value: 1.36  # c:ind:一般公共预算收入:value") in moved
    assert comments_on_their_keys(moved) == []
