"""`draftgen serve`: the JSON API the workbench page uses, and its guard (Host, CSRF,
access token, size limits, the workspace folder)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from draftgen.cli import main
from draftgen.web.app import create_app
from draftgen.web.guard import MAX_UPLOAD

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FORMS = ("annual", "half-year", "thematic", "highlights")
LOCAL = "http://127.0.0.1:8765"


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "工作"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "桃源镇.yaml", folder / "桃源镇.yaml")
    return folder


@pytest.fixture()
def app(workspace: Path):  # type: ignore[no-untyped-def]
    return create_app(workspace)


@pytest.fixture()
def client(app) -> TestClient:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url=LOCAL)
    c.headers["X-CSRF-Token"] = app.app.state.workbench.guard.csrf
    return c


def sheet(name: str = "桃源镇.yaml") -> str:
    return (ROOT / "examples" / name).read_text(encoding="utf-8")


# -- the page --------------------------------------------------------------------------
def test_page_carries_its_csrf_token_and_loads_only_its_own_files(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200
    token = app.app.state.workbench.guard.csrf
    assert f'<meta name="csrf-token" content="{token}">' in page.text
    assert "draftgen 工作台" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/app.css", "/static/htmx.min.js"):
        assert f'"{asset}"' in page.text
        assert client.get(asset).status_code == 200
    assert "http" not in page.text.split("<body")[0].replace('http-equiv', '')  # no CDN


# -- /api/draft equals draftgen new ------------------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", FORMS)
def test_api_draft_equals_draftgen_new(client: TestClient, example: Path, form: str) -> None:
    text = example.read_text(encoding="utf-8")
    year = next(line.split(":")[1].split("#")[0].strip() for line in text.splitlines() if line.startswith("year:"))
    cli = CliRunner().invoke(main, ["new", year, "--facts", str(example), "--form", form, "-o", "-"])
    assert cli.exit_code == 0, cli.output
    response = client.post("/api/draft", json={"facts": text, "form": form, "seed": None})
    assert response.status_code == 200
    body = response.json()
    assert body["markdown"] == cli.stdout
    assert body["errors"] == []
    holes = [p["text"] for p in body["placeholders"]]
    assert holes == [m for m in _placeholders(cli.stdout)]
    assert body["html"].count("<mark class=\"placeholder\">") == len(holes)


def _placeholders(markdown: str) -> list[str]:
    import re

    return re.findall(r"【待补充：[^】]*】", markdown)


def test_api_draft_seed_gives_other_wording_and_the_same_figures(client: TestClient) -> None:
    first = client.post("/api/draft", json={"facts": sheet(), "form": "annual", "seed": None}).json()
    other = client.post("/api/draft", json={"facts": sheet(), "form": "annual", "seed": first["seed"] + 1}).json()
    assert other["markdown"] != first["markdown"]
    assert other["seed"] == first["seed"] + 1
    numbers = sorted(set(__import__("re").findall(r"\d+(?:\.\d+)?", first["markdown"])))
    assert numbers == sorted(set(__import__("re").findall(r"\d+(?:\.\d+)?", other["markdown"])))


def test_api_draft_preview_says_where_each_paragraph_came_from(client: TestClient) -> None:
    html = client.post("/api/draft", json={"facts": sheet()}).json()["html"]
    assert 'data-block="0"' in html and 'title="事实：town"' in html
    assert "indicators › 地区生产总值" in html  # the paragraph with the figures names its facts
    assert "短语：" in html


def test_validation_problems_come_back_as_data_with_the_field_path(client: TestClient) -> None:
    text = sheet().replace("value: 42.8", "value: 四十二点八", 1)
    response = client.post("/api/draft", json={"facts": text})
    assert response.status_code == 422
    body = response.json()
    assert body["markdown"] == "" and body["placeholders"] == []
    (error,) = body["errors"]
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "四十二点八" in row)
    assert error["line"] == line
    assert error["path"] == ["indicators", 0, "value"]
    # worded as the form labels its fields, not with the file's keys
    assert error["message"] == "“主要指标 › 第1项 › 本期数值”应是数字，现在是文字“四十二点八”。不知道时留空。"


def test_a_missing_required_field_is_marked_at_that_field(client: TestClient) -> None:
    text = sheet().replace("town: 桃源镇\n", "", 1)
    (error,) = client.post("/api/draft", json={"facts": text}).json()["errors"]
    assert error["path"] == ["town"]
    assert error["message"] == "缺少必填项“乡镇或街道名称”。"


def test_a_full_width_colon_in_the_yaml_is_explained(client: TestClient) -> None:
    response = client.post("/api/sheet/parse", json={"yaml": "town: 甲镇\nyear：2024\n"})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["line"] == 2 and "全角冒号" in error["message"]


def test_yaml_syntax_error_names_the_line(client: TestClient) -> None:
    response = client.post("/api/draft", json={"facts": "town: 甲镇\nyear: 2024\nindicators:\n  - name: [\n"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] is not None
    assert "YAML" in response.json()["errors"][0]["message"]


def test_api_draft_body_must_carry_the_sheet(client: TestClient) -> None:
    response = client.post("/api/draft", json={"form": "annual"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "请求里缺少文字字段“facts”。"
    response = client.post("/api/draft", content=b"not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "JSON" in response.json()["errors"][0]["message"]


# -- form and YAML, both ways, comments kept --------------------------------------------------
def test_form_edit_is_merged_into_the_yaml_keeping_comments(client: TestClient) -> None:
    text = sheet()
    data = client.post("/api/sheet/parse", json={"yaml": text}).json()["data"]
    assert data["town"] == "桃源镇" and data["indicators"][0]["name"] == "地区生产总值"
    data["indicators"][0]["value"] = 43.1
    data["indicators"].append({"name": "城镇化率", "value": 56.2, "unit": "%"})
    data["honors"] = data["honors"][:1]
    merged = client.post("/api/sheet/merge", json={"yaml": text, "data": data}).json()["yaml"]
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    kept = [c for c in comments if c in merged]
    assert len(kept) >= len(comments) - 2  # comments on removed honours go with them
    assert "value: 43.1" in merged and "value: 42.8" not in merged
    assert "- name: 城镇化率" in merged
    again = client.post("/api/sheet/parse", json={"yaml": merged}).json()["data"]
    assert again == data
    # what did not change is written as it was
    untouched = [line for line in text.splitlines() if "superior" in line]
    assert untouched and untouched[0] in merged


def test_yaml_that_is_not_a_mapping_is_refused_with_its_line(client: TestClient) -> None:
    response = client.post("/api/sheet/parse", json={"yaml": "- 一\n- 二\n"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] == 1


def test_spec_drives_the_form(client: TestClient) -> None:
    body = client.get("/api/spec").json()
    fields = body["spec"]["fields"]
    assert fields["town"]["required"] and fields["town"]["label"] == "乡镇或街道名称"
    assert fields["indicators"]["item"]["fields"]["growth"]["kind"] == "number"
    status = fields["projects"]["item"]["fields"]["status"]
    assert {"value": "done", "label": "建成"} in status["choices"]  # the writer reads 建成, the file keeps done
    assert body["forms"] == list(FORMS)
    assert "党的建设" in body["topics"]


# -- documents ---------------------------------------------------------------------------
def test_api_docx_is_the_draft_as_word(client: TestClient) -> None:
    response = client.post("/api/docx", json={"facts": sheet(), "form": "annual"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "桃源镇2024年工作总结和2025年工作打算.docx"
    document = docx.Document(io.BytesIO(response.content))
    markdown = client.post("/api/draft", json={"facts": sheet(), "form": "annual"}).json()["markdown"]
    title = markdown.splitlines()[0].lstrip("# ")
    assert document.paragraphs[0].text == title


def test_api_docx_with_a_unit_template(client: TestClient) -> None:
    reference = client.post("/api/docx", json={"facts": sheet()}).content
    response = client.post("/api/docx", data={"facts": sheet(), "form": "annual"},
                           files={"template": ("单位模板.docx", reference, "application/octet-stream")})
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text.startswith("桃源镇2024年")
    wrong = client.post("/api/docx", data={"facts": sheet()}, files={"template": ("模板.pdf", b"%PDF", "x")})
    assert wrong.status_code == 422
    assert "不是单位的 Word 模板" in wrong.json()["errors"][0]["message"]


def test_api_check_finds_problems_in_an_edited_docx_and_links_them(client: TestClient) -> None:
    original = client.post("/api/docx", json={"facts": sheet()}).content
    document = docx.Document(io.BytesIO(original))
    target = next(p for p in document.paragraphs if "42.8亿元" in p.text)
    target.runs[0].text = target.runs[0].text.replace("42.8亿元", "52.8亿元") if "42.8亿元" in target.runs[0].text \
        else target.runs[0].text
    if "52.8" not in target.text:
        for run in target.runs:
            run.text = run.text.replace("42.8", "52.8")
    edited = io.BytesIO()
    document.save(edited)
    response = client.post("/api/check", data={"facts": sheet()},
                           files={"file": ("改过的稿子.docx", edited.getvalue(), "application/octet-stream")})
    assert response.status_code == 200
    body = response.json()
    assert body["file"] == "改过的稿子.docx"
    stale = [f for f in body["findings"] if "52.8" in f["excerpt"]]
    assert stale and stale[0]["severity"] == "error"
    paragraph = body["paragraphs"][stale[0]["paragraph"]]
    assert "52.8亿元" in paragraph["text"]


def test_api_check_without_a_file_says_so(client: TestClient) -> None:
    response = client.post("/api/check", data={"facts": sheet()})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "请选择要上传的改过的稿子。"


def test_api_update_returns_the_tracked_docx(client: TestClient) -> None:
    original = client.post("/api/docx", json={"facts": sheet()}).content
    newer = sheet().replace("value: 42.8", "value: 43.5", 1)
    response = client.post("/api/update", data={"facts": newer},
                           files={"file": ("桃源镇草稿.docx", original, "application/octet-stream")})
    assert response.status_code == 200
    assert unquote(response.headers["content-disposition"].split("''")[1]) == "桃源镇草稿-更新.docx"
    changes = json.loads(unquote(response.headers["x-draftgen-changes"]))
    assert any("43.5" in c["detail"] or "43.5" in json.dumps(c, ensure_ascii=False) for c in changes)
    assert b"w:ins" in _document_xml(response.content)


def _document_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def test_api_import_reads_a_report_into_a_sheet(client: TestClient) -> None:
    draft = client.post("/api/draft", json={"facts": sheet()}).json()["markdown"]
    response = client.post("/api/import", data={"kind": "extract"},
                           files={"report": ("桃源镇2024年总结.md", draft.encode("utf-8"), "text/markdown")})
    assert response.status_code == 200
    text = response.json()["yaml"]
    assert "town: 桃源镇" in text and "42.8" in text
    assert client.post("/api/draft", json={"facts": text}).status_code == 200
    nxt = client.post("/api/import", data={"kind": "next"},
                      files={"report": ("桃源镇2024年总结.md", draft.encode("utf-8"), "text/markdown")})
    assert nxt.status_code == 200 and "year: 2025" in nxt.json()["yaml"]


# -- files in the workspace ----------------------------------------------------------------
def test_files_are_listed_opened_and_saved_in_the_workspace_only(client: TestClient, workspace: Path) -> None:
    assert [f["name"] for f in client.get("/api/files").json()["files"]] == ["桃源镇.yaml"]
    opened = client.get("/api/files/桃源镇.yaml").json()
    assert opened["yaml"] == sheet()
    saved = client.post("/api/files/新城镇.yaml", json={"yaml": "town: 新城镇\nyear: 2024\n"})
    assert saved.status_code == 200
    assert (workspace / "新城镇.yaml").read_text(encoding="utf-8") == "town: 新城镇\nyear: 2024\n"
    again = client.post("/api/files/新城镇.yaml", json={"yaml": "town: 别的镇\nyear: 2024\n"})
    assert again.status_code == 409 and again.json()["exists"] is True
    assert (workspace / "新城镇.yaml").read_text(encoding="utf-8") == "town: 新城镇\nyear: 2024\n"
    forced = client.post("/api/files/新城镇.yaml", json={"yaml": "town: 别的镇\nyear: 2024\n", "overwrite": True})
    assert forced.status_code == 200
    assert "别的镇" in (workspace / "新城镇.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["..%2Fsecret.yaml", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", ".hidden.yaml",
                                  "a%2Fb.yaml", "a%5Cb.yaml", "notes.txt", "..yaml"])
def test_no_path_from_the_browser_leaves_the_workspace(client: TestClient, workspace: Path, name: str) -> None:
    read = client.get(f"/api/files/{name}")
    assert read.status_code in (404, 422)
    written = client.post(f"/api/files/{name}", json={"yaml": "town: 甲镇\n", "overwrite": True})
    assert written.status_code in (404, 405, 422)
    assert sorted(p.name for p in workspace.parent.rglob("*") if p.is_file()) == ["桃源镇.yaml"]


def test_a_link_out_of_the_workspace_is_not_followed(client: TestClient, workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("town: 外面\nyear: 2024\n", encoding="utf-8")
    (workspace / "link.yaml").symlink_to(outside)
    response = client.get("/api/files/link.yaml")
    assert response.status_code == 422
    assert "工作文件夹以外" in response.json()["errors"][0]["message"]


# -- phrase bank ---------------------------------------------------------------------------
def test_phrases_browse_and_add_into_the_workspace_bank(client: TestClient, workspace: Path) -> None:
    found = client.get("/api/phrases", params={"q": "稳中", "role": "section.effect"}).json()
    assert found["total"] >= 1 and all("稳中" in e["text"] for e in found["entries"])
    html = client.get("/ui/phrases", params={"topic": "党的建设", "role": "measure"}).text
    assert "<table class='phrases'>" in html and "共 " in html
    added = client.post("/api/phrases", json={"text": "{领域}各项工作亮点纷呈", "role": "section.effect",
                                              "topic": None})
    assert added.status_code == 200, added.text
    body = added.json()
    assert body["text"] == "{label}各项工作亮点纷呈"
    assert (workspace / "phrasebank" / body["file"]).is_file()
    listed = client.get("/api/phrases", params={"q": "各项工作亮点纷呈", "role": "section.effect"}).json()
    assert [e["id"] for e in listed["entries"]] == [body["id"]] == ["user.section.effect.01"]
    assert body["file"] == "我的短语.yaml"
    duplicate = client.post("/api/phrases", json={"text": "{领域}各项工作亮点纷呈", "role": "section.effect"})
    assert duplicate.status_code == 422 and "已有相同的条目" in duplicate.json()["errors"][0]["message"]
    bad = client.post("/api/phrases", json={"text": "增长3%", "role": "no.such.role"})
    assert bad.status_code == 422 and "未知" in bad.json()["errors"][0]["message"]


# -- the guard -----------------------------------------------------------------------------
def test_post_without_the_csrf_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url=LOCAL)
    for path in ("/api/draft", "/api/docx", "/api/sheet/merge", "/api/files/甲.yaml", "/api/phrases"):
        response = c.post(path, json={"facts": sheet()})
        assert response.status_code == 403
        assert "X-CSRF-Token" in response.json()["errors"][0]["message"]
    wrong = c.post("/api/draft", json={"facts": sheet()}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io:8765", "attacker.com:8765", ""])
def test_wrong_host_is_refused(app, host: str) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url=LOCAL)
    response = c.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Host" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_local_hosts_are_served(app, host: str) -> None:  # type: ignore[no-untyped-def]
    assert TestClient(app, base_url=LOCAL).get("/", headers={"Host": host}).status_code == 200


def test_oversize_upload_is_413_in_chinese(client: TestClient) -> None:
    big = b"PK" + b"\0" * (MAX_UPLOAD + 10)
    response = client.post("/api/check", files={"file": ("大.docx", big, "application/octet-stream")})
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "上传的内容超过 20 MB，已拒绝：请检查是否选错了文件。"


def test_oversize_body_without_a_length_is_stopped_while_read(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(8):
            yield b"x" * (1024 * 1024)

    response = client.post("/api/draft", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "超过 6 MB" in response.json()["errors"][0]["message"]


def test_lan_mode_needs_the_token_from_the_start_line(workspace: Path) -> None:
    app = create_app(workspace, token="s3cret-token", allowed_names={"office-pc"})
    c = TestClient(app, base_url="http://192.168.1.20:8765")
    refused = c.get("/")
    assert refused.status_code == 401 and "访问口令" in refused.json()["errors"][0]["message"]
    entered = c.get("/?token=s3cret-token", follow_redirects=False)
    assert entered.status_code == 303 and entered.headers["location"] == "/"
    assert "HttpOnly" in entered.headers["set-cookie"] and "SameSite=Strict" in entered.headers["set-cookie"]
    c.cookies.set("draftgen_token", "s3cret-token")
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"Host": "office-pc:8765"}).status_code == 200
    assert c.get("/", headers={"Host": "rebind.attacker.com:8765"}).status_code == 400


def test_a_defect_is_a_chinese_message_not_a_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import draftgen.web.preview as preview

    def broken(result):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(preview, "render_preview", broken)
    response = client.post("/api/draft", json={"facts": sheet()})
    assert response.status_code == 500
    assert response.json()["errors"][0]["message"] == "工作台内部出错（ZeroDivisionError），请把操作步骤告诉维护人员。"
    assert "Traceback" not in response.text and "boom" not in response.text


# -- the command ---------------------------------------------------------------------------
def test_serve_refuses_a_missing_workspace_and_a_busy_port(tmp_path: Path) -> None:
    import socket

    result = CliRunner().invoke(main, ["serve", "--workspace", str(tmp_path / "没有"), "--no-browser"])
    assert result.exit_code == 2
    assert "工作文件夹" in result.output and "不存在" in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--workspace", str(tmp_path), "--port", str(port), "--no-browser"])
    assert result.exit_code == 2
    assert f"端口 {port} 已被占用" in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_draftgen_runs_the_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "draftgen", "serve", "--help"], capture_output=True, text=True,
                            encoding="utf-8", check=True)
    assert "--workspace" in result.stdout and "工作台" in result.stdout


def test_api_import_merges_a_statistics_table_into_the_current_sheet(client: TestClient) -> None:
    table = "名称,数值,单位,上年,增长,目标\n地区生产总值,43.6,亿元,42.8,,\n城镇化率,57.1,%,56.0,,\n".encode()
    response = client.post("/api/import", data={"kind": "table", "facts": sheet()},
                           files={"indicators": ("统计表.csv", table, "text/csv")})
    assert response.status_code == 200, response.text
    text = response.json()["yaml"]
    assert "- name: 地区生产总值  # 统计表 A2" in text
    assert "- name: 城镇化率  # 统计表 A3" in text
    indicators = client.post("/api/sheet/parse", json={"yaml": text}).json()["data"]["indicators"]
    names = [i["name"] for i in indicators]
    assert names.count("地区生产总值") == 1 and names[-1] == "城镇化率"
    assert indicators[0]["value"] == 43.6 and indicators[0]["previous"] == 42.8
    kept = [line for line in sheet().splitlines() if line.strip().startswith("#")]
    assert all(line in text for line in kept)  # the sheet's own comments stay
    assert client.post("/api/draft", json={"facts": text}).status_code == 200


def test_a_run_of_form_edits_gives_the_yaml_a_fresh_parse_would(client: TestClient) -> None:
    """Edits reuse the document of the text the server wrote last: the result must be the
    same as parsing that text again (a second client's older text is parsed, not confused)."""
    from draftgen.web import sheet as sheet_module

    text = sheet()
    data = client.post("/api/sheet/parse", json={"yaml": text}).json()["data"]
    edits = [lambda d: d["indicators"][0].update(value=43.0), lambda d: d["honors"].pop(0),
             lambda d: d["work"].append({"topic": "民生保障",
                                         "items": [{"title": "兜底保障", "facts": ["发放低保金12万元"]}]}),
             lambda d: d["indicators"].insert(0, d["indicators"].pop()), lambda d: d.pop("theme", None)]
    reused = text
    for edit in edits:
        edit(data)
        reused = client.post("/api/sheet/merge", json={"yaml": reused, "data": data}).json()["yaml"]
        sheet_module._LAST.clear()
        fresh = client.post("/api/sheet/merge", json={"yaml": reused, "data": data}).json()["yaml"]
        assert fresh == reused
    assert client.post("/api/sheet/parse", json={"yaml": reused}).json()["data"] == data
    # an older text (another tab) is parsed as it is
    older = client.post("/api/sheet/merge", json={"yaml": text, "data": data}).json()["yaml"]
    assert older == reused


def test_a_sheet_saved_in_gb18030_opens_as_on_the_command_line(client: TestClient, workspace: Path) -> None:
    (workspace / "旧表.yaml").write_bytes(sheet().encode("gb18030"))
    opened = client.get("/api/files/旧表.yaml")
    assert opened.status_code == 200
    assert opened.json()["yaml"] == sheet()


def test_a_save_from_an_old_version_is_refused_and_says_so(client: TestClient, workspace: Path) -> None:
    opened = client.get("/api/files/桃源镇.yaml")
    version = opened.json()["version"]
    assert opened.headers["etag"] == f'"{version}"'
    first = client.post("/api/files/桃源镇.yaml", json={"yaml": sheet().replace("42.8", "43.5")},
                        headers={"If-Match": f'"{version}"'})
    assert first.status_code == 200 and first.json()["version"] != version
    # a second tab still holding the first version
    second = client.post("/api/files/桃源镇.yaml", json={"yaml": sheet().replace("1.36", "1.5")},
                         headers={"If-Match": f'"{version}"'})
    assert second.status_code == 409 and second.json()["changed"] is True
    assert "改过了" in second.json()["errors"][0]["message"]
    assert "43.5" in (workspace / "桃源镇.yaml").read_text(encoding="utf-8")
    again = client.post("/api/files/桃源镇.yaml", json={"yaml": sheet().replace("1.36", "1.5"),
                                                        "base": first.json()["version"]})
    assert again.status_code == 200


def test_the_page_can_fetch_a_fresh_token(client: TestClient) -> None:
    token = client.get("/api/session").json()["csrf"]
    stale = client.post("/api/sheet/parse", json={"yaml": "town: 甲镇\n"}, headers={"X-CSRF-Token": "old"})
    assert stale.status_code == 403
    fresh = client.post("/api/sheet/parse", json={"yaml": "town: 甲镇\n"}, headers={"X-CSRF-Token": token})
    assert fresh.status_code == 200


def test_a_table_row_near_an_indicator_is_asked_about_not_added(client: TestClient) -> None:
    facts = sheet().replace("  - name: 村级集体经济收入", "  - name: 城镇化率\n    value: 56.0\n    unit: '%'\n"
                                                          "  - name: 村级集体经济收入")
    table = "名称,数值,单位\n常住人口城镇化率,57.1,%\n".encode()
    held = client.post("/api/import", data={"kind": "table", "facts": facts},
                       files={"indicators": ("统计表.csv", table, "text/csv")}).json()
    assert held["near"] == [{"name": "常住人口城镇化率", "existing": "城镇化率"}]
    assert "常住人口城镇化率" not in held["yaml"]
    same = client.post("/api/import", files={"indicators": ("统计表.csv", table, "text/csv")},
                       data={"kind": "table", "facts": facts, "decided": '{"常住人口城镇化率": "城镇化率"}'}).json()
    assert same["near"] == [] and "- name: 城镇化率  # 统计表 A2（表中为“常住人口城镇化率”）" in same["yaml"]
    assert "value: 57.1" in same["yaml"] and "常住人口城镇化率\n" not in same["yaml"]
    apart = client.post("/api/import", files={"indicators": ("统计表.csv", table, "text/csv")},
                        data={"kind": "table", "facts": facts, "decided": '{"常住人口城镇化率": ""}'}).json()
    assert "- name: 常住人口城镇化率  # 统计表 A2" in apart["yaml"] and "value: 56.0" in apart["yaml"]


@pytest.mark.parametrize(("text", "said"), [
    ("a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9)
                                            + "]\n" for i in range(8)), "别名（*引用）展开过多"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "嵌套了几百层"),
    ("town: 甲镇\nyear: " + "9" * 5000 + "\n", "不是有效的数字"),
    ("town: 甲镇\nyear: 2024\ndate: 2024-02-30\n", "不是有效的日期"),
])
def test_a_hostile_sheet_is_one_chinese_line_not_a_stalled_server(client: TestClient, text: str, said: str) -> None:
    """The page's sheet parsing holds the command line's limits (a billion-laughs sheet held the
    server two minutes at 1.7 GB before)."""
    for path, body in (("/api/sheet/parse", {"yaml": text}), ("/api/draft", {"facts": text}),
                       ("/api/sheet/merge", {"yaml": text, "data": {"town": "甲镇", "year": 2024}})):
        answer = client.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text[:200])
        assert said in answer.json()["errors"][0]["message"]


def test_a_timestamp_in_a_date_field_is_its_day(client: TestClient) -> None:
    answer = client.post("/api/draft", json={"facts": "town: 甲镇\nyear: 2024\ndate: 2024-12-20 10:00:00\n"})
    assert answer.status_code == 200 and "2024年12月20日" in answer.json()["markdown"]
