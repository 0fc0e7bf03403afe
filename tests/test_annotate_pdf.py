"""yusuan annotate, PDF: every finding one highlight over the characters it
is about (checked by reading the text under the box back from the original
page), the rest in one note on page 1, and the pages themselves untouched."""

import io
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from yusuan.annotate.pdf import _words, annotate_pdf
from yusuan.annotate.places import comment_text, place_of, same_text
from yusuan.audit import audit_with_ledger
from yusuan.definitions import squash
from yusuan.read import read_bytes

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = sorted(str(p.relative_to(ROOT)) for p in [*ROOT.glob("examples/*.pdf"), *ROOT.glob("tests/data/layouts/*.pdf")])
# every PDF of the shared corpus (sh-pt-planning-2024-dept-final has A, T and X
# errors; the js ones text and tables apart, a 三公 table printed transposed)
FILES = SEEDS + sorted(str(p) for p in CORPUS.glob("*.pdf"))


@cache
def annotated(name: str):
    path = Path(name) if Path(name).is_absolute() else ROOT / name
    data = path.read_bytes()
    d = read_bytes(data, path.name)
    findings, _ = audit_with_ledger(d)
    return data, d, findings, annotate_pdf(data, d, findings)


def test_the_corpus_is_here_or_skipped():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    assert (CORPUS / "sh-pt-planning-2024-dept-final.pdf").is_file()


def _annots(out: bytes, refs: bool = False) -> list[tuple]:
    reader = PdfReader(io.BytesIO(out))
    return [(i, a.get_object(), a.idnum) if refs else (i, a.get_object())
            for i, page in enumerate(reader.pages) for a in page.get("/Annots") or []]


def _text_in(pdf: pdfium.PdfDocument, index: int, boxes) -> list[str]:
    """The characters whose centre lies in each box, whitespace dropped:
    what a reader sees under the highlight."""
    page = pdf[index]
    tp = page.get_textpage()
    chars = []
    for k in range(tp.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, k))
        if not ch.isspace():
            left, bottom, right, top = tp.get_charbox(k)
            chars.append((ch, (left + right) / 2, (bottom + top) / 2))
    return ["".join(ch for ch, x, y in chars if l <= x <= r and b <= y <= t) for l, b, r, t in boxes]


@pytest.mark.parametrize("name", FILES, ids=lambda n: Path(n).name)
def test_each_finding_one_highlight_over_its_words(name):
    data, d, findings, out = annotated(name)
    highlights = [(i, a) for i, a in _annots(out) if a["/Subtype"] == "/Highlight"]
    notes = [a for _, a in _annots(out) if a["/Subtype"] == "/Text"]
    placed = [f for f in findings if place_of(d, f).kind != "none"]
    assert len(highlights) == len(placed)
    unplaced = [f for f in findings if place_of(d, f).kind == "none"]
    assert len(notes) == (1 if unplaced else 0)
    for f in unplaced:
        assert comment_text(f) in notes[0]["/Contents"]

    pdf = pdfium.PdfDocument(data)
    pending = list(highlights)
    for f in placed:
        p = place_of(d, f)
        hit = next((h for h in pending if h[1]["/Contents"] == comment_text(f)), None)
        assert hit is not None, f"no highlight for {comment_text(f)}"
        pending.remove(hit)
        index, a = hit
        assert index + 1 in (p.page, p.page + 1) if p.page else True, comment_text(f)
        q = [float(v) for v in a["/QuadPoints"]]
        boxes = [(q[k], q[k + 5], q[k + 2], q[k + 1]) for k in range(0, len(q), 8)]
        got = "".join(_text_in(pdf, index, boxes))
        if p.kind == "cell" and p.text:
            assert same_text(p.text, got), (comment_text(f), got)
        elif p.kind == "cell":
            assert got in (squash(p.code or ""), p.item), (comment_text(f), got)
        else:
            words, _ = _words(d, p)
            # words cut by a page break are marked on the page holding more of them
            assert any(got == w or (len(got) * 2 >= len(w) and got in w) for w in words), (comment_text(f), got)


@pytest.mark.parametrize("name", FILES, ids=lambda n: Path(n).name)
def test_pages_untouched_and_reads_back(name):
    data, d, findings, out = annotated(name)
    assert out.startswith(data)  # an incremental update: the original bytes as they were
    before, after = PdfReader(io.BytesIO(data)), PdfReader(io.BytesIO(out))
    assert len(before.pages) == len(after.pages)
    for a, b in zip(before.pages, after.pages):
        assert a.get_contents().get_data() == b.get_contents().get_data()
    assert read_bytes(out, Path(name).name).content() == d.content()


def test_annotations_print_and_say_who():
    data, d, findings, out = annotated("examples/jinzhou-2026.pdf")
    annots = _annots(out, refs=True)
    assert annots
    for _, a, ref in annots:
        assert int(a["/F"]) & 4  # printed with the page
        if a["/Subtype"] == "/Popup":
            assert a["/Parent"].get_object().raw_get("/Popup").idnum == ref
            continue
        assert a["/T"] == "yusuan"
        assert a["/Popup"].get_object()["/Subtype"] == "/Popup"
    annots = [(i, a) for i, a, _ in annots]
    colours = {tuple(float(c) for c in a["/C"]) for _, a in annots if a["/Subtype"] == "/Highlight"}
    assert len(colours) >= 2  # errors and warnings told apart


def test_t05_marks_its_sentence():
    # a text finding is about the words that are wrong: 晋州's three T05 sit on
    # the 三公 section's sentences, not on the table they were compared with
    data, d, findings, out = annotated("examples/jinzhou-2026.pdf")
    t05 = [(i, a) for i, a in _annots(out) if a.get("/Subj") == "T05"]
    assert len(t05) == 3
    page = pdfium.PdfDocument(data)[t05[0][0]]
    tp = page.get_textpage()
    marked = ["".join(tp.get_text_bounded(*map(float, a["/Rect"])).split()) for _, a in t05]
    assert all("0万元" in m for m in marked), marked


def test_a_cited_cell_is_the_total_column_not_its_twin():
    # without its sentence a T05 goes to the cell it cites; 合计 and
    # 一般公共预算财政拨款 both print 10.18 in the 三公 table, and the cited one
    # is the 合计 (the left one)
    data, d, findings, _ = annotated("examples/jinzhou-2026.pdf")
    alone = [f.model_copy(update={"section": None, "paragraph": None}) for f in findings if f.rule == "T05"]
    out = annotate_pdf(data, d, alone)
    t05 = [(i, a) for i, a in _annots(out) if a.get("/Subj") == "T05"]
    assert len(t05) == 3
    lefts = {round(float(a["/Rect"][0])) for _, a in t05}
    assert len(lefts) == 1
    pdf = pdfium.PdfDocument(data)
    page = pdf[t05[0][0]]
    tp = page.get_textpage()
    tens = [tp.get_charbox(k)[0] for k in range(tp.count_chars() - 4) if tp.get_text_range(k, 5) == "10.18"]
    assert min(lefts) <= min(tens) + 2
