"""Where each finding goes in the original document, independent of format.

A finding names its place in the model's words (table id + row code/name +
column key; section + paragraph + quote). An annotator needs it in the
document's: the top-level block and the row within that table (the row's
`source`), and which cell of that row holds the column. The model does not
keep a column's physical position, so a `cell` place carries the texts the
source row is expected to print, in order (`expected`), and `target`, the
position of the finding's cell among them: `locate_cell` aligns that
sequence with the cells actually printed (longest common subsequence, an
amount compared as a number) and so finds the cell even when the same
amount is printed twice in the row, when two model rows share one printed
row (收入/支出 side by side) or when a table is printed transposed (三公).

The order of preference follows the issue: the finding's own cell; else the
cell it cites; else its sentence; else a whole block (a project's table, a
table's problem); else no place (the summary comment).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from ..audit.finding import Finding
from ..audit.rulebook import rules
from ..definitions import squash
from ..model import Disclosure, Paragraph, Row, Source, Table

PlaceKind = Literal["cell", "sentence", "block", "none"]


@dataclass(frozen=True, slots=True)
class Place:
    """`kind`:
    cell — `table`, `block` (the table's top-level block), `row` (the row
      within that table as read), `code`/`item` of the model row, `column`
      key, `text` the cell's expected printed text ("" for an empty cell;
      None when the finding names a whole row), `expected`/`target` for
      `locate_cell`, `cited` when it is the cell the finding compared with;
    sentence — `section` (as the finding names it), `paragraph` (index in
      its list), `block` the paragraph's top-level block, `quote` the words
      at fault with whitespace removed (None: the whole paragraph);
    block — `block` a whole paragraph or table (a project: the block is its
      title, its tables follow; a table with a problem), `quote` words of
      it or of the blocks right after it when known;
    none — nowhere exact: the summary comment.
    `page`/`line` are copied from the source where known."""

    kind: PlaceKind
    finding: Finding
    table: str | None = None
    block: int | None = None
    row: int | None = None
    code: str | None = None
    item: str | None = None
    column: str | None = None
    text: str | None = None
    expected: tuple[str | None, ...] = ()
    target: int | None = None
    cited: bool = False
    section: str | None = None
    paragraph: int | None = None
    quote: str | None = None
    page: int | None = None
    line: int | None = None


def places(d: Disclosure, findings: Sequence[Finding]) -> list[Place]:
    """One place per finding, in the findings' order."""
    return [place_of(d, f) for f in findings]


def place_of(d: Disclosure, f: Finding) -> Place:
    if f.table and (f.code or f.item):
        p = _cell(d, f, f.table, f.code, f.item, f.column, cited=False)
        if p is not None:
            return p
    # a text finding is about its sentence (the words that are wrong); the
    # cell it was compared with is where it goes only when the sentence
    # cannot be found
    p = _sentence(d, f)
    if p is not None:
        return p
    if f.cited_table and (f.cited_code or f.cited_item):
        p = _cell(d, f, f.cited_table, f.cited_code, f.cited_item, f.cited_column, cited=True)
        if p is not None:
            return p
    if f.project:
        proj = next((x for x in d.projects if squash(x.name) == squash(f.project)), None)
        if proj is not None and proj.source is not None and proj.source.block is not None:
            # the words quoted when they are in the project's own text (its
            # purpose, goal, indicators), not merely its name in the title
            body = " ".join([proj.purpose or "", proj.goal or "", *(" ".join(
                (i.level1, i.level2, i.level3, i.description, i.target, i.basis)) for i in proj.indicators)])
            return Place("block", f, block=proj.source.block, quote=_quote(f, body),
                         page=proj.source.page, line=proj.source.line)
    if f.table:
        t = _table(d, f.table)
        if t is not None and t.source is not None and t.source.block is not None:
            return Place("block", f, table=t.id, block=t.source.block, page=t.source.page, line=t.source.line)
    return Place("none", f, page=f.page, line=f.line)


# -- cells -----------------------------------------------------------------

def _table(d: Disclosure, tid: str) -> Table | None:
    return next((t for t in d.all_tables() if t.id == tid), None)


def find_row(table: Table, code: str | None, item: str | None) -> Row | None:
    """The model row a finding names: by code and name, else by code, else
    by name (a finding's item is the row's name with whitespace removed)."""
    want = squash(item) if item else None
    rows = table.rows
    if code:
        same = [r for r in rows if r.code == code]
        if want:
            both = [r for r in same if squash(r.name) == want]
            if both:
                return both[0]
        if same:
            return same[0]
    if want:
        return next((r for r in rows if squash(r.name) == want), None)
    return None


def printed(value: Decimal | None) -> str:
    """An amount as the model keeps it printed ("20.00" stays "20.00")."""
    return "" if value is None else str(value)


def _row_texts(table: Table, row: Row) -> list[tuple[str | None, str | None]]:
    """(column key, expected text) of one model row in column order: code
    and name first where the table has such columns, amounts and texts as
    the columns come."""
    out: list[tuple[str | None, str | None]] = []
    for c in table.columns:
        if c.kind == "code":
            out.append((c.key, row.code or ""))
        elif c.kind == "name" and (not row.side or c.side in (None, row.side)):
            out.append((c.key, row.name))
        elif c.key in row.amounts:
            out.append((c.key, printed(row.amounts[c.key])))
        elif c.key in row.texts:
            out.append((c.key, row.texts[c.key]))
    return out


def _cell(d: Disclosure, f: Finding, tid: str, code: str | None, item: str | None,
          column: str | None, cited: bool) -> Place | None:
    t = _table(d, tid)
    if t is None:
        return None
    row = find_row(t, code, item)
    if row is None or row.source is None or row.source.block is None:
        return None
    src = row.source
    # every model row read from the same printed row, in model order: their
    # columns in order are what that printed row shows left to right
    sharing = [r for r in t.rows if r.source is not None and r.source.block == src.block and r.source.row == src.row]
    expected: list[str | None] = []
    target = None
    for r in sharing:
        for key, text in _row_texts(t, r):
            if r is row and key == column and target is None:
                target = len(expected)
            expected.append(text)
    text = None
    if column is not None:
        if column in row.amounts:
            text = printed(row.amounts[column])
        elif column in row.texts:
            text = row.texts[column]
    return Place("cell", f, table=t.id, block=src.block, row=src.row, code=row.code, item=squash(row.name),
                 column=column, text=text, expected=tuple(expected), target=target, cited=cited,
                 page=src.page, line=src.line)


_NUM_STRIP = re.compile(r"[\s,，]")


def same_text(expected: str | None, cell: str) -> bool:
    """A printed cell equals what the model expects: as a number when both
    are numbers (1,234.50 = 1234.50), else as text without whitespace."""
    if expected is None:
        return False
    a, b = _NUM_STRIP.sub("", expected), _NUM_STRIP.sub("", cell)
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except (InvalidOperation, ValueError):
        return False


def locate_cell(place: Place, cells: Sequence[str]) -> int | None:
    """The index among `cells` (the printed row's cell texts, left to right)
    of the place's cell. The one cell printing the expected amount when
    there is one; else the cell the whole row's alignment puts there. None
    for a row-wide place (no column) or when nothing fits."""
    if place.kind != "cell" or place.column is None:
        return None
    hits = [i for i, c in enumerate(cells) if place.text and same_text(place.text, c)]
    if len(hits) == 1:
        return hits[0]
    aligned = _align(place.expected, cells).get(place.target) if place.target is not None else None
    if aligned is not None:
        return aligned
    return hits[0] if hits else None


def _align(expected: Sequence[str | None], cells: Sequence[str]) -> dict[int, int]:
    """Longest common subsequence of the expected texts and the printed
    cells: expected index → cell index. Empty expects empty."""
    n, m = len(expected), len(cells)

    def eq(i: int, j: int) -> bool:
        e = expected[i]
        return (e == "" and not cells[j].strip()) or bool(e) and same_text(e, cells[j])

    L = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            L[i][j] = L[i + 1][j + 1] + 1 if eq(i, j) else max(L[i + 1][j], L[i][j + 1])
    out, i, j = {}, 0, 0
    while i < n and j < m:
        if eq(i, j) and L[i][j] == L[i + 1][j + 1] + 1:
            out[i] = j
            i, j = i + 1, j + 1
        elif L[i + 1][j] >= L[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


# -- sentences -------------------------------------------------------------

_PARTS = {"封面": "cover", "前言": "preface", "主要职能": "duties", "总体绩效目标": "overall",
          "分项绩效目标": "targets", "工作保障措施": "measures"}


def paragraph_list(d: Disclosure, f: Finding) -> tuple[list[Paragraph], Source | None, str | None] | None:
    """The list of paragraphs the finding's `paragraph` indexes, the source
    of its heading, and the heading's text."""
    if f.section is None:
        if f.table and f.paragraph is not None:
            t = _table(d, f.table)
            if t is not None:
                return t.notes, t.source, None
        return None
    label = squash(f.section)
    for s in d.explanation.sections:
        if squash(f"{s.numbering or ''}{s.heading}") == label:
            return s.paragraphs, s.source, label
    lists = {"cover": d.cover, "preface": d.explanation.preface, "duties": d.duties,
             "overall": d.performance.overall, "targets": d.performance.targets,
             "measures": d.performance.measures}
    if f.section in _PARTS:
        return lists[_PARTS[f.section]], None, None
    for t in d.all_tables():
        if squash(t.title) == label or t.id == f.table:
            return t.notes, t.source, None
    return None


def _sentence(d: Disclosure, f: Finding) -> Place | None:
    found = paragraph_list(d, f)
    if found is None:
        return None
    paras, heading_src, heading = found
    if f.paragraph is not None and 0 <= f.paragraph < len(paras):
        src = paras[f.paragraph].source
        if src is None or src.block is None:
            return None
        return Place("sentence", f, section=f.section, paragraph=f.paragraph, block=src.block,
                     quote=_quote(f, paras[f.paragraph].text), page=src.page, line=src.line)
    if f.paragraph is None and heading is not None and heading_src is not None and heading_src.block is not None:
        return Place("sentence", f, section=f.section, block=heading_src.block, quote=None,
                     page=heading_src.page, line=heading_src.line)
    return None


_QUOTED = re.compile(r"「([^「」]+)」")


def _quote(f: Finding, paragraph: str | None) -> str | None:
    """The words at fault, whitespace removed: the finding's quote when it is
    in the paragraph (a quote cut short with … by its start), else the
    longest 「…」 of the message that is (the message quotes the sentence it
    compares), else None — the whole paragraph."""
    text = squash(paragraph) if paragraph is not None else None
    options = []
    if f.quote:
        q = squash(f.quote)
        options.append(q[:-1] if q.endswith("…") else q)
    options += sorted((squash(m) for m in _QUOTED.findall(f.message)), key=len, reverse=True)
    for q in options:
        q = q.strip("…")
        if q and (text is None or q in text):
            return q
    return None


# -- comment text ----------------------------------------------------------

def comment_text(f: Finding) -> str:
    """`[T05 三公经费说明与三公表不符] message`: the rule id and its name, then
    the finding's message, then `；应为 …` where the finding has an expected
    value: the issue asks for it in every comment, not only where the message
    happens to say it."""
    rule = rules().get(f.rule)
    name = f" {rule.zh}" if rule is not None else ""
    tail = f"；应为 {f.expected}" if f.expected is not None else ""
    return f"[{f.rule}{name}] {f.message}{tail}"


def summary_text(unplaced: Sequence[Finding]) -> str:
    """The one comment for the findings with no exact place."""
    lines = [f"yusuan：{len(unplaced)} 项发现没有确切位置"]
    lines += [comment_text(f) for f in unplaced]
    return "\n".join(lines)
