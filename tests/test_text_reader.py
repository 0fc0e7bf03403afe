"""The Tika text reader and grid rebuilding on small hand-made inputs."""

from conftest import EXAMPLES

from yusuan.definitions import table_defs
from yusuan.read import read_bytes
from yusuan.read.blocks import Cell
from yusuan.read.grid import place_header
from yusuan.read.text import parse_text


def test_cell_paragraphs_continue_without_tab():
    doc = parse_text("标题\n\t绩效目标\n\t第一段\n第二段\n\n第三段\n\n\n正文\n")
    para, table, after = doc.blocks
    assert para.text == "标题" and after.text == "正文"
    assert [c.text for c in table.rows[0].cells] == ["绩效目标", "第一段\n第二段\n\n第三段"]


def test_bookmarks_are_dropped():
    doc = parse_text("6、 [bookmark: _Toc_3]部门主管专项资金\n[bookmark: _GoBack]\n")
    assert [b.text for b in doc.blocks] == ["6、 部门主管专项资金"]


def _row(*texts):
    return [Cell(t) for t in texts]


def test_two_sided_header_is_split_where_the_sides_change():
    rows = [_row("序号", "收入", "支出"), _row("", "项  目", "金额", "项  目", "合计", "一般公共预算", "政府性基金", "国有资本经营")]
    upper, lower = place_header(rows, 8, table_defs()["fiscal_summary"])
    assert [(c.text, c.col, c.span) for c in upper] == [("序号", 0, 1), ("收入", 1, 2), ("支出", 3, 5)]


def test_groups_split_an_uneven_run():
    rows = [_row("序号", "支出部门经济分类科目", "一般公共预算基本支出"), _row("", "科目编码", "科目名称", "合计", "人员经费", "公用经费")]
    upper, _ = place_header(rows, 6, table_defs()["general_basic"])
    assert [(c.text, c.col, c.span) for c in upper] == [("序号", 0, 1), ("支出部门经济分类科目", 1, 2), ("一般公共预算基本支出", 3, 3)]


def test_a_document_missing_tables_still_reads():
    text = (EXAMPLES / "jinzhou-2026.txt").read_text(encoding="utf-8")
    start = text.index("[bookmark: _Toc_2_2_0000000007]")
    end = text.index("[bookmark: _Toc_2_2_0000000009]")
    d = read_bytes((text[:start] + text[end:]).encode(), "cut.txt")
    assert "fund_expenditure" not in d.tables and "soe_expenditure" not in d.tables
    assert len(d.tables) == 7
    assert str(d.tables["three_public"].rows[0].amounts["total"]) == "10.18"


def test_amounts_with_thousands_separators():
    text = (EXAMPLES / "gaoyang-2023.txt").read_text(encoding="utf-8").replace("\t799.08\n", "\t1,799.08\n", 1)
    d = read_bytes(text.encode(), "x.txt")
    assert str(d.tables["summary"].rows[0].amounts["income_amount"]) == "1799.08"
