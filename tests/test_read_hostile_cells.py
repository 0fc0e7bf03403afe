"""Nothing lost silently: a cell that prints its amount another way, a text
export whose whitespace was changed on the way, a DOCX with tracked changes,
a text file in another encoding or with a bad byte, a PDF whose fonts have
no Unicode map. Every bad input is made here from the examples; the expected
values are read off the documents (jinzhou 一般公共预算财政拨款基本支出表:
合计 587.92 on line 1026 of the text export, its row starting on line 1023;
三公 table: “三公”经费小计 10.18, row on line 1284)."""

import io
import re
import zipfile
from decimal import Decimal
from functools import cache

import pytest
from conftest import EXAMPLES

from yusuan.audit import audit
from yusuan.export.cells import iter_cells
from yusuan.read import ReadError, read_bytes, sniff
from yusuan.read import convert
from yusuan.read import pdf as pdf_reader

JINZHOU = (EXAMPLES / "jinzhou-2026.txt").read_text(encoding="utf-8")
BASIC = "部门预算一般公共预算财政拨款基本支出表"
THREE = "部门预算财政拨款“三公”经费支出表"


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.delenv("YUSUAN_LANG", raising=False)


@cache
def _original_findings() -> frozenset:
    return frozenset((f.rule, f.message) for f in audit(read_bytes(JINZHOU.encode(), "j.txt")))


@cache
def _original_cells(fmt: str) -> tuple:
    return tuple(iter_cells(read_bytes((EXAMPLES / f"jinzhou-2026.{fmt}").read_bytes(), f"j.{fmt}")))


def _with_cell(title: str, row: str, old: str, new: str) -> str:
    """The export with the first cell `old` after the row labelled `row` in
    the table titled `title` printed as `new`."""
    start = JINZHOU.index(title)
    at = JINZHOU.index(f"\n\t{old}\n", JINZHOU.index(f"\t{row}\n", start)) + 1
    return JINZHOU[:at] + f"\t{new}" + JINZHOU[at + len(old) + 1:]


def _read(text: str):
    d = read_bytes(text.encode(), "j.txt")
    return d, audit(d)


def _row(d, table: str, name: str):
    return next(r for r in d.tables[table].rows if r.name == name)


def _new_findings(findings) -> list:
    return [(f.rule, f.message) for f in findings if (f.rule, f.message) not in _original_findings()]


# -- a cell that prints its amount another way ------------------------------------------

def test_the_tables_unit_after_the_amount_is_read_and_reported_at_the_cell():
    d, findings = _read(_with_cell(BASIC, "合计", "587.92", "587.92万"))
    assert _row(d, "general_basic", "合计").amounts["total"] == Decimal("587.92")
    [r03] = [f for f in findings if f.rule == "R03"]
    assert (r03.table, r03.item, r03.column, r03.column_header, r03.line) == ("general_basic", "合计", "total", "合计", 1023)
    assert r03.message == f"{BASIC} 「合计」行「合计」栏印为「587.92万」：数字后印有单位「万元」，与表的单位相同，按 587.92 读取"
    assert _new_findings(findings) == [("R03", r03.message)]


@pytest.mark.parametrize("printed, why", [
    ("５８７．９２", "用了全角字符"),
    ("587.92万元", "数字后印有单位「万元」，与表的单位相同"),
    ("58,7.92", "千分位分隔符的位置不对"),
])
def test_an_amount_whose_meaning_is_certain_is_read(printed, why):
    d, findings = _read(_with_cell(BASIC, "合计", "587.92", printed))
    assert _row(d, "general_basic", "合计").amounts["total"] == Decimal("587.92")
    assert _new_findings(findings) == [
        ("R03", f"{BASIC} 「合计」行「合计」栏印为「{printed}」：{why}，按 587.92 读取")]


def test_a_well_placed_thousands_separator_is_no_finding():
    text = JINZHOU.replace("\t7272.94\n", "\t7,272.94\n")
    d, findings = _read(text)
    assert _row(d, "general_expenditure", "合计").amounts["total"] == Decimal("7272.94")
    assert _new_findings(findings) == []


def test_a_letter_for_a_digit_is_shown_but_not_read_and_its_sums_are_not_called_wrong():
    d, findings = _read(_with_cell(THREE, "“三公”经费小计", "10.18", "1O.18"))
    assert _row(d, "three_public", "“三公”经费小计").amounts["total"] is None
    [r03] = [f for f in findings if f.rule == "R03"]
    assert (r03.table, r03.item, r03.column, r03.line) == ("three_public", "“三公”经费小计", "total", 1284)
    assert r03.message == (f"{THREE} 「“三公”经费小计」行「合计」栏印为「1O.18」：数字中混有形近的字母（O 与 0、l 与 1），"
                           "似为 10.18，未读取（按空白处理）；涉及此格的核对（A03、A05、T05）因此不作判断")
    # 小计 ≠ its items, row total ≠ its parts: not said, the cell is not known
    assert _new_findings(findings) == [("R03", r03.message)]


def test_garbage_in_a_total_is_named_and_no_false_sum_is_reported():
    d, findings = _read(_with_cell(BASIC, "合计", "587.92", "12.3.4"))
    assert _row(d, "general_basic", "合计").amounts["total"] is None
    assert _new_findings(findings) == [
        ("R03", f"{BASIC} 「合计」行「合计」栏印为「12.3.4」：不是金额，未读取（按空白处理）；"
                "涉及此格的核对（A02、A03、X06）因此不作判断")]
    assert not any(f.rule[0] in "AX" for f in findings)


def test_another_unit_than_the_tables_is_shown_in_that_unit_and_not_read():
    d, findings = _read(_with_cell(BASIC, "合计", "587.92", "587.92元"))
    assert _row(d, "general_basic", "合计").amounts["total"] is None
    [r03] = [f for f in findings if f.rule == "R03"]
    assert r03.message.startswith(f"{BASIC} 「合计」行「合计」栏印为「587.92元」：数字后印有单位「元」，而表的单位是万元，"
                                  "似为 587.92元，未读取（按空白处理）")


def test_a_cell_on_the_expenditure_side_of_a_two_sided_table_is_placed_on_that_side():
    d, findings = _read(_with_cell("部门预算收支总表", "十、卫生健康支出", "7272.94", "x7272.94"))
    [r03] = [f for f in findings if f.rule == "R03"]
    assert (r03.table, r03.item, r03.column, r03.column_header) == ("summary", "十、卫生健康支出", "expenditure_amount", "预算数")
    assert r03.message == ("部门预算收支总表 「十、卫生健康支出」行「预算数」栏印为「x7272.94」：不是金额，未读取（按空白处理）；"
                           "涉及此格的核对（A04、X01）因此不作判断")
    assert _new_findings(findings) == [("R03", r03.message)]


def test_the_message_in_english(monkeypatch):
    monkeypatch.setenv("YUSUAN_LANG", "en")
    d = read_bytes(_with_cell(BASIC, "合计", "587.92", "1O.18").encode(), "j.txt")
    [u] = d.unread
    assert u.message == ("row “合计”, column “合计” prints “1O.18”: letters that look like digits (O for 0, l for 1); "
                         "seems to be 10.18; not read (taken as empty)")


# -- text exports with their whitespace changed ----------------------------------------

def _extra_blank_line_before(text: str, label: str) -> str:
    at = text.index(f"\t{label}\n")
    return text[:at] + "\n" + text[at:]


def _row_start(text: str, label: str) -> int:
    """Where the row holding the cell `label` starts (after the empty line before it)."""
    return text.rindex("\n\n", 0, text.index(f"\t{label}\n")) + 2


MUTATIONS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "blank lines hold a space": lambda t: re.sub(r"(?m)^$", " ", t),
    "blank lines hold spaces and a tab": lambda t: re.sub(r"(?m)^$", " \t ", t),
    "trailing spaces": lambda t: t.replace("\n", " \n"),
    "tabs turned into 4 spaces": lambda t: t.replace("\t", "    "),
    "tabs expanded to 8": lambda t: t.expandtabs(8),
    "an extra blank line in the summary table": lambda t: t[:_row_start(t, "收入总计")] + "\n" + t[_row_start(t, "收入总计"):],
    "every blank line doubled": lambda t: t.replace("\n\n", "\n\n\n"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_whitespace_changes_lose_no_cell(name):
    d = read_bytes(MUTATIONS[name](JINZHOU).encode(), "j.txt")
    assert tuple(iter_cells(d)) == _original_cells("txt")
    assert d.unread == []
    grand = [r for r in d.tables["summary"].rows if r.name in ("收入总计", "支出总计")]
    assert [(r.name, r.amounts.get("income_amount") or r.amounts.get("expenditure_amount")) for r in grand] == [
        ("收入总计", Decimal("7272.94")), ("支出总计", Decimal("7272.94"))]


# -- DOCX tracked changes -----------------------------------------------------------------

_RUN = re.compile(r"<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)<w:t>587\.92</w:t></w:r>")


def _docx_with(edit) -> bytes:
    src = (EXAMPLES / "jinzhou-2026.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                changed = edit(xml)
                assert changed != xml
                data = changed.encode("utf-8")
            zout.writestr(item, data)
    return out.getvalue()


def _moved(xml: str) -> str:
    return _RUN.sub(lambda m: f'<w:moveFrom w:id="1" w:author="a"><w:r>{m.group(1)}<w:t>587.92</w:t></w:r></w:moveFrom>'
                              f'<w:moveTo w:id="2" w:author="a"><w:r>{m.group(1)}<w:t>587.92</w:t></w:r></w:moveTo>', xml)


def _deleted_and_inserted(xml: str) -> str:
    return _RUN.sub(lambda m: f'<w:del w:id="3" w:author="a"><w:r>{m.group(1)}<w:delText>578.92</w:delText></w:r></w:del>'
                              f'<w:del w:id="4" w:author="b"><w:r><w:t>9.99</w:t></w:r></w:del>'
                              f'<w:ins w:id="5" w:author="a"><w:r>{m.group(1)}<w:t>587.92</w:t></w:r></w:ins>', xml)


def _deleted_row(xml: str) -> str:
    """A copy of the first row that holds 587.92, other figures in it,
    marked as a deleted row."""
    cell = xml.index("<w:t>587.92</w:t>")
    start = max(xml.rfind("<w:tr>", 0, cell), xml.rfind("<w:tr ", 0, cell))
    end = xml.index("</w:tr>", cell) + len("</w:tr>")
    row = re.sub(r"<w:tr( [^>]*)?>", lambda m: m.group(0) + '<w:trPr><w:del w:id="6" w:author="a"/></w:trPr>',
                 xml[start:end], count=1).replace("587.92", "111.11")
    return xml[:start] + row + xml[start:]


@pytest.mark.parametrize("edit", [_moved, _deleted_and_inserted, _deleted_row], ids=lambda e: e.__name__)
def test_tracked_changes_read_as_accepted(edit):
    d = read_bytes(_docx_with(edit), "j.docx")
    assert tuple(iter_cells(d)) == _original_cells("docx")
    assert d.unread == []
    assert _row(d, "general_basic", "合计").amounts["total"] == Decimal("587.92")


# -- text encodings and bad bytes ------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-8-sig"])
def test_a_text_export_in_any_of_its_encodings_is_read(encoding):
    d = read_bytes(JINZHOU.encode(encoding), "j.txt")
    assert tuple(iter_cells(d)) == _original_cells("txt")


def test_a_bad_byte_in_utf8_is_named_by_line_and_offset():
    data = "部门预算收支总表\n".encode() * 3 + b"\xff" + "单位：万元\n".encode() * 4
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "j.txt")
    # three lines of 8 characters, 3 bytes each, and a line end: 75 bytes
    assert str(exc.value) == "不是文本导出：第 4 行（文件偏移 75 处）的字节 0xFF 既不是 UTF-8 也不是 GB18030 编码的文字"


def test_a_bad_byte_in_gb18030_is_named_where_gb18030_breaks():
    data = "预算表\n".encode("gb18030") * 2 + b"\x81\xff" + "单位：万元\n".encode("gb18030")
    with pytest.raises(ReadError) as exc:
        read_bytes(data, "j.txt")
    assert str(exc.value) == "不是文本导出：第 3 行（文件偏移 14 处）的字节 0x81 0xFF 既不是 UTF-8 也不是 GB18030 编码的文字"


def _compound_file(stream: str) -> bytes:
    name = stream.encode("utf-16-le") + b"\x00\x00"
    entry = name.ljust(64, b"\x00") + len(name).to_bytes(2, "little") + b"\x02"
    return convert.OLE2 + b"\x00" * (512 - len(convert.OLE2)) + entry.ljust(128, b"\x00")


@pytest.mark.parametrize("name", ["budget.txt", "budget", "budget.json", "budget.pdf"])
def test_legacy_office_files_are_told_by_content_before_the_text_path(name):
    assert sniff(_compound_file("WordDocument"), name) == "doc"
    assert sniff(_compound_file("Workbook"), name) == "xls"
    assert sniff(b"{\\rtf1\\ansi ...}", name) == "doc"


def test_a_pdf_or_a_docx_under_the_others_name_is_told_by_its_bytes():
    assert sniff(b"%PDF-1.6\n...", "budget.docx") == "pdf"
    assert sniff(b"PK\x03\x04 word/document.xml", "budget.pdf") == "docx"


# -- a PDF whose fonts have no Unicode map ---------------------------------------------

@cache
def _unmapped_pdf() -> bytes:
    data = (EXAMPLES / "jinzhou-2026.pdf").read_bytes()
    assert b"/ToUnicode" in data
    return data.replace(b"/ToUnicode", b"/ToUnicodX")  # same length: the cross-reference table still holds


def test_a_pdf_without_unicode_map_says_so_and_points_to_ocr(monkeypatch):
    monkeypatch.setattr(pdf_reader, "_ocr_available", lambda: False)
    with pytest.raises(ReadError) as exc:
        read_bytes(_unmapped_pdf(), "j.pdf")
    assert str(exc.value) == ("PDF 的字体没有 Unicode 映射，文字层取不出文字（只得到乱码）；"
                              "须用文字识别（OCR）读取页面：请安装 yusuan[ocr]")


def test_a_pdf_without_unicode_map_goes_to_ocr_page_by_page(monkeypatch):
    pages: list[int] = []

    def ocr(page, frame, runs, hs, vs):
        pages.append(page)
        return [], hs, vs, frame.width, frame.height

    monkeypatch.setattr(pdf_reader, "_ocr_available", lambda: True)
    monkeypatch.setattr(pdf_reader, "_ocr", ocr)
    pdf_reader.parse_pdf((EXAMPLES / "jinzhou-2026.pdf").read_bytes())
    assert pages == []  # a PDF with its Unicode maps is read from its text layer
    with pytest.raises(ReadError, match="文字识别也没有在页面上找到文字"):
        pdf_reader.parse_pdf(_unmapped_pdf())
    import pypdfium2

    assert len(pages) == len(pypdfium2.PdfDocument(_unmapped_pdf()))
