"""XLSX read through python-calamine gives the cells openpyxl gave: merged
headers with their spans, numbers printed in their format, tables found by
their borders; workbooks it cannot read the same (dates, hyperlinks,
escaped text) are read with openpyxl, as before."""

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Border, Side

from yusuan.read.blocks import ParagraphBlock, TableBlock
from yusuan.read.xlsx import _grid_blocks, _sheet_blocks, parse_xlsx
from yusuan.read.xlsx_calamine import BUILTIN_FORMATS, NotSame, read_sheets

CORPUS = Path("/work/shared/corpus")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _calamine_blocks(data: bytes) -> list:
    blocks: list = []
    for g in read_sheets(data):  # NotSame here would mean the openpyxl path
        _grid_blocks(g, blocks)
    return blocks


def _openpyxl_blocks(data: bytes) -> list:
    blocks: list = []
    for ws in load_workbook(io.BytesIO(data), data_only=True).worksheets:
        _sheet_blocks(ws, blocks)
    return blocks


def _rows(table: TableBlock) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.col, c.span) for c in row.cells] for row in table.rows]


def _budget_table() -> bytes:
    """收支总表's shape: title, 单位 line, a two-row header with merges,
    then bordered rows of amounts."""
    wb = Workbook()
    ws = wb.active
    ws.title = "收支总表"
    ws["A1"] = "2024年部门收支总表"
    ws.merge_cells("A1:C1")
    ws["A2"] = "单位：万元"
    ws["A3"], ws["B3"], ws["B4"], ws["C4"] = "项目", "预算数", "本年", "上年"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.append(["一般公共预算拨款", 12.3, 1234])
    ws.append(["合计", 20.0, 0.5])
    for row in ws["A3:C6"]:
        for cell in row:
            cell.border = BOX
    ws["B5"].number_format = "0.00"
    ws["C5"].number_format = "#,##0.000"
    ws["A8"] = "注：本表无政府性基金收入。"
    return _saved(wb)


def test_a_merged_header_keeps_its_text_and_span():
    blocks = _calamine_blocks(_budget_table())
    assert isinstance(blocks[0], ParagraphBlock) and blocks[0].text == "2024年部门收支总表"
    table = blocks[1]
    assert isinstance(table, TableBlock) and table.width == 3
    rows = _rows(table)
    assert rows[0] == [("单位：万元", 0, 1), ("", 1, 1), ("", 2, 1)]
    assert rows[1] == [("项目", 0, 1), ("预算数", 1, 2)]
    # below the top of 项目's vertical merge: an empty continuation cell
    assert rows[2] == [("", 0, 1), ("本年", 1, 1), ("上年", 2, 1)]


def test_numbers_are_printed_as_their_format_writes_them():
    rows = _rows(_calamine_blocks(_budget_table())[1])
    assert rows[3] == [("一般公共预算拨款", 0, 1), ("12.30", 1, 1), ("1234.000", 2, 1)]
    # General: a whole number without its .0, a fraction as it is
    assert rows[4] == [("合计", 0, 1), ("20", 1, 1), ("0.5", 2, 1)]


def test_the_bordered_rows_are_the_table_and_the_note_under_it_a_paragraph():
    blocks = _calamine_blocks(_budget_table())
    assert [type(b).__name__ for b in blocks] == ["ParagraphBlock", "TableBlock", "ParagraphBlock"]
    assert len(blocks[1].rows) == 5  # 单位 line, two header rows, two rows of amounts
    assert blocks[2].text == "注：本表无政府性基金收入。"


def test_a_merged_range_draws_its_top_left_border_along_its_edges():
    """openpyxl spreads the top-left cell's sides over the range's edges
    (and takes the bottom-right cell's right and bottom): row 3, only
    covered cells, is bordered through the merge's bottom edge."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "说明"
    ws["B2"] = "合并"
    ws.merge_cells("B2:C3")
    ws["B2"].border = Border(bottom=THIN)
    ws["A5"] = "后记"
    data = _saved(wb)
    blocks = _calamine_blocks(data)
    assert [type(b).__name__ for b in blocks] == ["ParagraphBlock", "TableBlock", "ParagraphBlock"]
    assert _rows(blocks[1]) == [[("", 0, 1), ("合并", 1, 2)], [("", 0, 1), ("", 1, 2)]]
    assert blocks[1].width == 3
    assert blocks == _openpyxl_blocks(data)


def test_a_comment_on_an_empty_cell_widens_an_unbordered_sheet_as_openpyxl_does():
    wb = Workbook()
    ws = wb.active
    ws.title = "基本支出"
    ws.append(["科目", "金额"])
    ws.append(["301", 5])
    ws["D2"].comment = Comment("待核", "审核")
    data = _saved(wb)
    blocks = _calamine_blocks(data)
    assert blocks[0].text == "基本支出"  # first row has two cells: the sheet's name is the title
    assert blocks[1].width == 4
    assert _rows(blocks[1])[1] == [("301", 0, 1), ("5", 1, 1), ("", 2, 1), ("", 3, 1)]
    assert blocks == _openpyxl_blocks(data)


def test_an_error_value_is_read_as_its_code():
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "比率", "#DIV/0!"
    ws["A2"], ws["B2"] = "合计", 3
    data = _saved(wb)
    assert _rows(_calamine_blocks(data)[1])[0] == [("比率", 0, 1), ("#DIV/0!", 1, 1)]
    assert _calamine_blocks(data) == _openpyxl_blocks(data)


@pytest.mark.parametrize("case", ["date", "hyperlink", "escape"])
def test_what_calamine_reads_otherwise_is_read_by_openpyxl(case):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "截止日期"
    if case == "date":
        ws["B1"] = datetime.date(2024, 12, 31)
        want = "2024-12-31"
    elif case == "hyperlink":
        ws["B1"].hyperlink = "https://example.gov.cn"  # openpyxl reads the link as the empty cell's value
        want = "https://example.gov.cn"
    else:
        ws["B1"] = "x_x000D_y"  # calamine would decode the escape, openpyxl keeps it
        want = "x_x000D_y"
    data = _saved(wb)
    with pytest.raises(NotSame):
        read_sheets(data)
    doc = parse_xlsx(data)
    assert _rows(doc.blocks[1])[0] == [("截止日期", 0, 1), (want, 1, 1)]


def test_the_builtin_formats_are_openpyxls():
    from openpyxl.styles.numbers import BUILTIN_FORMATS as OPENPYXL

    assert BUILTIN_FORMATS == OPENPYXL


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.xlsx")) if CORPUS.is_dir() else [])
def test_corpus_workbooks_read_as_openpyxl_reads_them(name):
    data = (CORPUS / name).read_bytes()
    try:
        blocks = _calamine_blocks(data)
    except NotSame as exc:
        pytest.skip(f"read by openpyxl: {exc}")
    assert blocks == _openpyxl_blocks(data)
    assert sum(isinstance(b, TableBlock) for b in blocks) >= 5


def test_a_written_disclosure_reads_as_openpyxl_reads_it_without_importing_openpyxl(tmp_path):
    from conftest import EXAMPLES

    from yusuan.read import read
    from yusuan.write.render import render

    data = render(read(EXAMPLES / "jinzhou-2026.txt"), "xlsx")
    assert _calamine_blocks(data) == _openpyxl_blocks(data)
    path = tmp_path / "j.xlsx"
    path.write_bytes(data)
    # openpyxl's import alone was most of the fixed cost of reading XLSX
    code = ("import sys; from yusuan.read import read; d = read(sys.argv[1]); "
            "assert 'openpyxl' not in sys.modules, 'openpyxl imported'; print(len(d.tables))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 9
