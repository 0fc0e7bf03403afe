"""A 合计 row whose label is merged over the code and name columns, read
from Tika text (which prints the merged cell once): the label takes the
missing column, the row number keeps its own (序号), so the total has no code.
"""

from decimal import Decimal

import pytest

from yusuan.read import read_bytes
from yusuan.read.blocks import Cell
from yusuan.read.grid import place_row_right

# 序号 | 科目编码 | 科目名称 | 合计 | 小计 | 财政拨款收入 | 其他收入 | 上年结转
KINDS = ["seq", "code", "name", "amount", "amount", "amount", "amount", "amount"]


def _tika(rows: list[list[str]]) -> bytes:
    """A title paragraph and one table, as Tika prints a Word table: a cell a
    TAB-led line, an empty line after each row and one more after the table."""
    table = "".join("".join(f"\t{c}\n" for c in r) + "\n" for r in rows)
    return ("部门预算收入总表\n" + table + "\n说明\n").encode("utf-8")


LEAD = ["450晋州市医疗保障局", "预算年度：2026", "单位：万元"]
HEADER = [
    ["序号", "功能分类科目", "合计", "本年收入", "上年结转"],
    ["", "科目编码", "科目名称", "", "小计", "财政拨款收入", "其他收入", ""],
]
BODY = [
    ["2", "210", "卫生健康支出", "120.50", "100.00", "100.00", "", "20.50"],
    ["3", "21011", "行政事业单位医疗", "120.50", "100.00", "100.00", "", "20.50"],
]


def _placed(texts: list[str], kinds=KINDS) -> list[tuple[str, int, int]]:
    return [(c.text, c.col, c.span) for c in place_row_right([Cell(t) for t in texts], 8, kinds)]


def test_row_number_keeps_its_column_and_the_label_takes_the_missing_one():
    placed = _placed(["1", "合计", "120.50", "100.00", "100.00", "", "20.50"])
    assert placed[:3] == [("1", 0, 1), ("合计", 1, 2), ("120.50", 3, 1)]
    assert placed[-1] == ("20.50", 7, 1)


def test_a_label_merged_over_the_row_number_too_takes_both_missing_columns():
    placed = _placed(["合计", "120.50", "100.00", "100.00", "", "20.50"])
    assert placed[:2] == [("合计", 0, 3), ("120.50", 3, 1)]


def test_a_code_merged_over_code_columns_takes_the_missing_one():
    # 类 | 款 | 项 in three columns, printed as one code merged over them
    kinds = ["code_part", "code_part", "code_part", "name", "amount", "amount", "amount", "amount"]
    placed = _placed(["2011", "行政运行", "1.00", "2.00", "3.00", "4.00"], kinds)
    assert placed[:3] == [("2011", 0, 3), ("行政运行", 3, 1), ("1.00", 4, 1)]


def test_without_the_columns_kinds_the_first_cell_takes_the_missing_one():
    assert _placed(["1", "合计", "120.50", "100.00", "100.00", "", "20.50"], ())[:2] == [("1", 0, 2), ("合计", 2, 1)]


def test_total_row_under_a_row_number_reads_with_no_code():
    total = ["1", "合计", "120.50", "100.00", "100.00", "", "20.50"]
    d = read_bytes(_tika([LEAD, *HEADER, total, *BODY]), "total.txt")
    rows = d.tables["income"].rows
    assert [(r.seq, r.code, r.name) for r in rows] == [
        ("1", None, "合计"), ("2", "210", "卫生健康支出"), ("3", "21011", "行政事业单位医疗")]
    assert rows[0].amounts == {"total": Decimal("120.50"), "subtotal": Decimal("100.00"),
                               "fiscal": Decimal("100.00"), "other": None, "carryover": Decimal("20.50")}


def test_total_row_merged_over_the_row_number_too_reads_with_no_code():
    total = ["合计", "120.50", "100.00", "100.00", "", "20.50"]
    d = read_bytes(_tika([LEAD, *HEADER, total, *BODY]), "total.txt")
    rows = d.tables["income"].rows
    assert [(r.code, r.name) for r in rows] == [
        (None, "合计"), ("210", "卫生健康支出"), ("21011", "行政事业单位医疗")]
    assert rows[0].amounts["total"] == Decimal("120.50") and rows[0].amounts["carryover"] == Decimal("20.50")
