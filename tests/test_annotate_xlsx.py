"""yusuan annotate, XLSX: every finding a note on the cell it is about,
the cell filled by severity, and the workbook otherwise the same."""

import posixpath
import re
import shutil
import subprocess
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yusuan.annotate import annotate, annotate_bytes
from yusuan.annotate.places import comment_text, places, same_text
from yusuan.annotate.xlsx import AUTHOR, FILLS, _sheet_parts, _target, annotate_xlsx
from yusuan.audit import audit_with_ledger
from yusuan.definitions import squash
from yusuan.read import read, read_bytes
from yusuan.read.xlsx import _text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
# a published workbook (its findings are about sentences), and yusuan's own
# workbook of a 决算 with faults in its tables (findings on cells)
LEGACY = "tests/data/legacy/jinzhou-2026.xlsx"
FAULTS = "tests/data/layouts/sh-final-2024-faults.docx"
NAMES = (LEGACY, FAULTS)


@cache
def workbook(name: str) -> bytes:
    if name.endswith(".xlsx"):
        return (ROOT / name).read_bytes()
    from yusuan.write.render import render

    return render(read(ROOT / name), "xlsx")


@cache
def annotated(name: str):
    data = workbook(name)
    d = read_bytes(data, "in.xlsx")
    findings, _ = audit_with_ledger(d)
    return data, d, findings, annotate_xlsx(data, d, findings)


def _notes(out: bytes) -> dict[tuple[str, str], tuple[str, object]]:
    """(sheet, cell) → (note, the cell as the reader prints it)."""
    wb = load_workbook(BytesIO(out), data_only=True)
    return {(ws.title, c.coordinate): (c.comment.text, c)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment is not None}


@pytest.mark.parametrize("name", NAMES)
def test_each_finding_is_noted_at_its_place(name):
    data, d, findings, out = annotated(name)
    notes = _notes(out)
    ps = places(d, findings)
    assert any(p.kind != "none" for p in ps)
    for p in ps:
        if p.kind == "none":
            continue
        [(text, cell)] = [v for v in notes.values() if comment_text(p.finding) in v[0]]
        printed = _text(cell)
        if p.kind == "cell" and p.column is not None:
            assert same_text(p.text, printed), (p.finding.rule, p.text, printed)
        elif p.kind == "sentence" and p.quote:
            assert p.quote in squash(printed), (p.finding.rule, p.quote, printed)


def test_cell_notes_on_the_faulty_amounts():
    """The 决算 with faults: A01 twice in one row (合计 and 基本支出, two
    cells) and A05 in the 三公 table, each noted on its own amount."""
    data, d, findings, out = annotated(FAULTS)
    cells = [p for p in places(d, findings) if p.kind == "cell"]
    assert len(cells) == 3
    noted = {_text(c) for text, c in _notes(out).values() if text.startswith("[A0")}
    assert noted == {"487.57", "176.32", "22.18"}


@pytest.mark.parametrize("name", NAMES)
def test_one_note_per_cell_filled_by_severity(name):
    data, d, findings, out = annotated(name)
    notes = _notes(out)
    ps = [p for p in places(d, findings) if p.kind != "none"]
    for p in ps:
        assert sum(comment_text(p.finding) in text for text, _ in notes.values()) == 1
    for text, cell in notes.values():
        if text.startswith("yusuan：") and "没有确切位置" in text:
            continue
        severities = [f.severity for f in findings if comment_text(f) in text]
        worst = next(s for s in ("error", "warning", "info") if s in severities)
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith(FILLS[worst])


def test_findings_on_one_cell_share_its_note():
    """The legacy workbook's 三公 sentence holds three T05 and a T06: one
    note names all four and says how many it holds."""
    data, d, findings, out = annotated(LEGACY)
    t05 = [f for f in findings if f.rule in ("T05", "T06")]
    assert len(t05) == 4
    [(text, cell)] = [v for v in _notes(out).values() if comment_text(t05[0]) in v[0]]
    assert all(comment_text(f) in text for f in t05)
    assert text.startswith("yusuan：本格 4 项发现")


def test_a_cell_finding_twice_is_one_note():
    data, d, findings, _ = annotated(FAULTS)
    a05 = next(f for f in findings if f.rule == "A05")
    again = a05.model_copy(update={"message": "另一条发现"})
    out = annotate_xlsx(data, d, [a05, again])
    [(text, cell)] = _notes(out).values()
    assert comment_text(a05) in text and comment_text(again) in text
    assert _text(cell) == "22.18"


@pytest.mark.parametrize("name", NAMES)
def test_reads_back_to_the_same_model(name):
    data, d, findings, out = annotated(name)
    assert read_bytes(out, "x.xlsx").content() == d.content()


def test_workbook_is_otherwise_unchanged():
    data, d, findings, out = annotated(LEGACY)
    before, after = load_workbook(BytesIO(data)), load_workbook(BytesIO(out))
    assert before.sheetnames == after.sheetnames
    for a, b in zip(before.worksheets, after.worksheets):
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert {k: v.width for k, v in a.column_dimensions.items()} == {k: v.width for k, v in b.column_dimensions.items()}


def test_summary_note_holds_the_findings_without_a_place():
    data, d, findings, out = annotated(FAULTS)  # K05: no table, no section
    unplaced = [p.finding for p in places(d, findings) if p.kind == "none"]
    assert unplaced
    wb = load_workbook(BytesIO(out))
    first = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.comment is not None)
    assert first.comment.text.startswith("yusuan：") and all(comment_text(f) in first.comment.text for f in unplaced)
    assert first.comment.author == AUTHOR


def test_no_findings_no_change():
    data, d, _, _ = annotated(LEGACY)
    assert annotate_xlsx(data, d, []) == data


def test_annotate_dispatches_xlsx():
    out, suffix = annotate(ROOT / LEGACY)
    assert suffix == ".xlsx"
    assert _notes(out)
    out, suffix = annotate_bytes(workbook(FAULTS), "faults.xlsx")
    assert suffix == ".xlsx" and len(_notes(out)) == len(_notes(annotated(FAULTS)[3]))


def test_cli_annotate_writes_a_noted_workbook(tmp_path):
    from conftest import cli

    src = tmp_path / "x.xlsx"
    src.write_bytes(workbook(FAULTS))
    out = tmp_path / "y.xlsx"
    r = cli("annotate", src, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert _notes(out.read_bytes()).keys() == _notes(annotated(FAULTS)[3]).keys()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus here")
@pytest.mark.parametrize("name", ["x-sh-pt-2026-dept-budget-template.xlsx", "x-sh-pt-2026-unit-budget-template.xlsx"])
def test_corpus_blank_forms(name):
    """The official blank forms: their empty tables noted on the table,
    the rest in the summary, and read back the same."""
    data = (CORPUS / name).read_bytes()
    d = read_bytes(data, name)
    findings, _ = audit_with_ledger(d)
    out = annotate_xlsx(data, d, findings)
    assert read_bytes(out, name).content() == d.content()
    texts = [t for t, _ in _notes(out).values()]
    assert all(any(comment_text(f) in t for t in texts) for f in findings)


# -- the package: only the parts that carry notes change ---------------------

def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _noted_parts(out: bytes) -> set[str]:
    """The parts annotating may change: the styles, the content types, and
    each noted sheet with its relationships."""
    sheets = _sheet_parts(_members(out))
    changed = {"xl/styles.xml", "[Content_Types].xml"}
    for sheet, _ in _notes(out):
        part = sheets[sheet]
        changed |= {part, f"{posixpath.dirname(part)}/_rels/{posixpath.basename(part)}.rels"}
    return changed


def _annotate(data: bytes) -> tuple[object, list, bytes]:
    d = read_bytes(data, "in.xlsx")
    findings, _ = audit_with_ledger(d)
    return d, findings, annotate_xlsx(data, d, findings)


def _formula_count(data: bytes) -> int:
    return sum(body.count(b"<f>") for name, body in _members(data).items() if name.startswith("xl/worksheets/"))


def _with_formulas(data: bytes) -> bytes:
    """Every number of the workbook a formula giving it, its value cached
    as Excel caches it."""
    number = re.compile(rb"(<c [^>]*>)<v>([-\d.E+]+)</v></c>")
    parts = _members(data)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            if name.startswith("xl/worksheets/sheet"):
                body = number.sub(rb"\1<f>\2+0</f><v>\2</v></c>", body)
            z.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_untouched_parts_are_byte_identical(name):
    data, d, findings, out = annotated(name)
    before, after = _members(data), _members(out)
    assert before.keys() <= after.keys()
    changed = _noted_parts(out)
    assert {n for n in before if before[n] != after[n]} <= changed
    new = after.keys() - before.keys()
    assert new and all(re.fullmatch(r"xl/(comments\d+\.xml|drawings/vmlDrawing\d+\.vml|worksheets/_rels/.*)", n)
                       for n in new)


def test_formulas_keep_their_cached_values():
    """openpyxl, saving, drops the value cached with a formula, which is
    what the reader reads: the copy would read as a workbook of blanks."""
    data = _with_formulas(workbook(FAULTS))
    formulas = _formula_count(data)
    assert formulas > 100
    d, findings, out = _annotate(data)
    assert d.content() == read_bytes(workbook(FAULTS), "x.xlsx").content()
    assert read_bytes(out, "x.xlsx").content() == d.content()
    assert _formula_count(out) == formulas
    formulas = load_workbook(BytesIO(out))
    noted = {(s, ref): cell for (s, ref), (_, cell) in _notes(out).items()}
    [(sheet, ref)] = [k for k, c in noted.items() if _text(c) == "487.57"]
    assert formulas[sheet][ref].value == "=487.57+0"
    assert noted[(sheet, ref)].fill.fgColor.rgb.endswith(FILLS["error"])


def _png() -> bytes:
    from PIL import Image as Picture

    out = BytesIO()
    Picture.new("RGB", (4, 3), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_images_are_kept():
    from openpyxl.drawing.image import Image

    wb = load_workbook(BytesIO(workbook(FAULTS)))
    for ws in wb.worksheets:  # on the sheets that get notes and the others
        ws.add_image(Image(BytesIO(_png())), "H2")
    buf = BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    d, findings, out = _annotate(data)
    before, after = _members(data), _members(out)
    media = [n for n in before if n.startswith(("xl/media/", "xl/drawings/drawing"))]
    assert len(media) >= 2 * len(wb.worksheets)
    assert all(after[n] == before[n] for n in media)
    assert {n for n in before if before[n] != after[n]} <= _noted_parts(out)
    back = load_workbook(BytesIO(out))
    assert all(len(ws._images) == 1 for ws in back.worksheets)
    assert read_bytes(out, "x.xlsx").content() == d.content()


def test_existing_notes_are_kept():
    """A note already on a cell gains the finding after its text; a note
    elsewhere stays as it was, and its sheet's drawing keeps its shapes,
    the new notes' shapes after them."""
    from openpyxl.comments import Comment

    data, d, findings, out = annotated(FAULTS)
    noted = {_text(c): k for k, (_, c) in _notes(out).items()}
    (a05_sheet, a05_ref), (a01_sheet, _) = noted["22.18"], noted["487.57"]
    assert a05_sheet != a01_sheet
    wb = load_workbook(BytesIO(data))
    wb[a05_sheet][a05_ref].comment = Comment("原有批注", "审核人")
    wb[a01_sheet]["A1"].comment = Comment("另一条原有批注", "审核人")
    buf = BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    before = {sheet: _drawing_of(data, sheet) for sheet in (a01_sheet, a05_sheet)}
    _, _, out = _annotate(data)
    notes = _notes(out)
    assert notes[(a01_sheet, "A1")][0] == "另一条原有批注"
    text = notes[(a05_sheet, a05_ref)][0]
    a05 = next(f for f in findings if f.rule == "A05")
    assert text.startswith("原有批注\n\n") and comment_text(a05) in text
    assert len(notes) == len(_notes(annotated(FAULTS)[3])) + 1
    for sheet, old in before.items():
        new = _drawing_of(out, sheet)
        assert new.startswith(old[:old.rindex(b"</xml>")])
        assert new.count(b'ObjectType="Note"') == sum(s == sheet for s, _ in notes)


def _drawing_of(data: bytes, sheet: str) -> bytes:
    """The VML drawing of a sheet's notes."""
    from lxml import etree

    parts = _members(data)
    part = _sheet_parts(parts)[sheet]
    rels = etree.fromstring(parts[f"{posixpath.dirname(part)}/_rels/{posixpath.basename(part)}.rels"])
    [target] = [_target(part, r) for r in rels if r.get("Type").endswith("/vmlDrawing")]
    return parts[target]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_opens_the_notes(name, tmp_path):
    data, d, findings, out = annotated(name)
    src = tmp_path / "noted.xlsx"
    src.write_bytes(out)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "noted.ods") as z:
        content = z.read("content.xml").decode()
    assert content.count("<office:annotation") == len(_notes(out))
    for f in findings:
        assert f"[{f.rule}" in content
