"""Writing: every format reads back to the model it was written from."""

import io
import os
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from conftest import EXAMPLES, SEEDS, load
from lxml import etree, html
from openpyxl import load_workbook
from openpyxl.styles import Border

from yusuan.export.cells import to_csv
from yusuan.read import read_bytes
from yusuan.read.assemble import assemble
from yusuan.write.docx import write_docx
from yusuan.write.html import write_html
from yusuan.write.layout import layout, to_blocks
from yusuan.write.xlsx import write_xlsx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(params=SEEDS)
def seed(request):
    return load(request.param, "txt")


def test_layout_reads_back_to_the_same_model(seed):
    assert assemble(to_blocks(layout(seed), "docx")).content() == seed.content()


@pytest.mark.parametrize("writer,ext", [(write_docx, "docx"), (write_xlsx, "xlsx")])
def test_written_file_reads_back_to_every_cell_and_section(seed, writer, ext):
    back = read_bytes(writer(layout(seed)), f"x.{ext}")
    assert back.source_format == ext
    assert back.content() == seed.content()
    assert to_csv(back) == to_csv(seed)  # every amount cell, as printed
    assert [(s.numbering, s.heading) for s in back.explanation.sections] == [
        (s.numbering, s.heading) for s in seed.explanation.sections]


def _document_xml(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), z.read("word/styles.xml"), z.read("word/footer1.xml")


def test_docx_layout():
    d = load("jinzhou-2026", "txt")
    root, styles, footer = _document_xml(write_docx(layout(d)))
    tables = root.findall(f".//{W}tbl")
    assert len(tables) == 9 + 1 + 2 * 5 + 2  # nine, institutions, 5 projects × 2, procurement, assets
    income = tables[1]
    rows = income.findall(f"{W}tr")
    # info row, two header rows and 栏次 repeat on every page
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows[:5]] == [True, True, True, True, False]
    spans = [tc.find(f"{W}tcPr/{W}gridSpan") for tc in rows[1].findall(f"{W}tc")]
    assert [int(s.get(f"{W}val")) if s is not None else 1 for s in spans] == [1, 2, 1, 8, 1]  # 功能分类科目, 本年收入
    assert rows[2].findall(f"{W}tc")[0].find(f"{W}tcPr/{W}vMerge") is not None  # 序号 merged down
    amount = rows[5].findall(f"{W}tc")[3]
    assert "".join(amount.itertext()) == "7272.94"
    assert amount.find(f".//{W}jc").get(f"{W}val") == "right"
    sect = root.find(f".//{W}sectPr/{W}pgSz")
    assert (sect.get(f"{W}w"), sect.get(f"{W}h")) == ("11906", "16838")  # A4 in twentieths of a point
    assert 'w:eastAsia="宋体"' in styles.decode() and 'w:eastAsia="黑体"' in styles.decode()
    assert b'w:instr="PAGE"' in footer
    headings = [p for p in root.iter(f"{W}p") if (s := p.find(f"{W}pPr/{W}pStyle")) is not None
                and s.get(f"{W}val") == "Heading2"]
    assert len(headings) == len(d.explanation.sections)


def test_xlsx_layout():
    d = load("jinzhou-2026", "txt")
    wb = load_workbook(io.BytesIO(write_xlsx(layout(d))))
    assert wb.sheetnames[:9] == [d.tables[t].title for t in d.tables]
    assert wb.sheetnames[9:] == ["情况说明"]
    ws = wb["部门预算收入总表"]
    assert ws["A1"].value == "部门预算收入总表"
    assert ws.freeze_panes == "A6"  # title, info, two header rows, 栏次
    cell = ws["D6"]
    assert (cell.value, cell.number_format) == (7272.94, "0.00")
    assert "E3:L3" in {str(r) for r in ws.merged_cells.ranges}  # 本年收入 over its eight columns
    assert Decimal(str(wb["部门预算一般公共预算财政拨款基本支出表"]["F6"].value)) == Decimal("46.46")


def test_html_is_one_self_contained_file_with_every_amount():
    d = load("gaoyang-2023", "txt")
    page = write_html(layout(d)).decode("utf-8")
    doc = html.fromstring(page)
    assert not doc.xpath("//script") and not doc.xpath("//link") and not doc.xpath("//img")
    assert doc.xpath("//meta[@name='viewport']")
    assert "overflow-x: auto" in page and "@media print" in page
    numbers = [td.text_content() for td in doc.xpath("//td[@class='num']") if td.text_content()]
    printed = [line.rsplit(",", 1)[1] for line in to_csv(d).splitlines()[1:]]
    assert sorted(numbers) == sorted(printed)
    assert doc.xpath("//th[@colspan='8' and text()='本年收入']")
    assert len(doc.xpath("//h3")) == len(d.explanation.sections)  # under the document's h1 and the parts' h2


def run(*args):
    return subprocess.run([sys.executable, "-m", "yusuan", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", "YUSUAN_LANG": "en"})  # the messages below are the English ones


@pytest.mark.parametrize("ext", ["docx", "xlsx", "html", "json"])
def test_render_cli(ext, tmp_path):
    out = tmp_path / f"g.{ext}"
    r = run("render", EXAMPLES / "gaoyang-2023.docx", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 1000
    if ext != "html":
        assert read_bytes(out.read_bytes(), out.name).content() == load("gaoyang-2023", "txt").content()


def test_render_cli_refuses_an_unknown_format(tmp_path):
    r = run("render", EXAMPLES / "gaoyang-2023.docx", "-o", tmp_path / "x.odt")
    assert r.returncode == 2
    assert r.stderr.strip().endswith("cannot tell the format from the suffix '.odt'; give --to docx|xlsx|html|pdf|json")


def test_pdf_has_chinese_text_with_embedded_fonts(tmp_path):
    """Needs LibreOffice and CJK fonts (scripts/install-system-deps, run by .ci/run)."""
    out = tmp_path / "g.pdf"
    r = run("render", EXAMPLES / "gaoyang-2023.docx", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "部门预算收支总表" in text and "高阳县医疗保障局" in text and "799.08" in text
    assert "(cid:" not in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded
    assert any("CJK" in line for line in fonts)


def test_pdf_without_libreoffice_says_what_to_install(tmp_path):
    env = {**os.environ, "PATH": "/nonexistent"}
    r = subprocess.run([sys.executable, "-m", "yusuan", "render", str(EXAMPLES / "gaoyang-2023.docx"), "-o",
                        str(tmp_path / "g.pdf")], capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert "PDF output needs LibreOffice" in r.stderr and "scripts/install-system-deps" in r.stderr
    assert "Traceback" not in r.stderr


def test_damaged_xlsx_exits_2(tmp_path):
    good = write_xlsx(layout(load("gaoyang-2023", "txt")))
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(good[: len(good) // 2])
    r = run("check", bad)
    assert r.returncode == 2
    assert r.stderr.startswith(f"yusuan: {bad}: ") and "XLSX" in r.stderr and "Traceback" not in r.stderr


def _published_style_workbook(d, drop_titles: bool = False) -> bytes:
    """The nine tables as commonly published: one per sheet, no borders,
    title row (or only the sheet's name), info row, merged header, data, note."""
    from openpyxl import Workbook

    from yusuan.write.layout import LTable
    from yusuan.write.xlsx import _Styles, _write_table

    wb = Workbook()
    wb.remove(wb.active)
    items = layout(d).items
    for title, table in zip(items, items[1:]):
        if not isinstance(table, LTable) or table.kind not in d.tables:
            continue
        ws = wb.create_sheet(title.text[:31])
        top = 1 if drop_titles else 2
        if not drop_titles:
            ws.cell(row=1, column=1, value=title.text)
        end = _write_table(ws, table, top, _Styles())
        for n, note in enumerate(table.notes):
            ws.cell(row=end + n, column=1, value=note)
        for row in ws.iter_rows():
            for cell in row:
                cell.border = Border()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("drop_titles", [False, True])
def test_commonly_published_workbook(seed, drop_titles):
    back = read_bytes(_published_style_workbook(seed, drop_titles), "published.xlsx")
    assert list(back.tables) == list(seed.tables)
    for tid, t in seed.tables.items():
        assert [r.model_dump(exclude={"source"}, mode="json") for r in back.tables[tid].rows] == [
            r.model_dump(exclude={"source"}, mode="json") for r in t.rows]
        assert back.tables[tid].header.printed == t.header.printed
