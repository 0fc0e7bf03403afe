"""PDF (text layer) → block stream, with the page of every paragraph and
table row.

pypdfium2 gives the text runs with their boxes and the page's path objects;
tables are rebuilt from the ruling lines: the x of every vertical line and
the y of every horizontal line make a grid, a missing stretch of line between
two grid cells merges them (across or down), and each run of text goes to
the cell its centre falls in. Text outside the tables is set into lines and
the lines into paragraphs (a line that reaches the right margin continues in
the next). A table that ends a page and one that starts the next with the
same columns are one table; a repeated header is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from .errors import ReadError

TOL = 2.0  # points: lines closer than this are the same line
_INFO = re.compile(r"单位[：:]|预算年度|截止(时间|日期)")
# A line starting like a list item (5、 （三） 2.) starts a paragraph even
# when the line before it happens to end at the margin.
_LIST_ITEM = re.compile(
    r"^\s*(\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|第[一二三四五六七八九十]+部分|注[：:])"
)
_PAGE_NUMBER = re.compile(r"^[-—\s]*\d{1,4}[-—\s]*$|^第\s*\d+\s*页")


@dataclass(slots=True)
class Run:
    text: str
    x0: float
    y0: float  # bottom
    x1: float
    y1: float  # top
    index: int = -1  # the character's index on its page

    def __post_init__(self) -> None:
        if self.y1 < self.y0:
            self.y0, self.y1 = self.y1, self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Segment:
    a: float  # the fixed coordinate (y of a horizontal line, x of a vertical one)
    lo: float
    hi: float


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]  # top to bottom (descending)
    rows: list[TableRow] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def contains(self, r: Run) -> bool:
        return self.xs[0] - TOL <= r.cx <= self.xs[-1] + TOL and self.bottom - TOL <= r.cy <= self.top + TOL


# -- extraction ----------------------------------------------------------------
def _runs(textpage) -> list[Run]:
    """One run per printed character, with its loose box (the font's full
    height, so the characters of a line share one band whatever their
    shape). Characters pdfium generates (line breaks, spaces for gaps) are
    left out; printed spaces stay."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: fall back to one call each
        text = [chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n)]
    handle = textpage.raw
    box = raw.FS_RECTF()
    out = []
    for i in range(n):
        ch = text[i]
        if ch in "\r\n" or raw.FPDFText_IsGenerated(handle, i):
            continue
        raw.FPDFText_GetLooseCharBox(handle, i, box)
        out.append(Run(ch, box.left, box.bottom, box.right, box.top, i))
    return out


def _segments(page) -> tuple[list[Segment], list[Segment]]:
    import pypdfium2.raw as raw

    hs, vs = [], []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        w, h = x1 - x0, y1 - y0
        if h <= TOL and w > TOL:
            hs.append(Segment((y0 + y1) / 2, x0, x1))
        elif w <= TOL and h > TOL:
            vs.append(Segment((x0 + x1) / 2, y0, y1))
        elif w > TOL and h > TOL and obj.get_bounds():
            # a filled or stroked rectangle: its four edges
            hs += [Segment(y0, x0, x1), Segment(y1, x0, x1)]
            vs += [Segment(x0, y0, y1), Segment(x1, y0, y1)]
    return hs, vs


# -- tables --------------------------------------------------------------------
def _clusters(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of horizontal and vertical lines that touch: one per table."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - TOL <= v.a <= h.hi + TOL and v.lo - TOL <= h.a <= v.hi + TOL:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
    return out


def _covered(segments: list[Segment], at: float, lo: float, hi: float) -> bool:
    mid = (lo + hi) / 2
    return any(abs(s.a - at) <= TOL and s.lo - TOL <= mid <= s.hi + TOL for s in segments)


def _grid(hs: list[Segment], vs: list[Segment]) -> Grid:
    xs = _positions([v.a for v in vs])
    ys = sorted(_positions([h.a for h in hs]), reverse=True)
    return Grid(xs, ys)


def _fill(grid: Grid, hs: list[Segment], vs: list[Segment], page: int) -> None:
    """Regions of merged grid cells, their text, and the block rows."""
    xs, ys = grid.xs, grid.ys
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell names the region

    for r in range(nr):
        for c in range(nc - 1):
            if not _covered(vs, xs[c + 1], ys[r + 1], ys[r]):
                union((r, c), (r, c + 1))
    for r in range(nr - 1):
        for c in range(nc):
            if not _covered(hs, ys[r + 1], xs[c], xs[c + 1]):
                union((r, c), (r + 1, c))
    # each region's rows and columns: (first row, last row, first col, last col)
    bounds: dict[tuple[int, int], list[int]] = {}
    for (r, c) in parent:
        b = bounds.setdefault(find((r, c)), [r, r, c, c])
        b[0], b[1], b[2], b[3] = min(b[0], r), max(b[1], r), min(b[2], c), max(b[3], c)
    texts: dict[tuple[int, int], list[Run]] = {}
    neg_ys = [-y for y in ys]
    for run in grid.runs:
        r = min(max(bisect_right(neg_ys, -run.cy) - 1, 0), nr - 1)
        c = min(max(bisect_right(xs, run.cx) - 1, 0), nc - 1)
        texts.setdefault(find((r, c)), []).append(run)
    by_row: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for root, (r0, r1, c0, _) in bounds.items():
        for r in range(r0, r1 + 1):
            by_row.setdefault(r, []).append((c0, root))
    for r in range(nr):
        row = []
        for c0, root in sorted(by_row.get(r, [])):
            r0, _, _, c1 = bounds[root]
            span = c1 - c0 + 1
            # below the top of a vertical merge: an empty continuation, as DOCX has
            text = _cell_text(texts.get(root, []), xs[c1 + 1]) if r == r0 else ""
            row.append(Cell(text=text, col=c0, span=span))
        grid.rows.append(TableRow(cells=row, page=page))


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs set into lines, top to bottom, left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.cy, r.x0)):
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(run.cy - ref.cy) < max(ref.height, run.height) * 0.6:
                last.append(run)
                continue
        lines.append([run])
    for line in lines:
        line.sort(key=lambda r: r.x0)
    return lines


def _join(line: list[Run]) -> str:
    """The characters of a line. Runs of spaces come out of the PDF as one
    space glyph followed by a gap; the gap gives back the missing spaces."""
    out = []
    prev = None
    for r in line:
        if prev is not None and prev.text == " ":
            width = prev.x1 - prev.x0
            gap = r.x0 - prev.x1
            if width > 0 and gap >= 0.6 * width:
                out.append(" " * round(gap / width))
        out.append(r.text)
        prev = r
    return "".join(out)


def _cell_text(runs: list[Run], right: float) -> str:
    """Wrapped lines join directly (Chinese has no spaces); a line that stops
    short of the cell's right edge ends a paragraph of the cell."""
    lines = _lines(runs)
    out = ""
    for i, line in enumerate(lines):
        out += _join(line)
        if i < len(lines) - 1:
            em = max(r.height for r in line)
            out += "" if right - line[-1].x1 < 2.5 * em else "\n"
    return clean_cell(out)


# -- paragraphs ------------------------------------------------------------------
@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    em: float
    runs: list[Run]
    style: tuple = ()  # (font size, font name) of its first character


def _page_lines(runs: list[Run]) -> list[_Line]:
    out = []
    for line in _lines(runs):
        out.append(_Line(_join(line), min(r.x0 for r in line), max(r.x1 for r in line),
                         max(r.y1 for r in line), min(r.y0 for r in line), max(r.height for r in line), line))
    return out


# -- the document ------------------------------------------------------------------
@dataclass
class _Item:
    page: int
    top: float
    line: _Line | None = None
    grid: Grid | None = None
    page_width: float = 0.0


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError("encrypted PDF: it needs a password to open") from None
        raise ReadError(f"damaged or truncated PDF ({msg})") from None


def parse_pdf(data: bytes) -> Document:
    import pypdfium2.raw as pdfium_raw

    pdf = _open(data)
    try:
        items: list[_Item] = []
        chars = 0
        for index in range(len(pdf)):
            page = pdf[index]
            number = index + 1
            width, height = page.get_size()
            textpage = page.get_textpage()
            runs = _runs(textpage)
            chars += sum(len(r.text) for r in runs)
            hs, vs = _segments(page)
            grids = []
            for h_group, v_group in _clusters(hs, vs):
                g = _grid(h_group, v_group)
                g.runs = [r for r in runs if g.contains(r)]
                _fill(g, h_group, v_group, number)
                grids.append(g)
            inside = {id(r) for g in grids for r in g.runs}
            free = [r for r in runs if id(r) not in inside]
            page_items = [_Item(number, g.top, grid=g, page_width=round(width)) for g in grids]
            for line in _page_lines(free):
                # the face of the line's first Chinese character: Latin
                # digits come from another font in the same paragraph
                first = next((r for r in line.runs if r.text >= "\u2e80"), line.runs[0])
                line.style = _style(pdfium_raw, textpage.raw, first.index)
                # running page numbers and headers sit in the margins
                if (line.bottom < height * 0.08 or line.top > height * 0.95) and _PAGE_NUMBER.match(line.text):
                    continue
                page_items.append(_Item(number, line.top, line=line, page_width=round(width)))
            page_items.sort(key=lambda it: -it.top)
            items += page_items
            textpage.close()
            page.close()
        if chars == 0:
            raise ReadError("the PDF has no text layer (a scanned image?); it needs OCR before yusuan can read it")
        return _assemble(items)
    finally:
        pdf.close()


def _same_columns(a: Grid, b: Grid) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= TOL * 2 for x, y in zip(a.xs, b.xs))


def _row_key(row: TableRow) -> tuple:
    return tuple((c.col, c.span, c.text) for c in row.cells)


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """The text block's left edge, and its right edge: where long lines
    usually end (punctuation may hang a little past it, so not the maximum)."""
    left = min((ln.x0 for ln in lines), default=0.0)
    widest = max((ln.x1 for ln in lines), default=0.0)
    long_ends = sorted(ln.x1 for ln in lines if ln.x1 - left >= 0.8 * (widest - left))
    return left, long_ends[len(long_ends) // 2] if long_ends else widest


def _assemble(items: list[_Item]) -> Document:
    doc = Document(format="pdf")
    # margins per page width: landscape pages have their own
    by_width: dict[float, list[_Line]] = {}
    for it in items:
        if it.line:
            by_width.setdefault(it.page_width, []).append(it.line)
    margins = {w: _margins(lines) for w, lines in by_width.items()}
    paragraph: list[_Line] = []
    para_page = 0
    last_table: TableBlock | None = None
    last_grid: Grid | None = None
    last_page = 0

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            text = "".join(ln.text for ln in paragraph).strip()
            if text:
                doc.blocks.append(ParagraphBlock(text=text, index=len(doc.blocks), page=para_page))
            paragraph = []

    for it in items:
        if it.line is not None:
            ln = it.line
            left_margin, right_margin = margins[it.page_width]
            if paragraph:
                prev = paragraph[-1]
                centred = _centred(prev, left_margin, right_margin) and _centred(ln, left_margin, right_margin)
                full = right_margin - prev.x1 < 1.5 * prev.em or (
                    centred and prev.x1 - prev.x0 >= 0.9 * (right_margin - left_margin))
                indented = ln.x0 - left_margin > 1.2 * ln.em
                close = prev.bottom - ln.top < 1.2 * max(prev.em, ln.em) or it.page != para_page
                same_style = prev.style == ln.style
                if not (full and (not indented or centred) and close and same_style and not _LIST_ITEM.match(ln.text)):
                    flush()
            if not paragraph:
                para_page = it.page
            paragraph.append(ln)
            continue
        g = it.grid
        # an info line (单位：…) printed just above a table belongs to it
        info_row = None
        if paragraph and _INFO.search(paragraph[-1].text) and paragraph[-1].bottom - g.top < 3 * paragraph[-1].em:
            info_row = paragraph.pop()
        rows = list(g.rows)
        if info_row is not None:
            rows.insert(0, TableRow(cells=_split_info(info_row, g), page=it.page))
        flush()
        # continued from the previous page: nothing printed in between
        continues = (last_table is not None and doc.blocks and doc.blocks[-1] is last_table
                     and last_grid is not None and _same_columns(last_grid, g) and it.page == last_page + 1)
        if continues:
            # continued from the previous page: drop a repeated header
            n = 0
            while n < len(rows) and n < len(last_table.rows) and _row_key(rows[n]) == _row_key(last_table.rows[n]):
                n += 1
            last_table.rows += rows[n:]
        else:
            last_table = TableBlock(rows=rows, width=len(g.xs) - 1, index=len(doc.blocks), page=it.page)
            doc.blocks.append(last_table)
        last_grid, last_page = g, it.page
    flush()
    return doc


def _style(raw, handle, index: int) -> tuple:
    """Font size and font name of a character: a heading or caption set in
    another face than the body is another paragraph."""
    import ctypes

    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(handle, index, buf, len(buf), ctypes.byref(flags))
    name = buf.raw[: max(n - 1, 0)].decode("utf-8", "replace").lower() if n else ""
    bold = any(w in name for w in ("bold", "black", "heavy", "hei"))
    return round(raw.FPDFText_GetFontSize(handle, index)), bold


def _centred(line: _Line, left: float, right: float) -> bool:
    return abs((line.x0 - left) - (right - line.x1)) < 2 * line.em


def _split_info(line: _Line, g: Grid) -> list[Cell]:
    """The info line's parts (department, 预算年度, 单位) as cells spread over
    the table's width, split where the printed gaps are (two ems or more)."""
    groups: list[list[Run]] = []
    for r in line.runs:
        if groups and r.x0 - groups[-1][-1].x1 < 2 * line.em:
            groups[-1].append(r)
        else:
            groups.append([r])
    parts = [t for t in (_join(grp).strip() for grp in groups) if t]
    n = len(g.xs) - 1
    spans = [n // len(parts) + (1 if i < n % len(parts) else 0) for i in range(len(parts))] if parts else []
    cells, col = [], 0
    for p, s in zip(parts, spans):
        cells.append(Cell(text=p, col=col, span=max(s, 1)))
        col += s
    return cells
