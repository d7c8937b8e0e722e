"""Opening Word files: other formats and broken or hostile files give one Chinese
line and exit 2 in every command that reads a DOCX; size limits stop zip bombs
before parsing (the bombs are generated here, never stored)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import example_path
from docx_cases import zip_bytes
from draftgen.cli import main
from draftgen.errors import InputFileError
from draftgen.formats.docx_package import Limits, open_docx

SAVE_AS = ("请在 Word/WPS 中打开它，“另存为” .docx 格式后重试"
           "（或用 LibreOffice：soffice --headless --convert-to docx 文件名）。")


def _odt(path: Path) -> Path:
    path.write_bytes(zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                                "content.xml": b"<office:document-content/>"}))
    return path


def _doc(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    return path


def _rtf(path: Path) -> Path:
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 \\f0 \\'bc\\'d7\\'d5\\'f2}")
    return path


def _strict(path: Path) -> Path:
    path.write_bytes(zip_bytes({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/'
                       b'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": b"<w:document/>"}))
    return path


#: builder, file name, what the message says the file is
OTHER_FORMATS = {
    "odt": (_odt, "总结.odt", "是 OpenDocument 文件（.odt），draftgen 只读 .docx。"),
    "doc": (_doc, "总结.doc", "是旧版 Word/WPS 文件（.doc/.wps），draftgen 只读 .docx。"),
    "wps": (_doc, "总结.wps", "是旧版 Word/WPS 文件（.doc/.wps），draftgen 只读 .docx。"),
    "rtf": (_rtf, "总结.rtf", "是 RTF 文件，draftgen 只读 .docx。"),
    "strict": (_strict, "总结.docx", "是“严格 Open XML”格式（Strict Open XML）的文档，draftgen 只读 .docx。"),
}


def _commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "check": ["check", str(path), "--year", "2024"],
        "harvest": ["phrases", "harvest", str(path)],
        "stats --usage": ["phrases", "stats", "--usage", str(path)],
        "--reference-docx": ["new", "2024", "--facts", str(example_path("taoyuan-town")),
                             "-o", str(tmp_path / "out.docx"), "--reference-docx", str(path)],
    }


@pytest.mark.parametrize("kind", OTHER_FORMATS)
@pytest.mark.parametrize("command", ["check", "harvest", "stats --usage", "--reference-docx"])
def test_other_formats_get_one_line_with_the_fix(tmp_path: Path, kind: str, command: str) -> None:
    build, name, what = OTHER_FORMATS[kind]
    path = build(tmp_path / name)
    result = CliRunner().invoke(main, _commands(path, tmp_path)[command])
    prefix = "错误：无法读取参考文档：" if command == "--reference-docx" else "错误："
    assert result.exit_code == 2, result.output
    assert result.output == f"{prefix}“{path}”{what}{SAVE_AS}\n"
    assert not (tmp_path / "out.docx").exists()


def test_an_excel_file_renamed_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "表.docx"
    path.write_bytes(zip_bytes({
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               b'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": b"<Relationships/>"}))
    with pytest.raises(InputFileError, match=r"不是 Word 文档（可能是 Excel、PowerPoint 或其他压缩包）"):
        open_docx(path)


def _with_parts(path: Path, parts: dict[str, bytes]) -> Path:
    """A python-docx document with ``parts`` added or put in place of its own."""
    source = path.with_suffix(".src.docx")
    docx.Document().save(str(source))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info.filename, old.read(info))
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def _bomb(path: Path, megabytes: int) -> Path:
    """A real DOCX whose document.xml inflates to ``megabytes`` of white space."""
    source = path.with_suffix(".src.docx")
    docx.Document().save(str(source))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info.filename, old.read(info))
        with new.open("word/document.xml", "w") as stream:
            stream.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body>')
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(b"</w:body></w:document>")
    return path


def _measured(args: list[str]) -> tuple[int, str, float]:
    """Exit code, stderr and peak memory (MB) of `draftgen ARGS` in its own process (how long a
    refusal takes is measured by bench/read.py, not asserted here)."""
    probe = ("import resource, subprocess, sys;"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024);"
             "print(r.stderr, end='')")
    command = [sys.executable, "-c", "from draftgen.cli import main; main()", *args]
    out = subprocess.run([sys.executable, "-c", probe, *command],
                         capture_output=True, text=True, timeout=120).stdout
    first, _, stderr = out.partition("\n")
    code, peak = first.split()
    return int(code), stderr, float(peak)


def test_a_zip_bomb_is_refused_quickly_with_little_memory(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "炸弹.docx", 100)
    assert bomb.stat().st_size < 1024 * 1024
    code, stderr, peak = _measured(["check", str(bomb), "--year", "2024"])
    assert code == 2
    assert stderr == (f"错误：“{bomb}”里的 word/document.xml 解压后有 100 MB，超过上限 64 MB：这不像正常的 Word 文件"
                      "（可能是“压缩炸弹”）。如确是超大文档，请拆分后再处理，或在检查配置里调高 limits.part_mb。\n")
    assert peak < 300  # streamed and counted, never inflated into memory


def test_an_entity_heavy_docx_is_refused(tmp_path: Path) -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    laughs += (b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
               b"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    path = _with_parts(tmp_path / "实体.docx", {"word/document.xml": laughs})
    code, stderr, peak = _measured(["check", str(path), "--year", "2024"])
    assert code == 2 and peak < 300  # refused before a tree is built
    assert stderr.startswith(f"错误：“{path}”里的 word/document.xml 含有 DTD 声明（<!DOCTYPE），Word 文件不会有它")


def test_millions_of_empty_elements_in_a_small_part_are_refused(tmp_path: Path) -> None:
    path = _with_parts(tmp_path / "元素.docx", {"word/document.xml": (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        + b"<w:r/>" * 7_000_000 + b"</w:p></w:body></w:document>")})
    assert path.stat().st_size < 1024 * 1024
    code, stderr, peak = _measured(["check", str(path), "--year", "2024"])
    assert code == 2 and peak < 300  # refused before a tree is built
    assert "个 XML 元素，超过上限 6000000 个" in stderr


def test_all_parts_together_are_limited_too(tmp_path: Path) -> None:
    path = _with_parts(tmp_path / "多部件.docx",
                       {f"word/media/image{number}.png": b"\0" * (3 * 1024 * 1024) for number in range(3)})
    with pytest.raises(InputFileError, match=r"解压后共 9 MB，超过上限 8 MB"):
        open_docx(path, Limits(part_mb=4, total_mb=8))
    assert open_docx(path) is not None


def _long(path: Path, paragraphs: int) -> Path:
    document = docx.Document()
    for number in range(paragraphs):
        document.add_paragraph(f"第{number}段。")
    document.save(str(path))
    return path


def test_paragraph_count_is_limited_and_the_check_config_can_raise_it(tmp_path: Path) -> None:
    path = _long(tmp_path / "长.docx", 150)
    message = r"有 150 段，超过上限 100 段。请拆分后再处理，或在检查配置里调高 limits\.paragraphs。"
    with pytest.raises(InputFileError, match=message):
        open_docx(path, Limits(paragraphs=100))
    config = tmp_path / "check.yaml"
    config.write_text("limits:\n  paragraphs: 100\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["check", str(path), "--year", "2024", "--config", str(config)])
    assert refused.exit_code == 2 and "超过上限 100 段" in refused.output
    config.write_text("limits:\n  paragraphs: 1000\n", encoding="utf-8")
    allowed = CliRunner().invoke(main, ["check", str(path), "--year", "2024", "--config", str(config)])
    assert allowed.exit_code in (0, 1) and "超过上限" not in allowed.output


def test_a_bad_limits_setting_is_named(tmp_path: Path) -> None:
    config = tmp_path / "check.yaml"
    config.write_text("limits:\n  paragraph: many\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(_long(tmp_path / "稿.docx", 3)), "--year", "2024",
                                       "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == ("错误：check.yaml：limits 应是映射，键为 part_mb、total_mb、paragraphs、parts、elements，"
                             "值为正整数。\n")


def test_a_missing_or_truncated_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"找不到文件"):
        open_docx(tmp_path / "没有.docx")
    whole = _long(tmp_path / "整.docx", 3).read_bytes()
    cut = tmp_path / "半截.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputFileError, match=r"“.*半截\.docx”不是有效的 \.docx 文件（BadZipFile）"):
        open_docx(cut)


@pytest.mark.slow
def test_reading_stays_linear_enough_for_big_archives(tmp_path: Path) -> None:
    """Not a timing test (bench/read.py measures): 20k paragraphs read with styles resolved once."""
    from draftgen.formats import docx_reader

    path = _long(tmp_path / "两万段.docx", 20_000)
    docx_reader._shared_styles.cache_clear()  # python-docx's template: other tests read its styles
    calls = 0
    original = docx_reader._Styles._resolve

    def counting(self: object, style_id: str | None) -> object:
        nonlocal calls
        calls += 1
        return original(self, style_id)  # type: ignore[arg-type]

    docx_reader._Styles._resolve = counting  # type: ignore[assignment,method-assign]
    try:
        blocks = docx_reader.read_docx(path)
    finally:
        docx_reader._Styles._resolve = original  # type: ignore[method-assign]
    assert len(blocks) == 20_000 and calls == 1
