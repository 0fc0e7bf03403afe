"""The portal's document pages, in process on SQLite: the findings with
their review controls, the table view with the cell a finding is about,
the review export, the upload's progress page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from yusuan.web import create_app  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JINZHOU = EXAMPLES / "jinzhou-2026.txt"


def _broken() -> bytes:
    """晋州 with 2101501 行政运行's 小计 in the 收入总表 printed 587.93 for
    587.92: findings on a table cell (the example has none)."""
    lines = JINZHOU.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line == "\t2101501")
    assert lines[at + 1] == "\t行政运行" and lines[at + 3] == "\t587.92"
    lines[at + 3] = "\t587.93"
    return "\n".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pages")
    app = create_app(f"sqlite:///{tmp / 'y.db'}", workers=1, upload_dir=tmp)
    with TestClient(app) as client:
        files = [("files", ("jinzhou-2026.txt", JINZHOU.read_bytes(), "text/plain")),
                 ("files", ("broken.txt", _broken(), "text/plain"))]
        job = client.post("/api/documents?wait=true", files=files).json()
        assert [f["status"] for f in job["files"]] == ["ok", "ok"], job
        client.ids = dict(zip(["jinzhou", "broken"], job["document_ids"]))
        client.job = job["id"]
        client.get("/")  # the CSRF cookie
        yield client


def _finding(html: str, finding_id: int) -> str:
    m = re.search(rf'<li class="finding[^"]*" id="finding-{finding_id}".*?</li>', html, re.S)
    assert m, finding_id
    return m.group(0)


def _count(html: str, severity: str) -> int:
    return int(re.search(rf'id="count-{severity}">(\d+)<', html).group(1))


def _three_public(client: TestClient, document_id: int) -> dict:
    findings = client.get(f"/api/documents/{document_id}/findings").json()
    return next(f for f in findings if f["rule"] == "T05" and "“三公”经费预算安排0万元" in f["message"])


def test_the_document_page_lists_the_findings_with_counts(portal):
    page = portal.get(f"/documents/{portal.ids['jinzhou']}")
    assert page.status_code == 200
    html = page.text
    f = _three_public(portal, portal.ids["jinzhou"])
    item = _finding(html, f["id"])
    assert 'data-rule="T05"' in item and 'data-severity="error"' in item and 'data-status="open"' in item
    assert "三公" in item and "10.18" in item
    assert (_count(html, "error"), _count(html, "warning"), _count(html, "info")) == (3, 4, 1)
    assert "<h3>四、财政拨款“三公”经费预算情况及增减变化原因</h3>" in html
    assert "<details class=\"ledger\">" in html and "已核对 81 项" in html


def test_dismissing_with_htmx_swaps_the_finding_and_the_counts(portal):
    doc = portal.ids["jinzhou"]
    f = _three_public(portal, doc)
    form = {"csrf_token": portal.cookies["yusuan_csrf"], "status": "dismissed", "note": "表中数据为准，说明已改"}
    assert portal.post(f"/findings/{f['id']}/review", data={**form, "csrf_token": "forged"}).status_code == 403
    r = portal.post(f"/findings/{f['id']}/review", data=form, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert 'data-status="dismissed"' in _finding(r.text, f["id"])
    assert 'hx-swap-oob="true"' in r.text and _count(r.text, "error") == 2
    html = portal.get(f"/documents/{doc}").text
    assert _count(html, "error") == 2 and 'data-status="dismissed"' in _finding(html, f["id"])
    # without htmx the form still works: back to the finding on the page
    r = portal.post(f"/findings/{f['id']}/review", data={**form, "status": "open"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/documents/{doc}#finding-{f['id']}")
    assert _count(portal.get(f"/documents/{doc}").text, "error") == 3
    portal.post(f"/findings/{f['id']}/review", data=form)


def test_a_table_finding_links_to_its_cell_highlighted(portal):
    doc = portal.ids["broken"]
    html = portal.get(f"/documents/{doc}").text
    findings = portal.get(f"/api/documents/{doc}/findings").json()
    f = next(f for f in findings if f["rule"] == "A03" and f["column_key"] == "subtotal")
    link, text = _highlighted(portal, html, f["id"])
    assert link.startswith(f"/documents/{doc}/tables/income?") and "col=subtotal" in link
    assert text == "587.93"
    table = portal.get(link).text
    assert "单位：万元" in table
    # the finding the cell is marked for, above the table, with the way back to it
    assert f"finding={f['id']}" in link
    about = re.search(r'<p class="about-finding[^"]*">(.*?)</p>', table, re.S).group(1)
    assert f["message"] in about and f'href="/documents/{doc}#finding-{f["id"]}"' in about
    assert 'class="about-finding' not in portal.get(link.replace(f"finding={f['id']}", "finding=999999")).text


def _highlighted(client: TestClient, html: str, finding_id: int) -> tuple[str, str]:
    """(the table view's address the finding links to, the marked cell's text)."""
    link = re.search(r'<a class="cell-link" href="([^"]+)"', _finding(html, finding_id)).group(1).replace("&amp;", "&")
    table = client.get(link)
    assert table.status_code == 200
    cells = re.findall(r'<td id="hl" class="[^"]*\bhighlight\b[^"]*"[^>]*>([^<]*)</td>', table.text)
    assert len(cells) == 1 and len(re.findall(r'class="[^"]*(?<![\w-])highlight(?![\w-])', table.text)) == 1, cells
    assert table.text.count("highlight-row") == 1
    return link, cells[0]


def test_a_text_finding_links_to_the_table_cell_it_was_checked_against(portal):
    doc = portal.ids["jinzhou"]
    f = _three_public(portal, doc)
    link, text = _highlighted(portal, portal.get(f"/documents/{doc}").text, f["id"])
    assert link.startswith(f"/documents/{doc}/tables/three_public?row=0&col=total")
    assert text == "10.18"


def test_the_review_export_holds_the_reviewers_notes(portal):
    from openpyxl import load_workbook

    doc = portal.ids["jinzhou"]
    r = portal.get(f"/documents/{doc}/review.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    text = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert "晋州市医疗保障局" in text[0][0]
    dismissed = next(i for i, row in enumerate(text) if row and row[0] == "三、已排除的问题")
    assert any("表中数据为准，说明已改" in row for row in text[dismissed:])
    docx = portal.get(f"/documents/{doc}/review.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_findings_report_is_markdown(portal):
    r = portal.get(f"/documents/{portal.ids['broken']}/report.md")
    assert r.status_code == 200 and r.text.startswith("# 部门预算公开审核报告")
    assert "### 部门预算收入总表" in r.text


def test_the_upload_goes_to_a_progress_page_naming_the_files(portal):
    files = [("files", ("jinzhou-2026.txt", JINZHOU.read_bytes(), "text/plain")),
             ("files", ("empty.txt", b"", "text/plain"))]
    r = portal.post("/upload", files=files, data={"csrf_token": portal.cookies["yusuan_csrf"]}, follow_redirects=False)
    assert r.status_code == 303 and "/jobs/" in r.headers["location"]
    job_url = r.headers["location"]
    job = portal.app.state.jobs.get(job_url.rsplit("/", 1)[1])
    job.done_event.wait(60)
    html = portal.get(job_url).text
    assert "jinzhou-2026.txt" in html and "empty.txt" in html
    assert "已在库中" in html and f'href="/documents/{portal.ids["jinzhou"]}"' in html
    assert "无法读取" in html and "hx-trigger" not in html
    fragment = portal.get(job_url + "/progress").text
    assert fragment.lstrip().startswith(("{#", "<section")) and "<html" not in fragment


def test_home_lists_recent_documents_with_counts(portal):
    html = portal.get("/").text
    assert "晋州市医疗保障局" in html and 'type="file"' in html and "multiple" in html
    for href in ("/departments", "/bureau", "/peers", "/compare", "/docs"):
        assert f'href="{href}"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html


def test_a_zero_count_is_grey_and_a_text_document_has_no_page_count(portal):
    from yusuan.web.pages import templates

    counts = templates.get_template("_counts.html").render(summary={"errors": 0, "warnings": 2, "info": 0,
                                                                    "dismissed": 0}, oob=False)
    assert 'class="count error zero"' in counts and 'class="count warning"' in counts
    assert 'class="count info zero"' in counts
    home = portal.get("/").text
    assert not re.search(r'class="n-(error|warning)">0<', home)
    assert "页数" not in portal.get(f"/documents/{portal.ids['jinzhou']}").text  # a .txt has no pages


def test_the_api_docs_lead_back_to_the_portal_from_this_host_only(portal):
    html = portal.get("/docs").text
    assert '<script src="/static/docs-bar.js">' in html and 'href="/static/docs-bar.css"' in html
    assert 'id="swagger-ui"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    bar = portal.get("/static/docs-bar.js").text
    assert '<a href="/">← 首页</a>' in bar and "http" not in bar
    assert portal.get("/static/docs-bar.css").status_code == 200


def test_the_annotated_word_holds_the_findings_still_standing(portal):
    """批注版 Word: yusuan's Word of the stored model with the findings as
    comments; a dismissed finding is not among them."""
    import zipfile

    from lxml import etree

    doc = portal.ids["jinzhou"]
    f = _three_public(portal, doc)
    form = {"csrf_token": portal.cookies["yusuan_csrf"], "status": "open", "note": ""}

    def comments() -> str:
        r = portal.get(f"/documents/{doc}/annotated.docx")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in r.headers["content-disposition"]
        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(r.content)).read("word/comments.xml"))
        return "\n".join("".join(c.itertext()) for c in root)

    assert "/annotated.docx" in portal.get(f"/documents/{doc}").text
    assert portal.post(f"/findings/{f['id']}/review", data=form).status_code in (200, 303)
    assert "[T05 " in comments() and f["message"] in comments()
    # dismissed as the dismissing test leaves it, for the tests after this one
    portal.post(f"/findings/{f['id']}/review", data={**form, "status": "dismissed", "note": "表中数据为准，说明已改"})
    text = comments()
    assert f["message"] not in text and "[T05 " in text  # the other two T05 stand
