"""A text finding (the explanation against the tables) records the table
cell it compared the statement with, as data: the store keeps it and the
portal links to that cell without reading the message. The values are read
by hand from the documents."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli, load

from yusuan.audit import audit
from yusuan.audit.finding import Finding
from yusuan.definitions import squash
from yusuan.model import Disclosure, Row
from yusuan.read import read
from yusuan.store.rows import rows_of
from yusuan.web.finding_view import Cell, cell_of

LAYOUTS = Path(__file__).parent / "data" / "layouts"


def _one(findings: list[Finding], rule: str, words: str) -> Finding:
    hits = [f for f in findings if f.rule == rule and words in f.message]
    assert len(hits) == 1, [f.message for f in findings if f.rule == rule]
    return hits[0]


def _cited_row(d: Disclosure, f: Finding) -> Row:
    t = d.tables[f.cited_table]
    return next(r for r in t.rows if (f.cited_code and r.code == f.cited_code)
                or (not f.cited_code and squash(r.name) == f.cited_item))


@pytest.fixture(scope="module")
def jinzhou() -> Disclosure:
    return load("jinzhou-2026", "txt")


def test_t05_cites_the_three_public_total(jinzhou):
    # 情况说明: 三公经费预算安排0万元; the 三公 table's 小计 row totals 10.18
    f = _one(audit(jinzhou), "T05", "“三公”经费预算安排0万元")
    assert (f.cited_table, f.cited_code, f.cited_item, f.cited_column) == ("three_public", None, "“三公”经费小计", "total")
    assert _cited_row(jinzhou, f).amounts["total"] == Decimal("10.18")
    assert f.table is None  # the finding itself stays under its section


def test_t09_cites_a_code_row_of_another_document():
    # 高阳: 拟购置固定资产总额为0.00万元, the basic table's 310 资本性支出 is 3.00
    d = load("gaoyang-2023", "txt")
    f = _one(audit(d), "T09", "拟购置固定资产总额")
    assert (f.cited_table, f.cited_code, f.cited_item, f.cited_column) == ("general_basic", "310", "资本性支出", "total")
    assert _cited_row(d, f).amounts["total"] == Decimal("3.00")


def test_final_accounts_cite_their_tables():
    # 人员经费1258.17万元 against the basic table's 人员经费合计, printed as 0
    d = read(LAYOUTS / "sh-final-2024.txt")
    f = _one(audit(d), "T15", "人员经费1258.17万元")
    assert (f.cited_table, f.cited_item, f.cited_column) == ("final_general_basic", "人员经费合计", "total")
    # 2069999 其他科学技术支出: 决算 302.00 stated, 320.00 in the table (final_text's T15)
    d = read(LAYOUTS / "sh-final-2024-faults.docx")
    f = _one(audit(d), "T15", "2069999")
    assert (f.cited_table, f.cited_code, f.cited_column) == ("final_general_expenditure", "2069999", "total")
    assert _cited_row(d, f).amounts["total"] == Decimal("320.00")


def test_findings_without_a_compared_cell_cite_none(jinzhou):
    for f in audit(jinzhou):
        if f.rule in ("T06", "T10") or not f.rule.startswith("T"):
            assert f.cited_table is None, f


def test_the_stored_finding_leads_to_the_cell(jinzhou):
    rows = rows_of("jinzhou-2026.txt", "0" * 64, jinzhou, audit(jinzhou))
    positions: dict = {}
    for table_id, position, _seq, code, item, *_ in rows.rows:
        positions.setdefault(table_id, []).append((position, code, item))
    stored = next(f for f in rows.findings if f["rule"] == "T05" and "“三公”经费预算安排0万元" in f["message"])
    assert cell_of(stored, positions) == Cell("three_public", 0, "total")
    # a finding stored before the cells were cited (0004) links to none
    assert cell_of({**stored, "cited_table": None, "cited_code": None, "cited_item": None,
                    "cited_column": None}, positions) is None


def test_check_json_cites_only_when_set():
    r = cli("check", EXAMPLES / "jinzhou-2026.txt", "-f", "json")
    findings = json.loads(r.stdout)["findings"]
    t05 = next(f for f in findings if f["rule"] == "T05" and "“三公”经费预算安排0万元" in f["message"])
    assert t05["cites"] == {"table": "three_public", "code": None, "item": "“三公”经费小计", "column": "total"}
    assert all("cites" not in f for f in findings if f["rule"] in ("T06", "T10"))


def test_t12_cites_the_three_public_budget_only_when_the_sentence_prints_none(tmp_path):
    # 因公出国（境）费决算为6.42万元 prints no budget: the table's 预算数 8.00 is
    # the base (6.42/8.00 = 80.25%); the 三公 total prints its own 年初预算 32.70
    text = (LAYOUTS / "sh-final-2024.txt").read_text(encoding="utf-8")
    edited = text.replace("完成预算的80.25%", "完成预算的70.25%").replace("完成预算的90.09%", "完成预算的80.09%")
    assert edited.count("70.25%") == 1 and edited.count("80.09%") == 1
    path = tmp_path / "sh-final-2024.txt"
    path.write_text(edited, encoding="utf-8")
    d = read(path)
    found = audit(d)
    f = _one(found, "T12", "因公出国（境）费决算为6.42万元")
    assert (f.cited_table, f.cited_item, f.cited_column) == ("final_three_public", "因公出国（境）费", "budget")
    assert _cited_row(d, f).amounts["budget"] == Decimal("8.00")
    assert _one(found, "T12", "80.09%").cited_table is None


def test_t11_cites_the_whole_a_share_is_of(tmp_path):
    # 因公出国（境）费 6.42 of the 三公 table's 合计 决算数 29.46 is 21.79%, printed 20.79%
    text = (LAYOUTS / "sh-final-2024.txt").read_text(encoding="utf-8")
    path = tmp_path / "sh-final-2024.txt"
    path.write_text(text.replace("占21.79%", "占20.79%"), encoding="utf-8")
    d = read(path)
    f = _one(audit(d), "T11", "占20.79%")
    assert (f.cited_table, f.cited_item, f.cited_column) == ("final_three_public", "“三公”经费合计", "total")
    assert _cited_row(d, f).amounts["total"] == Decimal("29.46")
