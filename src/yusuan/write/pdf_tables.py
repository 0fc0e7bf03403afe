"""Long tables cut into one table a page before LibreOffice prints them.

LibreOffice lays out one table that runs over many pages in time that grows
faster than its rows (issue 17: 1,500 → 3,000 rows a table took 61 → 371 s;
cut into tables of 200 rows, 40 → 65 s). Each page's rows become a table of
their own, beginning with a copy of the header rows, and each such table
after the first starts a page. The cuts are put where LibreOffice would
break the page itself, worked out from the row heights it prints (measured
on its output, below), so the pages show what they showed before: the
header once at the top of each page, no header in mid-page, no gap (the
paragraph that breaks the page is 0.1 pt high). Where the estimate is
wrong it errs towards a row fewer on a page: a page that ends one row early
looks as it should, a table that ran one row over would put that row alone
on a page of its own.

One difference is wanted: LibreOffice repeats a header without growing a
row for a merged cell's text (晋州's 支出总表: 对附属单位补助支出 in three
lines over two rows of one), so the text ran into the 栏次 row and the PDF
reader took the header for rows of figures. Each cut table prints its
header as a first page does, whole, and pages after the first of such a
table hold a row fewer.

A table whose place on its first page is not known (it follows another
table on the same page) is left whole, as is a table with no header rows.
"""

from __future__ import annotations

import re
import zipfile
from copy import deepcopy
from io import BytesIO

from lxml import etree

from .layout import text_units

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Body rows a table may have and stay whole: up to this, cutting saves
# nothing (晋州 scaled to 300 rows a table: 7.4 s whole, 7.7 s cut; at 1,000
# rows 21.2 s whole, 17.2 s cut), and a table left whole is printed exactly
# as LibreOffice lays it out.
THRESHOLD = 300

# What LibreOffice prints (measured on its PDFs of write_docx's tables, 9 pt
# in 宋体/Times New Roman, line spacing 1.15): a line of Chinese text is
# 1.437 pt per pt of type per line of spacing in 宋体 (Noto Serif CJK: 9 pt
# 14.875 pt) and 1.4457 in 黑体 (Noto Sans CJK: 16 pt 26.6 pt); a line of
# digits or Latin letters only is 1.141; an empty paragraph is a line of
# the style's 12 pt in Times (15.75 pt); a cell adds 0.6 pt to its lines.
_CJK_LINE = 1.437
_SANS_LINE = 1.4457
_SANS = frozenset({"黑体", "SimHei"})
_LATIN_LINE = 1.141
_CELL_PAD = 0.6
_CELL_MARGINS = 80  # twips: the cells' left and right margins (docx.py's tblCellMar)
# Room kept free at a page's foot for the estimate's error, in points.
_SLACK = 0.5


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def split_long_tables(docx: bytes, threshold: int = THRESHOLD) -> bytes:
    """`docx` with each table of more than `threshold` body rows cut at its
    page breaks; the same bytes when no table is that long."""
    try:
        zf = zipfile.ZipFile(BytesIO(docx))
        xml = zf.read("word/document.xml")
        styles = _Styles(zf.read("word/styles.xml"))
    except (zipfile.BadZipFile, KeyError):
        return docx
    if not _may_have_long_table(xml, threshold):
        return docx
    root = etree.fromstring(xml, etree.XMLParser(huge_tree=True))
    body = root.find(_w("body"))
    if body is None or not _split_body(body, styles, threshold):
        return docx
    out = BytesIO()
    with zf, zipfile.ZipFile(out, "w") as dst:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()


def _may_have_long_table(xml: bytes, threshold: int) -> bool:
    """Whether any table has more than `threshold` rows, by counting row
    tags (no parse: a document of short tables must cost nothing)."""
    start = xml.find(b"<w:tbl>")
    while start >= 0:
        end = xml.find(b"</w:tbl>", start)
        if end < 0:
            return True
        if xml.count(b"<w:tr>", start, end) + xml.count(b"<w:tr ", start, end) > threshold:
            return True
        start = xml.find(b"<w:tbl>", end)
    return False


class _Styles:
    """Paragraph styles' type size and line spacing, as far as the
    paragraphs before a table need them."""

    def __init__(self, xml: bytes):
        root = etree.fromstring(xml)
        self.default = {"size": 11.0, "before": 0.0, "after": 0.0, "line": 1.0}
        ppr = root.find(f"{_w('docDefaults')}/{_w('pPrDefault')}/{_w('pPr')}")
        rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.default.update(_own(ppr, rpr))
        self.raw = {}
        self.formats: dict[tuple[bytes, bytes], _Format] = {}
        for s in root.iter(_w("style")):
            based = s.find(_w("basedOn"))
            self.raw[s.get(_w("styleId"))] = (based.get(_w("val")) if based is not None else None,
                                              _own(s.find(_w("pPr")), s.find(_w("rPr"))))
            if s.get(_w("default")) == "1" and s.get(_w("type")) == "paragraph":
                self.normal = s.get(_w("styleId"))

    def get(self, style_id: str | None) -> dict[str, float]:
        chain, seen = [], set()
        sid = style_id or getattr(self, "normal", None)
        while sid in self.raw and sid not in seen:
            seen.add(sid)
            based, own = self.raw[sid]
            chain.append(own)
            sid = based
        out = dict(self.default)
        for own in reversed(chain):
            out.update(own)
        return out


def _own(ppr, rpr) -> dict[str, float]:
    """Size (pt), spacing before and after (pt) and line spacing (a
    multiple) that a pPr and rPr set themselves."""
    out: dict[str, float] = {}
    sp = ppr.find(_w("spacing")) if ppr is not None else None
    if sp is not None:
        for key in ("before", "after"):
            if sp.get(_w(key)) is not None:
                out[key] = int(sp.get(_w(key))) / 20
        if sp.get(_w("line")) is not None and sp.get(_w("lineRule"), "auto") == "auto":
            out["line"] = int(sp.get(_w("line"))) / 240
    sz = rpr.find(_w("sz")) if rpr is not None else None
    if sz is not None:
        out["size"] = int(sz.get(_w("val"))) / 2
    return out


class _Format:
    """What a paragraph's height depends on besides its text."""

    __slots__ = ("size", "line", "space", "sans", "indent")

    def __init__(self, p, styles: _Styles):
        ppr = p.find(_w("pPr"))
        style = ppr.find(_w("pStyle")) if ppr is not None else None
        props = styles.get(style.get(_w("val")) if style is not None else None)
        props.update(_own(ppr, None))
        rpr = p.find(f"{_w('r')}/{_w('rPr')}")
        sz = rpr.find(_w("sz")) if rpr is not None else None
        fonts = rpr.find(_w("rFonts")) if rpr is not None else None
        ind = ppr.find(_w("ind")) if ppr is not None else None
        self.size = int(sz.get(_w("val"))) / 2 if sz is not None else props["size"]
        self.line = props["line"]
        self.space = props["before"] + props["after"]
        self.sans = fonts is not None and fonts.get(_w("eastAsia")) in _SANS
        self.indent = int(ind.get(_w("left"), "0")) if ind is not None else 0


def _format(p, styles: _Styles) -> _Format:
    """The paragraph's _Format, looked up by its markup: a long table's
    thousands of cells share a few."""
    ppr = p.find(_w("pPr"))
    rpr = p.find(f"{_w('r')}/{_w('rPr')}")
    key = (b"" if ppr is None else etree.tostring(ppr), b"" if rpr is None else etree.tostring(rpr))
    fmt = styles.formats.get(key)
    if fmt is None:
        fmt = styles.formats[key] = _Format(p, styles)
    return fmt


def _paragraph_height(p, styles: _Styles, width: float | None) -> float:
    """Points a paragraph takes, its spacing included; `width` in twips
    (None: as wide as its text, as a noWrap cell prints it)."""
    fmt = _format(p, styles)
    text = "".join(p.itertext(_w("t")))
    if not text:
        return 15.75 * fmt.line / 1.15 + fmt.space
    lines = 1 if width is None else _lines(text, fmt.size, width - fmt.indent)
    if text.isascii():
        factor = _LATIN_LINE
    else:
        factor = _SANS_LINE if fmt.sans else _CJK_LINE
    return lines * factor * fmt.size * fmt.line + fmt.space


_TOKEN = re.compile(r"[!-~]+| +|.", re.S)  # a Latin word, a run of spaces, or one character


def _lines(text: str, size: float, width: float) -> int:
    """Lines `text` wraps into in `width` twips, set as LibreOffice sets it:
    a line holds as many whole characters (Latin: whole words) as fit, a
    Chinese character an em wide, a space a quarter, anything else half;
    a little wider than they print, so that it wraps no later."""
    em = size * 20 * 1.02
    if text.isascii() and " " not in text:
        return 1  # one word: LibreOffice does not break it
    lines, used = 1, 0.0
    for token in _TOKEN.findall(text):
        if token[0] == " ":
            used += 0.25 * em * len(token)  # spaces hang at a line's end
            continue
        w = em if len(token) == 1 and text_units(token) == 2 else 0.5 * em * len(token)
        if used + w > width and used > 0:
            lines += 1
            used = 0.0
        used += w
    return lines


def _cell_height(tc, styles: _Styles) -> float:
    pr = tc.find(_w("tcPr"))
    no_wrap = pr is not None and pr.find(_w("noWrap")) is not None
    width = None if no_wrap else _cell_width(pr) - _CELL_MARGINS
    return _CELL_PAD + sum(_paragraph_height(p, styles, width) for p in tc.iter(_w("p")))


def _merge(tc) -> str | None:
    """"restart", "continue" or None: the cell's part in a vertical merge."""
    v = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return None if v is None else v.get(_w("val"), "continue")


def _grid(tr) -> list[tuple[int, object]]:
    """Each cell of a row with the grid column it starts at."""
    out, col = [], 0
    for tc in tr.findall(_w("tc")):
        out.append((col, tc))
        span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
        col += int(span.get(_w("val"))) if span is not None else 1
    return out


def _row_height(tr, styles: _Styles) -> float:
    """The row's height without the cells merged down into others."""
    heights = [_cell_height(tc, styles) for _, tc in _grid(tr) if _merge(tc) is None]
    return max(heights, default=15.75)


def _rows_height(rows, styles: _Styles) -> float:
    """Height of rows printed as a table's first: a cell merged down over
    rows too low for its text makes the last of them taller. (LibreOffice
    does not do that when it repeats them on the next page.)"""
    heights = [_row_height(tr, styles) for tr in rows]
    grids = [dict(_grid(tr)) for tr in rows]
    for r, grid in enumerate(grids):
        for col, tc in grid.items():
            if _merge(tc) != "restart":
                continue
            end = r + 1
            while end < len(grids) and col in grids[end] and _merge(grids[end][col]) == "continue":
                end += 1
            heights[end - 1] += max(0.0, _cell_height(tc, styles) - sum(heights[r:end]))
    return sum(heights)


def _cell_width(pr) -> float:
    w = pr.find(_w("tcW")) if pr is not None else None
    return float(w.get(_w("w"), "0")) if w is not None and w.get(_w("type"), "dxa") == "dxa" else 0.0


def _is_header(tr) -> bool:
    return tr.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None


class _Page:
    """A section's page: its height for text and its width, in points and
    twips."""

    def __init__(self, sect):
        size, margin = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
        self.height = (int(size.get(_w("h"))) - int(margin.get(_w("top"))) - int(margin.get(_w("bottom")))) / 20
        self.width = int(size.get(_w("w"))) - int(margin.get(_w("left"))) - int(margin.get(_w("right")))


def _sections(body) -> list:
    """Each body element's section properties (those of the paragraph that
    ends its section, or the body's last)."""
    children = list(body)
    out = [None] * len(children)
    current = body.find(_w("sectPr"))
    for i in range(len(children) - 1, -1, -1):
        own = children[i].find(f"{_w('pPr')}/{_w('sectPr')}")
        if own is not None:
            current = own
        out[i] = current
    return out


def _split_body(body, styles: _Styles, threshold: int) -> bool:
    """Cut the long tables in `body`; whether any was cut."""
    children = list(body)
    sections = _sections(body)
    top: float | None = 0.0  # points used on the current page, when known
    changed = False
    for i, el in enumerate(children):
        sect = sections[i]
        if el.tag == _w("p"):
            ppr = el.find(_w("pPr"))
            if ppr is not None and ppr.find(_w("pageBreakBefore")) is not None:
                top = 0.0
            if top is not None and sect is not None:
                top += _paragraph_height(el, styles, float(_Page(sect).width))
            if ppr is not None and ppr.find(_w("sectPr")) is not None:
                top = 0.0  # the next section starts a page
        elif el.tag == _w("tbl"):
            if top is not None and sect is not None:
                changed |= _split_table(el, _Page(sect), top, styles, threshold)
            top = None
    return changed


def _split_table(tbl, page: _Page, top: float, styles: _Styles, threshold: int) -> bool:
    rows = tbl.findall(_w("tr"))
    n_head = 0
    while n_head < len(rows) and _is_header(rows[n_head]):
        n_head += 1
    body = rows[n_head:]
    if len(body) <= threshold or n_head == 0:
        return False
    if any(r.find(f".//{_w('vMerge')}") is not None for r in body):
        return False  # a cut would break a merge in two
    head = _rows_height(rows[:n_head], styles)
    cuts = _page_breaks([_row_height(r, styles) for r in body], head, page.height - top, page.height - _BREAK_HEIGHT)
    if not cuts:
        return False
    header = rows[:n_head]
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)])]
    anchor = tbl
    for piece in pieces[1:]:
        brk = _page_break(tbl)
        anchor.addnext(brk)
        # made in the body's document and placed before rows move into it:
        # moving an element from one lxml document into another is what
        # grows with the square of the body (see write/docx.py)
        table = tbl.makeelement(tbl.tag, {})
        brk.addnext(table)
        table.extend(deepcopy(part) for part in tbl if part.tag != _w("tr"))
        table.extend(deepcopy(r) for r in header)
        table.extend(piece)
        anchor = table
    return True


# The paragraph that starts each table after the first on a new page: as
# low as LibreOffice sets a line (its exact height in twips), so that the
# page holds what it held before.
_BREAK_TWIPS = 2
_BREAK_HEIGHT = _BREAK_TWIPS / 20


def _page_break(near):
    p = near.makeelement(_w("p"), {})
    ppr = etree.SubElement(p, _w("pPr"))
    etree.SubElement(ppr, _w("pageBreakBefore"))
    etree.SubElement(ppr, _w("spacing"), {_w("before"): "0", _w("after"): "0", _w("line"): str(_BREAK_TWIPS),
                                          _w("lineRule"): "exact"})
    rpr = etree.SubElement(ppr, _w("rPr"))
    etree.SubElement(rpr, _w("sz"), {_w("val"): "2"})
    return p


def _page_breaks(heights: list[float], head: float, first: float, rest: float) -> list[int]:
    """Indexes of the body rows that begin a page: the header prints at the
    top of each page, `first` points are free on the table's first page and
    `rest` on the others."""
    cuts: list[int] = []
    room, used = first, head
    for i, h in enumerate(heights):
        if used + h > room - _SLACK:
            if i == 0:
                room = rest  # not even one row fits: the table starts on the next page
            elif not cuts or cuts[-1] < i:  # (a row higher than a page runs over, whatever is done)
                cuts.append(i)
                room, used = rest, head
        used += h
    return cuts
