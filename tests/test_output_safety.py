"""No file destroyed, and nothing in a document that runs or breaks when the
output is opened (issue 13, parts 3 and 4)."""

from __future__ import annotations

import copy
import csv
import errno
import io
import os
import re
import shutil
import stat
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pytest

from yusuan import output
from yusuan.compile.template import write_template
from yusuan.export.cells import to_csv
from yusuan.output import OutputError, check_output, write_file, write_new
from yusuan.read import read
from yusuan.write.docx import write_docx
from yusuan.write.html import write_html
from yusuan.write.layout import layout
from yusuan.write.text_safety import xml_text
from yusuan.write.xlsx import write_xlsx

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jinzhou-2026.txt"
_MODEL = read(EXAMPLE)


def model():
    return copy.deepcopy(_MODEL)


def files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setenv("YUSUAN_LANG", "en")


# -- never over an input ------------------------------------------------------

@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "in.txt"
    p.write_bytes(b"the only copy")
    return p


@pytest.mark.parametrize("spelled", ["in.txt", "./in.txt", "../{folder}/in.txt", "{folder}/in.txt", "link.txt", "hard.txt"])
@pytest.mark.parametrize("force", [False, True])
def test_output_that_is_an_input_is_refused(source, spelled, force):
    (source.parent / "link.txt").symlink_to("in.txt")
    os.link(source, source.parent / "hard.txt")
    path = spelled.format(folder=source.parent.name) if spelled.startswith("..") else spelled.format(folder=source.parent)
    with pytest.raises(OutputError) as e:
        write_file(path, b"rendered", inputs=[Path("in.txt")], force=force)
    assert e.value.key == "same_as_input"
    assert source.read_bytes() == b"the only copy"
    assert files(source.parent) == ["hard.txt", "in.txt", "link.txt"]
    with pytest.raises(OutputError):
        check_output(path, inputs=[source], force=force)


def test_input_given_through_a_symlink_is_still_protected(source):
    (source.parent / "link.txt").symlink_to("in.txt")
    with pytest.raises(OutputError, match="in.txt"):
        write_file(source, b"x", inputs=["link.txt"], force=True)
    assert source.read_bytes() == b"the only copy"


def test_refusal_is_one_line_in_the_users_language(source, english):
    with pytest.raises(OutputError) as e:
        write_file("in.txt", b"x", inputs=["in.txt"])
    assert str(e.value) == "did not write in.txt: it is the input in.txt, which writing would destroy"
    assert e.value.path == Path("in.txt")


def test_refusal_in_chinese_by_default(source, monkeypatch):
    monkeypatch.delenv("YUSUAN_LANG", raising=False)
    with pytest.raises(OutputError, match="输入文件") as e:
        write_file("in.txt", b"x", inputs=["in.txt"])
    assert "\n" not in str(e.value)


# -- never over a file the run did not write ----------------------------------

def test_existing_file_is_kept_without_force(tmp_path, english):
    out = tmp_path / "report.docx"
    out.write_bytes(b"an officer's file")
    with pytest.raises(OutputError, match="--force") as e:
        write_file(out, b"new")
    assert e.value.key == "exists"
    assert out.read_bytes() == b"an officer's file"
    assert files(tmp_path) == ["report.docx"]


def test_force_replaces_and_keeps_permissions(tmp_path):
    out = tmp_path / "report.docx"
    out.write_bytes(b"old")
    out.chmod(0o640)
    assert write_file(out, b"new", force=True) == out
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert files(tmp_path) == ["report.docx"]


def test_new_file_gets_the_usual_permissions_not_the_temporary_files(tmp_path):
    out = write_file(tmp_path / "new.html", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_a_file_the_run_wrote_may_be_written_again(tmp_path):
    out = tmp_path / "cells.csv"
    write_file(out, b"1")
    write_file(out, b"2")
    assert out.read_bytes() == b"2"
    # but not once someone else has put a file there
    out.unlink()
    out.write_bytes(b"theirs")
    with pytest.raises(OutputError):
        write_file(out, b"3")
    assert out.read_bytes() == b"theirs"


def test_a_symlinked_output_writes_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    write_file(link, b"new", force=True)
    assert link.is_symlink() and real.read_bytes() == b"new"


@pytest.mark.parametrize("where, key", [(".", "is_directory"), ("missing/out.docx", "no_folder"),
                                        ("file/out.docx", "not_a_folder")])
def test_unwritable_places_are_refused_in_one_line(tmp_path, monkeypatch, where, key):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError) as e:
        write_file(where, b"x")
    assert e.value.key == key
    assert "\n" not in str(e.value) and where in str(e.value)


def test_a_device_is_written_in_place(tmp_path):
    assert write_file("/dev/null", b"x") == Path("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- a failed write leaves the previous file ---------------------------------

def _fail(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failed_write_leaves_the_previous_file_and_no_temporary_file(tmp_path, monkeypatch, step):
    out = tmp_path / "disclosure.docx"
    out.write_bytes(b"previous")
    monkeypatch.setattr(output.os, step, _fail)
    with pytest.raises(OutputError) as e:
        write_file(out, b"new" * 1000, force=True)
    assert e.value.key == "cannot_write" and os.strerror(errno.ENOSPC) in str(e.value)
    assert out.read_bytes() == b"previous"
    assert files(tmp_path) == ["disclosure.docx"]


def test_failed_first_write_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(output.os, "fsync", _fail)
    with pytest.raises(OutputError):
        write_file(tmp_path / "new.pdf", b"x")
    assert files(tmp_path) == []


def test_interrupted_write_removes_its_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "disclosure.docx"
    out.write_bytes(b"previous")

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_file(out, b"new", force=True)
    assert out.read_bytes() == b"previous"
    assert files(tmp_path) == ["disclosure.docx"]


# -- write_new: never replaces, even what the run wrote ----------------------

def test_write_new_never_replaces(tmp_path):
    out = tmp_path / "budget.xlsx"
    write_new(out, b"first")
    with pytest.raises(OutputError) as e:
        write_new(out, b"second")
    assert e.value.key == "exists_kept"
    assert out.read_bytes() == b"first"
    assert files(tmp_path) == ["budget.xlsx"]


def test_write_new_without_hard_links(tmp_path, monkeypatch):
    def no_links(*args):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_links)
    out = tmp_path / "budget.xlsx"
    write_new(out, b"first")
    assert out.read_bytes() == b"first"
    with pytest.raises(OutputError):
        write_new(out, b"second")
    assert out.read_bytes() == b"first" and files(tmp_path) == ["budget.xlsx"]


def test_write_new_loses_a_race_without_replacing(tmp_path, monkeypatch):
    """A file that appears between the look and the write is kept."""
    out = tmp_path / "budget.xlsx"
    real_link = os.link

    def racing_link(src, dst):
        Path(dst).write_bytes(b"the officer's")
        return real_link(src, dst)

    monkeypatch.setattr(output.os, "link", racing_link)
    with pytest.raises(OutputError):
        write_new(out, b"template")
    assert out.read_bytes() == b"the officer's" and files(tmp_path) == ["budget.xlsx"]


def test_template_keeps_a_filled_workbook_and_a_dangling_link(tmp_path):
    (tmp_path / "budget.xlsx").write_bytes(b"filled in")
    (tmp_path / "budget.new.xlsx").symlink_to(tmp_path / "nowhere")
    got = write_template(tmp_path)
    assert got.written == [tmp_path / "budget.new.2.xlsx"]
    assert (tmp_path / "budget.xlsx").read_bytes() == b"filled in"
    assert not (tmp_path / "nowhere").exists()
    assert not [n for n in files(tmp_path) if n.startswith(".")]


# -- XLSX: text is never a formula --------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "@SUM(1)", "+1+2", "-2+3"]


def _with_names(names: list[str]):
    d = model()
    rows = [r for r in d.tables["income"].rows if r.code]
    for row, name in zip(rows, names):
        row.name = name
    return d


def _xlsx_cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def test_xlsx_formula_looking_names_are_text():
    d = _with_names(FORMULAS[1:])
    d.department.name = FORMULAS[0]
    d.tables["income"].header.printed[0] = FORMULAS[0]
    data = write_xlsx(layout(d))
    cells = _xlsx_cells(data)
    by_value = {c.value: c for c in cells}
    for name in FORMULAS:
        assert by_value[name].data_type == "s", name
        assert by_value[name].quotePrefix, name
    assert not [c for c in cells if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)
    # amounts are numbers still, a negative one too
    assert any(c.data_type == "n" and c.value == 7272.94 for c in cells)


def test_xlsx_negative_amount_is_a_number():
    d = model()
    row = next(r for r in d.tables["income"].rows if r.code)
    row.amounts["total"] = Decimal("-3.00")
    cells = _xlsx_cells(write_xlsx(layout(d)))
    assert any(c.data_type == "n" and c.value == -3 for c in cells)


# -- cells CSV: no formulas when a spreadsheet opens it -----------------------

def test_csv_text_fields_that_look_like_formulas_are_quoted():
    d = _with_names(["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+1", "-x", "\tx", "\rx", "plain"])
    d.department.name = "=cmd|' /C calc'!A0"
    row = next(r for r in d.tables["income"].rows if r.code)
    row.amounts["total"] = Decimal("-3.00")
    lines = list(csv.reader(io.StringIO(to_csv(d))))
    items = {line[6] for line in lines[1:]}
    assert {"'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)", "'+1", "'-x", "'\tx", "'\nx", "plain"} <= items
    assert {line[0] for line in lines[1:]} == {"'=cmd|' /C calc'!A0"}
    values = [line[8] for line in lines[1:]]
    assert "-3.00" in values and not any(v.startswith("'") for v in values)


# -- control characters and markup from the document --------------------------

DIRTY_DEPARTMENT = "晋州市\x07医疗\x1b[31m保障局\ufffe\ud800"
DIRTY_ITEM = "卫生\x07健康\x1b[31m支出\x00\x0b"


def _dirty():
    d = _with_names([DIRTY_ITEM])
    d.department.name = DIRTY_DEPARTMENT  # the title
    d.tables["income"].header.printed[0] = "450" + DIRTY_DEPARTMENT  # the line above the table
    return d


CLEAN_DEPARTMENT = "晋州市医疗[31m保障局"
CLEAN_ITEM = "卫生健康[31m支出"
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def test_xml_text_keeps_tab_newline_and_return():
    assert xml_text("a\tb\nc\rd\x07\x1b") == "a\tb\nc\rd"
    assert xml_text(DIRTY_DEPARTMENT) == CLEAN_DEPARTMENT


def test_docx_drops_control_characters_and_opens():
    data = write_docx(layout(_dirty()))
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "450" + CLEAN_DEPARTMENT in texts
    assert CLEAN_ITEM in texts
    assert not any(_BAD.search(t) for t in texts)
    assert document.core_properties.title.startswith(CLEAN_DEPARTMENT)


def test_xlsx_drops_control_characters_and_opens():
    data = write_xlsx(layout(_dirty()))
    assert openpyxl.load_workbook(io.BytesIO(data)).properties.title.startswith(CLEAN_DEPARTMENT)
    cells = _xlsx_cells(data)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert CLEAN_ITEM in texts
    assert "450" + CLEAN_DEPARTMENT in texts
    assert not any(_BAD.search(t) for t in texts)


def test_html_drops_control_characters_and_parses():
    data = write_html(layout(_dirty()))
    page = data.decode("utf-8")
    assert not _BAD.search(page)
    tree = lxml.html.fromstring(data)
    tds = [td.text_content() for td in tree.iter("td")]
    assert CLEAN_ITEM in tds and "450" + CLEAN_DEPARTMENT in tds
    assert tree.findtext(".//h1").startswith(CLEAN_DEPARTMENT)


def test_html_escapes_everything_from_the_document():
    script = "<script>alert(1)</script>"
    d = _with_names([script, 'a" onmouseover="alert(1)', "x & y"])
    d.department.name = script
    page = write_html(layout(d)).decode("utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = lxml.html.fromstring(page)
    assert not list(tree.iter("script"))
    assert not [e for e in tree.iter() if "onmouseover" in e.attrib]
    tds = [td.text_content() for td in tree.iter("td")]
    assert script in tds and "x & y" in tds
    assert tree.findtext(".//title").startswith(script)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_reads_formula_looking_names_as_text(tmp_path):
    """What a spreadsheet makes of the file: the names as text, none run
    (a formula would show its result: y, 3, 1, an error)."""
    (tmp_path / "t.xlsx").write_bytes(write_xlsx(layout(_with_names(FORMULAS))))
    income = 2  # the sheet to convert: LibreOffice's CSV filter takes its number last
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{income}",
                    "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")],
                   capture_output=True, timeout=120, check=True, env={**os.environ, "HOME": str(tmp_path)})
    (sheet,) = tmp_path.glob("t-*.csv")
    names = [line[2] for line in csv.reader(io.StringIO(sheet.read_text(encoding="utf-8")))]
    assert all(name in names for name in FORMULAS)
