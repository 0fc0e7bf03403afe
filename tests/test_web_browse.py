"""The portal's browse pages (departments, a department's figures, compare,
peers, the bureau's year with its expected list), in process on SQLite.
The figures are written by hand from the documents' tables."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from yusuan.store import engine_for, ingest  # noqa: E402
from yusuan.store.report import words  # noqa: E402
from yusuan.web import create_app, queries  # noqa: E402
from yusuan.web.browse import _pairs, _read_list  # noqa: E402
from yusuan.web.figures import key_figures  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JINZHOU, GAOYANG = "晋州市医疗保障局", "高阳县医疗保障局"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browse') / 'y.db'}"
    summary = ingest([EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"], url, workers=1)
    assert summary.ok == 2
    engine = engine_for(url)
    ids = {d["department"]: d["id"] for d in queries.documents(engine)}
    engine.dispose()
    with TestClient(create_app(url, workers=1)) as client:
        client.ids = ids
        yield client


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """晋州's 2026 budget twice: its text and its Word copy, one label for both."""
    url = f"sqlite:///{tmp_path_factory.mktemp('twins') / 'y.db'}"
    assert ingest([EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "jinzhou-2026.docx"], url, workers=1).ok == 2
    with TestClient(create_app(url, workers=1)) as client:
        yield client


def _charts(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)]


def _series(chart: dict, name: str) -> list:
    return next(s["data"] for s in chart["series"] if s["name"] == name)


def test_departments_lists_each_department_by_year_with_links_to_its_documents(portal):
    r = portal.get("/departments")
    assert r.status_code == 200
    assert JINZHOU in r.text and GAOYANG in r.text
    assert "2026年" in r.text and "2023年" in r.text
    for department, id_ in portal.ids.items():
        assert f'href="/documents/{id_}"' in r.text


def test_key_figures_in_wan_yuan_from_the_tables(portal):
    engine = portal.app.state.engine
    f = key_figures(queries.model(engine, portal.ids[JINZHOU]))
    # 晋州 2026: 收支总计 7272.94, 基本支出 587.92, 项目支出 6685.02,
    # 三公 10.18 all of it 公务用车, 公用经费 (机关运行经费) 46.46
    assert f == {"income": Decimal("7272.94"), "expenditure": Decimal("7272.94"), "basic": Decimal("587.92"),
                 "project": Decimal("6685.02"), "three_public": Decimal("10.18"), "abroad": Decimal("0"),
                 "vehicles": Decimal("10.18"), "reception": Decimal("0"), "operating_costs": Decimal("46.46")}
    assert all(isinstance(v, Decimal) for v in f.values())


def test_the_department_page_charts_its_figures_over_the_years(portal):
    r = portal.get(f"/departments/{JINZHOU}")
    assert r.status_code == 200
    charts = _charts(r.text)
    three = next(c for c in charts if "三公" in c["title"])
    assert three["categories"] == ["2026年预算"]
    assert _series(three, "“三公”经费") == [10.18]
    assert "/static/vendor/echarts/echarts.min.js" in r.text and "/static/charts.js" in r.text
    gaoyang = _charts(portal.get(f"/departments/{GAOYANG}").text)
    assert _series(next(c for c in gaoyang if "三公" in c["title"]), "“三公”经费") == [1.62]


def test_an_unknown_department_is_not_found(portal):
    assert portal.get("/departments/没有这个部门").status_code == 404


def test_peers_sorts_one_figure_across_the_departments_of_a_year(portal):
    r = portal.get("/peers", params={"year": 2026, "figure": "three_public"})
    assert r.status_code == 200
    (chart,) = _charts(r.text)
    assert chart["categories"] == [JINZHOU] and chart["series"][0]["data"] == [10.18]
    assert GAOYANG not in chart["categories"]  # a 2023 document
    rows = re.findall(r'<tr><td class="num muted">\d+</td><td><a [^>]+>([^<]+)</a></td>\s*'
                      r'<td class="num"><a [^>]+>([^<]+)</a>', r.text)
    assert rows == [(JINZHOU, "10.18")]


def test_compare_shows_the_changes_table_by_table(portal):
    a, b = portal.ids[GAOYANG], portal.ids[JINZHOU]
    r = portal.get("/compare", params={"a": a, "b": b})
    assert r.status_code == 200
    assert 'class="list changes"' in r.text and "个金额不同" in r.text
    # 三公 went from 1.62 to 10.18: a rise of 8.56 highlighted as such
    assert re.search(r'<tr class="up">.*?1\.62.*?10\.18.*?\+8\.56', r.text, re.S)
    # not the next year of one another: no 比上年 statement to check
    assert "没有可核对的表述" in r.text
    assert portal.get("/compare").status_code == 200
    assert "未能读取" in portal.get("/compare", params={"a": 999, "b": b}).text


def _post_list(portal, year: int, data: bytes, name: str = "list.csv"):
    portal.get("/bureau")  # the CSRF cookie
    return portal.post("/bureau/expected", data={"year": str(year), "csrf_token": portal.cookies.get("yusuan_csrf")},
                       files={"file": (name, data, "application/octet-stream")})


def test_bureau_lists_the_year_and_the_expected_departments_missing(portal):
    r = portal.get("/bureau", params={"year": 2026})
    assert r.status_code == 200 and JINZHOU in r.text and GAOYANG not in r.text
    assert words().statuses["ok"] in r.text
    r = _post_list(portal, 2026, "部门\n晋州市医疗保障局\n某某县财政局\n".encode())
    assert r.status_code == 200 and r.url.path == "/bureau"
    missing = re.search(r'<ul id="missing">(.*?)</ul>', r.text, re.S).group(1)
    assert "某某县财政局" in missing and JINZHOU not in missing
    assert 'id="unlisted"' not in r.text
    # another year keeps its own list
    r = _post_list(portal, 2023, "名称,备注\n高阳县 医疗保障局,\n".encode("gb18030"))
    assert 'id="missing"' not in r.text  # 高阳 found despite the space


def test_the_expected_list_needs_the_csrf_token_and_a_small_file(portal):
    r = portal.post("/bureau/expected", data={"year": "2026"}, files={"file": ("x.csv", b"a\n")})
    assert r.status_code == 403
    r = _post_list(portal, 2026, b"x" * (1024 * 1024 + 1))
    assert r.status_code == 413 and "未读取" in r.text
    # a zip that is no workbook, whatever it is called: said on the page
    r = _post_list(portal, 2026, b"PK\x03\x04 not a workbook", name="list.xlsx")
    assert r.status_code == 400 and "无法读取名单文件" in r.text


def test_the_list_is_read_from_csv_or_xlsx_whatever_its_name():
    from openpyxl import Workbook

    assert _read_list("序号,部门名称\n1,甲局\n2,乙 局\n".encode()) == ["甲局", "乙局"]
    assert _read_list("甲局\n乙局\n".encode()) == ["甲局", "乙局"]  # no header: the first column
    wb = Workbook()
    wb.active.append(["department"])
    wb.active.append(["丙局"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _read_list(buf.getvalue()) == ["丙局"]


def test_a_department_offers_last_year_and_budget_against_final_accounts():
    docs = [{"id": 1, "year": 2024, "kind": "budget", "status": "ok"},
            {"id": 2, "year": 2025, "kind": "budget", "status": "ok"},
            {"id": 3, "year": 2025, "kind": "final_accounts", "status": "ok"},
            {"id": 4, "year": 2026, "kind": "budget", "status": "unreadable"}]
    assert [(p["a"], p["b"]) for p in _pairs(docs)] == [(1, 2), (2, 3)]
    assert [p["text"] for p in _pairs(docs)] == ["2025年预算与上年对比", "2025年预算与决算对比"]


def test_two_documents_of_one_year_and_kind_are_told_apart_by_their_file_names(twins, portal):
    files = ["jinzhou-2026.docx", "jinzhou-2026.txt"]
    html = twins.get(f"/departments/{JINZHOU}").text
    heads = re.findall(r'<th scope="col" class="num">2026年预算<small class="apart">([^<]+)</small></th>', html)
    assert sorted(heads) == files
    three = next(c for c in _charts(html) if "三公" in c["title"])
    assert sorted(three["categories"]) == ["2026年预算\nDOCX", "2026年预算\nTXT"]  # the format: room for it
    peers = twins.get("/peers", params={"year": 2026}).text
    assert sorted(re.findall(r'</a><small class="apart">([^<]+)</small></td>', peers)) == files
    bureau = twins.get("/bureau", params={"year": 2026}).text
    assert sorted(re.findall(r'</a><small class="apart">([^<]+)</small></th>', bureau)) == files
    grid = twins.get("/departments").text
    assert sorted(re.findall(r'<small class="fmt" title="([^"]+)">', grid)) == files
    # one document of a label: nothing added under it
    for page in (f"/departments/{JINZHOU}", "/peers", "/bureau", "/departments"):
        assert 'class="apart"' not in portal.get(page).text and 'class="fmt"' not in portal.get(page).text


def test_a_zero_count_is_grey_not_a_severity_colour(portal):
    html = portal.get("/bureau", params={"year": 2023}).text
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]+>{GAOYANG}</a>.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num ([\w-]+)">(\d+)</td>', row)[:2]  # 错误, 警告
    assert all((cls == "zero") == (n == "0") for cls, n in cells), cells
    assert not re.search(r'class="num sev-(error|warning)">0<', html)
