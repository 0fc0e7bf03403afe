"""Rebuild the grid of a table whose source lost horizontal merges (Tika text).

In a text export a merged header cell appears once and a vertically merged
continuation appears as an empty cell, so rows have different cell counts.
Header rows are placed from the bottom up: an empty cell below means the cell
above stands alone (it was merged downwards); a run of filled cells below is
shared among the cells above, split where the table definition puts the
columns in different groups (收入 | 支出). Body rows that are short are
aligned to the right, since merges in a body row join its label cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..definitions import TableDef, squash
from . import limits
from .blocks import Cell


def place_row_right(cells: list[Cell], width: int, kinds: Sequence[str | None] = ()) -> list[Cell]:
    """Place a body row; a short row's missing columns are the ones its
    merged label spans (合计 over the code and name columns), so that label
    takes them and the amounts after it keep one column each. `kinds` are
    the columns' kinds where the table's header is known."""
    n = len(cells)
    if n >= width or not cells:
        return [Cell(c.text, i, 1) for i, c in enumerate(cells)]
    first = _merged_cell(cells, kinds)
    span = width - (n - 1)
    placed = [Cell(c.text, i, 1) for i, c in enumerate(cells[:first])]
    placed.append(Cell(cells[first].text, first, span))
    placed += [Cell(c.text, first + span + i, 1) for i, c in enumerate(cells[first + 1 :])]
    return placed


def _merged_cell(cells: list[Cell], kinds: Sequence[str | None]) -> int:
    """The first cell that can be a merged label: a row number in a 序号
    column numbers the row and is not merged with the label after it (a
    label over 序号 too, such as 合计, is no number and stays first)."""
    k = 0
    while k < len(cells) - 1 and k < len(kinds) and kinds[k] == "seq" and squash(cells[k].text).isdigit():
        k += 1
    return k


def place_header(rows: list[list[Cell]], width: int, tdef: TableDef | None) -> list[list[Cell]]:
    """Place header rows (top first), given the grid width."""
    # the width placed here is a header path and a column each, later
    limits.check("table_columns", width)
    limits.check("table_rows", len(rows))
    placed: list[list[Cell] | None] = [None] * len(rows)
    for i in range(len(rows) - 1, -1, -1):
        cells = rows[i]
        if len(cells) >= width or i == len(rows) - 1:
            placed[i] = place_row_right(cells, width)
        else:
            placed[i] = _place_above(cells, placed[i + 1], tdef)
    return placed  # type: ignore[return-value]


def _place_above(upper: list[Cell], lower: list[Cell], tdef: TableDef | None) -> list[Cell]:
    groups = _group_of(lower, tdef)
    out: list[Cell] = []
    u = 0
    j = 0
    while j < len(lower) and u < len(upper):
        if not lower[j].text:
            out.append(Cell(upper[u].text, lower[j].col, lower[j].span))
            u += 1
            j += 1
            continue
        k = j
        while k < len(lower) and lower[k].text:
            k += 1
        run = lower[j:k]
        empties_after = sum(1 for c in lower[k:] if not c.text)
        runs_after = _count_runs(lower[k:])
        m = max(1, len(upper) - u - empties_after - runs_after)
        for seg in _split(run, m, groups[j:k]):
            if u >= len(upper):
                break
            first, last = seg[0], seg[-1]
            out.append(Cell(upper[u].text, first.col, (last.col or 0) + last.span - (first.col or 0)))
            u += 1
        j = k
    return out


def _count_runs(cells: list[Cell]) -> int:
    runs, inside = 0, False
    for c in cells:
        if c.text and not inside:
            runs += 1
        inside = bool(c.text)
    return runs


def _group_of(lower: list[Cell], tdef: TableDef | None) -> list[str | None]:
    """The definition group of each filled cell, matched in column order."""
    out: list[str | None] = [None] * len(lower)
    if tdef is None:
        return out
    defs = tdef.columns
    p = 0
    for i, c in enumerate(lower):
        if not c.text:
            continue
        t = squash(c.text)
        for q in range(p, len(defs)):
            if defs[q].header.search(t):
                out[i] = defs[q].group_name
                p = q + 1
                break
    return out


def _split(run: list[Cell], m: int, groups: list[str | None]) -> list[list[Cell]]:
    if m <= 1 or len(run) <= 1:
        return [run]
    if m >= len(run):  # more header cells above than below them (a damaged header): one each
        return [[c] for c in run]
    # 1. where the definition's groups change
    segs: list[list[Cell]] = []
    seg_groups: list[str | None] = []
    for c, g in zip(run, groups):
        if segs and g is not None and g == seg_groups[-1]:
            segs[-1].append(c)
        else:
            segs.append([c])
            seg_groups.append(g)
    if len(segs) == m:
        return segs
    # 2. where the first header repeats (项目 … 项目 in a two-sided table)
    first = squash(run[0].text)
    starts = [i for i, c in enumerate(run) if squash(c.text) == first]
    if len(starts) == m:
        return [run[a:b] for a, b in zip(starts, [*starts[1:], len(run)])]
    # 3. evenly, else one each with the rest to the last
    if len(run) % m == 0:
        size = len(run) // m
        return [run[i : i + size] for i in range(0, len(run), size)]
    return [[c] for c in run[: m - 1]] + [run[m - 1 :]]
