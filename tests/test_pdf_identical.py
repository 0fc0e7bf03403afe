"""The PDF reader's output, checked against what the pages print (issue 17:
the faster reader must read exactly what the slower one read).

The values from examples/gaoyang-2023.pdf were read off the rendered pages:
page 6 is 部门预算一般公共预算财政拨款基本支出表 (25 numbered rows), page 10's
机构设置 table runs onto page 11 by one row, and page 11's 支出说明 paragraph
is four printed lines. The constructed PDFs check what the reader's fast
paths decide: which spaces are printed, which cells a rule parts, and a long
table's every row.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from tiny_pdf import pdf_file

from yusuan.read.blocks import ParagraphBlock, TableBlock
from yusuan.read.pdf import parse_pdf


@pytest.fixture(scope="module")
def gaoyang():
    return parse_pdf((EXAMPLES / "gaoyang-2023.pdf").read_bytes())


def _tables(doc, page: int) -> list[TableBlock]:
    return [b for b in doc.blocks if isinstance(b, TableBlock) and b.page == page]


def _cells(row) -> list[tuple[str, int, int]]:
    return [(c.text, c.col, c.span) for c in row.cells]


def test_basic_expenditure_table_as_printed(gaoyang):
    (table,) = _tables(gaoyang, 6)
    assert table.width == 6
    assert len(table.rows) == 4 + 25  # info line, two header rows, 栏次, rows 1–25
    assert {r.page for r in table.rows} == {6}
    # 一般公共预算基本支出 spans 合计 | 人员经费 | 公用经费; 序号 is merged down
    assert _cells(table.rows[1]) == [("序号", 0, 1), ("支出部门经济分类科目", 1, 2), ("一般公共预算基本支出", 3, 3)]
    assert _cells(table.rows[2])[0] == ("", 0, 1)
    assert _cells(table.rows[4]) == [("1", 0, 1), ("", 1, 1), ("合计", 2, 1), ("269.08", 3, 1),
                                     ("238.55", 4, 1), ("30.53", 5, 1)]
    assert _cells(table.rows[15]) == [("12", 0, 1), ("302", 1, 1), ("商品和服务支出", 2, 1), ("27.53", 3, 1),
                                      ("", 4, 1), ("27.53", 5, 1)]
    assert _cells(table.rows[-1]) == [("25", 0, 1), ("31002", 1, 1), ("办公设备购置", 2, 1), ("3.00", 3, 1),
                                      ("", 4, 1), ("3.00", 5, 1)]


def test_table_running_onto_the_next_page_is_one_table(gaoyang):
    (table,) = _tables(gaoyang, 10)
    assert not _tables(gaoyang, 11)
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["单位名称", "单位性质", "单位规格", "经费保障形式"],
        ["高阳县医疗保障局", "行政", "正科级", "财政拨款"],
        ["高阳县城镇职工基本医疗保险服务中心", "事业", "未定行政级别", "财政性资金基本保证"],
        ["高阳县城乡居民基本医疗保险服务中心", "事业", "未定行政级别", "财政性资金基本保证"],
    ]
    assert [r.page for r in table.rows] == [10, 10, 10, 11]


def test_wrapped_paragraph_joins_its_lines(gaoyang):
    texts = {b.text: b.page for b in gaoyang.blocks if isinstance(b, ParagraphBlock)}
    paragraph = ("收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映高阳县医疗保障局"
                 "年度部门预算中支出预算的总体情况。2023年支出预算799.08万元，其中基本支出269.08万元，包括人员经费"
                 "238.55万元和日常公用经费30.53万元；项目支出530万元，主要为医疗救助补助专项资金、离休荣军干部医药费"
                 "专项资金等。")
    assert texts[paragraph] == 11
    assert texts["2、支出说明"] == 11


# -- constructed pages -------------------------------------------------------------
def _pdf(content: str, width: int = 595, height: int = 842) -> bytes:
    """A one-page PDF drawing `content` with Helvetica as /F1."""
    data = content.encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % (width, height),
            b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    return pdf_file(objs)


def _text(x: float, y: float, s: str, size: int = 10) -> str:
    return f"BT /F1 {size} Tf {x} {y} Td ({s}) Tj ET"


def test_printed_spaces_stay_and_gaps_add_none():
    # "Total  due" printed with its two spaces; "Net" and "pay" two words set
    # apart with no space printed (pdfium makes one up for the gap)
    page = _pdf("\n".join([_text(72, 700, "Total  due 12.50"), _text(72, 650, "Net"), _text(160, 650, "pay")]))
    texts = [b.text for b in parse_pdf(page).blocks]
    assert texts == ["Total  due 12.50", "Netpay"]


def _ruled_table(rows: int) -> str:
    """A three-column table (x 72 | 200 | 300 | 400), a header row whose
    first two cells no rule parts, and `rows` rows below of 20 pt each:
    row i reads (Item i, i, i × 10)."""
    top = 760
    bottom = top - 20 * (rows + 1)
    ops = ["0.5 w 0 0 0 RG"]
    for k in range(rows + 2):
        y = top - 20 * k
        ops.append(f"72 {y} m 400 {y} l S")
    ops.append(f"72 {top} m 72 {bottom} l S")
    ops.append(f"200 {top - 20} m 200 {bottom} l S")  # the header's first two cells are one
    ops.append(f"300 {top} m 300 {bottom} l S")
    ops.append(f"400 {top} m 400 {bottom} l S")
    ops.append(_text(80, top - 14, "Item and number"))
    ops.append(_text(310, top - 14, "Amount"))
    for i in range(1, rows + 1):
        y = top - 20 * i - 14
        ops += [_text(80, y, f"Item {i}"), _text(210, y, str(i)), _text(310, y, f"{i * 10}.00")]
    return "\n".join(ops)


@pytest.mark.parametrize("rows", [3, 36])
def test_ruled_table_cells_and_merge(rows):
    doc = parse_pdf(_pdf(_ruled_table(rows)))
    (table,) = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert table.width == 3
    assert _cells(table.rows[0]) == [("Item and number", 0, 2), ("Amount", 2, 1)]
    assert len(table.rows) == rows + 1
    assert _cells(table.rows[1]) == [("Item 1", 0, 1), ("1", 1, 1), ("10.00", 2, 1)]
    assert _cells(table.rows[-1]) == [(f"Item {rows}", 0, 1), (str(rows), 1, 1), (f"{rows * 10}.00", 2, 1)]
    assert all(r.page == 1 for r in table.rows)
