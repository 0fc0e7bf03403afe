"""What a reviewer sees in the written files: each standard table on a page
of its own, 款/项/其中 lines indented, codes never broken, Chinese set as
Chinese, spreadsheets that print one page wide, a web page with a heading
and a linked table of contents that a phone can read, and a cell list that
says whose it is."""

import csv
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from conftest import load
from lxml import etree, html
from openpyxl import load_workbook

from yusuan.export.cells import HEADER, to_csv, to_csv_bytes
from yusuan.write.docx import write_docx
from yusuan.write.html import write_html
from yusuan.write.layout import LTable, layout, row_indents
from yusuan.write.pdf import write_pdf
from yusuan.write.xlsx import write_xlsx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def w(name: str) -> str:
    return f"{W}{name}"


@pytest.fixture(scope="module")
def jinzhou():
    return load("jinzhou-2026", "txt")


@pytest.fixture(scope="module")
def docx_parts(jinzhou):
    with zipfile.ZipFile(io.BytesIO(write_docx(layout(jinzhou)))) as z:
        return etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read("word/styles.xml"))


def _text(el) -> str:
    return "".join(el.itertext())


# -- the layout --------------------------------------------------------------
def test_rows_carry_their_indentation(jinzhou):
    t = jinzhou.tables["three_public"]
    assert [(r.name, n) for r, n in zip(t.rows, row_indents(t))] == [
        ("“三公”经费小计", 0), ("一、因公出国（境）费", 0), ("其中：教学科研人员因公出国（境）费", 1),
        ("其他因公出国（境）费", 1), ("二、公务用车购置及运维费", 0), ("其中：公务用车购置费", 1),
        ("公务用车运行维护费", 1), ("三、公务接待费", 0)]
    income = dict(zip((r.code for r in jinzhou.tables["income"].rows), row_indents(jinzhou.tables["income"])))
    assert (income["210"], income["21012"], income["2101202"]) == (0, 1, 2)  # 类, 款, 项
    fiscal = jinzhou.tables["fiscal_summary"]
    lines = [(r.name, n) for r, n in zip(fiscal.rows, row_indents(fiscal)) if r.side == "income"]
    # the three funds under 年初财政拨款结转和结余, not the same names at the top
    assert lines[:3] == [("一、一般公共预算拨款", 0), ("二、政府性基金预算拨款", 0), ("三、国有资本经营预算拨款", 0)]
    assert lines[-5:] == [("年初财政拨款结转和结余", 0), ("一、一般公共预算拨款", 1), ("二、政府性基金预算拨款", 1),
                          ("三、国有资本经营预算拨款", 1), ("收入总计", 0)]
    assets = jinzhou.assets
    assert dict(zip((r.name for r in assets.rows), row_indents(assets)))["其中：办公用房（平方米）"] == 1


def test_layout_cells_carry_indent_and_kind(jinzhou):
    income = next(i for i in layout(jinzhou).items if isinstance(i, LTable) and i.kind == "income")
    by_code = {r.cells[1].text: r.cells for r in income.rows if r.role == "body"}
    assert [by_code[c][2].indent for c in ("210", "21012", "2101202")] == [0, 1, 2]
    assert (by_code["21012"][1].kind, by_code["21012"][2].kind, by_code["21012"][3].kind) == ("code", "name", "amount")
    low, _ = income.measure()
    assert low[1] >= len("2101202")  # a code column never narrower than its longest code


# -- DOCX ----------------------------------------------------------------------
def _starts_page(p) -> bool:
    """A paragraph begins a page: a page break before it, the first of the
    document, or the first after a section break (each section starts on a
    new page)."""
    if p.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None:
        return True
    before = p.getprevious()
    return before is None or before.find(f"{w('pPr')}/{w('sectPr')}") is not None


def test_docx_each_standard_table_starts_a_page(jinzhou, docx_parts):
    root, _ = docx_parts
    titles = {t.title for t in jinzhou.tables.values()}
    paras = [p for p in root.find(w("body")) if p.tag == w("p") and _text(p) in titles]
    assert sorted(_text(p) for p in paras) == sorted(titles)
    assert all(_starts_page(p) for p in paras), [_text(p) for p in paras if not _starts_page(p)]
    # the first table opens the document, and 收入总表 and the table after it open landscape and portrait sections
    assert sum(p.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None for p in paras) == 6


def test_docx_is_chinese_with_its_fonts_named(docx_parts):
    root, styles = docx_parts
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    lang = defaults.find(w("lang"))
    assert (lang.get(w("val")), lang.get(w("eastAsia"))) == ("zh-CN", "zh-CN")
    fonts = defaults.find(w("rFonts"))
    assert (fonts.get(w("ascii")), fonts.get(w("hAnsi")), fonts.get(w("eastAsia"))) == ("Times New Roman", "Times New Roman", "宋体")
    assert fonts.get(w("asciiTheme")) is None  # not the template's Calibri
    runs = list(root.iter(w("r")))
    assert runs
    for r in runs:
        f = r.find(f"{w('rPr')}/{w('rFonts')}")
        assert f is not None and f.get(w("ascii")) in ("Times New Roman", "Arial") and f.get(w("eastAsia")) in ("宋体", "黑体")
        assert f.get(w("hAnsi")) == f.get(w("ascii")) and f.get(w("cs")) == f.get(w("ascii"))


def test_docx_title_has_no_rule(docx_parts):
    root, styles = docx_parts
    title = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "Title")
    assert title.find(f"{w('pPr')}/{w('pBdr')}") is None
    assert not list(root.iter(w("pBdr")))
    para = next(p for p in root.iter(w("p")) if _text(p) == "晋州市医疗保障局2026年部门预算信息公开情况说明")
    assert para.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "Title"


def _name_indent(tr) -> int:
    ind = tr.findall(w("tc"))[2].find(f"{w('p')}/{w('pPr')}/{w('ind')}")
    return 0 if ind is None else int(ind.get(w("left")))


def test_docx_indents_and_keeps_codes_whole(docx_parts):
    root, _ = docx_parts
    income = root.findall(f".//{w('tbl')}")[1]
    rows = {_text(tr.findall(w("tc"))[1]): tr for tr in income.findall(w("tr")) if len(tr.findall(w("tc"))) > 3}
    assert 0 == _name_indent(rows["210"]) < _name_indent(rows["21012"]) < _name_indent(rows["2101202"])
    three = root.findall(f".//{w('tbl')}")[8]
    by_name = {_text(tr.findall(w("tc"))[1]): tr for tr in three.findall(w("tr"))}

    def indent(name):
        ind = by_name[name].findall(w("tc"))[1].find(f"{w('p')}/{w('pPr')}/{w('ind')}")
        return 0 if ind is None else int(ind.get(w("left")))

    assert indent("其中：教学科研人员因公出国（境）费") > indent("一、因公出国（境）费") == 0
    # the code column holds seven digits on one line: a digit is half an em
    # (Liberation Serif), plus the cell's margins
    code = rows["2101202"].findall(w("tc"))[1]
    size = int(code.find(f".//{w('sz')}").get(w("val")))  # half-points
    width = int(income.findall(f"{w('tblGrid')}/{w('gridCol')}")[1].get(w("w")))
    assert width >= 7 * size * 10 * 0.5 + 80
    assert code.find(f"{w('tcPr')}/{w('noWrap')}") is not None


# -- XLSX --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook(jinzhou):
    return load_workbook(io.BytesIO(write_xlsx(layout(jinzhou))))


def test_xlsx_columns_follow_their_content(workbook):
    ws = workbook["部门预算收入总表"]
    assert ws["B4"].value.replace(" ", "") == "科目编码" and ws["C4"].value == "科目名称"
    code, name = ws.column_dimensions["B"].width, ws.column_dimensions["C"].width
    assert name > code >= len("2101202")


def test_xlsx_prints_one_page_wide_on_a4(workbook):
    for ws in workbook.worksheets:
        ps = ws.page_setup
        assert (int(ps.paperSize), int(ps.fitToWidth), int(ps.fitToHeight)) == (9, 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    income = workbook["部门预算收入总表"]
    assert income.page_setup.orientation == "landscape"  # thirteen columns
    assert workbook["部门预算一般公共预算财政拨款支出表"].page_setup.orientation == "portrait"
    assert income.print_title_rows == "$2:$5"  # info line, two header rows, 栏次: on every page
    assert 0.2 <= income.page_margins.left <= 1


def test_xlsx_indents(workbook):
    ws = workbook["部门预算收入总表"]
    by_code = {str(ws.cell(row=r, column=2).value): ws.cell(row=r, column=3) for r in range(6, ws.max_row + 1)}
    assert [by_code[c].alignment.indent for c in ("210", "21012", "2101202")] == [0, 1, 2]


def test_xlsx_groups_thousands_in_yuan(jinzhou):
    d = jinzhou.model_copy(deep=True)
    d.unit = "元"
    for t in d.all_tables():
        t.unit = "元"
    wb = load_workbook(io.BytesIO(write_xlsx(layout(d))))
    cell = wb["部门预算收入总表"]["D6"]
    assert (cell.value, cell.number_format) == (7272.94, "#,##0.00")
    counts = [c for row in wb["情况说明"].iter_rows() for c in row if c.value == 548]  # 其他固定资产: 548 items
    assert counts and counts[0].number_format == "0"
    assert wb_default_format(jinzhou) == "0.00"  # 万元 print as the forms do


def wb_default_format(d) -> str:
    return load_workbook(io.BytesIO(write_xlsx(layout(d))))["部门预算收入总表"]["D6"].number_format


# -- HTML ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page(jinzhou):
    text = write_html(layout(jinzhou)).decode("utf-8")
    return text, html.fromstring(text)


def test_html_heading_and_contents(jinzhou, page):
    _, doc = page
    assert doc.get("lang") == "zh-CN"
    assert [h.text_content() for h in doc.xpath("//h1")] == ["晋州市医疗保障局2026年部门预算"]
    links = doc.xpath("//nav[contains(@class, 'toc')]//a/@href")
    ids = set(doc.xpath("//@id"))
    assert links and all(href.startswith("#") and href[1:] in ids for href in links)
    listed = {a.text_content() for a in doc.xpath("//nav//a")}
    assert {t.title for t in jinzhou.tables.values()} <= listed
    assert {f"{s.numbering or ''}{s.heading}" for s in jinzhou.explanation.sections} <= listed
    assert doc.xpath("//h2[@id='income']")[0].text_content() == "部门预算收入总表"


def test_html_reads_on_a_phone_and_prints_on_a4(page):
    text, doc = page
    assert all(t.getparent().get("class") == "scroll" for t in doc.xpath("//table"))
    css = doc.xpath("//style")[0].text
    assert re.search(r"\.scroll \{[^}]*overflow-x: auto", css)
    assert re.search(r"td\.name \{[^}]*min-width", css)
    assert re.search(r"@page \{[^}]*size: A4", css) and re.search(r"@page wide \{[^}]*size: A4 landscape", css)
    assert re.search(r"section\.table-page \{[^}]*break-before: page", css)
    pages = doc.xpath("//section[contains(@class, 'table-page')]")
    assert len(pages) == 9
    assert [s.get("class") for s in pages if "wide" in s.get("class")] == ["table-page wide"]  # 收入总表, 13 columns


def test_html_indents_and_keeps_codes_whole(page):
    text, doc = page
    rows = {tr.xpath("td")[1].text_content(): tr.xpath("td") for tr in doc.xpath("//table[@class='income']/tbody/tr")
            if len(tr.xpath("td")) > 3}
    assert [rows[c][2].get("class") for c in ("210", "21012", "2101202")] == ["name", "name i1", "name i2"]
    assert rows["2101202"][1].get("class") == "nowrap"
    assert re.search(r"td\.nowrap \{[^}]*white-space: nowrap", text)


# -- the cell list ----------------------------------------------------------------
def test_cells_say_whose_they_are(jinzhou):
    rows = list(csv.reader(io.StringIO(to_csv(jinzhou))))
    assert rows[0] == list(HEADER) and rows[0][:4] == ["department", "year", "kind", "unit"]
    assert ["晋州市医疗保障局", "2026", "budget", "万元", "income", "21015", "医疗保障管理事务", "合计", "638.20"] in rows
    assert ["晋州市医疗保障局", "2026", "budget", "", "assets", "", "2、车辆（台、辆）", "数量", "4"] in rows  # a count has no unit


def test_cells_as_a_file_excel_opens(jinzhou, tmp_path):
    data = to_csv_bytes(jinzhou)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == to_csv(jinzhou)
    assert not to_csv_bytes(jinzhou, bom=False).startswith(b"\xef\xbb\xbf")
    pd = pytest.importorskip("pandas")
    path = tmp_path / "cells.csv"
    path.write_bytes(data)
    frame = pd.read_csv(path)
    assert list(frame.columns) == list(HEADER)
    assert Decimal(str(frame[frame["code"].astype(str) == "21015"]["value"].iloc[0])) == Decimal("638.20")


# -- PDF -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_text(jinzhou, tmp_path_factory):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("needs LibreOffice (scripts/install-system-deps)")
    out = tmp_path_factory.mktemp("pdf") / "j.pdf"
    out.write_bytes(write_pdf(write_docx(layout(jinzhou))))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    return text.split("\f"), fonts


def test_pdf_puts_each_table_on_its_own_page_and_codes_on_one_line(jinzhou, pdf_text):
    pages, fonts = pdf_text
    first = {t.title: next(n for n, p in enumerate(pages) if t.title in p.replace(" ", "")) for t in jinzhou.tables.values()}
    assert len(set(first.values())) == 9
    codes = {r.code for t in jinzhou.tables.values() for r in t.rows if r.code}
    words = set(re.findall(r"\d+", "".join(pages)))
    assert codes and codes <= words  # a code broken over two lines would be two numbers
    assert "LiberationSerif" in fonts and "DejaVu" not in fonts
