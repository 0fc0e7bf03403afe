"""A long table goes to LibreOffice as one table a page (issue 17: it lays
out one long table in time growing faster than its rows): the cuts, the
header each piece begins with, the documents it leaves alone, and the PDF of
a 600-row table read back as the one table it was."""

import io
import shutil
import zipfile
from decimal import Decimal

import pytest
from conftest import load
from lxml import etree

from yusuan.model import Row
from yusuan.write.docx import write_docx
from yusuan.write.layout import layout
from yusuan.write.pdf_tables import THRESHOLD, _page_breaks, split_long_tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROWS = 600


def _long(n: int):
    """The 晋州 example with 部门预算一般公共预算财政拨款支出表 made of `n`
    类 lines, codes 100, 101, …, line i (from 1) i.50 万元 of basic
    spending, under their 合计."""
    d = load("jinzhou-2026", "txt").model_copy(deep=True)
    t = d.tables["general_expenditure"]
    lines = [Row(code=str(99 + i), name=f"测试支出{i}", amounts={"total": Decimal(f"{i}.50"), "basic": Decimal(f"{i}.50")})
             for i in range(1, n + 1)]
    total = sum(r.amounts["total"] for r in lines)
    t.rows = [Row(name="合计", amounts={"total": total, "basic": total}), *lines]
    return d


def _body(docx: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).find(f"{W}body")


def _text(tr) -> str:
    return "|".join("".join(tc.itertext()) for tc in tr.iter(f"{W}tc"))


def _is_header(tr) -> bool:
    return tr.find(f"{W}trPr/{W}tblHeader") is not None


def test_page_breaks_by_hand():
    # rows of 10 pt under a 20 pt header; 100 pt free on the first page, 120
    # on the others, half a point kept free: 7 rows on the first page
    # (20 + 70 = 90; an eighth makes 100 > 99.5), 9 on each next (20 + 90)
    assert _page_breaks([10.0] * 25, 20.0, 100.0, 120.0) == [7, 16]
    # a row taller than the rest of the page starts the next
    assert _page_breaks([10.0, 10.0, 60.0, 10.0], 20.0, 100.0, 120.0) == [2]
    # no room for the header and a row: the whole table starts the next page
    assert _page_breaks([10.0] * 20, 20.0, 25.0, 120.0) == [9, 18]


def test_documents_without_a_long_table_are_sent_as_they_are():
    for seed in ("jinzhou-2026", "gaoyang-2023"):
        docx = write_docx(layout(load(seed, "txt")))
        assert split_long_tables(docx) is docx  # the very bytes: their PDFs are what they were
    docx = write_docx(layout(_long(THRESHOLD - 1)))  # 299 lines and 合计: 300 body rows
    assert split_long_tables(docx) is docx
    longer = write_docx(layout(_long(THRESHOLD)))  # one more: cut
    assert split_long_tables(longer) != longer


def test_a_long_table_is_cut_into_tables_each_with_the_header():
    docx = write_docx(layout(_long(ROWS)))
    before = _body(docx)
    after = _body(split_long_tables(docx))
    (long,) = [t for t in before.iter(f"{W}tbl") if len(t.findall(f"{W}tr")) > ROWS]
    header = [_text(tr) for tr in long.findall(f"{W}tr") if _is_header(tr)]
    # the info line, the two header lines and 栏次
    assert len(header) == 4 and header[0].startswith("450晋州市医疗保障局") and header[3].startswith("栏次")
    pieces = [t for t in after.iter(f"{W}tbl") if _text(t.find(f"{W}tr")) == header[0]
              and len(t.findall(f"{W}tr")) > 4 and "测试支出" in "".join(t.itertext())]
    assert len(pieces) > 10  # about 38 rows a page
    body = []
    for t in pieces:
        rows = t.findall(f"{W}tr")
        assert [_text(tr) for tr in rows[:4]] == header and all(map(_is_header, rows[:4]))
        assert not any(map(_is_header, rows[4:]))
        body += [_text(tr) for tr in rows[4:]]
    # every line once, in order: 合计, then 测试支出1 … 测试支出600
    assert len(body) == ROWS + 1
    assert body[0].split("|") == ["", "合计", "180600.00", "180600.00", ""]  # Σ i.50, i = 1…600: 180300 + 300
    assert body[1].split("|") == ["", "100", "测试支出1", "1.50", "1.50", ""]
    assert body[-1].split("|") == ["", "699", "测试支出600", "600.50", "600.50", ""]
    # each piece after the first starts a page, after a paragraph two twips high
    for t in pieces[1:]:
        brk = t.getprevious()
        assert brk.tag == f"{W}p" and brk.find(f"{W}pPr/{W}pageBreakBefore") is not None
        assert brk.find(f"{W}pPr/{W}spacing").get(f"{W}line") == "2"
    # nothing else changed: the other tables are as they were
    assert len(list(after.iter(f"{W}tbl"))) == len(list(before.iter(f"{W}tbl"))) + len(pieces) - 1


def test_a_lower_threshold_cuts_shorter_tables():
    docx = write_docx(layout(_long(60)))
    assert split_long_tables(docx) is docx
    assert split_long_tables(docx, threshold=50) != docx


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="needs LibreOffice (scripts/install-system-deps)")
def test_pdf_of_a_long_table_reads_back_as_one_table():
    from yusuan.read import read_bytes
    from yusuan.write.pdf import write_pdf

    docx = write_docx(layout(_long(ROWS)))
    pieces = sum("测试支出" in "".join(t.itertext()) for t in _body(split_long_tables(docx)).iter(f"{W}tbl"))
    pdf = write_pdf(docx)
    t = read_bytes(pdf, "long.pdf").tables["general_expenditure"]
    # a piece a page: none ran over onto a page of its own
    assert len({r.source.page for r in t.rows}) == pieces
    assert len(t.rows) == ROWS + 1
    assert t.rows[0].name == "合计" and t.rows[0].amounts["total"] == Decimal("180600.00")
    assert [r.code for r in t.rows[1:]] == [str(c) for c in range(100, 100 + ROWS)]
    assert sum(r.amounts["total"] for r in t.rows[1:]) == Decimal("180600.00")
    assert t.rows[-1].name == "测试支出600" and t.rows[-1].amounts["basic"] == Decimal("600.50")
