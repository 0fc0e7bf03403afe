"""PDF layouts beyond the Hebei seeds: pages turned by /Rotate or set
sideways, text framed by a border, rows cut off from their table by a page
break, headers repeated under a table's info line.

The synthetic PDFs are written here by hand, so the page geometry is known;
the corpus tests (skipped when ../shared/corpus is absent) check what was
verified on the printed pages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from tiny_pdf import pdf_file

from yusuan.read.blocks import ParagraphBlock, TableBlock
from yusuan.read.pdf import parse_pdf

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


# -- a minimal PDF writer ----------------------------------------------------------
def _pdf(pages: list[tuple[int, float, float, str]]) -> bytes:
    """A PDF of pages (rotate, media width, media height, content stream),
    with Helvetica as /F1."""
    objects: list[bytes] = []
    n = len(pages)
    font = 3 + 2 * n
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, (rotate, w, h, content) in enumerate(pages):
        data = content.encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Rotate {rotate} "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return pdf_file(objects)


class _Page:
    """Drawing in the upright reading frame (width × height as read),
    written into the user space of a page turned by `quarter` quarter turns
    clockwise: the PDF shows it upright when `rotate` matches, sideways
    otherwise."""

    def __init__(self, width: float, height: float, quarter: int = 0, rotate: int | None = None):
        self.width, self.height, self.quarter = width, height, quarter % 4
        self.rotate = 90 * self.quarter if rotate is None else rotate
        # the media box: the upright frame turned back
        self.media = (height, width) if self.quarter % 2 else (width, height)
        self.ops: list[str] = []

    def _user(self, x: float, y: float) -> tuple[float, float]:
        w, h = self.media
        return [(x, y), (w - y, x), (w - x, h - y), (y, h - x)][self.quarter]

    def _matrix(self) -> str:
        return ["1 0 0 1", "0 1 -1 0", "-1 0 0 -1", "0 -1 1 0"][self.quarter]

    def text(self, x: float, y: float, s: str, size: float = 10) -> None:
        ux, uy = self._user(x, y)
        self.ops.append(f"BT /F1 {size} Tf {self._matrix()} {ux:.2f} {uy:.2f} Tm ({s}) Tj ET")

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        (a, b), (c, d) = self._user(x0, y0), self._user(x1, y1)
        self.ops.append(f"0.5 w {a:.2f} {b:.2f} m {c:.2f} {d:.2f} l S")

    def grid(self, xs: list[float], ys: list[float], texts: list[list[str]], top: bool = True) -> None:
        """A ruled table, ys top to bottom; `top=False` leaves out the rule
        above the first row (a row the page break cut from its table)."""
        for i, y in enumerate(ys):
            if i or top:
                self.line(xs[0], y, xs[-1], y)
        for x in xs:
            self.line(x, ys[0], x, ys[-1])
        for r, row in enumerate(texts):
            for c, s in enumerate(row):
                if s:
                    self.text(xs[c] + 4, ys[r + 1] + 5, s)

    def page(self) -> tuple[int, float, float, str]:
        return (self.rotate, *self.media, "\n".join(self.ops))


def _table_page(quarter: int, rotate: int | None = None) -> tuple[int, float, float, str]:
    p = _Page(600, 400, quarter, rotate)
    p.text(200, 360, "Income and expenditure", 14)
    p.text(40, 330, "Unit: yuan")
    p.grid([40, 200, 360, 520], [320, 300, 280, 260],
           [["Item", "Budget", "Actual"], ["Wages", "1,000.00", "990.00"], ["Total", "1,500.00", "1,480.00"]])
    return p.page()


def _cells(table: TableBlock) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


UPRIGHT = [["Item", "Budget", "Actual"], ["Wages", "1,000.00", "990.00"], ["Total", "1,500.00", "1,480.00"]]


@pytest.mark.parametrize("quarter", [0, 1, 2, 3])
def test_a_turned_page_reads_upright(quarter):
    """/Rotate 90·q with the content drawn turned back: the page shows it
    upright, and so must the reader (not reversed, not transposed)."""
    doc = parse_pdf(_pdf([_table_page(quarter)]))
    assert [_cells(b) if isinstance(b, TableBlock) else b.text for b in doc.blocks] == [
        "Income and expenditure", "Unit: yuan", UPRIGHT]
    assert doc.blocks[-1].width == 3


def test_sideways_text_on_an_unturned_page_reads_upright():
    """A landscape table set sideways on a portrait page without /Rotate:
    the direction of the text says how to turn the page."""
    turned = parse_pdf(_pdf([_table_page(1, rotate=0)]))
    upright = parse_pdf(_pdf([_table_page(0)]))
    assert [type(b) for b in turned.blocks] == [type(b) for b in upright.blocks]
    assert [_cells(b) if isinstance(b, TableBlock) else b.text for b in turned.blocks] == [
        _cells(b) if isinstance(b, TableBlock) else b.text for b in upright.blocks]


def test_a_frame_round_the_page_is_not_a_table():
    """A border round the whole page with running text inside: paragraphs,
    a line that reaches the right margin going on in the next."""
    p = _Page(400, 600)
    p.grid([20, 380], [580, 20], [])
    p.text(40, 540, "Part three", 14)
    long = "word " * 11
    p.text(40, 510, long.strip())
    p.text(40, 495, "end of it.")
    p.text(40, 470, long.strip())
    p.text(40, 455, "second one.")
    doc = parse_pdf(_pdf([p.page()]))
    assert not any(isinstance(b, TableBlock) for b in doc.blocks)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Part three"
    assert len(texts) == 3 and texts[1].endswith("end of it.") and texts[2].endswith("second one.")


def test_a_boxed_table_cell_stays_a_table():
    p = _Page(400, 600)
    p.grid([40, 200, 360], [500, 480, 460], [["Item", "Amount"], ["Total", "5.00"]])
    doc = parse_pdf(_pdf([p.page()]))
    assert [_cells(b) for b in doc.blocks if isinstance(b, TableBlock)] == [[["Item", "Amount"], ["Total", "5.00"]]]


def test_a_row_without_its_top_rule_stays_in_the_table_it_continues():
    """The page break took the rule above the next page's first row: the
    row is still a row of the table, which goes on from the last page."""
    first = _Page(400, 600)
    first.grid([40, 120, 280, 360], [500, 480, 460, 440],
               [["Code", "Name", "Amount"], ["221", "Housing", "3,000.00"], ["22102", "Reform", "3,000.00"]])
    second = _Page(400, 600)
    second.grid([40, 120, 280, 360], [580, 560, 540],
                [["2210201", "Fund", "1,000.00"], ["2210202", "Rent", "2,000.00"]], top=False)
    doc = parse_pdf(_pdf([first.page(), second.page()]))
    assert not any(isinstance(b, ParagraphBlock) for b in doc.blocks)
    (table,) = doc.blocks
    assert _cells(table)[-2:] == [["2210201", "Fund", "1,000.00"], ["2210202", "Rent", "2,000.00"]]
    assert [r.page for r in table.rows] == [1, 1, 1, 2, 2]


def test_a_repeated_header_is_dropped_below_the_info_row():
    """The first part opens with its info line (单位：…) inside the grid;
    the next page repeats only the header rows."""
    header = [["Item", "Expenditure"], ["Code", "Amount"]]
    first = _Page(400, 600)
    first.grid([40, 200, 360], [520, 500, 480, 460, 440],
               [["Unit: yuan", ""], *header, ["201", "5.00"]])
    second = _Page(400, 600)
    second.grid([40, 200, 360], [580, 560, 540, 520], [*header, ["208", "7.00"]])
    (table,) = parse_pdf(_pdf([first.page(), second.page()])).blocks
    assert [r for r in _cells(table) if r == ["Item", "Expenditure"]] == [header[0]]
    assert _cells(table)[-2:] == [["201", "5.00"], ["208", "7.00"]]


# -- the corpus ----------------------------------------------------------------------
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


@cache
def corpus(name: str):
    return parse_pdf((CORPUS / name).read_bytes())


def _tables(name: str) -> list[TableBlock]:
    return [b for b in corpus(name).blocks if isinstance(b, TableBlock)]


def _row(table: TableBlock, first: str) -> list[str]:
    return next([c.text for c in r.cells] for r in table.rows if r.cells and first in [c.text for c in r.cells])


@needs_corpus
def test_rotated_jiangsu_tables_read_upright():
    """js-npc-2019-tables.pdf: every page is /Rotate 90 with the text drawn
    running up the portrait page; page 1 reads 收支预算总表 … 收入合计
    18,330.37 | 支出合计 18,330.37, as the printed page shows."""
    name = "js-npc-2019-tables.pdf"
    tables = _tables(name)
    first = tables[0]
    assert first.page == 1 and first.width == 6
    assert first.rows[0].cells[0].text.startswith("收支预算总表")
    assert "单位：万元" in first.rows[0].cells[0].text
    assert _row(first, "收入合计") == ["收入合计", "18,330.37", "支出合计", "18,330.37"]
    assert _row(first, "一、财政拨款") == ["一、财政拨款", "18,330.37", "一、一般公共服务支出", "13,907.78",
                                       "一、基本支出", "9,312.90"]
    text = "".join(c.text for t in tables for r in t.rows for c in r.cells)
    assert "元万：位单" not in text and "计合入收" not in text
    # one table per page, titled in its first row (as js-cppcc-2018-tables.pdf)
    assert [t.page for t in tables] == list(range(1, 13))
    titles = [t.rows[0].cells[0].text.split("\n")[0] for t in tables]
    assert titles[1] == "收入预算总表" and titles[4] == "财政拨款支出预算表（功能科目）"
    five = tables[4]
    assert _row(five, "2010101") == ["2010101", "行政运行", "7,448.20"]
    assert _row(five, "2210202") == ["2210202", "提租补贴", "2,548.30"]
    three_public = tables[8]
    assert _row(three_public, "2,600.71") == ["2,600.71", "767.60", "199.25", "183.60", "", "183.60", "384.75",
                                              "1,469.73", "363.38"]


@needs_corpus
def test_rotated_procurement_table_goes_on_over_the_page():
    """Pages 12–13: the procurement table's rows go on on page 13 under the
    same six columns (the print area's empty margin column is no column)."""
    procurement = _tables("js-npc-2019-tables.pdf")[-1]
    assert procurement.width == 6 and {r.page for r in procurement.rows} == {12, 13}
    assert [c.text for c in procurement.rows[1].cells] == [
        "采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"]
    assert _row(procurement, "合计")[-1] == "2,416.43"
    assert procurement.rows[-1].page == 13
    assert [c.text for c in procurement.rows[-1].cells] == ["", "", "", "物业管理服务", "分散自行组织", "410.40"]


@needs_corpus
def test_framed_text_pages_read_as_paragraphs():
    """js-npc-2019-text.pdf draws a border round every page: the text is
    paragraphs, as in js-cppcc-2018-text.pdf, page numbers (─1─) left out."""
    doc = corpus("js-npc-2019-text.pdf")
    assert not any(isinstance(b, TableBlock) for b in doc.blocks)
    texts = [b.text for b in doc.blocks]
    assert "第三部分2019年度部门预算情况说明" in texts
    assert "一、收支预算总体情况说明" in texts
    assert "第四部分名词解释" in texts
    assert not any("─" in t for t in texts)
    # a paragraph wrapped over two lines (…教育、科 / 学、文化…) is one
    four = next(t for t in texts if t.startswith("（四）讨论、决定本省行政区域内"))
    assert "教育、科学、文化" in four and four.endswith("重大事项；")
    # a bold lead-in (一、财政拨款：) does not cut the definition from its wrapped line
    assert "一、财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。" in texts


@needs_corpus
def test_rows_at_the_top_of_a_page_stay_in_their_table():
    """js-court-2017-text.pdf pages 14, 16, 17: the page's first row has no
    rule above it (it was drawn on the previous page); the row belongs to
    the table the previous page ended with, cell for cell."""
    doc = corpus("js-court-2017-text.pdf")
    assert not any(isinstance(b, ParagraphBlock) and b.text[:5].isdigit() for b in doc.blocks)
    tables = _tables("js-court-2017-text.pdf")

    def holding(code: str, page: int) -> TableBlock:
        return next(t for t in tables if any(r.page == page and r.cells and r.cells[0].text == code for r in t.rows))

    fiscal = holding("2210201", 14)
    assert fiscal.page == 13 and fiscal.width == 3
    assert _row(fiscal, "2210201") == ["2210201", "住房公积金", "1,029.15"]
    assert _row(fiscal, "22102") == ["22102", "住房改革支出", "2,989.14"]
    basic = holding("30206", 16)
    assert basic.page == 15 and _row(basic, "30206") == ["30206", "电费", "235.00"]
    running = holding("30229", 17)
    assert running.page == 16 and _row(running, "30229") == ["30229", "福利费", "110.00"]
    assert _row(running, "31002") == ["31002", "办公设备购置", "143.40"]


@needs_corpus
def test_a_name_cut_by_the_page_break_is_joined():
    """js-court-2017-text.pdf pages 17–18: 信息网络及软件购 | 置更新."""
    tables = _tables("js-court-2017-text.pdf")
    procurement = next(t for t in tables if any(r.page == 18 for r in t.rows) and t.page == 17)
    names = [c.text for r in procurement.rows for c in r.cells]
    assert "置更新" not in names and names.count("信息网络及软件购置更新") == 2


@needs_corpus
def test_repeated_header_dropped_after_the_info_row():
    """sh-pt-commerce-2025-dept-budget.pdf page 16 repeats the header rows
    (项目 | 一般公共预算支出, 功能分类科目编码 …, 类 | 款 | 项) of the table
    that began on page 15 under its 编制部门 … 单位：元 line."""
    tables = _tables("sh-pt-commerce-2025-dept-budget.pdf")
    table = next(t for t in tables if t.page == 15 and any(r.page == 16 for r in t.rows))
    heads = [r for r in table.rows if [c.text for c in r.cells][:3] == ["类", "款", "项"]]
    assert len(heads) == 1 and heads[0].page == 15
    page16 = [[c.text for c in r.cells] for r in table.rows if r.page == 16]
    assert page16[0][:4] == ["208", "05", "99", "其他行政事业单位养老支出"]
    assert page16[-1] == ["合计", "371,514,655.00", "19,830,655.00", "351,684,000.00"]


@needs_corpus
def test_cppcc_tables_keep_their_title_row():
    """js-cppcc-2018-tables.pdf is the model the rotated file now matches:
    title and info line in the grid's first row."""
    first = _tables("js-cppcc-2018-tables.pdf")[0]
    assert first.rows[0].cells[0].text.split("\n")[0] == "收支预算总表"
    assert _row(first, "收入合计") == ["收入合计", "10,150.48", "支出合计", "10,150.48"]
