"""yusuan annotate, XLSX: every finding a note on the cell it is about,
the cell filled by severity, and the workbook otherwise the same."""

from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yusuan.annotate import annotate, annotate_bytes
from yusuan.annotate.places import comment_text, places, same_text
from yusuan.annotate.xlsx import AUTHOR, FILLS, annotate_xlsx
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
