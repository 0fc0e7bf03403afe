"""The HTML writer's tables, made in Python since issue 17 (a template loop
grew faster than the rows): the values a reader sees, written by hand from
the example and from constructed layouts, including one with thousands of
rows and text that must be escaped."""

import re
from decimal import Decimal

from conftest import load

from yusuan.write.html import write_html
from yusuan.write.layout import Layout, LCell, LParagraph, LRow, LTable, layout


def _table(page: str, kind: str) -> str:
    return re.search(rf'<table class="{kind}">.*?</table>', page, re.S).group(0)


def _rows(table: str) -> list[tuple[str, list[str]]]:
    """(role, the text of each printed cell) per row."""
    return [(role, re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", cells))
            for role, cells in re.findall(r'<tr class="(\w+)">(.*?)</tr>', table, re.S)]


def test_jinzhou_expenditure_table_as_printed():
    # 部门预算支出总表 of examples/jinzhou-2026.txt: the 合计 line then nine
    # coded lines (序号 2-10), amounts in 万元.
    page = write_html(layout(load("jinzhou-2026", "txt"))).decode("utf-8")
    rows = _rows(_table(page, "expenditure"))
    roles = [r for r, _ in rows]
    assert roles == ["info", "header", "header", "lanci", "total"] + ["body"] * 9
    assert rows[4][1][:6] == ["1", "合计", "7272.94", "587.92", "6685.02", ""]
    assert rows[5][1][:4] == ["2", "210", "卫生健康支出", "7272.94"]
    assert rows[-1][1][:6] == ["10", "2101599", "其他医疗保障管理事务支出", "37.00", "", "37.00"]
    # a 项 line is indented two levels, its code kept on one line
    assert ('<td class="nowrap">2101501</td><td class="name i2">行政运行</td><td class="num">587.92</td>'
            in page)
    assert '<th colspan="2">功能分类科目</th>' in page


def _big_table(n: int) -> LTable:
    body = [LRow([LCell(str(i), kind="seq"), LCell(f"{200 + i}", kind="code"),
                  LCell(f"科目{i} & <其他>", kind="name", indent=1),
                  LCell(f"{i}.00", numeric=True, kind="amount")]) for i in range(1, n + 1)]
    total = sum(Decimal(i) for i in range(1, n + 1))
    return LTable(kind="expenditure", width=4, rows=[
        LRow([LCell("序号"), LCell("科目\n编码"), LCell("科目名称"), LCell("金额")], role="header"),
        LRow([LCell(""), LCell("合计", kind="name", span=2), LCell(f"{total:.2f}", numeric=True, kind="amount")],
             role="total"),
        *body,
    ])


def test_thousands_of_rows_each_printed_once():
    d = load("jinzhou-2026", "txt")
    page = write_html(Layout(d, [LParagraph("表", "table_title"), _big_table(3000)])).decode("utf-8")
    rows = _rows(_table(page, "expenditure"))
    assert [r for r, _ in rows].count("body") == 3000
    # 1 + 2 + … + 3000 = 3000 × 3001 / 2
    assert rows[1] == ("total", ["", "合计", "4501500.00"])
    assert rows[2][1] == ["1", "201", "科目1 &amp; &lt;其他&gt;", "1.00"]
    assert rows[-1][1] == ["3000", "3200", "科目3000 &amp; &lt;其他&gt;", "3000.00"]
    assert page.count('<td class="name i1">') == 3000
    assert '<tr class="total"><td></td><td class="name" colspan="2">合计</td>' in page
    # a header keeps its line break as typed; only body cells print <br>
    assert "<th>科目\n编码</th>" in page


def test_cells_escaped_and_merges_kept():
    bad = "A&B <i>x</i> \"q\" 'a'\nline2\x07"
    t = LTable(kind="income", width=3, rows=[
        LRow([LCell("单位：万元", span=3)], role="info"),
        LRow([LCell("项目", rowspan=2), LCell("预算数", span=2)], role="header"),
        LRow([LCell(merged=True), LCell("本年"), LCell("上年")], role="header"),
        LRow([LCell(bad, kind="name", indent=9), LCell("1.50", numeric=True, kind="amount"),
              LCell("", numeric=True, kind="amount")]),
        LRow([LCell("x", kind="code", rowspan=2), LCell("y", span=2)]),
        LRow([LCell(merged=True), LCell("z", kind="number"), LCell("w")]),
    ])
    page = write_html(Layout(load("jinzhou-2026", "txt"), [t])).decode("utf-8")
    table = _table(page, "income")
    assert '<thead>\n<tr class="info"><td colspan="3">单位：万元</td></tr>' in table
    assert '<tr class="header"><th rowspan="2">项目</th><th colspan="2">预算数</th></tr>' in table
    assert '<tr class="header"><th>本年</th><th>上年</th></tr>\n</thead>' in table
    # the bell is dropped, the line break printed, the indent capped at 4
    assert ('<td class="name i4">A&amp;B &lt;i&gt;x&lt;/i&gt; &#34;q&#34; &#39;a&#39;<br>line2</td>'
            '<td class="num">1.50</td><td class="num"></td>') in table
    assert '<td class="nowrap" rowspan="2">x</td><td colspan="2">y</td></tr>' in table
    assert '<tr class="body"><td class="nowrap">z</td><td>w</td></tr>\n</tbody>\n</table>' in table
