"""PDF in, PDF out: each finding becomes a highlight annotation over the
printed characters it is about, with a popup note holding the comment text.

The original bytes are kept as they are and the annotations are appended as
an incremental update (pypdf), so every page's content stream is untouched and
the file reads back to the same model. Boxes come from pdfium's character
positions on the page the row or paragraph was read from (places.py says
which cell or words; this module says where they are printed).

How a table cell is found on its page: the row's code (else its name) is
searched on the row's page; those characters give the row's band (a y
range). The cell is an occurrence of the cell's printed amount inside that
band. When the same amount is printed more than once in the band, the k-th
from the left is taken, k being the cell's rank among the cells of that
printed row expected to print the same text (places.Place.expected is in
column order, the 收入 side's row before the 支出 side's). A row-wide place or
an empty cell marks the row's label. Several occurrences of the label (合计 in
a header and as a row) are told apart by which band holds the amount.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from ..audit.finding import Finding
from ..definitions import squash
from ..model import Disclosure, Row
from .places import Place, paragraph_list, comment_text, find_row, place_of, summary_text

AUTHOR = "yusuan"

# by severity: error red, warning orange, info (提示) blue; light enough for
# the printed figure to show through a multiply blend
COLOURS = {"error": (1.0, 0.45, 0.45), "warning": (1.0, 0.8, 0.3), "info": (0.55, 0.75, 1.0)}

_SPACE = re.compile(r"\s")
_PAD = 1.5
# full-width letters, digits and punctuation as their ASCII twins, one
# character for one so indices hold: the model and the page may differ in
# width alone (（境） read from one printing, (境) printed in another)
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _norm(text: str) -> str:
    return text.translate(_WIDTH)


Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF user space


# ---------------------------------------------------------------- page text

@dataclass
class _PageText:
    """A page's characters with whitespace dropped, and each one's box."""
    text: str
    boxes: list[Box]
    gap_before: list[bool]  # whitespace (printed or pdfium's) came before it


def _page_text(pdf: pdfium.PdfDocument, index: int, cache: dict) -> _PageText:
    if index in cache:
        return cache[index]
    page = pdf[index]  # held while its text page is read: the text page dies with it
    tp = page.get_textpage()
    chars, boxes, gaps = [], [], []
    gap = True
    for i in range(tp.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i) or 32)
        if _SPACE.match(ch) or ch == "\x00":
            gap = True
            continue
        chars.append(_norm(ch))
        # the glyph's ink across (a full-width ）'s em box takes in the 。 after
        # it), the font's height up and down (a full stop's ink is a dot)
        left, _, right, _ = tp.get_charbox(i)
        _, bottom, _, top = tp.get_charbox(i, loose=True)
        boxes.append((left, bottom, right, top))
        gaps.append(gap)
        gap = False
    tp.close()
    page.close()
    cache[index] = _PageText("".join(chars), boxes, gaps)
    return cache[index]


def _occurrences(pt: _PageText, needle: str, whole: bool = False) -> list[tuple[int, int]]:
    """Start/end indices of `needle`; `whole` asks for a printed token of its
    own (a code or an amount, not the digits inside a longer number)."""
    out, start = [], 0
    needle = _norm(needle)
    while needle:
        i = pt.text.find(needle, start)
        if i < 0:
            break
        j = i + len(needle)
        if not whole or (_token_edge(pt, i) and (j == len(pt.text) or _token_edge(pt, j))):
            out.append((i, j))
        start = i + 1
    return out


def _token_edge(pt: _PageText, i: int) -> bool:
    """True when a token boundary lies before character i: whitespace, a
    neighbour that is no part of a number, or a jump to another cell (two
    amounts in adjacent cells with no space between them in the text)."""
    if i == 0 or pt.gap_before[i]:
        return True
    a, b = pt.text[i - 1], pt.text[i]
    if not (a.isdigit() or a in ".,-") or not (b.isdigit() or b in ".,-"):
        return True
    pl, pb, pr, ptop = pt.boxes[i - 1]
    left, bottom, _, top = pt.boxes[i]
    height = max(ptop - pb, top - bottom, 1.0)
    return left - pr > height * 0.6 or abs((bottom + top) - (pb + ptop)) / 2 > height * 0.6


def _union(boxes) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _lines(boxes) -> list[Box]:
    """Consecutive characters grouped into one box per printed line."""
    out: list[list] = []
    for b in boxes:
        if out:
            line = _union(out[-1])  # the line so far, not its last character: a full stop's box is short
            mid = (b[1] + b[3]) / 2
            if line[1] - 1 <= mid <= line[3] + 1 and b[0] >= out[-1][-1][0] - 1:
                out[-1].append(b)
                continue
        out.append([b])
    return [_union(g) for g in out]


# ---------------------------------------------------------------- locating

def _printed(text: str) -> list[str]:
    """The forms a cell's text may be printed in: an amount also with
    thousands separators."""
    forms = [squash(text)]
    try:
        value = Decimal(forms[0])
    except (InvalidOperation, ValueError):
        return forms
    grouped = format(value, ",f")
    if grouped not in forms:
        forms.append(grouped)
    return forms


def _same(a: str, b: str) -> bool:
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.replace(",", ""))
    except (InvalidOperation, ValueError):
        return squash(a) == squash(b)


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|其中[:：])+")


def _row(d: Disclosure, p: Place) -> Row | None:
    t = next((t for t in d.all_tables() if t.id == p.table), None)
    return find_row(t, p.code, p.item) if t is not None else None


def _locate_cell(pdf, cache, p: Place, row: Row | None) -> tuple[int, list[Box]] | None:
    if not p.page:
        return None
    rank = 0
    if p.text and p.target is not None:
        rank = sum(1 for e in p.expected[:p.target] if e and _same(e, p.text))
    labels_for = [squash(p.code)] if p.code else []
    name = p.item or (squash(row.name) if row else "")
    labels_for.append(name)
    bare = _NUMBERING.sub("", name)
    if bare and bare != name:
        labels_for.append(bare)  # a transposed header prints the item without its 一、
    # the row's page first; a row read at a page break may sit on either side
    for pi in (p.page - 1, p.page, p.page - 2):
        if not 0 <= pi < len(pdf):
            continue
        pt = _page_text(pdf, pi, cache)
        labels: list[tuple[int, int]] = []
        for k, label in enumerate(labels_for):
            labels = _occurrences(pt, label, whole=k == 0 and bool(p.code))
            if labels:
                break
        if not labels:
            continue
        if not p.text:
            if pi == p.page - 1:
                i, j = labels[0]
                return pi, _lines(pt.boxes[i:j])
            continue
        for i, j in labels:
            band = _union(pt.boxes[i:j])
            slack = (band[3] - band[1]) * 0.3
            found = []
            for form in _printed(p.text):
                for a, b in _occurrences(pt, form, whole=True):
                    box = _union(pt.boxes[a:b])
                    mid = (box[1] + box[3]) / 2
                    if band[1] - slack <= mid <= band[3] + slack:
                        found.append(box)
            if len(found) > rank:
                found.sort(key=lambda bx: bx[0])
                return pi, [found[rank]]
        # a table printed transposed (三公 items as columns, one line of
        # amounts under them): on the first line below the label printing the
        # amount, the one under the label, else the rank-th from the left
        # (the model's rows are that line's cells in order)
        for i, j in labels:
            label = _union(pt.boxes[i:j])
            below = [_union(pt.boxes[a:b]) for form in _printed(p.text)
                     for a, b in _occurrences(pt, form, whole=True)]
            below = [bx for bx in below if bx[3] <= label[1] + 1]
            if not below:
                continue
            top = max(bx[3] for bx in below)
            line = sorted((bx for bx in below if bx[3] >= top - (bx[3] - bx[1]) / 2), key=lambda bx: bx[0])
            under = [bx for bx in line if label[0] - 2 <= (bx[0] + bx[2]) / 2 <= label[2] + 2]
            if under:
                return pi, [under[0]]
            if len(line) > rank:
                return pi, [line[rank]]
    return None


def _words(d: Disclosure, p: Place) -> tuple[list[str], str | None]:
    """What to mark for a sentence or block place, best first (whitespace
    removed), and the paragraph it is in when known: the words at fault,
    else the whole paragraph or the heading; for a block, the table's title
    or the project's name."""
    out, para = ([p.quote] if p.quote else []), None
    if p.kind == "sentence":
        found = paragraph_list(d, p.finding)
        if found is not None:
            paras, _, heading = found
            if p.paragraph is not None and 0 <= p.paragraph < len(paras):
                para = squash(paras[p.paragraph].text)
                out.append(para)
            elif heading:
                out.append(heading)
    elif p.kind == "block":
        if p.table:
            t = next((t for t in d.all_tables() if t.id == p.table), None)
            if t is not None:
                out.append(squash(t.title))
        if p.finding.project:
            proj = next((x for x in d.projects if squash(x.name) == squash(p.finding.project)), None)
            if proj is not None:
                out += [squash(proj.name), squash(proj.title)]
    return [w for w in out if w], para


_RUNNING = 40  # characters a page's footer or the next one's header may print between a paragraph's two parts


def _span(pdf, cache, text: str, pages: list[int]) -> list[tuple[int, int]] | None:
    """Where `text` is printed, as (page, character index) per character:
    whole on one page, or its start at the foot of a page and the rest at
    the head of the next (a running footer or header between them
    allowed)."""
    text = _norm(text)
    for pi in pages:
        if not 0 <= pi < len(pdf):
            continue
        pt = _page_text(pdf, pi, cache)
        i = pt.text.find(text)
        if i >= 0:
            return [(pi, k) for k in range(i, i + len(text))]
        if len(text) >= 8 and pi + 1 < len(pdf):
            nxt = _page_text(pdf, pi + 1, cache)
            for cut in range(len(text) - 1, 3, -1):
                start = pt.text.rfind(text[:cut])
                if start < 0 or len(pt.text) - (start + cut) > _RUNNING:
                    continue
                head = nxt.text.find(text[cut:])
                if 0 <= head <= _RUNNING:
                    return ([(pi, k) for k in range(start, start + cut)]
                            + [(pi + 1, k) for k in range(head, head + len(text) - cut)])
    return None


def _locate_text(pdf, cache, p: Place, words: list[str], para: str | None, nth: int) -> tuple[int, list[Box]] | None:
    """The words' boxes, looked for inside their paragraph when it is found
    on the page (the same words may be printed elsewhere on it); `nth` picks
    among repeats within the paragraph. Words split by a page break are
    marked on the page that has more of them."""
    pages = [p.page - 1, p.page, p.page - 2] if p.page else list(range(len(pdf)))
    where = _span(pdf, cache, para, pages) if para else None
    for text in words:
        if where is not None:
            hits = [m.start() for m in re.finditer(re.escape(_norm(text)), _norm(para))]
            if hits:
                i = hits[min(nth, len(hits) - 1)]
                chars = where[i:i + len(text)]
            else:
                continue
        else:
            chars = _span(pdf, cache, text, pages)
            if chars is None:
                continue
        pages_of = [pi for pi, _ in chars]
        pi = max(dict.fromkeys(pages_of), key=pages_of.count)
        pt = _page_text(pdf, pi, cache)
        return pi, _lines([pt.boxes[k] for q, k in chars if q == pi])
    return None


def locate(data: bytes, d: Disclosure, findings: list[Finding]) -> tuple[list[tuple[Finding, int, list[Box]]], list[Finding]]:
    """(finding, 0-based page, one box per printed line) for each finding
    found on the page, and the findings with no exact place or not found."""
    pdf = pdfium.PdfDocument(data)
    cache: dict = {}
    located, unplaced = [], []
    seen: dict[tuple, int] = {}
    try:
        for f in findings:
            p = place_of(d, f)
            hit = None
            if p.kind == "cell":
                hit = _locate_cell(pdf, cache, p, _row(d, p))
            elif p.kind in ("sentence", "block"):
                words, para = _words(d, p)
                # the second finding on the same words of one paragraph marks their second printing
                key = (p.section, p.paragraph, p.quote)
                seen[key] = nth = seen.get(key, -1) + 1
                hit = _locate_text(pdf, cache, p, words, para, nth)
            if hit:
                located.append((f, hit[0], hit[1]))
            else:
                unplaced.append(f)
    finally:
        pdf.close()
    return located, unplaced


# ---------------------------------------------------------------- writing

def _num(x: float) -> FloatObject:
    return FloatObject(round(x, 2))


def _appearance(rect: Box, quads: list[Box], colour) -> DecodedStreamObject:
    """A drawn appearance, so that viewers which do not make their own, and
    printing, show the same multiply-blended boxes."""
    x0, y0 = rect[0], rect[1]
    ops = ["/GS0 gs", "%.3f %.3f %.3f rg" % colour]
    for left, bottom, right, top in quads:
        ops.append(f"{left - x0:.2f} {bottom - y0:.2f} {right - left:.2f} {top - bottom:.2f} re f")
    s = DecodedStreamObject()
    s.set_data("\n".join(ops).encode())
    s.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([_num(0), _num(0), _num(rect[2] - rect[0]), _num(rect[3] - rect[1])]),
        NameObject("/Resources"): DictionaryObject({
            NameObject("/ExtGState"): DictionaryObject({
                NameObject("/GS0"): DictionaryObject({
                    NameObject("/Type"): NameObject("/ExtGState"),
                    NameObject("/BM"): NameObject("/Multiply"),
                })})}),
    })
    return s


def _popup_rect(page, rect: Box) -> Box:
    """Where a popup opens: the right margin level with what it is about."""
    box = page.mediabox
    right, top = float(box.right), min(float(box.top), rect[3] + 10)
    return (max(float(box.left), right - 200), max(float(box.bottom), top - 120), right, top)


def _add(writer: PdfWriter, page_index: int, annot: DictionaryObject, rect: Box) -> None:
    page = writer.pages[page_index]
    annot[NameObject("/P")] = page.indirect_reference
    ref = writer._add_object(annot)
    popup = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Popup"),
        NameObject("/Rect"): ArrayObject([_num(v) for v in _popup_rect(page, rect)]),
        NameObject("/Parent"): ref,
        NameObject("/P"): page.indirect_reference,
        NameObject("/Open"): BooleanObject(False),
        NameObject("/F"): NumberObject(4 | 16),  # print, no rotate
    })
    popup_ref = writer._add_object(popup)
    annot[NameObject("/Popup")] = popup_ref
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject([ref, popup_ref])
    else:
        annots.get_object().extend([ref, popup_ref])


def annotate_pdf(data: bytes, d: Disclosure, findings: list[Finding]) -> bytes:
    """The PDF `data` with one highlight (and its popup) per finding found
    on its page, and one sticky note at the top of page 1 listing the rest.
    The original bytes are a prefix of the result (incremental update)."""
    located, unplaced = locate(data, d, findings)
    writer = PdfWriter(PdfReader(io.BytesIO(data)), incremental=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    for n, (f, pi, quads) in enumerate(located):
        colour = COLOURS.get(f.severity, COLOURS["warning"])
        # a little wider than the ink, so that a lone 0 shows a mark; less
        # than half a neighbouring character
        quads = [(left - _PAD, bottom, right + _PAD, top) for left, bottom, right, top in quads]
        rect = _union(quads)
        rect = (rect[0] - 1, rect[1] - 1, rect[2] + 1, rect[3] + 1)
        qp: list[float] = []
        for left, bottom, right, top in quads:
            qp += [left, top, right, top, left, bottom, right, bottom]  # the order Acrobat writes
        annot = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Highlight"),
            NameObject("/Rect"): ArrayObject([_num(v) for v in rect]),
            NameObject("/QuadPoints"): ArrayObject([_num(v) for v in qp]),
            NameObject("/C"): ArrayObject([FloatObject(c) for c in colour]),
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/Contents"): TextStringObject(comment_text(f)),
            NameObject("/Subj"): TextStringObject(f.rule),
            NameObject("/NM"): TextStringObject(f"yusuan-{n + 1}"),
            NameObject("/M"): TextStringObject(now),
            NameObject("/CreationDate"): TextStringObject(now),
            NameObject("/F"): NumberObject(4),  # print
        })
        annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(_appearance(rect, quads, colour))})
        _add(writer, pi, annot, rect)
    if unplaced:
        box = writer.pages[0].mediabox
        x, y = float(box.left) + 10, float(box.top) - 30
        rect = (x, y, x + 20, y + 20)
        note = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([_num(v) for v in rect]),
            NameObject("/Name"): NameObject("/Comment"),
            NameObject("/C"): ArrayObject([FloatObject(c) for c in COLOURS["warning"]]),
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/Contents"): TextStringObject(summary_text(unplaced)),
            NameObject("/NM"): TextStringObject("yusuan-summary"),
            NameObject("/M"): TextStringObject(now),
            NameObject("/F"): NumberObject(4 | 8 | 16),  # print, no zoom, no rotate: a note icon
            NameObject("/Open"): BooleanObject(False),
        })
        _add(writer, 0, note, rect)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
