"""XLSX in, XLSX out: the findings as cell notes, and a fill on the cells
concerned (light red: error, amber: warning, light blue: info).

The model's `Source.block`/`Source.row` count the blocks the XLSX reader
makes, sheet after sheet; the reader itself keeps no sheet or sheet row.
So each sheet is read again with the reader's own `_sheet_blocks` (the
same blocks, and where one sheet's blocks end) and each block found again
in the sheet's rows by its texts, in order. A block that cannot be found
leaves its findings to the summary note rather than a wrong cell.

openpyxl writes the workbook back: formulas, styles, merged cells and
column widths are kept; what openpyxl does not load (images, charts, the
values cached with formulas) is not in the copy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from ..audit.finding import Finding
from ..definitions import squash
from ..model import Disclosure
from ..read.blocks import ParagraphBlock, TableBlock
from ..read.xlsx import _sheet_blocks, _text, check_workbook
from .places import Place, comment_text, locate_cell, places, summary_text

AUTHOR = "yusuan"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
_WORST = ("error", "warning", "info")
# a note wide enough for a sentence of a message; its height grows with the
# text, as a note does not scroll in Excel's default view
_NOTE_WIDTH = 360
_CHARS_PER_LINE = 24
_LINE_HEIGHT = 16


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a block is: its sheet and the sheet row of each of its rows
    (one for a paragraph; none for the sheet's name read as a title)."""

    sheet: str
    block: ParagraphBlock | TableBlock
    rows: tuple[int, ...]


def annotate_xlsx(data: bytes, d: Disclosure, findings: Sequence[Finding]) -> bytes:
    """The workbook with one note per cell a finding is placed on (see
    places.py; two findings on one cell share its note) and one summary
    note, on the first sheet's first filled cell, for those with no place."""
    from openpyxl import load_workbook

    check_workbook(data)
    # the reader reads cached values; the copy keeps the formulas
    origins = _origins(load_workbook(BytesIO(data), data_only=True))
    wb = load_workbook(BytesIO(data))
    notes: dict[tuple[str, int, int], list[Finding]] = {}
    unplaced: list[Finding] = []
    for place in places(d, findings):
        at = _cell_of(place, origins, wb)
        if at is None:
            unplaced.append(place.finding)
        else:
            notes.setdefault(at, []).append(place.finding)
    if not notes and not unplaced:
        return data
    for (sheet, row, col), fs in notes.items():
        cell = wb[sheet].cell(row=row, column=col)
        # a cell carries one note, so findings sharing it share the note,
        # which says how many it holds lest the second be overlooked
        head = [f"yusuan：本格 {len(fs)} 项发现"] if len(fs) > 1 else []
        _note(cell, "\n\n".join(head + [comment_text(f) for f in fs]))
        worst = min((f.severity for f in fs), key=lambda s: _WORST.index(s) if s in _WORST else len(_WORST))
        if worst in FILLS:
            from openpyxl.styles import PatternFill

            cell.fill = PatternFill(fill_type="solid", start_color=FILLS[worst], end_color=FILLS[worst])
    if unplaced:
        ws = wb.worksheets[0]
        row, col = _first_filled(ws)
        _note(ws.cell(row=row, column=col), summary_text(unplaced))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _note(cell, text: str) -> None:
    """`text` as the cell's note; after the note already there, if any, so
    a cell keeps one note."""
    from openpyxl.comments import Comment

    if cell.comment is not None and cell.comment.text:
        text = f"{cell.comment.text}\n\n{text}"
    lines = sum(max(1, math.ceil(len(line) / _CHARS_PER_LINE)) for line in text.split("\n"))
    cell.comment = Comment(text, AUTHOR, height=lines * _LINE_HEIGHT + 12, width=_NOTE_WIDTH)


# -- blocks found again in the sheets --------------------------------------

def _origins(values) -> dict[int, _Origin]:
    """Block index → its origin, for every block found again."""
    blocks: list = []
    out: dict[int, _Origin] = {}
    for ws in values.worksheets:
        first = len(blocks)
        _sheet_blocks(ws, blocks)
        words = {r: [_text(c) for c in row] for r, row in enumerate(ws.iter_rows(), start=1)}
        nxt = 1
        for b in blocks[first:]:
            r = next((k for k in range(nxt, len(words) + 1) if any(words[k])), None)
            if isinstance(b, ParagraphBlock):
                if r is not None and "".join(t for t in words[r] if t) == b.text:
                    out[b.index] = _Origin(ws.title, b, (r,))
                    nxt = r + 1
                elif b.text == ws.title:  # the sheet's name as the title of its one table
                    out[b.index] = _Origin(ws.title, b, ())
                else:
                    break
                continue
            k = next((i for i, row in enumerate(b.rows) if any(c.text for c in row.cells)), None)
            if k is None or r is None or r - k < 1:
                break
            printed = [c.text for c in b.rows[k].cells if c.text]
            if [t for t in words[r][:b.width] if t] != printed:
                break
            start = r - k
            out[b.index] = _Origin(ws.title, b, tuple(range(start, start + len(b.rows))))
            nxt = start + len(b.rows)
    return out


def _cell_of(place: Place, origins: dict[int, _Origin], wb) -> tuple[str, int, int] | None:
    """(sheet, row, column) of the cell a place's note goes on: the cell
    itself; for a sentence the cell holding it; for a block its first
    filled cell. None: no place, or its block not found again."""
    if place.kind == "none" or place.block is None or place.block not in origins:
        return None
    o = origins[place.block]
    if not o.rows:
        row, col = _first_filled(wb[o.sheet])
        return o.sheet, row, col
    if isinstance(o.block, ParagraphBlock):
        row = wb[o.sheet][o.rows[0]]
        filled = [c for c in row if c.value is not None and str(c.value).strip()]
        if not filled:
            return None
        quote = place.quote
        at = next((c for c in filled if quote and quote in squash(str(c.value))), filled[0])
        return o.sheet, at.row, at.column
    if place.kind == "cell" and place.row is not None and 0 <= place.row < len(o.block.rows):
        cells = o.block.rows[place.row].cells
        j = locate_cell(place, [c.text for c in cells])
        if j is None and place.column is None:  # the whole row: its first filled cell
            j = next((i for i, c in enumerate(cells) if c.text), None)
        if j is None:
            return None
        return o.sheet, *_top_left(wb[o.sheet], o.rows[place.row], (cells[j].col or 0) + 1)
    for r, row in zip(o.rows, o.block.rows):
        first = next((c for c in row.cells if c.text), None)
        if first is not None:
            return o.sheet, *_top_left(wb[o.sheet], r, (first.col or 0) + 1)
    return None


def _top_left(ws, row: int, col: int) -> tuple[int, int]:
    """A merged cell's note goes on the merge's first cell, the one that
    holds its value (the others cannot carry a note)."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _first_filled(ws) -> tuple[int, int]:
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and str(c.value).strip():
                return c.row, c.column
    return 1, 1
