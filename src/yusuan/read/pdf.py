"""PDF (text layer) → block stream, with the page of every paragraph and
table row.

pypdfium2 gives the text runs with their boxes and the page's path objects;
both are first set in the page's upright reading frame (a page turned by
/Rotate, or a table set sideways, is turned so its text runs left to right).
Tables are rebuilt from the ruling lines: the x of every vertical line and
the y of every horizontal line make a grid, a missing stretch of line between
two grid cells merges them (across or down), and each run of text goes to
the cell its centre falls in. White or unpainted paths (cell backgrounds, a
spreadsheet's print area) print no rule: they never split a cell. A grid of
one cell is a frame round text, not a table. Text outside the tables is set
into lines and the lines into paragraphs (a line that reaches the right
margin continues in the next). A table that ends a page and one that starts
the next with the same columns are one table; a repeated header is dropped,
and a row the page break cut in two is joined.

A page with no text layer that shows a picture (a scan) is read by OCR
(ocr.py, the optional extra yusuan[ocr]): the characters it recognises and
the rules seen in the picture stand in for the text layer's characters and
the page's paths, and everything above runs on them unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, groupby, repeat
from operator import add, attrgetter, mul, neg, not_, sub
from types import SimpleNamespace

from . import limits
from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from ..cli_text import read_message
from .errors import ReadError

TOL = 2.0  # points: lines closer than this are the same line
_INFO = re.compile(r"单位[：:]|预算年度|截止(时间|日期)")
# A line starting like a list item (5、 （三） 2.) starts a paragraph even
# when the line before it happens to end at the margin.
_LIST_ITEM = re.compile(
    r"^\s*(\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|第[一二三四五六七八九十]+部分|注[：:])"
)
_PAGE_NUMBER = re.compile(r"^[-—–─\s]*\d{1,4}[-—–─\s]*$|^第\s*\d+\s*页")


class Run:
    """One printed character and its box. Its centre and height are worked
    out once: the table and line passes read them for every character many
    times over."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "index", "cx", "cy", "height")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float, index: int = -1) -> None:
        if y1 < y0:  # y0 is the bottom, y1 the top
            y0, y1 = y1, y0
        self.text = text
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.index = index  # the character's index on its page
        self.cx = (x0 + x1) / 2
        self.cy = (y0 + y1) / 2
        self.height = y1 - y0

    def __repr__(self) -> str:
        return f"Run({self.text!r}, {self.x0}, {self.y0}, {self.x1}, {self.y1}, {self.index})"


_TEXT, _X0, _X1, _Y0, _Y1, _HEIGHT, _CX, _CY = (
    attrgetter(a) for a in ("text", "x0", "x1", "y0", "y1", "height", "cx", "cy"))


@dataclass(slots=True)
class Segment:
    a: float  # the fixed coordinate (y of a horizontal line, x of a vertical one)
    lo: float
    hi: float
    unseen: bool = False  # the edge of a white background, not a printed rule


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]  # top to bottom (descending)
    rows: list[TableRow] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    regions: int = 0  # cells after merging
    open_top: bool = False  # its first row has no rule above (cut by the page)

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def within(self, runs: list[Run]) -> list[Run]:
        """The runs whose centre falls inside the grid, in page order."""
        left, right = self.xs[0] - TOL, self.xs[-1] + TOL
        bottom, top = self.bottom - TOL, self.top + TOL
        return [r for r in runs if left <= r.cx <= right and bottom <= r.cy <= top]


# -- extraction ----------------------------------------------------------------
class _Frame:
    """The upright reading frame of a page: the page's user space turned by
    `quarter` quarter turns clockwise (and moved to start at 0, 0), so text
    runs left to right and the first line is at the top. A landscape table
    is often set on a portrait page turned by /Rotate, or drawn sideways on
    an upright page: either way its characters run up or down the page, and
    the direction of the text, not the page's /Rotate, says how to turn it."""

    __slots__ = ("quarter", "left", "bottom", "right", "top", "width", "height")

    def __init__(self, quarter: int, box: tuple[float, float, float, float]) -> None:
        self.quarter = quarter % 4
        self.left, self.bottom, self.right, self.top = box
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.quarter % 2 else (w, h)

    def boxes(self, x0s, y0s, x1s, y1s) -> tuple[list[float], list[float], list[float], list[float]]:
        """Boxes of user space in the frame, given and returned as four
        lists (left, bottom, right, top). Turned a quarter clockwise, a
        box's left edge becomes its top; the lists are worked on whole, as a
        page has thousands of boxes."""
        q = self.quarter

        def less(values, by):  # value − by
            return list(map(sub, values, repeat(by)))

        def from_(by, values):  # by − value
            return list(map(sub, repeat(by), values))

        if q == 0:
            return less(x0s, self.left), less(y0s, self.bottom), less(x1s, self.left), less(y1s, self.bottom)
        if q == 1:
            return less(y0s, self.bottom), from_(self.right, x1s), less(y1s, self.bottom), from_(self.right, x0s)
        if q == 2:
            return from_(self.right, x1s), from_(self.top, y1s), from_(self.right, x0s), from_(self.top, y0s)
        return from_(self.top, y1s), less(x0s, self.left), from_(self.top, y0s), less(x1s, self.left)


@lru_cache(maxsize=1)
def _calls():
    """The pdfium functions the per-object and per-character loops call,
    typed to take and give plain addresses and numbers: pypdfium2's own
    bindings wrap every object handle they return in a pointer object,
    which costs more than the call. Same functions, same library, same
    calling convention."""
    import ctypes

    import pypdfium2.raw as raw

    address, c_int = ctypes.c_void_p, ctypes.c_int

    def typed(fn, restype, *argtypes):
        plain = type(fn)(ctypes.cast(fn, address).value)
        plain.restype, plain.argtypes = restype, argtypes
        return plain

    return SimpleNamespace(
        count_objects=typed(raw.FPDFPage_CountObjects, c_int, address),
        get_object=typed(raw.FPDFPage_GetObject, address, address, c_int),
        count_form_objects=typed(raw.FPDFFormObj_CountObjects, c_int, address),
        get_form_object=typed(raw.FPDFFormObj_GetObject, address, address, ctypes.c_ulong),
        object_type=typed(raw.FPDFPageObj_GetType, c_int, address),
        bounds=typed(raw.FPDFPageObj_GetBounds, c_int, address, address, address, address, address),
        draw_mode=typed(raw.FPDFPath_GetDrawMode, c_int, address, address, address),
        fill_colour=typed(raw.FPDFPageObj_GetFillColor, c_int, address, address, address, address, address),
        stroke_colour=typed(raw.FPDFPageObj_GetStrokeColor, c_int, address, address, address, address, address),
        generated=typed(raw.FPDFText_IsGenerated, c_int, address, c_int),
        loose_box=typed(raw.FPDFText_GetLooseCharBox, c_int, address, c_int, address),
        char_angle=typed(raw.FPDFText_GetCharAngle, ctypes.c_float, address, c_int),
        font_info=typed(raw.FPDFText_GetFontInfo, ctypes.c_ulong, address, c_int, address, ctypes.c_ulong, address),
        font_size=typed(raw.FPDFText_GetFontSize, ctypes.c_double, address, c_int),
    )


def _address(handle) -> int:
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value


def _frame(page, textpage) -> _Frame:
    """The quarter turns that set most of the page's characters upright
    (pdfium gives a character's angle clockwise from the x axis); a page
    without text takes its /Rotate."""
    import math

    calls = _calls()
    generated, angle_of = calls.generated, calls.char_angle
    handle = _address(textpage.raw)
    n = textpage.count_chars()
    votes = [0, 0, 0, 0]
    step = max(n // 64, 1)  # a sample is enough: a page has one direction
    sample = range(0, n, step)
    for made, angle in zip(map(generated, repeat(handle), sample), map(angle_of, repeat(handle), sample)):
        if made or angle < 0:  # pdfium's own character, or no such character
            continue
        votes[round(-math.degrees(angle) / 90) % 4] += 1
    quarter = max(range(4), key=lambda q: votes[q]) if any(votes) else page.get_rotation() // 90
    return _Frame(quarter, page.get_cropbox())


def _runs(textpage, frame: _Frame) -> list[Run]:
    """One run per printed character, with its loose box (the font's full
    height, so the characters of a line share one band whatever their
    shape) in the page's reading frame. Characters pdfium generates (line
    breaks, spaces for gaps) are left out; printed spaces stay.

    A page has thousands of characters: pdfium is called for them by
    `map` and their boxes are read in one slice, not in a Python loop."""
    import ctypes

    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: fall back to one call each
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
    calls = _calls()
    handle = _address(textpage.raw)
    left_out = [m.start() for m in _BREAK.finditer(text)]
    # pdfium generates only spaces and line breaks (CPDF_TextPage's
    # GenerateCharInfo), so only a space needs asking whether it was printed
    spaces = [m.start() for m in _SPACE.finditer(text)]
    if spaces:
        made = list(compress(spaces, map(calls.generated, repeat(handle), spaces)))
        if made:
            left_out = sorted(left_out + made)
    keep = _all_but(left_out, n)
    m = len(keep)
    if not m:
        return []
    # FS_RECTF is left, top, right, bottom: four floats a character
    boxes = (ctypes.c_float * (4 * m))()
    start = ctypes.addressof(boxes)
    found = list(map(calls.loose_box, repeat(handle, m), keep, range(start, start + 16 * m, 16)))
    corners = boxes[:]
    if not all(found):
        _refill(corners, found)
    left, top, right, bottom = corners[0::4], corners[1::4], corners[2::4], corners[3::4]
    if frame.quarter or frame.left or frame.bottom:
        left, bottom, right, top = frame.boxes(left, bottom, right, top)
    return list(map(Run, map(text.__getitem__, keep), left, bottom, right, top, keep))


_SPACE = re.compile(" ")
_BREAK = re.compile("[\r\n]")


def _all_but(left_out: list[int], n: int) -> list[int]:
    """range(n) without the (ascending) numbers `left_out`, made a stretch
    between two of them at a time: a page leaves out a character a line."""
    keep: list[int] = []
    start = 0
    for i in left_out:
        keep += range(start, i)
        start = i + 1
    keep += range(start, n)
    return keep


def _refill(corners: list[float], found: list[int]) -> None:
    """A character pdfium gives no box for keeps the box of the character
    before it (the first, an empty box): one box used to be filled in turn
    for every character, and a failed call left it as it was."""
    for k, ok in enumerate(found):
        if not ok:
            corners[4 * k: 4 * k + 4] = corners[4 * k - 4: 4 * k] if k else [0.0] * 4


def _segments(page, frame: _Frame) -> tuple[list[Segment], list[Segment]]:
    calls = _calls()
    paths = _paths(_address(page.raw), calls)
    hs, vs = [], []
    for x0, y0, x1, y1, white in zip(*_bounds(paths, calls, frame), _unseen(paths, calls)):
        w, h = x1 - x0, y1 - y0
        if h <= TOL and w > TOL:
            hs.append(Segment((y0 + y1) / 2, x0, x1, white))
        elif w <= TOL and h > TOL:
            vs.append(Segment((x0 + x1) / 2, y0, y1, white))
        elif w > TOL and h > TOL:
            # a filled or stroked rectangle: its four edges
            hs += [Segment(y0, x0, x1, white), Segment(y1, x0, x1, white)]
            vs += [Segment(x0, y0, y1, white), Segment(x1, y0, y1, white)]
    return _joined(hs), _joined(vs)


def _bounds(paths: list[int], calls, frame: _Frame) -> tuple[list[float], ...]:
    """The paths' boxes in the frame, as four lists (left, bottom, right,
    top). A page of ruled tables has thousands of paths: pdfium is called
    for them by `map`, into one array, as `_runs` reads the characters."""
    import ctypes

    n = len(paths)
    corners = (ctypes.c_float * (4 * n))()  # left, bottom, right, top a path
    start = ctypes.addressof(corners)
    at = [range(start + 4 * k, start + 16 * n, 16) for k in range(4)]
    if not all(map(calls.bounds, paths, *at)):
        raise _raw_error("Failed to locate pageobject.")
    values = corners[:]
    return frame.boxes(values[0::4], values[1::4], values[2::4], values[3::4])


def _raw_error(message: str) -> Exception:
    from pypdfium2 import PdfiumError

    return PdfiumError(message)


# pdfium's page object types (fpdf_edit.h)
_UNKNOWN, _PATH, _FORM = 0, 2, 5


def _paths(page: int, calls) -> list[int]:
    """The page's path objects, and those of the forms drawn on it (one
    level down), in drawing order, as pypdfium2's get_objects(max_depth=2)
    gives them (and failing as it does); read straight from pdfium, since a
    page holds thousands of text objects that are only skipped."""
    kind, get = calls.object_type, calls.get_object
    n = calls.count_objects(page)
    if n < 0:
        raise _raw_error("Failed to get number of pageobjects.")
    objs = list(map(get, repeat(page, n), range(n)))
    kinds = list(map(kind, objs))  # a missing object (NULL) is of no type
    if _FORM not in kinds and _UNKNOWN not in kinds:  # nothing to open, nothing wrong
        return list(compress(objs, map(_PATH.__eq__, kinds)))
    return _collected(page, n, get, calls, open_forms=True)


def _collected(container: int, n: int, get, calls, open_forms: bool) -> list[int]:
    """The path objects among a page's or a form's `n` objects, one at a
    time, failing on a missing or untyped one; a form on the page gives its
    own paths, a form within a form nothing (get_objects' max_depth=2)."""
    out = []
    for i in range(n):
        obj = get(container, i)
        if not obj:
            raise _raw_error("Failed to get pageobject.")
        t = calls.object_type(obj)
        if t == _PATH:
            out.append(obj)
        elif t == _FORM and open_forms:
            n_inner = calls.count_form_objects(obj)
            if n_inner < 0:
                raise _raw_error("Failed to get number of pageobjects.")
            out += _collected(obj, n_inner, calls.get_form_object, calls, open_forms=False)
        elif t == _UNKNOWN:
            raise _raw_error("Failed to determine pageobject type.")
    return out


def _unseen(paths: list[int], calls) -> list[bool]:
    """Whether each path is painted white (or not painted): a cell's
    background, a spreadsheet's print area, a white rule. Its edges print
    nothing, so they never split a table's cells; they may only widen the
    grid (a title inside a print area), and an empty column that adds is
    dropped. pdfium is asked by `map` for all the paths at once."""
    import ctypes

    n = len(paths)
    modes = (ctypes.c_int * (2 * n))()  # fill mode, stroke mode a path
    start = ctypes.addressof(modes)
    known = list(map(calls.draw_mode, paths, range(start, start + 8 * n, 8), range(start + 4, start + 8 * n, 8)))
    painted = modes[:]  # a path pdfium gives no modes for is left 0: no colour is asked
    fill = _white(paths, painted[0::2], calls.fill_colour)
    stroke = _white(paths, painted[1::2], calls.stroke_colour)
    return [bool(k) and f and s for k, f, s in zip(known, fill, stroke)]


def _white(paths: list[int], painted: list[int], colour) -> list[bool]:
    """For each path, whether it is not painted this way (fill or stroke),
    or painted in white or in a colour fully transparent; a colour pdfium
    cannot give counts as seen."""
    import ctypes

    out = [True] * len(paths)
    which = list(compress(range(len(paths)), painted))
    k = len(which)
    if not k:
        return out
    rgba = (ctypes.c_uint * (4 * k))()
    start = ctypes.addressof(rgba)
    at = [range(start + 4 * j, start + 16 * k, 16) for j in range(4)]
    found = list(map(colour, map(paths.__getitem__, which), *at))
    values = rgba[:]
    for i, ok, r, g, b, a in zip(which, found, values[0::4], values[1::4], values[2::4], values[3::4]):
        out[i] = bool(ok) and not (a and min(r, g, b) < 250)
    return out


_A, _LO = attrgetter("a"), attrgetter("lo")


def _joined(segments: list[Segment]) -> list[Segment]:
    """A rule drawn in pieces (one per cell, with hairline gaps between) as
    one line, so the pieces of a table hold together."""
    out: list[Segment] = []
    line: list[Segment] = []  # the pieces on one line (the same a)
    for s in sorted(segments, key=_A) + [None]:
        if s is not None and (not line or s.a - line[0].a <= TOL / 2):
            line.append(s)
            continue
        line.sort(key=_LO)
        start = len(out)
        for piece in line:
            last = out[-1] if len(out) > start else None
            if last is not None and piece.lo <= last.hi + TOL and piece.unseen == last.unseen:
                if piece.hi > last.hi:  # max(), spelt out: this runs once a piece
                    last.hi = piece.hi
            else:
                out.append(Segment(piece.a, piece.lo, piece.hi, piece.unseen))
        line = [s]
    return out


# -- tables --------------------------------------------------------------------
def _clusters(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of horizontal and vertical lines that touch: one per table."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # the vertical lines by x, so each horizontal line meets only those
    # within its length (a line at no number, NaN, meets none)
    order = sorted((j for j, v in enumerate(vs) if v.a == v.a), key=lambda j: vs[j].a)
    keys = [vs[j].a for j in order]
    n = len(hs)
    for i, h in enumerate(hs):
        lo, hi = h.lo - TOL, h.hi + TOL
        for j in order[bisect_left(keys, lo):bisect_right(keys, hi)]:
            v = vs[j]
            if lo <= v.a <= hi and v.lo - TOL <= h.a <= v.hi + TOL:
                a, b = find(i), find(n + j)
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


def _grid(hs: list[Segment], vs: list[Segment]) -> Grid:
    xs = _places(vs)
    ys = _places(hs)
    # a row cut off by the page: the columns' lines run on past the last
    # rule (the border between the pages is drawn on neither)
    seen_vs = [v for v in vs if not v.unseen] or vs
    top, bottom = max(v.hi for v in seen_vs), min(v.lo for v in seen_vs)
    open_top = top > ys[-1] + 2 * TOL
    if open_top:
        ys.append(top)
    if bottom < ys[0] - 2 * TOL:
        ys.insert(0, bottom)
    return Grid(xs, ys[::-1], open_top=open_top)


def _places(segments: list[Segment]) -> list[float]:
    """The positions of the grid's lines, ascending: the printed rules, and
    the outermost unseen edge beyond them on either side (a print area
    holding the title): an unseen edge never splits a cell."""
    seen = [s.a for s in segments if not s.unseen]
    if not seen:
        return _positions([s.a for s in segments])
    lo, hi = min(seen), max(seen)
    below = [s.a for s in segments if s.unseen and s.a < lo - TOL]
    above = [s.a for s in segments if s.unseen and s.a > hi + TOL]
    return _positions(seen + ([min(below)] if below else []) + ([max(above)] if above else []))


def _fill(grid: Grid, hs: list[Segment], vs: list[Segment], page: int) -> None:
    """Regions of merged grid cells, their text, and the block rows. Only a
    printed rule parts two cells."""
    xs, ys = grid.xs, grid.ys
    hs = [s for s in hs if not s.unseen] or hs
    vs = [s for s in vs if not s.unseen] or vs
    nr = len(ys) - 1
    region, bounds = _regions(xs, ys, hs, vs)
    texts = _cell_runs(grid.runs, xs, ys, region)
    grid.regions = len(bounds)
    by_row: dict[int, list[tuple[int, int]]] = {}
    for root, (r0, r1, c0, _) in bounds.items():
        for r in range(r0, r1 + 1):
            by_row.setdefault(r, []).append((c0, root))
    for r in range(nr):
        row = []
        for c0, root in sorted(by_row.get(r, [])):
            r0, _, _, c1 = bounds[root]
            # below the top of a vertical merge: an empty continuation, as DOCX has
            text = _cell_text(texts.get(root), xs[c1 + 1]) if r == r0 else ""
            row.append(Cell(text=text, col=c0, span=c1 - c0 + 1))
        grid.rows.append(TableRow(cells=row, page=page))


def _regions(xs: list[float], ys: list[float], hs: list[Segment], vs: list[Segment]):
    """The grid's cells merged where no printed rule parts them: the region
    of every cell, and each region's rows and columns (first row, last row,
    first col, last col). A cell is numbered row by row (r × columns + c), so
    the smallest number of a region, its top-left cell, names it."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell names the region

    # the rules along each inner column line and each inner row line, found
    # once by position (a long table has as many row rules as rows), as the
    # stretches their middle must fall in to part two cells
    down, across = _Near(vs), _Near(hs)
    columns = [_reaches(down.at(xs[c + 1])) for c in range(nc - 1)]
    for r in range(nr):
        mid = (ys[r + 1] + ys[r]) / 2
        for c in range(nc - 1):
            if not _inside(columns[c], mid):
                union(r * nc + c, r * nc + c + 1)
    mids = [(xs[c] + xs[c + 1]) / 2 for c in range(nc)]
    for r in range(nr - 1):
        rules = _reaches(across.at(ys[r + 1]))
        for c in range(nc):
            if not _inside(rules, mids[c]):
                union(r * nc + c, (r + 1) * nc + c)
    # cells come row by row, so a region's first row is its root's
    roots = [find(k) for k in range(nr * nc)]
    bounds: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    k = 0
    for r in range(nr):
        for c in range(nc):
            root = roots[k]
            k += 1
            b = bounds.get(root)
            if b is None:
                bounds[root] = [r, r, c, c]
                sizes[root] = 1
                continue
            b[1] = r
            if c < b[2]:
                b[2] = c
            if c > b[3]:
                b[3] = c
            sizes[root] += 1
    squared = False
    for root, b in list(bounds.items()):
        if sizes[root] != (b[1] - b[0] + 1) * (b[3] - b[2] + 1):
            _square(root, b, nc, parent, find, bounds)
            squared = True
    return ([find(k) for k in range(nr * nc)] if squared else roots), bounds


def _reaches(rules: list[Segment]) -> list[tuple[float, float]]:
    return [(s.lo - TOL, s.hi + TOL) for s in rules]


def _inside(reaches: list[tuple[float, float]], mid: float) -> bool:
    """Whether one of the rules on the line between two cells runs past the
    middle of their common edge."""
    for lo, hi in reaches:
        if lo <= mid <= hi:
            return True
    return False


def _cell_runs(runs: list[Run], xs: list[float], ys: list[float], region: list[int]) -> dict[int, list[Run]]:
    """The runs of each region, in page order: a run goes to the cell its
    centre falls in (one at the edge, to the nearest cell)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    neg_ys = [-y for y in ys]
    if any(v != v for v in neg_ys) or any(v != v for v in xs):  # a line at no number: no order to search
        rows = (min(max(bisect_right(neg_ys, -r.cy) - 1, 0), nr - 1) + 1 for r in runs)
        cols = (min(max(bisect_right(xs, r.cx) - 1, 0), nc - 1) + 1 for r in runs)
    else:
        # the row and column of each run, from 1, found by map: searching
        # only between the first and the last line clamps a run beyond the
        # grid's edge (within TOL of it) to the first or last cell
        rows = map(bisect_right, repeat(neg_ys), map(neg, map(_CY, runs)), repeat(1), repeat(nr))
        cols = map(bisect_right, repeat(xs), map(_CX, runs), repeat(1), repeat(nc))
    # row r, column c from 1 is cell (r − 1) × nc + (c − 1): r × nc + c, less nc + 1
    cells = list(map((([-1] * (nc + 1)) + region).__getitem__, map(add, map(mul, rows, repeat(nc)), cols)))
    # the runs gathered cell by cell: a stable sort keeps each cell's in page order
    by_cell = sorted(range(len(runs)), key=cells.__getitem__)
    return {cell: list(map(runs.__getitem__, members))
            for cell, members in groupby(by_cell, key=cells.__getitem__)}


class _Near:
    """Lines sorted by their fixed coordinate, to find those at a place
    without looking at every line."""

    def __init__(self, segments: list[Segment]) -> None:
        # a line at no number (NaN) is at no place, and would unsort the keys
        self.segments = sorted((s for s in segments if s.a == s.a), key=lambda s: s.a)
        self.keys = [s.a for s in self.segments]

    def at(self, place: float) -> list[Segment]:
        """The lines within TOL of `place` (the window searched is wider,
        so rounding cannot lose one)."""
        lo = bisect_left(self.keys, place - 2 * TOL)
        hi = bisect_right(self.keys, place + 2 * TOL)
        return [s for s in self.segments[lo:hi] if abs(s.a - place) <= TOL]


def _is_frame(grid: Grid) -> bool:
    """A grid whose lines enclose one cell (stray lines inside that close
    no cell merge away)."""
    return grid.regions == 1 or len(grid.xs) == 2 and len(grid.ys) == 2


def _trim(grid: Grid, vs: list[Segment]) -> None:
    """Drop an empty column at either side of the grid that only an unseen
    background's edge closes (a print area wider than the table): nothing
    of the table is printed there; a cell spanning into it loses a column."""

    def unseen_edge(x: float) -> bool:
        at = [s for s in vs if abs(s.a - x) <= TOL]
        return bool(at) and all(s.unseen for s in at)

    def empty(cell: Cell, col: int) -> bool:
        return col in range(cell.col, cell.col + cell.span) and (cell.span > 1 or not cell.text)

    while len(grid.xs) > 2 and unseen_edge(grid.xs[0]) and all(
            row.cells and empty(row.cells[0], 0) for row in grid.rows):
        for row in grid.rows:
            first = row.cells[0]
            if first.span == 1:
                row.cells.pop(0)
            else:
                first.span -= 1
            for cell in row.cells:
                cell.col = max(cell.col - 1, 0)
        grid.xs.pop(0)
    while len(grid.xs) > 2 and unseen_edge(grid.xs[-1]) and all(
            row.cells and empty(row.cells[-1], len(grid.xs) - 2) for row in grid.rows):
        for row in grid.rows:
            if row.cells[-1].span == 1:
                row.cells.pop()
            else:
                row.cells[-1].span -= 1
        grid.xs.pop()


def _square(root: int, b: list[int], nc: int, parent: list[int], find, bounds: dict) -> None:
    """A region that is not a rectangle (an L where an unruled margin meets
    a ruled block, e.g. a page-wide background behind a title) keeps the
    rectangle its top-left cell opens; its other cells stand alone, so no
    two cells of a row overlap."""
    r0, r1, _, c1 = b
    c0 = root % nc  # the region's first cell in its first row
    members = [(r, c) for r in range(r0, r1 + 1) for c in range(b[2], c1 + 1) if find(r * nc + c) == root]
    inside = set(members)
    right = c0
    while right + 1 <= c1 and (r0, right + 1) in inside:
        right += 1
    bottom = r0
    while bottom + 1 <= r1 and all((bottom + 1, c) in inside for c in range(c0, right + 1)):
        bottom += 1
    for r, c in members:
        cell = r * nc + c
        if r > bottom or not c0 <= c <= right:
            parent[cell] = cell
            bounds[cell] = [r, r, c, c]
        else:
            parent[cell] = root
    b[1], b[2], b[3] = bottom, c0, right


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs set into lines, top to bottom, left to right."""
    lines: list[list[Run]] = []
    last: list[Run] = []
    ref = None
    for run in _reading_order(runs):
        if ref is not None:
            # max() of the two heights, spelt out: this runs once a character
            h = run.height if run.height > ref.height else ref.height
            if abs(run.cy - ref.cy) < h * 0.6:
                last.append(run)
                continue
        last = [run]
        ref = run
        lines.append(last)
    for line in lines:
        line.sort(key=_X0)
    return lines


def _reading_order(runs: list[Run]) -> list[Run]:
    """The runs top to bottom, left to right: in the order of the key
    (−cy, x0). Two stable sorts by one number each, x0 and then cy
    downwards, give that order without a key tuple per run; a coordinate
    at no number (NaN) compares unlike any other, so then the tuples decide."""
    total = sum(map(_CY, runs), sum(map(_X0, runs)))  # NaN if any is (or an inf meets a −inf)
    if total != total:
        keys = list(zip(map(neg, map(_CY, runs)), map(_X0, runs)))
        return list(map(runs.__getitem__, sorted(range(len(runs)), key=keys.__getitem__)))
    ordered = sorted(runs, key=_X0)
    ordered.sort(key=_CY, reverse=True)  # stable: equal heights keep their order by x0
    return ordered


def _join(line: list[Run], gaps: bool = False) -> str:
    """The characters of a line. Runs of spaces come out of the PDF as one
    space glyph followed by a gap; the gap gives back the missing spaces.
    With `gaps`, a wide gap with no space printed in it (an info line's
    parts set apart: 部门：  XX厅  单位：万元) is a space."""
    texts = list(map(_TEXT, line))
    if not gaps and " " not in texts:
        return "".join(texts)
    out = []
    prev = None
    for r in line:
        if prev is not None:
            if prev.text == " ":
                width = prev.x1 - prev.x0
                gap = r.x0 - prev.x1
                if width > 0 and gap >= 0.6 * width:
                    out.append(" " * round(gap / width))
            elif gaps and r.text != " ":
                h = r.height if r.height > prev.height else prev.height
                if r.x0 - prev.x1 >= 2 * h:
                    out.append(" ")
        out.append(r.text)
        prev = r
    return "".join(out)


def _cell_text(runs: list[Run] | None, right: float) -> str:
    """Wrapped lines join directly (Chinese has no spaces); a line that stops
    short of the cell's right edge ends a paragraph of the cell."""
    if not runs:
        return ""
    if len(runs) == 1:
        return clean_cell(runs[0].text)
    lines = _lines(runs)
    out = ""
    for i, line in enumerate(lines):
        out += _join(line, gaps=True)
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
    style: tuple = ()  # (font size, boldness) of its first character
    end_style: tuple = ()  # and of its last: a bold lead-in ends in body text


def _page_lines(runs: list[Run]) -> list[_Line]:
    out = []
    for line in _lines(runs):
        out.append(_Line(_join(line), min(map(_X0, line)), max(map(_X1, line)),
                         max(map(_Y1, line)), min(map(_Y0, line)), max(map(_HEIGHT, line)), line))
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
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError.say("encrypted_pdf") from None
        raise ReadError.say("damaged_pdf", detail=msg) from None
    # every page's text and rules are analysed, in the time of a page each
    try:
        limits.check("pdf_pages", len(pdf))
    except ReadError:
        pdf.close()
        raise
    return pdf


def parse_pdf(data: bytes, unread_pages: list[int] | None = None) -> Document:
    """The PDF's block stream. A page without a text layer (a scan) is read
    by OCR when `yusuan[ocr]` is installed; otherwise its number goes to
    `unread_pages` (the reading goes on with the other pages), and a PDF
    of nothing but such pages is refused."""
    pdf = _open(data)
    try:
        items: list[_Item] = []
        chars = 0
        scans: list[int] = []
        unmapped: list[int] = []
        ocr_pages = limits.Tally("ocr_pages")  # seconds a page: a file of blank-font pages must not take hours
        for index in range(len(pdf)):
            page = pdf[index]
            number = index + 1
            textpage = page.get_textpage()
            frame = _frame(page, textpage)
            width, height = frame.width, frame.height
            runs = _runs(textpage, frame)
            hs, vs = _segments(page, frame)
            # the text layer's characters but spaces, for the two tests below
            printed = "".join("".join(map(_TEXT, runs)).split())
            if _scanned(page, printed):
                scans.append(number)
                if _ocr_available():
                    ocr_pages.add()
                runs, hs, vs, width, height = _ocr(page, frame, runs, hs, vs)
            elif _unmapped(printed):
                # the glyphs are drawn, only their characters are lost: a
                # picture of the page reads like a scan
                unmapped.append(number)
                if _ocr_available():
                    ocr_pages.add()
                    runs, hs, vs, width, height = _ocr(page, frame, runs, hs, vs)
                else:
                    runs = []
            if not chars:
                chars = sum(len(r.text) for r in runs)
            grids = []
            for h_group, v_group in _clusters(hs, vs):
                g = _grid(h_group, v_group)
                if len(g.xs) < 2 or len(g.ys) < 2:
                    continue  # lines that enclose nothing
                g.runs = g.within(runs)
                _fill(g, h_group, v_group, number)
                _trim(g, v_group)
                # a box with one cell frames text (a border round the page,
                # a boxed note): its text is set as paragraphs
                if not _is_frame(g):
                    grids.append(g)
            if grids:
                inside: set[int] = set()
                for g in grids:
                    inside.update(map(id, g.runs))
                free = list(compress(runs, map(not_, map(inside.__contains__, map(id, runs)))))
            else:
                free = runs
            page_items = [_Item(number, g.top, grid=g, page_width=round(width)) for g in grids]
            fonts = _Fonts(textpage.raw)
            for line in _page_lines(free):
                # the face of the line's first Chinese character: Latin
                # digits come from another font in the same paragraph
                first = next((r for r in line.runs if r.text >= "\u2e80"), line.runs[0])
                line.style = fonts.style(first.index)
                last = next((r for r in reversed(line.runs) if r.text >= "\u2e80"), line.runs[-1])
                line.end_style = line.style if last is first else fonts.style(last.index)
                # running page numbers and headers sit in the margins
                if (line.bottom < height * 0.08 or line.top > height * 0.95) and _PAGE_NUMBER.match(line.text):
                    continue
                page_items.append(_Item(number, line.top, line=line, page_width=round(width)))
            page_items.sort(key=lambda it: -it.top)
            items += page_items
            textpage.close()
            page.close()
        if chars == 0:
            raise ReadError(_nothing_read(scans, unmapped))
        if unread_pages is not None and not _ocr_available():
            unread_pages += sorted(scans + unmapped)
        return _assemble(items)
    finally:
        pdf.close()


# -- pages without a text layer ----------------------------------------------------
# A scan may carry a few characters of real text (a stamped page number, a
# watermark); a page with a text layer has far more.
_SCAN_MAX_CHARS = 20
_SCAN_MIN_PICTURE = 0.25  # of the page's area: a logo or a seal is no scan


def _scanned(page, printed: str) -> bool:
    """A page with no or nearly no text layer (`printed`: its characters
    but spaces) that shows a picture."""
    if len(printed) >= _SCAN_MAX_CHARS:
        return False
    import pypdfium2.raw as raw

    area = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        area += (x1 - x0) * (y1 - y0)
    w, h = page.get_size()
    return area >= _SCAN_MIN_PICTURE * w * h


# A font without a Unicode map gives pdfium its glyph numbers instead of
# characters: control and private-use characters, U+FFFD, or, where the
# numbers fall in ASCII, runs of punctuation with no Chinese among them.
_UNMAPPED_MIN_CHARS = 20
_GARBAGE_SHARE = 0.3
_ASCII_SYMBOLS = frozenset("!\"#$%&'()*+/:;<=>?@[\\]^_`{|}~")  # not . , - of printed numbers


_GARBAGE = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _unmapped(printed: str) -> bool:
    """A text layer (`printed`: its characters but spaces) that gives no
    usable text though it has characters."""
    if len(printed) < _UNMAPPED_MIN_CHARS:
        return False
    garbage = len(_GARBAGE.findall(printed))
    if not _CHINESE.search(printed):
        garbage += sum(printed.count(ch) for ch in _ASCII_SYMBOLS)
    return garbage >= _GARBAGE_SHARE * len(printed)


def _ocr_available() -> bool:
    from .ocr import available

    return available()


def _ocr(page, frame: _Frame, runs: list[Run], hs: list[Segment], vs: list[Segment]):
    """A scanned page's characters and rules, read from its picture, and
    the size of its upright frame (a table scanned on its side is read
    turned); the page as it was when OCR is not installed."""
    if not _ocr_available():
        return runs, hs, vs, frame.width, frame.height
    from .ocr import read_page

    r = read_page(page, frame.width, frame.height)
    return r.runs, r.hs, r.vs, r.width, r.height


def _nothing_read(scans: list[int], unmapped: list[int]) -> str:
    if unmapped and not _ocr_available():
        return read_message("pdf_no_unicode")
    if not scans and not unmapped:
        return read_message("blank_pdf")
    if _ocr_available():
        return read_message("ocr_found_nothing")
    return read_message("scan_needs_ocr")


def _same_columns(a: Grid, b: Grid) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= TOL * 2 for x, y in zip(a.xs, b.xs))


def _row_key(row: TableRow) -> tuple:
    return tuple((c.col, c.span, c.text) for c in row.cells)


def _repeated_header(previous: list[TableRow], rows: list[TableRow]) -> int:
    """How many of a continuation's first rows repeat the previous part's
    header. The header is matched wherever it starts among the previous
    part's lead rows (an info line, a title, a table number, filler), which
    the continuation need not repeat."""
    starts = [0]
    for i, row in enumerate(previous[:-1]):
        texts = [c.text for c in row.cells if c.text]
        if len(texts) <= 1 or any(_INFO.search(t) for t in texts):
            starts.append(i + 1)
        else:
            break
    best = 0
    for k in starts:
        n = 0
        while n < len(rows) and k + n < len(previous) and _row_key(rows[n]) == _row_key(previous[k + n]):
            n += 1
        best = max(best, n)
    return best


_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def _cut_row(last: TableRow, first: TableRow) -> bool:
    """Whether a page's first row, open at the top, is the rest of the
    previous page's last row: words only, each under a cell of that row
    which has text (a name wrapped over the page break), no amount."""
    texts = {c.col: c.text for c in first.cells if c.text}
    if not texts or any(_NUMBER.match(t.replace(" ", "")) for t in texts.values()):
        return False
    before = {c.col: (c.span, c.text) for c in last.cells}
    spans = {c.col: c.span for c in first.cells}
    return all(col in before and before[col][1] and before[col][0] == spans[col] for col in texts)


def _join_cut_row(last: TableRow, rest: TableRow) -> None:
    texts = {c.col: c.text for c in rest.cells if c.text}
    for cell in last.cells:
        if cell.col in texts:
            cell.text += texts[cell.col]


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
                same_style = prev.end_style == ln.style
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
            # continued from the previous page: drop a repeated header, and
            # join a row the page break cut in two
            rows = rows[_repeated_header(last_table.rows, rows):]
            if rows and g.open_top and _cut_row(last_table.rows[-1], rows[0]):
                _join_cut_row(last_table.rows[-1], rows.pop(0))
            last_table.rows += rows
        else:
            last_table = TableBlock(rows=rows, width=len(g.xs) - 1, index=len(doc.blocks), page=it.page)
            doc.blocks.append(last_table)
        last_grid, last_page = g, it.page
    flush()
    return doc


class _Fonts:
    """The font of a page's characters. Font size and font name of a
    character: a heading or caption set in another face than the body is
    another paragraph. A character read by OCR has no font: all such lines
    share one style."""

    def __init__(self, handle) -> None:
        import ctypes

        self.calls = _calls()
        self.handle = _address(handle)
        self.name = ctypes.create_string_buffer(128)
        self.name_at = ctypes.addressof(self.name)
        self.flags = ctypes.c_int()
        self.flags_at = ctypes.addressof(self.flags)

    def style(self, index: int) -> tuple:
        if index < 0:
            return ()
        import ctypes

        calls, handle, size = self.calls, self.handle, len(self.name)
        n = calls.font_info(handle, index, self.name_at, size, self.flags_at)
        # a name too long for the buffer is not copied: no name, as ever
        name = ctypes.string_at(self.name_at, n - 1) if 0 < n <= size else b""
        return round(calls.font_size(handle, index)), _bold(name)


@lru_cache(maxsize=256)
def _bold(name: bytes) -> bool:
    """Whether a font's name says it is bold (a document has few fonts)."""
    text = name.decode("utf-8", "replace").lower()
    return any(w in text for w in ("bold", "black", "heavy", "hei"))


def _centred(line: _Line, left: float, right: float) -> bool:
    # an indented line that runs to the right margin is justified text with
    # its first-line indent (首行缩进), however close to 2 ems the margins make
    # the two gaps; a full-width line from margin to margin may be a title
    if right - line.x1 < 0.5 * line.em and line.x0 - left > 1.2 * line.em:
        return False
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
