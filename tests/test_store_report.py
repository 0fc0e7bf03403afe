"""The bureau's summary of the store (store/report.py): its rows against
what `yusuan check` says of the example documents, and the XLSX and DOCX
read back."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import docx
import openpyxl
import pytest

from yusuan.output import OutputError
from yusuan.store import engine_for, ingest
from yusuan.store.report import Report, report_bytes, words, write_report

from test_store_postgres import postgres  # noqa: F401 — the fixture: a throwaway server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FOUR = sorted([*EXAMPLES.glob("*.txt"), *EXAMPLES.glob("*.docx")])
DAY = dt.date(2026, 11, 23)

# `yusuan check` on the examples (the .txt and the .docx of one document say the same):
# jinzhou-2026: 错误 3，警告 4，提示 1 — 错误 T05 ×3; 警告 T06, F04, F05 ×2; 提示 T10
# gaoyang-2023: 错误 0，警告 6，提示 3 — 警告 T09, P02, P04 ×2, P05, W15; 提示 P07, F06 ×2
FAMILIES = [("文字说明与表", "错误"), ("文字说明与表", "警告"), ("绩效目标", "警告"), ("格式与表述", "警告"),
            ("文字审读", "警告")]
#            errors warnings infos  T错 T警 P警 F警 W警  could_not_run unread
JINZHOU = [3, 4, 1, 3, 1, 0, 3, 0, 0, 0]
GAOYANG = [0, 6, 3, 0, 1, 4, 0, 1, 0, 0]


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> list[Path]:
    """The four examples and two files that cannot be read."""
    folder = tmp_path_factory.mktemp("report")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really a PDF\n")
    return [*FOUR, folder / "empty.txt", folder / "broken.pdf"]


@pytest.fixture(scope="module")
def db(six) -> Path:
    path = six[-1].parent / "yusuan.db"
    summary = ingest(six, url=f"sqlite:///{path}", workers=2)
    assert (summary.stored, summary.ok, summary.unreadable) == (6, 4, 2)
    return path


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def _report(db: Path, **filters) -> Report:
    return Report(engine_for(_url(db)), **filters)


def _counts(db: Path, table: str) -> dict[str, int]:
    # the store's own count, for the figures that follow the reader (cells) rather than the audit
    with sqlite3.connect(db) as con:
        return dict(con.execute(f"select d.file_name, count(*) from {table} x join documents d "
                                "on d.id = x.document_id group by d.file_name"))


def test_rows_say_what_check_says(db):
    report = _report(db)
    assert [h for h in report.headers if len(h) == 2] == [list(f) for f in FAMILIES]
    rows = list(report)
    # year, department, kind; the files not read at the end
    assert [r.file_name for r in rows] == ["gaoyang-2023.docx", "gaoyang-2023.txt", "jinzhou-2026.docx",
                                           "jinzhou-2026.txt", "broken.pdf", "empty.txt"]
    cells = _counts(db, "cells")
    for r in rows[:4]:
        jinzhou = r.file_name.startswith("jinzhou")
        assert (r.department, r.year, r.kind, r.scope, r.status, r.message, r.read) == (
            "晋州市医疗保障局" if jinzhou else "高阳县医疗保障局", 2026 if jinzhou else 2023, "预算", "部门", "正常",
            None, True)
        assert r.tables == 11 and r.amounts == cells[r.file_name] > 200
        assert [r.errors, r.warnings, r.infos, *r.by_family, r.could_not_run, r.unread] == (
            JINZHOU if jinzhou else GAOYANG)
    for r in rows[4:]:
        assert (r.department, r.year, r.kind, r.status, r.read, r.tables, r.amounts) == (
            None, None, None, "无法读取", False, 0, 0)
        # not audited: nothing counted, rather than a clean 0
        assert [r.errors, r.warnings, r.infos, *r.by_family, r.could_not_run, r.unread] == [None] * 10
    assert rows[5].message == "文件是空的"
    assert rows[4].message.startswith("PDF")


def test_filters(db):
    assert [r.file_name for r in _report(db, year=2026)] == ["jinzhou-2026.docx", "jinzhou-2026.txt"]
    assert len(list(_report(db, kind="budget"))) == len(list(_report(db, kind="预算"))) == 4
    assert list(_report(db, kind="final_accounts")) == []
    gaoyang = _report(db, department="高阳县医疗保障局")
    assert {r.file_name for r in gaoyang} == {"gaoyang-2023.docx", "gaoyang-2023.txt"}
    # only the families that occur among the chosen documents get a column
    assert [h for h in gaoyang.headers if len(h) == 2] == [list(f) for f in FAMILIES[1:3]] + [list(FAMILIES[4])]
    assert [h for h in _report(db, year=1999).headers if len(h) == 2] == []


def test_xlsx(db, tmp_path):
    out = tmp_path / "summary.xlsx"
    assert write_report(out, _url(db), today=DAY) == 6
    ws = openpyxl.load_workbook(out).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "部门预算、决算公开文件汇总表"
    assert rows[1][0] == "制表日期：2026-11-23　共 6 份公开文件，其中 2 份未能读取；审核发现错误 6 处、警告 20 处、提示 8 处。"
    assert rows[2][:12] == ["文件", "部门", "年度", "类型", "范围", "读取状态", "读出表数", "金额个数", "错误", "警告",
                            "提示", "文字说明与表"]
    assert rows[2][-3:] == ["无法核对的规则", "未能读取的内容", "说明"]
    assert rows[3][11:16] == [s for _, s in FAMILIES]
    cells = _counts(db, "cells")
    jinzhou = rows[7]
    assert jinzhou == ["jinzhou-2026.txt", "晋州市医疗保障局", 2026, "预算", "部门", "正常", 11,
                       cells["jinzhou-2026.txt"], *JINZHOU, None]
    assert rows[4][8:18] == GAOYANG
    assert rows[9][:6] == ["empty.txt", None, None, None, None, "无法读取"]
    assert rows[9][8:] == [None] * 10 + ["文件是空的"]
    total = rows[10]
    assert total[0] == "合计（6 份）" and total[1:6] == [None] * 5
    assert total[6:18] == [44, sum(cells.values()), 6, 20, 8, 6, 4, 8, 6, 2, 0, 0]
    assert len(rows) == 11
    # numbers are numbers, the header stays on screen and on every printed page
    assert isinstance(jinzhou[2], int) and isinstance(jinzhou[7], int)
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:S10"
    assert ws.print_title_rows == "$3:$4"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth) == ("landscape", 9, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert {"A1:S1", "L3:M3", "A3:A4"} <= {str(r) for r in ws.merged_cells.ranges}
    # a Chinese character counts two: the department's column holds 晋州市医疗保障局 (16)
    assert ws.column_dimensions["B"].width >= 16
    assert ws.column_dimensions["A"].width >= len("jinzhou-2026.docx")


def test_docx(db, tmp_path):
    out = tmp_path / "summary.docx"
    assert write_report(out, _url(db), today=DAY) == 6
    document = docx.Document(out)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == ["部门预算、决算公开文件汇总表", "制表日期：2026-11-23",
                     "共 6 份公开文件，其中 2 份未能读取；审核发现错误 6 处、警告 20 处、提示 8 处。"]
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    (table,) = document.tables
    grid = [[c.text for c in row.cells] for row in table.rows]
    assert grid[0][:2] == ["文件", "部门"] and grid[0][11] == "文字说明与表" and grid[0][-1] == "说明"
    assert grid[1][11:16] == [s for _, s in FAMILIES]
    assert grid[5][:6] == ["jinzhou-2026.txt", "晋州市医疗保障局", "2026", "预算", "部门", "正常"]
    assert grid[5][8:18] == [str(n) for n in JINZHOU]
    assert grid[7][:1] + grid[7][5:] == ["empty.txt", "无法读取", "0", "0"] + [""] * 10 + ["文件是空的"]
    assert grid[-1][0] == "合计（6 份）" and grid[-1][8:11] == ["6", "20", "8"]
    assert len(grid) == 2 + 6 + 1


def test_an_empty_store(tmp_path):
    data = report_bytes(Report(engine_for(_url(tmp_path / "new.db"))), ".xlsx", DAY)
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert "共 0 份公开文件" in rows[1][0]
    assert rows[2][10:] == ("提示", "无法核对的规则", "未能读取的内容", "说明")  # no family occurs: no family column
    assert rows[-1][0] == "合计（0 份）"
    document = docx.Document(__import__("io").BytesIO(report_bytes(Report(engine_for(_url(tmp_path / "new.db"))),
                                                                   ".docx", DAY)))
    assert [c.text for c in document.tables[0].rows[-1].cells][0] == "合计（0 份）"


def test_suffix_and_the_safe_writer(db, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx or \.docx"):
        write_report(tmp_path / "summary.pdf", _url(db))
    with pytest.raises(ValueError, match=r"\.xlsx or \.docx"):
        write_report(tmp_path / "summary", _url(db))
    assert not (tmp_path / "summary.pdf").exists()
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(b"an officer's own workbook")
    with pytest.raises(OutputError) as refused:
        write_report(mine, _url(db))
    assert refused.value.key == "exists"
    assert mine.read_bytes() == b"an officer's own workbook"
    assert write_report(mine, _url(db), force=True) == 6
    assert mine.read_bytes().startswith(b"PK")
    # never over the database it reads, not even forced
    store = tmp_path / "store.xlsx"
    engine_for(_url(store)).dispose()
    with pytest.raises(OutputError) as refused:
        write_report(store, _url(store), force=True)
    assert refused.value.key == "same_as_input"


def test_words_are_checked(monkeypatch):
    import yusuan.definitions as definitions

    load = definitions._load

    def broken(name):
        data = load(name)
        if name == "report.yaml":
            data = {**data, "columns": {k: v for k, v in data["columns"].items() if k != "unread"}}
        return data

    words.cache_clear()
    monkeypatch.setattr(definitions, "_load", broken)
    try:
        with pytest.raises(ValueError, match="report.yaml: columns must give exactly"):
            words()
    finally:
        words.cache_clear()
    monkeypatch.undo()
    w = words()
    assert (w.kinds, w.scopes) == ({"budget": "预算", "final_accounts": "决算"}, {"department": "部门", "unit": "单位"})
    assert list(w.families)[:3] == ["C", "A", "X"] and w.families["R"] == "读取"


def test_the_same_rows_on_postgresql(postgres, six, db):  # noqa: F811
    # PostgreSQL sums to numeric and sorts NULLs last by itself: the rows must not show it
    assert ingest(six, url=postgres, workers=1).stored == 6
    assert list(Report(engine_for(postgres))) == list(_report(db))
    assert list(Report(engine_for(postgres), year=2023, kind="预算")) == list(_report(db, year=2023, kind="预算"))


def test_unread_items_and_rules_that_could_not_run(tmp_path):
    from yusuan.store import write_rows
    from yusuan.store.rows import DocumentRows

    engine = engine_for(_url(tmp_path / "y.db"))

    def document(name: str, status: str = "ok", **more) -> dict:
        return {"sha256": name.ljust(64, "0"), "file_name": name, "status": status, "tool_version": "0",
                "ingested_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), **more}

    def finding(rule: str, severity: str) -> dict:
        return {"rule": rule, "family": rule[0], "severity": severity, "message": "m"}

    write_rows(engine, DocumentRows(
        document("a.txt", department="某局", year=2025, kind="final_accounts", scope="unit"),
        findings=[finding("R01", "warning"), finding("R04", "info"), finding("A01", "error")],
        ledger=[("X12", "could_not_run", "没有同时给出部门预算"), ("A01", "ran", None), ("C16", "not_applicable", None)]))
    write_rows(engine, DocumentRows(document("b.txt", "internal", message="ZeroDivisionError: no")))
    report = Report(engine)
    # the reader's family is the unread column, not a family column of its own
    assert report.families == (("A", "error"),)
    a, b = report
    assert (a.kind, a.scope, a.errors, a.warnings, a.infos, a.by_family, a.could_not_run, a.unread) == (
        "决算", "单位", 1, 1, 1, (1,), 1, 2)
    assert (b.status, b.message, b.errors, b.unread, b.read) == ("内部错误", "ZeroDivisionError: no", None, None, False)
