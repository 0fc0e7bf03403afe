"""`yusuan compare A B`: amounts that differ, matched by table, row and
column, and B's 比上年 sentences checked against A's own tables. A is built
from 高阳 2023 as the 2022 budget its text describes: 高阳's text says the
total fell to 799.08 from 1248.16, basic spending rose 99.92 … (test_explain)."""

import json
from decimal import Decimal as D

import pytest
from conftest import EXAMPLES, cli

from yusuan.compare import compare
from yusuan.lookup import Lookup
from yusuan.read import read

B = EXAMPLES / "gaoyang-2023.txt"


def the_year_before(**figures):
    """高阳 2023 turned into a 2022 budget whose headline figures are given."""
    a = read(B)
    a.year = 2022
    lk = Lookup(a)
    where = {"total": ("summary", "income_grand", "income_amount"), "basic": ("expenditure", "total", "basic"),
             "project": ("expenditure", "total", "project"), "three_public": ("three_public", "subtotal", "total")}
    for key, value in figures.items():
        table, row, column = where[key]
        lk.named(table, row).amounts[column] = value
    return a


AS_STATED = {"total": D("1248.16"), "basic": D("170.16"), "project": D("1078.00"), "three_public": D("1.80")}


def test_the_text_agrees_with_the_year_it_describes():
    c = compare(the_year_before(**AS_STATED), read(B))
    assert [(s.key, s.implied, s.actual, s.agrees) for s in c.statements] == [
        ("total", D("1248.16"), D("1248.16"), True), ("basic", D("170.16"), D("170.16"), True),
        ("project", D("1078.00"), D("1078.00"), True), ("three_public", D("1.80"), D("1.80"), True)]
    assert c.statements[3].reason == "进一步压减“三公”预算"
    assert not c.disagreements


def test_a_stated_change_that_does_not_match_last_year():
    c = compare(the_year_before(**{**AS_STATED, "basic": D("171.00")}), read(B))
    (wrong,) = c.disagreements
    assert (wrong.key, wrong.implied, wrong.actual) == ("basic", D("170.16"), D("171.00"))


def test_amounts_that_differ_row_by_row():
    c = compare(the_year_before(**AS_STATED), read(B))
    total = next(x for x in c.changes if x.table == "summary" and x.item.startswith("收入总计"))
    assert (total.a, total.b, total.difference, total.rate) == (D("1248.16"), D("799.08"), D("-449.08"), D("-35.98"))
    three = next(x for x in c.changes if x.table == "three_public" and x.item == "“三公”经费小计" and x.column == "合计")
    assert (three.a, three.b, three.difference) == (D("1.80"), D("1.62"), D("-0.18"))
    assert c.unchanged > 200  # every other amount is the same


def test_statements_only_between_consecutive_years():
    a = the_year_before(**AS_STATED)
    a.year = 2020
    assert compare(a, read(B)).statements == []


def test_the_command(tmp_path):
    a = tmp_path / "2022.json"
    a.write_text(the_year_before(**{**AS_STATED, "basic": D("171.00")}).to_json(), encoding="utf-8")
    r = cli("compare", a, B, "-f", "json")
    assert r.exit_code == 1  # B's text disagrees with A
    data = json.loads(r.stdout)
    assert [s["key"] for s in data["statements"] if s["agrees"] is False] == ["basic"]
    r = cli("compare", a, B)
    assert "不符 B 的说明推出 A 的基本支出为 170.16，A 的表中为 171.00，相差 0.84" in r.stdout
