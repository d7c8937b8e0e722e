"""`draftgen update` over a suite of realistic edits: each a thing writers do to a draft in
Word, saved again by LibreOffice, then updated with a sheet in which figures changed, a
placeholder's figure came in, an indicator was added, a project was finished and a problem
added. For every scenario: which new facts land, which become comments (on the right
paragraph), which of the writer's edits survive; accepting every change in LibreOffice gives
the same text as our reader; no figure stands beside a rate computed from another."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import example_path
from draftgen import build_draft
from draftgen.api import check_file, draft_docx, update_docx
from draftgen.formats.docx_reader import read_docx
from draftgen.review.merge import PARA, Text, diff
from draftgen.sheet.validation import load_facts_file

pytestmark = pytest.mark.slow
UNO = Path(__file__).with_name("office_uno.py")
PLACEHOLDER_INDICATOR = """  - name: 规模以上工业增加值
    unit: 亿元
"""


def old_sheet() -> str:
    """The example with one indicator still waiting for its figure (a placeholder)."""
    text = example_path("taoyuan-town").read_text(encoding="utf-8")
    return text.replace("  - name: 村级集体经济收入", PLACEHOLDER_INDICATOR + "  - name: 村级集体经济收入")


def new_sheet() -> str:
    """The statistics came in: figures changed, the placeholder's figure, a new indicator,
    a project finished, a problem added."""
    return (old_sheet().replace("value: 42.8", "value: 43.5")
            .replace("矛盾纠纷412件", "矛盾纠纷430件")
            .replace(PLACEHOLDER_INDICATOR, """  - name: 规模以上工业增加值
    value: 5.6
    unit: 亿元
    growth: 7.1
  - name: 社会消费品零售总额
    value: 9.6
    unit: 亿元
    growth: 6.2
""")
            .replace("    status: ongoing\n    progress: 主体工程完成80%", "    status: done\n    progress: 建成投用")
            .replace("problems:\n", "problems:\n  - topic: 生态环境与人居环境\n"
                                    "    text: 农村生活污水处理设施覆盖不足\n"))


@dataclass(frozen=True)
class Fact:
    """A change of the new sheet: the text it lands as, what a comment on it names, and
    the text of the paragraph it belongs in (its home)."""

    name: str
    lands: str
    named: str
    home: str
    figure: bool = True


FACTS = [
    Fact("地区生产总值", "地区生产总值43.5亿元", "43.5", "21360元"),
    Fact("地区生产总值增速", "同比增长9.0%", "9.0%", "21360元"),
    Fact("待补充的指标", "规模以上工业增加值5.6亿元", "5.6", "21360元"),
    Fact("新增指标", "社会消费品零售总额9.6亿元", "9.6", "21360元"),
    Fact("矛盾纠纷", "矛盾纠纷430件", "430", "化解率97.6%"),
    Fact("项目完成", "柑橘冷链物流中心（总投资1.5亿元）建成投用", "建成投用", "征地1280亩", figure=False),
    Fact("新增问题", "农村生活污水处理设施覆盖不足", "农村生活污水处理设施覆盖不足", "税源结构单一", figure=False),
]


@dataclass
class Scenario:
    name: str
    edit: Callable[[Document], None]
    #: the writer's text that must be in the result
    kept: list[str] = field(default_factory=list)
    #: the writer's text that must not come back (what they deleted)
    gone: list[str] = field(default_factory=list)
    #: facts expected to land in the text (the rest: at least commented)
    lands: set[str] = field(default_factory=lambda: {f.name for f in FACTS})


def _set(paragraph: object, text: str) -> None:
    runs = paragraph.runs  # type: ignore[attr-defined]
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def _find(document: Document, needle: str) -> object:
    return next(p for p in document.paragraphs if needle in p.text)


def _replace(needle: str, old: str, new: str) -> Callable[[Document], None]:
    def edit(document: Document) -> None:
        paragraph = _find(document, needle)
        _set(paragraph, paragraph.text.replace(old, new))  # type: ignore[attr-defined]
    return edit


def _move_sentence(document: Document) -> None:
    paragraph = _find(document, "矛盾纠纷412件")
    text = paragraph.text  # type: ignore[attr-defined]
    sentence = "排查化解矛盾纠纷412件，化解率97.6%。"
    _set(paragraph, sentence + text.replace(sentence, ""))


def _split(document: Document) -> None:
    paragraph = _find(document, "全年主要指标完成情况是")
    first, second = paragraph.text.split("增长7.8%；")  # type: ignore[attr-defined]
    _set(paragraph, first + "增长7.8%。")
    new = paragraph.insert_paragraph_before(first + "增长7.8%。", style=paragraph.style)  # type: ignore[attr-defined]
    _set(paragraph, "此外，" + second)
    assert new.text.endswith("增长7.8%。")


def _merge(document: Document) -> None:
    head = _find(document, "工作的总体思路是")
    after = _find(document, "重点抓好")
    _set(head, head.text + after.text)  # type: ignore[attr-defined]
    after._element.getparent().remove(after._element)  # type: ignore[attr-defined]


def _delete(document: Document) -> None:
    paragraph = _find(document, "矛盾纠纷412件")
    paragraph._element.getparent().remove(paragraph._element)  # type: ignore[attr-defined]


def _table(document: Document) -> None:
    anchor = _find(document, "全年主要指标完成情况是")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([("指标", "数值"), ("地区生产总值（亿元）", "42.8"), ("排查化解矛盾纠纷（件）", "412")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    anchor._element.addnext(table._tbl)  # type: ignore[attr-defined]


def _added(document: Document) -> None:
    anchor = _find(document, "征地1280亩")
    new = document.add_paragraph("此外，全镇还组织开展了项目观摩评比活动。", style=anchor.style)  # type: ignore[attr-defined]
    anchor._element.addnext(new._element)  # type: ignore[attr-defined]


def _punctuation(document: Document) -> None:
    paragraph = _find(document, "全年主要指标完成情况是")
    _set(paragraph, paragraph.text.replace("同比增长7.3%；", "同比增长7.3%。").replace("“", "「").replace("”", "」"))  # type: ignore[attr-defined]


def _item(document: Document) -> None:
    paragraph = _find(document, "矛盾纠纷412件")
    text = paragraph.text  # type: ignore[attr-defined]
    own = "。坚持和发展新时代“枫桥经验”，把矛盾化解在基层。"
    _set(paragraph, re.sub(r"。[^。]*化解矛盾纠纷。", own, text, count=1))


LEAD = "全年主要指标完成情况是"
ALL = {f.name for f in FACTS}
SCENARIOS = [
    Scenario("lead_reworded", _replace(LEAD, LEAD + "，", "这一年，全镇主要经济指标稳中有进："),
             kept=["这一年，全镇主要经济指标稳中有进："]),
    Scenario("sentence_moved", _move_sentence, kept=["化解率97.6%。全面对标"]),
    Scenario("paragraph_split", _split, kept=["此外，实现规模以上工业增加值"]),
    Scenario("paragraph_merged", _merge,
             kept=["各项工作落地见效。提出的主要预期目标是", "1.45亿元；固定资产投资增长10%左右。重点抓好"]),
    Scenario("figure_corrected", _replace(LEAD, "42.8亿元", "43.1亿元"),
             kept=["地区生产总值43.1亿元，同比增长7.3%"], lands=ALL - {"地区生产总值", "地区生产总值增速"}),
    Scenario("placeholder_kept", _replace(LEAD, "村级集体经济收入村均26.4万元", "村集体经济收入村均达26.4万元"),
             kept=["村集体经济收入村均达26.4万元"]),
    Scenario("paragraph_deleted", _delete, gone=["412件", "430件"], lands=ALL - {"矛盾纠纷"}),
    Scenario("table_added", _table),
    Scenario("heading_renamed",
             _replace("社会治理迈出", "凝聚合力促提升，社会治理迈出坚实步伐", "深化平安建设，社会大局和谐稳定"),
             kept=["（七）深化平安建设，社会大局和谐稳定"]),
    Scenario("paragraph_added", _added, kept=["此外，全镇还组织开展了项目观摩评比活动。"]),
    Scenario("punctuation_changed", _punctuation, kept=["同比增长"]),
    Scenario("item_reworded", _item, kept=["坚持和发展新时代“枫桥经验”，把矛盾化解在基层。"]),
]


def _office(jobs: list[dict[str, str]], work: Path) -> None:
    """Run the jobs in LibreOffice (see office_uno.py)."""
    listing = work / f"jobs-{len(list(work.glob('jobs-*.json')))}.json"
    listing.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    subprocess.run(["/usr/bin/python3", str(UNO), str(listing)], check=True, timeout=600, capture_output=True)


def _has_office() -> bool:
    if shutil.which("soffice") is None or not Path("/usr/bin/python3").exists():
        return False
    probe = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    import os

    if not _has_office():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and python3-uno must be installed in CI: .ci/run installs them")
        pytest.skip("LibreOffice with python3-uno is not installed")
    work = tmp_path_factory.mktemp("scenarios")
    (work / "old.yaml").write_text(old_sheet(), encoding="utf-8")
    (work / "new.yaml").write_text(new_sheet(), encoding="utf-8")
    draft = work / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(work / "old.yaml")))
    for scenario in SCENARIOS:
        document = Document(str(draft))
        scenario.edit(document)
        document.save(str(work / f"{scenario.name}-edited.docx"))
    _office([{"do": "resave", "source": str(work / f"{s.name}-edited.docx"), "target": str(work / f"{s.name}.docx")}
             for s in SCENARIOS], work)
    out: dict[str, dict[str, object]] = {}
    for scenario in SCENARIOS:
        result = update_docx(work / f"{scenario.name}.docx", work / "new.yaml")
        path = work / f"{scenario.name}-updated.docx"
        path.write_bytes(result.data)
        out[scenario.name] = {"result": result, "path": path, "edited": work / f"{scenario.name}.docx"}
    _office([{"do": "accept", "source": str(o["path"]), "target": str(work / f"{n}-accepted.txt")}
             for n, o in out.items()], work)
    for name, o in out.items():
        o["accepted"] = (work / f"{name}-accepted.txt").read_text(encoding="utf-8")
    out["_work"] = {"path": work}
    return out


def body(path: Path) -> list[str]:
    """The body's paragraphs with every change accepted, as our reader sees them."""
    return [b.text for b in read_docx(path) if b.where is None]


def comments(path: Path) -> list[tuple[str, str]]:
    """(comment text, the text of the paragraph or cell it is anchored on)."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
    document = Document(str(path))
    texts = {str(c.comment_id): c.text for c in document.comments} if "word/comments.xml" in names else {}
    out = []
    for p in document.element.body.iter(qn("w:p")):
        ids = [s.get(qn("w:id")) for s in p.iter(qn("w:commentRangeStart"))]
        visible = "".join(t.text or "" for t in p.iter(qn("w:t")))
        out += [(texts.get(i, ""), visible) for i in ids]
    return out


def outcome(name: str, suite: dict[str, dict[str, object]]) -> dict[str, str]:
    """For each fact of the new sheet: landed, commented (on its home paragraph or, where
    the writer deleted that, anywhere), or lost."""
    path: Path = suite[name]["path"]  # type: ignore[assignment]
    text = "\n".join(body(path))
    notes = comments(path)
    out = {}
    for fact in FACTS:
        if fact.lands in text:
            out[fact.name] = "landed"
            continue
        homes = [n for n, anchored in notes if fact.named in n and (fact.home in anchored or fact.home not in text)]
        out[fact.name] = "commented" if homes else "lost"
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_fact_lands_or_is_commented_on_its_paragraph(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    got = outcome(scenario.name, suite)
    assert "lost" not in got.values(), got
    assert {name for name, how in got.items() if how == "landed"} >= scenario.lands, got


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_writers_edits_survive(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(body(suite[scenario.name]["path"]))
    for kept in scenario.kept:
        assert kept in text
    for gone in scenario.gone:
        assert gone not in text
    # and every stretch of text the writer typed into the draft is still in the result
    work: Path = suite["_work"]["path"]  # type: ignore[assignment]
    base = Text(body(work / "草稿.docx"))
    theirs = Text(body(suite[scenario.name]["edited"]))
    typed = [theirs.string[b1:b2].strip(PARA) for tag, _, _, b1, b2 in diff(base, theirs, regroup=True)
             if tag in ("insert", "replace")]
    result = text.replace("\n", PARA)
    assert [t for t in typed if len(t) >= 2 and t not in result and refreshed(t) not in result] == []


def refreshed(text: str) -> str:
    """The writer's text with the new facts' figures in it (a sentence they moved, updated)."""
    for old, new in (("412件", "430件"), ("42.8亿元", "43.5亿元"), ("7.3%", "9.0%")):
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_accepting_all_in_libreoffice_gives_the_text_we_read(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    accepted = [line for line in suite[scenario.name]["accepted"].split("\n") if line.strip()]
    assert accepted == [t for t in body(suite[scenario.name]["path"]) if t.strip()]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_no_figure_beside_a_rate_from_another(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(body(suite[scenario.name]["path"]))
    pairs = set(re.findall(r"地区生产总值([0-9.]+)亿元，同比增长([0-9.]+)%", text))
    assert pairs <= {("42.8", "7.3"), ("43.5", "9.0"), ("43.1", "7.3")}, pairs


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_announced_conflict_is_a_comment_in_the_file(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    result = suite[scenario.name]["result"]
    notes = comments(suite[scenario.name]["path"])
    conflicts = [c for c in result.changes if c.kind == "conflict"]
    assert len(notes) == len(conflicts)
    for change in conflicts:
        assert change.location and any(change.detail[:10] in n or change.detail[-10:] in n for n, _ in notes), change


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_no_stale_figure_outside_a_commented_place(scenario: Scenario, suite) -> None:  # type: ignore[no-untyped-def]
    work: Path = suite["_work"]["path"]  # type: ignore[assignment]
    path: Path = suite[scenario.name]["path"]  # type: ignore[assignment]
    commented = [anchored for _, anchored in comments(path)]
    findings = check_file(path, facts=load_facts_file(work / "new.yaml"))
    stale = [f for f in findings if f.rule == "fact.stale" and not any(f.excerpt in a for a in commented)]
    assert stale == []


def test_tables_take_the_figure_where_the_row_names_the_indicator(suite) -> None:  # type: ignore[no-untyped-def]
    path: Path = suite["table_added"]["path"]  # type: ignore[assignment]
    cells = {}
    for block in read_docx(path):
        if block.where and "第1列" in block.where:
            row = block.where.rsplit("第", 1)[0]
            cells[block.text] = next(b.text for b in read_docx(path) if b.where == row + "第2列")
    assert cells["地区生产总值（亿元）"] == "43.5"
    assert cells["排查化解矛盾纠纷（件）"] == "412"  # a work figure in a row of the writer's: a comment
    assert any("412" in note and anchored == "412" for note, anchored in comments(path))


def test_over_the_suite(suite) -> None:  # type: ignore[no-untyped-def]
    """The figures of issue 27: at least 95 % of changed figures land or are commented."""
    results = [outcome(s.name, suite) for s in SCENARIOS]
    figures = [r[f.name] for r in results for f in FACTS if f.figure]
    handled = sum(1 for how in figures if how != "lost") / len(figures)
    landed = sum(1 for how in figures if how == "landed") / len(figures)
    for scenario, result in zip(SCENARIOS, results, strict=True):
        print(scenario.name, {name: how for name, how in result.items() if how != "landed"})
    print(f"\n{len(SCENARIOS)} scenarios × {len(FACTS)} facts: figures landed {landed:.0%}, "
          f"landed or commented {handled:.0%}")
    assert handled >= 0.95
