"""Mining: rediscovers the frames of our own drafts, finds the set formulations of
real reports, treats masks and numbers as slots, marks what the bank knows."""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import CORPUS, example_path
from draftgen import build_draft, load_facts
from draftgen.bank.phrasebank import load_bank
from draftgen.curate.mining import miner as miner_module
from draftgen.curate.mining.miner import mine
from draftgen.curate.mining.sources import collect
from draftgen.curate.mining.store import tokens
from draftgen.text.segment import SLOT

TOWNS = ["青川镇", "石门镇", "东风镇", "白沙镇", "龙泉镇", "柳林镇", "金川镇", "清水镇"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter[str], dict[str, set[str]]]:
    """24 drafts of our own; which single-clause entries they used, with which fillings."""
    folder = tmp_path_factory.mktemp("drafts")
    bank = load_bank()
    uses: Counter[str] = Counter()
    fills: dict[str, set[str]] = defaultdict(set)
    for key in ("taoyuan-town", "donghu-street", "shimen-township"):
        base = load_facts(example_path(key))
        for town in TOWNS:
            result = build_draft(dataclasses.replace(base, town=town))
            (folder / f"{key}-{town}.md").write_text(result.markdown, encoding="utf-8")
            for entry_id, filled in result.picks:
                uses[entry_id] += 1
                fills[entry_id].add(filled)
    return folder, uses, {k: v for k, v in fills.items() if bank.entries[k].role}


def _frame(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", SLOT, text)


def test_rediscovers_the_frames_of_generated_drafts(generated) -> None:  # type: ignore[no-untyped-def]
    folder, uses, fills = generated
    bank = load_bank()
    expected = set()
    for entry_id, count in uses.items():
        entry = bank.entries[entry_id]
        one_clause = not re.search(r"[，；：]", entry.text)
        if count >= 3 and len(fills[entry_id]) >= 2 and one_clause and len(entry.slots) == 1 \
                and entry.slots[0] == "label" and len(entry.text) >= 8:
            expected.add(_frame(entry.text))
    assert len(expected) >= 5
    result = mine(collect([folder]), min_docs=2, limit=2000, known=[e.text for e in bank.entries.values()])
    frames = {c.text: c for c in result.candidates if c.kind == "frame"}
    found = expected & set(frames)
    assert len(found) >= 0.6 * len(expected), sorted(expected - found)
    assert all(frames[t].status == "known" for t in found)


def test_masks_numbers_and_places_are_slots() -> None:
    from draftgen.text.segment import segmenter

    _, cut = segmenter(False)
    assert tokens("xx镇完成投资2.5亿元", cut)[0] == SLOT
    assert tokens("〔2023〕号文件", cut)[0] == SLOT
    assert SLOT in tokens("庙坪村新建道路12公里", cut)
    assert "庙坪村" not in tokens("庙坪村新建道路12公里", cut)
    assert all("*" not in t and "x" not in t for t in tokens("**镇党委、xx村委", cut))


def test_mined_text_never_holds_masks(tmp_path: Path) -> None:
    text = "xx镇坚持党建引领，**村实现集体经济收入xx万元。\n" * 3
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(text.replace("党建", "党建" + "引" * 0), encoding="utf-8")
    result = mine(collect([tmp_path]), min_docs=2)
    assert result.candidates
    assert not [c.text for c in result.candidates if re.search(r"[*xX0-9]", c.text)]


def test_same_candidates_with_jieba_and_the_fast_extra(generated) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("rjieba")
    sources = collect([generated[0]])
    assert [c.text for c in mine(sources, prefer_fast=True).candidates] == \
        [c.text for c in mine(sources, prefer_fast=False).candidates]


def test_on_the_shared_corpus_finds_what_a_reader_sees_recurring() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    result = mine(collect([CORPUS]), min_docs=2, limit=150)
    texts = [c.text for c in result.candidates]
    for expected in ("习近平新时代中国特色社会主义思想", "人居环境整治", "聚焦{…}，推进{…}，提升{…}",
                     "在{…}上争先进位", "加大{…}力度", "扫黑除恶", "{…}、{…}，{…}"):
        assert expected in texts, expected
    assert all(len(c.examples) >= 1 for c in result.candidates[:20] if c.kind != "heading")


def test_two_slot_parallel_frames(tmp_path: Path) -> None:
    for name, text in (("a", "坚持小事不出村、大事不出镇，矛盾不上交。"), ("b", "做到小事不出组、大事不出村。"),
                       ("c", "实现小事不出网格、大事不出社区。")):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    texts = [c.text for c in mine(collect([tmp_path]), min_docs=2).candidates]
    assert texts[0] == "小事不出{…}、大事不出{…}"


PLANTED = ["守牢耕地保护红线", "打通服务群众最后一公里", "坚持人民至上生命至上", "推动移风易俗树立文明新风",
           "织密织牢民生保障网"]
# a long sentence repeated whole: its pieces must collapse into it
SENTENCE = "创建集观光旅游采摘休闲为一体的田园综合体"
WORDS = ["工作", "发展", "推进", "全面", "提升", "重点", "产业", "加强", "建设", "群众", "服务", "管理", "落实",
         "完善", "项目", "农村", "经济", "社会", "安全", "环境", "组织", "文化", "教育", "卫生", "交通", "水利"]


def _planted_corpus(folder: Path) -> None:
    import random

    rng = random.Random(7)
    for doc in range(12):
        clauses = ["".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))) for _ in range(120)]
        for k, text in enumerate(PLANTED):
            if (doc + k) % 3:  # each formulation in 8 of the 12 reports
                clauses.insert(rng.randrange(len(clauses)), text)
        if doc % 2:
            clauses.insert(rng.randrange(len(clauses)), SENTENCE)
        sentences = ["，".join(clauses[i:i + 4]) + "。" for i in range(0, len(clauses), 4)]
        (folder / f"{doc:02d}.txt").write_text("\n".join(sentences), encoding="utf-8")


def test_planted_formulations_top_the_list_without_their_fragments(tmp_path: Path) -> None:
    _planted_corpus(tmp_path)
    top = [c.text for c in mine(collect([tmp_path]), limit=50).candidates if c.kind == "formulation"]
    for text in [*PLANTED, SENTENCE]:
        assert text in top, text
        pieces = [t for t in top if t != text and (t in text or text in t)]
        assert not pieces, (text, pieces)


def test_plain_words_rank_below_formulations(tmp_path: Path) -> None:
    """产业发展 recurs more often than 人居环境整治, but it is everyday language."""
    for doc, verb in enumerate(["开展", "深化", "抓实", "推进"]):
        (tmp_path / f"{doc}.txt").write_text(f"推进产业发展，抓好产业发展。\n{verb}人居环境整治。", encoding="utf-8")
    texts = [c.text for c in mine(collect([tmp_path])).candidates]
    assert texts.index("人居环境整治") < texts.index("产业发展")


def test_fillings_are_grouped_under_their_frame(tmp_path: Path) -> None:
    for doc, (lead, fill) in enumerate([("持续", "项目投资"), ("进一步", "项目投资"), ("着力", "环境保护"),
                                        ("持续", "环境保护"), ("不断", "民生投入")]):
        (tmp_path / f"{doc}.txt").write_text(f"{lead}发力，加大{fill}力度。", encoding="utf-8")
    result = mine(collect([tmp_path])).candidates
    frame = next(c for c in result if c.text == "加大{…}力度")
    assert {"项目投资", "环境保护"} <= set(frame.fillings)
    assert not [c.text for c in result if c.kind == "formulation" and c.text.startswith("加大")]


def test_same_candidates_in_one_process_and_in_two(generated) -> None:  # type: ignore[no-untyped-def]
    sources = collect([generated[0]])
    one = mine(sources, jobs=1).candidates
    two = mine(sources, jobs=2).candidates
    assert [(c.text, c.df, c.count) for c in one] == [(c.text, c.df, c.count) for c in two]


def test_by_year_tells_rising_and_falling_formulations(tmp_path: Path) -> None:
    for year in range(2019, 2025):
        slogan = "坚决打赢脱贫攻坚战" if year <= 2021 else "全面推进乡村振兴"
        for town in ("青川", "石门"):
            name = f"{town}-{year}.txt" if town == "青川" else f"{town}.{year}.md"
            (tmp_path / name).write_text(f"{town}镇工作总结\n{slogan}，扎实推进人居环境整治。\n", encoding="utf-8")
    result = mine(collect([tmp_path]), by_year=True)
    assert result.reports_by_year == dict.fromkeys(range(2019, 2025), 2)
    trend = {c.text: (c.trend, c.years) for c in result.candidates}
    assert trend["坚决打赢脱贫攻坚战"] == ("falling", dict.fromkeys((2019, 2020, 2021), 2))
    assert trend["全面推进乡村振兴"][0] == "rising"
    assert trend["扎实推进人居环境整治"][0] == "steady"


def test_by_year_counts_the_reports_that_hold_each_candidate(generated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every report dated: a candidate's reports over the years add up to its df, and
    the counts are the same in one process and in two."""
    for n, path in enumerate(sorted(generated[0].iterdir())):
        (tmp_path / f"{path.stem}-{2021 + n % 4}.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    sources = collect([tmp_path])
    one, two = mine(sources, jobs=1, by_year=True), mine(sources, jobs=2, by_year=True)
    assert one.reports_by_year == two.reports_by_year == {2021: 6, 2022: 6, 2023: 6, 2024: 6}
    listed = [c for c in one.candidates if c.kind != "heading"]
    assert listed and all(sum(c.years.values()) == c.df for c in listed)
    assert [(c.text, c.years, c.trend) for c in one.candidates] == [(c.text, c.years, c.trend) for c in two.candidates]


def test_by_year_a_frame_counts_the_reports_with_a_clause_it_frames(tmp_path: Path) -> None:
    """As its df does: 力争在招商引资上实现新突破 is another clause, not a use of 在{…}上实现新突破."""
    for year, lead in ((2022, "一年来，"), (2023, "一年来，"), (2024, "下一步，力争")):
        for town, fill in (("青川", "项目建设"), ("石门", "招商引资")):
            (tmp_path / f"{town}-{year}.txt").write_text(f"{town}镇工作总结\n{lead}在{fill}上实现新突破。\n",
                                                       encoding="utf-8")
    found = {c.text: c for c in mine(collect([tmp_path]), by_year=True).candidates}
    frame = found["在{…}上实现新突破"]
    assert (frame.df, frame.years, frame.trend) == (4, {2022: 2, 2023: 2}, "falling")
    assert (found["力争在{…}上实现新突破"].years, found["力争在{…}上实现新突破"].trend) == ({2024: 2}, "rising")
    assert found["{…}上实现新突破"].years == {2022: 2, 2023: 2, 2024: 2}


def test_by_year_a_long_report_counts_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from draftgen.curate.mining import count

    monkeypatch.setattr(count, "PIECE_CHARS", 200)
    report = "扎实推进人居环境整治，村容村貌明显改善。\n" + "各项工作稳步推进。\n" * 20
    (tmp_path / "汇编-2023.txt").write_text(report * 30, encoding="utf-8")
    (tmp_path / "石门-2024.txt").write_text(report, encoding="utf-8")
    result = mine(collect([tmp_path]), jobs=2, by_year=True)
    found = {c.text: c for c in result.candidates}
    assert found["扎实推进人居环境整治"].years == {2023: 1, 2024: 1}
    assert result.reports_by_year == {2023: 1, 2024: 1}


def test_year_from_the_title_when_the_file_name_has_none(tmp_path: Path) -> None:
    from draftgen.curate.mining.sources import Source
    from draftgen.curate.mining.years import year_of

    source = Source(tmp_path / "总结.txt", 0)
    assert year_of(source, "\n青川镇2023年工作总结和2024年工作打算\n……") == 2023
    assert year_of(source, "青川镇工作总结\n2023年，全镇……") is None
    assert year_of(source, "\r\n  \r青川镇工作总结\r2023年，全镇……") is None  # old Mac line breaks
    assert year_of(source, " \u2028青川镇2023年工作总结\u20282024年，全镇……") == 2023


def test_same_candidates_when_the_store_is_emptied_midway(generated, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A process keeps the sentences and clauses it has seen up to a limit, then starts
    afresh: what it counts must not depend on where that happens."""
    from draftgen.curate.mining import store

    sources = collect([generated[0]])
    whole = mine(sources, jobs=1, by_year=True).candidates  # the drafts' titles give their year
    assert any(c.years for c in whole)
    monkeypatch.setattr(store, "CACHE_SENTENCES", 40)
    monkeypatch.setattr(store, "_STORE", [])
    emptied = mine(sources, jobs=1, by_year=True).candidates
    assert [c.as_dict() for c in emptied] == [c.as_dict() for c in whole]


def test_windows_line_breaks_and_headings_count_as_in_a_plain_file(tmp_path: Path) -> None:
    lines = ["一、强化党建引领，夯实基层基础", "聚焦主责主业，推进乡村振兴，提升治理效能。",
             "二、优化营商环境，激发市场活力", "聚焦项目建设，推进产业升级，提升服务水平。"]
    unix, windows = tmp_path / "unix", tmp_path / "windows"
    for folder, newline in ((unix, "\n"), (windows, "\r\n")):
        folder.mkdir()
        for doc in range(3):
            (folder / f"{doc}.txt").write_bytes(newline.join(lines).encode())
    expected = [c.as_dict() for c in mine(collect([unix])).candidates]
    assert [c.as_dict() for c in mine(collect([windows])).candidates] == expected
    kinds = {c["text"]: c["kind"] for c in expected}
    assert kinds["{…}，{…}"] == "heading"
    assert kinds["聚焦{…}，推进{…}，提升{…}"] == "frame"


def test_hundreds_of_short_reports_are_each_counted(tmp_path: Path) -> None:
    """More reports than a batch numbers at once (256): every one still counts."""
    for doc in range(600):
        (tmp_path / f"{doc:03d}.txt").write_text(f"扎实推进人居环境整治。第{doc}号。", encoding="utf-8")
    found = {c.text: c for c in mine(collect([tmp_path]), jobs=1).candidates}
    assert (found["扎实推进人居环境整治"].df, found["扎实推进人居环境整治"].count) == (600, 600)


def test_a_second_run_in_the_same_process_counts_as_the_first(generated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A process may mine one archive after another: each run counts as if it were the first."""
    _planted_corpus(tmp_path)
    first = [c.as_dict() for c in mine(collect([generated[0]]), jobs=1).candidates]
    mine(collect([tmp_path]), jobs=1)
    assert [c.as_dict() for c in mine(collect([generated[0]]), jobs=1).candidates] == first


def test_examples_are_the_first_lines_holding_a_candidate(tmp_path: Path) -> None:
    """Up to three contexts, in the order of the reports and their lines; a frame's only
    where its fixed words come in its order."""
    lines = ["一是扎实推进人居环境整治，村容村貌明显改善。", "力度不减，加大民生投入。",
             "二是扎实推进人居环境整治，清理垃圾三百吨。", "加大项目投资力度，稳住经济基本盘。",
             "三是扎实推进人居环境整治，改厕一百户。", "四是扎实推进人居环境整治，建成示范村两个。",
             "加大环境保护力度。"]
    for doc in range(2):
        (tmp_path / f"{doc}.txt").write_text("\n".join(lines), encoding="utf-8")
    found = {c.text: c for c in mine(collect([tmp_path]), min_docs=2).candidates}
    assert found["扎实推进人居环境整治"].examples == [
        "一是扎实推进人居环境整治，村容村貌明显改善。", "二是扎实推进人居环境整治，清理垃圾三百吨。",
        "三是扎实推进人居环境整治，改厕一百户。"]
    # 力度不减，加大民生投入 has both words of 加大{…}力度, not in its order
    assert found["加大{…}力度"].examples == ["加大项目投资力度，稳住经济基本盘。", "加大环境保护力度。"]


def test_a_filling_is_read_slot_by_slot() -> None:
    from draftgen.curate.mining.ranking import _filling

    assert _filling(["加大", "力度"], "加大项目投资力度") == ["项目投资"]
    assert _filling(["加大", "力度"], "加大力度") is None  # a slot holds something
    assert _filling(["加大", "力度"], "加大" + "很" * 13 + "力度") is None  # and at most 12 characters
    assert _filling(["坚持", "和", "相结合"], "坚持治标和治本相结合") == ["治标", "治本"]
    assert _filling(["坚持", "和", "相结合"], "坚持治标与治本相结合") is None


def test_mining_leaves_garbage_collection_as_it_was(tmp_path: Path) -> None:
    import gc

    (tmp_path / "a.txt").write_text("扎实推进人居环境整治。", encoding="utf-8")
    mine(collect([tmp_path]), jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        mine(collect([tmp_path]), jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_long_report_is_counted_piece_by_piece_as_one_report(generated, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A file longer than a piece (a compilation of reports) is counted a piece at a time,
    so memory stays bounded; each formulation still counts once in its document frequency."""
    from draftgen.curate.mining import count

    sources = collect([generated[0]])
    whole = [c.as_dict() for c in mine(sources, jobs=1).candidates]
    monkeypatch.setattr(count, "PIECE_CHARS", 1500)  # every draft is cut into pieces
    assert max(len(line) for s in sources for line in s.path.read_text(encoding="utf-8").splitlines()) < 1500
    assert [c.as_dict() for c in mine(sources, jobs=1).candidates] == whole
    assert [c.as_dict() for c in mine(sources, jobs=2).candidates] == whole


def test_long_files_are_shared_among_the_workers(generated, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A file past LONG_BYTES is counted, and read again for its texts and years, a portion
    at a time (a portion in each worker): each key still counts once in its df, and the
    list is the one a single process makes of whole files, with the same years and examples."""
    from draftgen.curate.mining import count
    from draftgen.curate.mining import sources as reading

    sources = collect([generated[0]])
    whole = [c.as_dict() for c in mine(sources, jobs=1, by_year=True).candidates]
    monkeypatch.setattr(reading, "LONG_BYTES", 2000)  # every draft is long
    monkeypatch.setattr(reading, "PORTION_BYTES", 3000)  # and read in two or three portions
    monkeypatch.setattr(count, "PIECE_CHARS", 1500)
    assert min(s.size for s in sources) > 3000
    for jobs in (1, 2):
        shared = mine(sources, jobs=jobs, by_year=True)
        assert [c.as_dict() for c in shared.candidates] == whole
        assert (shared.documents, shared.bytes) == (len(sources), sum(s.size for s in sources))


@pytest.mark.parametrize("n", [1, 2, 3, 7])
@pytest.mark.parametrize(("name", "encoding"), [("报告.txt", "utf-8"), ("报告.md", "utf-8-sig"),
                                                ("报告.txt", "gb18030"), ("报告.txt", "utf-16")])
def test_a_long_file_read_in_portions_gives_its_text(tmp_path: Path, n: int, name: str, encoding: str) -> None:
    from draftgen.curate.mining.sources import Source, read_portion, read_text

    path = tmp_path / name
    path.write_text("## 一、主要工作\n" + "".join(f"第{i}段，扎实推进**人居环境整治**。\n" for i in range(400)),
                    encoding=encoding)
    source = Source(path, path.stat().st_size)
    parts = [read_portion(source, k, n) for k in range(n)]
    assert "".join(text for text, _ in parts) == read_text(source)
    assert all(text.endswith("\n") for text, _ in parts if text)
    assert sum(share for _, share in parts) == source.size
    path.write_text("一行没有换行" * 100, encoding=encoding)
    source = Source(path, path.stat().st_size)
    assert "".join(read_portion(source, k, n)[0] for k in range(n)) == read_text(source)


def test_a_long_file_among_hundreds_of_short_reports_leaves_them_all_counted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The long file is counted apart: a batch of the short reports around it must still
    number its reports within 256 (the 8 bits a batch's documents are counted in)."""
    from draftgen.curate.mining import sources as reading

    monkeypatch.setattr(reading, "LONG_BYTES", 20_000)
    for doc in range(300):
        (tmp_path / f"{doc:03d}.txt").write_text(f"2023年简报\n扎实推进人居环境整治。第{doc}号。", encoding="utf-8")
    (tmp_path / "100-汇编.txt").write_text("各项工作稳步推进，群众满意度持续提升。\n" * 400, encoding="utf-8")
    for jobs in (1, 2):
        found = {c.text: c for c in mine(collect([tmp_path]), jobs=jobs, by_year=True).candidates}
        item = found["扎实推进人居环境整治"]
        assert (item.df, item.count, item.years) == (300, 300, {2023: 300})


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_word_file_is_taken_apart_once_in_a_run(tmp_path: Path, monkeypatch, jobs: int) -> None:  # type: ignore[no-untyped-def]
    """Counting, recovery, examples and years all read the reports, in whichever process:
    a Word file's text is kept in the run's temporary folder after the first time (one file
    a process, not one a report), and the folder goes at the end."""
    import tempfile

    import docx

    from draftgen.formats import docx_reader

    for year, town in ((2022, "青川"), (2023, "石门"), (2024, "龙泉")):
        document = docx.Document()
        document.add_paragraph(f"{town}镇{year}年工作总结")
        document.add_paragraph("扎实推进人居环境整治，村容村貌明显改善。")
        document.save(str(tmp_path / f"{town}-{year}.docx"))
    log = tmp_path.parent / f"{tmp_path.name}-opened.log"  # written by the workers too (they are forked)
    real = docx_reader.read_docx

    def logged(path: Path, *rest: object) -> object:
        with log.open("a", encoding="utf-8") as out:
            out.write(path.name + "\n")
        return real(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(docx_reader, "read_docx", logged)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    stores: list[list[str]] = []  # what the run's folder holds at the end, before it goes
    original = miner_module.keep_texts

    def keep_texts(folder: Path | None) -> None:
        if folder is None:
            stores.extend(sorted(p.name for p in run.iterdir()) for run in (tmp_path / "tmp").iterdir())
        original(folder)

    monkeypatch.setattr(miner_module, "keep_texts", keep_texts)
    result = mine(collect([tmp_path]), jobs=jobs, by_year=True)
    found = {c.text: c for c in result.candidates}["扎实推进人居环境整治"]
    assert (found.df, found.years) == (3, {2022: 1, 2023: 1, 2024: 1})
    assert found.examples == ["扎实推进人居环境整治，村容村貌明显改善。"]
    assert sorted(log.read_text(encoding="utf-8").split()) == ["石门-2023.docx", "青川-2022.docx", "龙泉-2024.docx"]
    assert len(stores) == 1 and 1 <= len(stores[0]) <= jobs and all(n.endswith(".txt") for n in stores[0])
    assert not list((tmp_path / "tmp").iterdir())


def test_word_files_read_with_the_cycle_collector_off_leave_nothing_behind(tmp_path: Path) -> None:
    """Mining runs without the cycle collector: reading a Word file must leave no objects
    that only the collector would free, or a worker grows with every file it reads."""
    import gc

    import docx

    from draftgen.curate.mining.sources import Source, read_text

    paths = []
    for number in range(6):
        document = docx.Document()
        document.add_paragraph(f"第{number}篇：扎实推进人居环境整治。")
        document.add_table(rows=1, cols=1).cell(0, 0).text = "表格里的字"
        paths.append(tmp_path / f"{number}.docx")
        document.save(str(paths[-1]))
    del document
    gc.collect()
    gc.disable()
    try:
        for path in paths:  # the first time fills the caches (styles shared by the six)
            read_text(Source(path, 1))
        tracked = len(gc.get_objects())
        for _ in range(5):
            for number, path in enumerate(paths):
                assert read_text(Source(path, 1)) == f"第{number}篇：扎实推进人居环境整治。\n表格里的字"
        assert len(gc.get_objects()) - tracked < 10
    finally:
        gc.enable()


def test_examples_are_the_same_looked_for_a_little_at_a_time(generated, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from draftgen.curate.mining import ranking

    sources = collect([generated[0]])
    whole = [c.as_dict() for c in mine(sources, jobs=1).candidates]
    monkeypatch.setattr(ranking, "EXAMPLE_CHARS", 300)
    assert [c.as_dict() for c in mine(sources, jobs=1).candidates] == whole


def test_one_file_of_many_reports_counts_as_one(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from draftgen.curate.mining import count

    monkeypatch.setattr(count, "PIECE_CHARS", 200)
    report = "扎实推进人居环境整治，村容村貌明显改善。\n" + "各项工作稳步推进。\n" * 20
    (tmp_path / "compilation.txt").write_text(report * 30, encoding="utf-8")
    (tmp_path / "other.txt").write_text(report, encoding="utf-8")
    found = {c.text: c for c in mine(collect([tmp_path]), jobs=1).candidates}
    assert (found["扎实推进人居环境整治"].df, found["扎实推进人居环境整治"].count) == (2, 31)


def test_tables_stay_within_the_cap_and_keep_the_frequent_keys(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past the cap the rarest keys go, never the formulations that recur."""
    from draftgen.curate.mining import miner, tables

    _planted_corpus(tmp_path)
    sources = collect([tmp_path])
    monkeypatch.setattr(miner, "BATCH_BYTES", 1)  # a batch a report: the tables are combined again and again
    sizes: list[int] = []
    flush = tables.Counts.flush

    def watched(self: tables.Counts, cap: int) -> None:
        flush(self, cap)
        sizes.append(len(self.grams.keys))

    monkeypatch.setattr(tables.Counts, "flush", watched)
    free = {c.text: (c.df, c.count) for c in mine(sources, jobs=1).candidates}
    assert max(sizes) > 3000
    sizes.clear()
    capped = {c.text: (c.df, c.count) for c in mine(sources, jobs=1, cap=2000).candidates}
    assert max(sizes) <= 2000
    for text in PLANTED:
        assert capped[text] == free[text], text


def test_fillers_of_pruned_keys_are_dropped_without_error() -> None:
    """A batch whose frames were all pruned from the table keeps none of their fillers."""
    import numpy as np

    from draftgen.curate.mining.tables import _kept

    table = np.array([10, 20], np.uint64)
    keys, fillers = _kept(table, np.array([5, 15, 25], np.uint64), np.array([1, 2, 3], np.uint64))
    assert len(keys) == len(fillers) == 0
    keys, fillers = _kept(table, np.array([20, 20, 5], np.uint64), np.array([2, 1, 3], np.uint64))
    assert keys.tolist() == [20, 20] and fillers.tolist() == [1, 2]


def test_a_long_report_and_a_small_cap_lose_no_text(tmp_path: Path) -> None:
    """Pruning the tables also prunes the process's texts of small keys; a key that comes
    back later (its sentence seen again) must come back with its text."""
    import itertools

    heads = ["加强", "完善", "落实", "推进", "深化", "健全", "强化", "提升", "优化", "扎实", "持续", "全面"]
    short = "".join(f"{a}组织领导，{b}工作机制，{c}工作责任。\n"
                    for a, b, c in itertools.islice(itertools.permutations(heads[:4], 3), 6))
    (tmp_path / "a.txt").write_text(short * 3, encoding="utf-8")
    (tmp_path / "b.txt").write_text(short * 2, encoding="utf-8")
    long = "".join(f"{a}基础设施，{b}服务能力，{c}发展质量，{e}民生保障水平持续提高。\n"
                   for a, b, c, e in itertools.permutations(heads[4:], 4))  # longer than a piece
    (tmp_path / "c.txt").write_text(long, encoding="utf-8")
    texts = [c.text for c in mine(collect([tmp_path]), jobs=1, cap=800).candidates]
    assert "{…}组织领导" in texts or "{…}工作机制" in texts or any("组织领导" in t for t in texts)


def test_mining_nothing_gives_nothing() -> None:
    assert mine([], jobs=2).candidates == []


def test_the_texts_kept_come_back_as_they_were(tmp_path: Path) -> None:
    """Kept as bytes, at their place in the process's one file: a \\r stays a \\r (portions are
    cut at line breaks alike every time), a lone surrogate survives, a GBK file name is a key."""
    from draftgen.curate.mining.sources import _Store

    store = _Store(tmp_path)
    texts = {Path(os.fsdecode(b"\xc7\xe0\xb4\xa8.docx")): "第一行\r第二行\n\ud800", Path("b.docx"): "另一篇"}
    for path, text in texts.items():
        store.keep(path, text)
    assert [store.read(store.own[path]) for path in texts] == list(texts.values())
    assert [p.name for p in tmp_path.iterdir()] == [store.name]
    store.close()


def test_a_full_disk_only_stops_keeping_texts(tmp_path: Path) -> None:
    """The run's temporary folder fills up: the Word files are taken apart again when read
    again, and mining ends as usual, with the same candidates."""
    import shutil
    import subprocess
    import sys

    import docx

    if shutil.which("bash") is None:
        pytest.skip("needs bash (ulimit)")
    corpus = tmp_path / "报告"
    corpus.mkdir()
    for number in range(8):
        document = docx.Document()
        document.add_paragraph(f"第{number}号镇2024年工作总结")
        for line in range(60):
            document.add_paragraph(f"扎实推进人居环境整治，村容村貌明显改善，第{line}项工作稳步推进。")
        document.save(str(corpus / f"{number}.docx"))
    (tmp_path / "tmp").mkdir()
    outputs = []
    for limit in ("unlimited", "40"):  # 40 KB: room for the texts of two or three reports
        out = tmp_path / f"候选-{limit}.yaml"
        run = subprocess.run(["bash", "-c", f'ulimit -f {limit}; exec "$@"', "bash", sys.executable, "-m",
                              "draftgen", "phrases", "mine", str(corpus), "-o", str(out), "--jobs", "1"],
                             capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
                             timeout=300)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert not list((tmp_path / "tmp").iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_cannot_be_read_is_left_out_whole(tmp_path: Path, monkeypatch, jobs: int) -> None:  # type: ignore[no-untyped-def]
    """A compilation counted in portions whose second half cannot be read (a NUL byte) is
    left out whole, not half counted; a short one in a batch too; the rest as without them."""
    from draftgen.curate.mining import sources

    monkeypatch.setattr(sources, "LONG_BYTES", 2000)
    for doc in range(6):
        (tmp_path / f"{doc}-2023.txt").write_text(f"扎实推进人居环境整治，村容村貌明显改善。第{doc}号。\n",
                                                  encoding="utf-8")
    clean = mine(collect([tmp_path]), jobs=jobs, by_year=True)
    half = "全力推进乡村振兴，持续改善群众生活。\n" * 100
    (tmp_path / "3-汇编-2023.txt").write_bytes(half.encode() + b"\x00" + half.encode())
    (tmp_path / "4-短-2023.txt").write_bytes(b"\x00\x01")
    result = mine(collect([tmp_path]), jobs=jobs, by_year=True)
    assert list(result.skipped) == [tmp_path / "3-汇编-2023.txt", tmp_path / "4-短-2023.txt"]
    assert all("这不是文本文件（含有空字节）" in why for why in result.skipped.values())
    assert (result.documents, result.bytes, result.reports_by_year) == (6, clean.bytes, {2023: 6})
    assert [c.as_dict() for c in result.candidates] == [c.as_dict() for c in clean.candidates]
    assert "全力推进乡村振兴" not in {c.text for c in result.candidates}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_compilation_left_out_changes_nothing_else(tmp_path: Path, monkeypatch, jobs: int) -> None:  # type: ignore[no-untyped-def]
    """A process notes a clause's frame fillings the first time it counts it: a compilation
    whose first portions were counted before a later one turned out unreadable would take
    them from the next compilation. It is found unreadable before any portion is counted."""
    from draftgen.curate.mining import sources

    monkeypatch.setattr(sources, "LONG_BYTES", 2000)
    monkeypatch.setattr(sources, "PORTION_BYTES", 3000)
    shared = "".join(f"加大{f}力度，推动{f}工作落实。\n" for f in ("资金投入", "宣传", "执法", "监管"))
    pad = "本段文字用于填充汇编。\n" * 200
    (tmp_path / "2-乙.txt").write_text(shared * 3 + pad, encoding="utf-8")
    (tmp_path / "3-丙.txt").write_text("坚持党建引领，扎实推进人居环境整治。\n", encoding="utf-8")
    clean = mine(collect([tmp_path]), jobs=jobs)
    (tmp_path / "1-甲.txt").write_bytes((shared + pad).encode() + b"\x00" + pad.encode())
    result = mine(collect([tmp_path]), jobs=jobs)
    assert list(result.skipped) == [tmp_path / "1-甲.txt"]
    assert [c.as_dict() for c in result.candidates] == [c.as_dict() for c in clean.candidates]
    assert {"加大{…}力度", "推动{…}工作落实"} <= {c.text for c in result.candidates}


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    (tmp_path / "坏.txt").write_bytes(b"\x00")
    sources = collect([tmp_path, tmp_path / "a.txt", tmp_path / "坏.txt", tmp_path / "." / "b.txt"])
    assert [s.path.name for s in sources] == ["a.txt", "b.txt", "坏.txt"]
    assert mine(sources).documents == 2


def test_a_file_that_cannot_be_looked_at_is_listed_and_left_out(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """In a folder whose names can be listed but not looked at (no x permission), or a file
    without read permission: it is listed, and mining leaves it out, saying why."""
    for name in ("a", "b", "锁"):
        (tmp_path / f"{name}.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    real_stat, real_open = Path.stat, Path.open

    def stat(self: Path, **kw: object) -> object:
        if self.name == "锁.txt":
            raise PermissionError(13, "Permission denied")
        return real_stat(self, **kw)  # type: ignore[arg-type]

    def opened(self: Path, *args: object, **kw: object) -> object:
        if self.name == "锁.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(Path, "open", opened)
    sources = collect([tmp_path])
    assert [(s.path.name, s.size) for s in sources][-1] == ("锁.txt", 0)
    result = mine(sources)
    assert result.documents == 2
    assert result.skipped == {tmp_path / "锁.txt": f"无法读取“{tmp_path / '锁.txt'}”：Permission denied。"}


def test_a_folder_that_cannot_be_opened_is_named(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A subfolder without read permission: its files cannot even be listed; mining says so
    rather than pass over them in silence."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    (tmp_path / "锁住").mkdir()
    (tmp_path / "锁住" / "c.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if isinstance(path, (str, os.PathLike)) and Path(path).name == "锁住":
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    sources = collect([tmp_path])
    assert [s.path.name for s in sources] == ["a.txt", "b.txt", "锁住"]
    result = mine(sources)
    assert result.documents == 2
    why = f"无法打开文件夹“{tmp_path / '锁住'}”：Permission denied，里面的文件都没有读。"
    assert result.skipped == {tmp_path / "锁住": why}
