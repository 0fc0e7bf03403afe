"""PDF disclosures: the fixtures (LibreOffice exports of the seeds) and
yusuan's own PDFs read to the same model as the text seeds, with pages."""

import json
import os
import re
import subprocess
import sys
from functools import cache

import pytest
from conftest import EXAMPLES, SEEDS, load
from tiny_pdf import pdf_file

from yusuan.export.cells import to_csv
from yusuan.read import ReadError, read, read_bytes

DATA = os.path.join(os.path.dirname(__file__), "data")


def squashed(value):
    """The model with whitespace removed from every string: a PDF keeps the
    characters and their order, not the runs of spaces between them (a space
    at a line break, the spaces Word used to pad a header)."""
    if isinstance(value, dict):
        return {k: squashed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [squashed(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\s+", "", value)
    return value


@cache
def pdf(seed):
    return read(EXAMPLES / f"{seed}.pdf")


@pytest.mark.parametrize("seed", SEEDS)
def test_fixture_pdf_reads_to_the_text_seed(seed):
    d, ref = pdf(seed), load(seed, "txt")
    assert d.source_format == "pdf"
    assert to_csv(d) == to_csv(ref)  # every amount cell, names as printed
    assert squashed(d.content()) == squashed(ref.content())
    assert [(s.numbering, s.heading) for s in d.explanation.sections] == [
        (s.numbering, s.heading) for s in ref.explanation.sections]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_row_and_paragraph_has_its_page(seed):
    d = pdf(seed)
    rows = [r for t in d.all_tables() for r in t.rows]
    paragraphs = [p for s in d.explanation.sections for p in s.paragraphs]
    assert all(r.source.page for r in rows) and all(p.source.page for p in paragraphs)
    assert d.tables["summary"].rows[0].source.page == 1
    assert d.assets.rows[-1].source.page == {"jinzhou-2026": 16, "gaoyang-2023": 17}[seed]


def test_a_table_broken_across_pages_is_one_table():
    """In the fixture the procurement table runs from page 15 onto 16 without
    repeating its header; 高阳's asset table from 16 onto 17."""
    proc = pdf("jinzhou-2026").procurement
    assert {r.source.page for r in proc.rows} == {15, 16}
    assert [r.name for r in proc.rows] == [r.name for r in load("jinzhou-2026", "txt").procurement.rows]
    assets = pdf("gaoyang-2023").assets
    assert {r.source.page for r in assets.rows} == {16, 17} and len(assets.rows) == 6


def test_no_garbage_characters():
    text = json.dumps(pdf("gaoyang-2023").content(), ensure_ascii=False)
    assert "(cid:" not in text and "\ufffd" not in text


def test_check_findings_carry_pages():
    r = subprocess.run([sys.executable, "-m", "yusuan", "check", str(EXAMPLES / "jinzhou-2026.pdf"), "-f", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    findings = json.loads(r.stdout)["findings"]
    t05 = [f for f in findings if f["rule"] == "T05"]
    assert len(t05) == 3 and {f["page"] for f in t05} == {11}
    assert all(f["page"] for f in findings if f["section"])


@pytest.mark.parametrize("seed", SEEDS)
def test_yusuans_own_pdf_reads_back(seed, tmp_path):
    """Own PDFs repeat the header rows on every page and print the info line
    above the table without borders. Needs LibreOffice (.ci/run installs it)."""
    out = tmp_path / f"{seed}.pdf"
    r = subprocess.run([sys.executable, "-m", "yusuan", "render", str(EXAMPLES / f"{seed}.txt"), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    back = read(out)
    assert squashed(back.content()) == squashed(load(seed, "txt").content())
    assert to_csv(back) == to_csv(load(seed, "txt"))
    # the fiscal summary starts a page (4, after the cover and two tables)
    # and runs onto 5, where its info line and header repeat (and are dropped)
    assert {r.source.page for r in back.tables["fiscal_summary"].rows} == {4, 5}


def _minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws `content` (no fonts, no text)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    return pdf_file(objs)


def test_scanned_pdf_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="没有文字层"):
        read_bytes(_minimal_pdf(b"0 0 0 rg 50 50 400 600 re f"), "scan.pdf")


def test_encrypted_pdf_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="PDF 已加密"):
        read(os.path.join(DATA, "encrypted.pdf"))


@pytest.mark.parametrize("cut", [0.5, 0.05])
def test_truncated_pdf_exits_2(cut, tmp_path):
    data = (EXAMPLES / "gaoyang-2023.pdf").read_bytes()
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(data[: int(len(data) * cut)])
    r = subprocess.run([sys.executable, "-m", "yusuan", "check", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.startswith(f"yusuan: {bad}: ") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
