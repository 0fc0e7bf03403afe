"""A grid table block + its definition → a model `Table`.

A printed table is read in three parts: the lead (a title and an info line
printed inside the ruled grid, empty filler rows), the header and the body.
The header rows are read into a path per grid column (top level first); each
column gets its semantic key by matching that path against the definition,
in column order. Body cells are then read by column key, never by position.
Whatever cannot be placed (a column no definition knows, a cell that is not
a number) is recorded as `Unread`, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cli_text import read_message
from ..definitions import ColumnDef, TableDef, code_parts, levels, squash, title_candidates
from ..model import Column, Row, Source, Table, TableHeader, Unread
from .blocks import Cell, TableBlock
from .grid import place_header, place_row_right
from .numbers import Printed, looks_like_amount, looks_numeric, read_amount

# The labels a department's name is printed after, on an info line or a
# cover (编制部门：, 编制单位：, 预算主管部门：, 部门：); longest first.
DEPT_LABELS = "编制部门|编制单位|预算主管部门|主管部门|预算单位|部门名称|单位名称|部门"
# An info line names the department, the year and the unit; its labels vary
# by place (编制部门：, 编制单位：, 部门：, 预算年度：, 单位：万元).
_INFO = re.compile(rf"单位[：:]\s*(万元|元)|预算年度|截止(时间|日期)|^\d{{3,}}[-—\s]|^({DEPT_LABELS})[：:]")
_YEAR = re.compile(r"(?:预算|决算)?年度[：:]\s*(\d{4})")
_UNIT = re.compile(r"(?:金额)?单位[：:]\s*(万元|元)")
_AS_OF = re.compile(r"截止(?:时间|日期)[：:]\s*(\S+)")
_DEPT_LABEL = re.compile(rf"^(?P<label>{DEPT_LABELS})[：:]\s*")
_PLACEHOLDER = re.compile(r"^[…⋯.．·/／]+$")
_TOTAL_ONLY = re.compile(r"^(合计|总计)$")
_TOTAL_WORDS = re.compile(r"^(合计|总计|小计|资产总额)|小计$")
_TABLE_NUMBER = re.compile(r"^(公开|附)?(表)?[0-9０-９一二三四五六七八九十]+(表)?$|^公开[0-9一二三四五六七八九十]+表$")
_MAX_HEADER_ROWS = 4
_LABEL = re.compile(r"[\u4e00-\u9fff]")  # Chinese words: a label, not a code


def info_label(text: str) -> str | None:
    """The label an info line uses for the department (编制部门, 部门 …)."""
    m = _DEPT_LABEL.match(squash(text))
    if m:
        return m.group("label")
    return "预算年度" if "预算年度" in text else None


def labelled_department(text: str) -> str | None:
    """The name after a department label ("预算主管部门：某局" → 某局)."""
    m = _DEPT_LABEL.match(squash(text))
    return squash(text)[m.end():] or None if m else None


def parse_info(cells: list[str]) -> TableHeader:
    """Department, year, unit and date from the parts of an info line. One
    part may hold several ("部门：某厅单位：万元"): the unit is cut off first,
    so 编制单位： is never taken for the amount unit 单位：."""
    info = TableHeader(printed=[c for c in cells if c])
    for c in cells:
        rest = c
        if m := _YEAR.search(rest):
            info.year = m.group(1)
            rest = rest[: m.start()] + rest[m.end():]
        if m := _AS_OF.search(rest):
            info.as_of = m.group(1)
            rest = rest[: m.start()] + rest[m.end():]
        if m := _UNIT.search(rest):
            # 编制单位：… is a label, not a unit: only 单位：万元/元 counts
            if not (m.start() >= 2 and rest[m.start() - 2: m.start()] in ("编制", "预算")):
                info.unit = m.group(1)
                rest = rest[: m.start()] + rest[m.end():]
        rest = rest.strip()
        if rest and info.department is None:
            info.department = _DEPT_LABEL.sub("", rest).strip() or None
    return info


def is_info_row(cells: list[Cell]) -> bool:
    """An info line: its parts are labelled (单位：元, 预算年度：…), all but
    one (the department's name) — a header that states its unit in one
    column ("价值（金额单位：万元）") has other plain labels beside it."""
    texts = [c.text.strip() for c in cells if c.text.strip()]
    if not texts or any(squash(t) in ("序号", "栏次", "项目") for t in texts):
        return False
    labelled = sum(1 for t in texts if _INFO.search(t) or _INFO.search(squash(t)))
    return labelled >= 1 and len(texts) - labelled <= 1


def _is_lanci(cells: list[Cell]) -> bool:
    return bool(cells) and squash(cells[0].text) == "栏次"


def _texts(cells: list[Cell]) -> list[str]:
    return [c.text for c in cells if c.text]


def looks_like_title(text: str) -> bool:
    """A table's title names a table (…表); a header cell ("“三公”经费预算数") does not."""
    t = squash(text)
    return bool(t) and len(t) <= 60 and "表" in t and (bool(title_candidates(t)) or t.endswith("表"))


@dataclass
class Lead:
    """What a table prints inside its grid before the header."""

    title: str | None = None
    info: list[str] = field(default_factory=list)
    rows: int = 0  # how many block rows the lead takes


def split_lead(rows: list[list[Cell]]) -> Lead:
    """Empty filler rows, a table number (公开01表), a title and an info line
    at the top of the grid; a title and an info line may share one cell,
    one per line (Jiangsu)."""
    lead = Lead()
    for i, cells in enumerate(rows):
        texts = _texts(cells)
        if not texts:
            lead.rows = i + 1
            continue
        if len(texts) == 1 and "\n" in texts[0] or (len(texts) <= 2 and any(looks_like_title(t) for t in texts)):
            parts = [p.strip() for t in texts for p in t.split("\n") if p.strip()]
            if not any(looks_like_title(p) for p in parts):
                break
            for p in parts:
                if _TABLE_NUMBER.match(squash(p)):
                    continue
                if _INFO.search(squash(p)):
                    lead.info.append(p)
                elif looks_like_title(p) and lead.title is None:
                    lead.title = p
                else:
                    lead.info.append(p)
            lead.rows = i + 1
            continue
        if is_info_row(cells) and not any(looks_numeric(t) for t in texts):
            lead.info += texts
            lead.rows = i + 1
            continue
        if len(texts) == 1 and _TABLE_NUMBER.match(squash(texts[0])):
            lead.rows = i + 1
            continue
        break
    return lead


def header_length(rows: list[list[Cell]]) -> int:
    """Header rows end at the 栏次 row, at an empty row, or before the first
    row that looks like data (a number, or a total's label with nothing but
    numbers beside it — a 合计 among other labels is a header, as in a
    table printed across)."""
    for i, cells in enumerate(rows[: _MAX_HEADER_ROWS + 1]):
        if _is_lanci(cells):
            return i + 1
        texts = [squash(t) for t in _texts(cells)]
        if not texts:
            return i
        if i > 0 and (any(looks_like_amount(t) for t in texts)
                      or (_TOTAL_WORDS.search(texts[0]) and all(looks_numeric(t) for t in texts[1:]))):
            return i
    return min(len(rows), 2)


@dataclass
class Layout:
    """A table block cut into its parts and its header read into paths,
    for one candidate definition."""

    lead: Lead
    start: int  # first header row in the block
    nh: int  # header rows
    width: int
    positioned: bool
    paths: list[list[str]]
    numbers: dict[int, int]
    matched: list[ColumnDef | None]
    across: bool = False
    pane: int = 0  # the width of one pane when the same columns are printed side by side, else 0
    header_total: tuple[int, Cell] | None = None  # (block row, cell) of a 合计 printed among the header labels

    @property
    def fit(self) -> tuple[int, int]:
        """(columns mapped, columns not mapped), over columns with a header."""
        mapped = sum(1 for d, p in zip(self.matched, self.paths) if d is not None and p)
        unmapped = sum(1 for d, p in zip(self.matched, self.paths) if d is None and p)
        return mapped, unmapped


def lay_out(block: TableBlock, tdef: TableDef) -> Layout:
    rows = [r.cells for r in block.rows]
    lead = split_lead(rows)
    body_rows = rows[lead.rows:]
    nh = header_length(body_rows)
    positioned = all(c.col is not None for r in body_rows for c in r)
    width = block.width or max((len(r) for r in body_rows), default=0)
    header = body_rows[:nh]
    placed_header = header if positioned else place_header(header, width, tdef)
    lanci_row = placed_header[-1] if placed_header and _is_lanci(placed_header[-1]) else None
    label_rows = placed_header[:-1] if lanci_row is not None else placed_header
    paths: list[list[str]] = [[] for _ in range(width)]
    header_total = None
    for r, cells in enumerate(label_rows):
        for c in cells:
            if not c.text:
                continue
            if r and r == len(label_rows) - 1 and (c.col or 0) <= 1 and _TOTAL_ONLY.match(squash(c.text)):
                # the 合计 row printed on the line of the last header labels (an empty
                # 决算 fund table: 合计 | … | 合计 基本支出 项目支出) is the body's total row
                header_total = (lead.rows + r, c)
                continue
            for col in range(c.col or 0, min(width, (c.col or 0) + c.span)):
                if not paths[col] or paths[col][-1] != c.text:
                    paths[col].append(c.text)
    numbers: dict[int, int] = {}
    if lanci_row is not None:
        for c in lanci_row:
            if c.text.isdigit():
                numbers[c.col or 0] = int(c.text)
    across = bool(tdef.across) and _prints_across(paths, tdef)
    if across:
        matched = [_across_def(p, tdef) for p in paths]
    else:
        matched = _match_columns(paths, tdef)
    pane = 0 if across else _pane_width(paths)
    if pane:
        matched = [matched[i % pane] for i in range(width)]
    return Layout(lead, lead.rows, nh, width, positioned, paths, numbers, matched, across, pane, header_total)


def _pane_width(paths: list[list[str]]) -> int:
    """The same header printed twice or more side by side (the 决算's basic
    expenditure: 编码 | 名称 | 决算数 for 人员经费, again for 公用经费): the
    width of one pane; 0 when the header does not repeat."""
    keys = [squash("/".join(p)) for p in paths]
    n = len(keys)
    for w in range(2, n // 2 + 1):
        if n % w == 0 and all(keys[i] == keys[i % w] for i in range(n)) and all(keys[:w]):
            return w
    return 0


def _prints_across(paths: list[list[str]], tdef: TableDef) -> bool:
    """Items as columns: most headers name an item, none names 项目."""
    named = [p for p in paths if p]
    if not named or any(squash(p[-1]) == "项目" for p in named):
        return False
    return sum(1 for p in named if _across_def(p, tdef) is not None) >= max(2, len(named) // 2)


def _across_def(path: list[str], tdef: TableDef):
    if not path:
        return None
    leaf = squash(path[-1])
    parents = squash("".join(path[:-1]))
    for a in tdef.across:
        if a.header.search(leaf) and (a.group is None or a.group.search(parents)):
            return a
    # an item printed with several figures under it (预算数 | 决算数): the
    # item is the header above the figure's
    if len(path) > 1 and _across_amount(path, tdef) is not None:
        return _across_def(path[:-1], tdef)
    return None


def _across_amount(path: list[str], tdef: TableDef) -> str | None:
    """Which of an item's figures a column holds: the amount column whose
    header is the column's last label (预算数 → budget, 决算数 → total),
    a specific one before the generic `total`; None when none is."""
    leaf = squash(path[-1]) if path else ""
    hits = [d.key for d in tdef.columns if d.kind == "amount" and leaf and d.header.search(leaf)]
    return next((k for k in hits if k != "total"), hits[0] if hits else None)


def _match_columns(paths: list[list[str]], tdef: TableDef) -> list[ColumnDef | None]:
    """Each grid column's definition, matched in order: leaf header against
    `header`, the headers above it against `group`."""
    out: list[ColumnDef | None] = []
    used: set[str] = set()
    p = 0
    defs = tdef.columns

    def fits(d: ColumnDef, path: list[str]) -> bool:
        if d.key in used or not d.header.search(squash(path[-1])):
            return False
        # the group may be printed above the leaf or inside it (功能分类科目名称)
        return d.group is None or any(d.group.search(squash(g)) for g in path)

    for path in paths:
        if not path:
            out.append(None)
            continue
        hit = next((q for q in range(p, len(defs)) if fits(defs[q], path)), None)
        if hit is None:
            hit = next((q for q in range(len(defs)) if fits(defs[q], path)), None)
        if hit is None:
            out.append(None)
            continue
        used.add(defs[hit].key)
        out.append(defs[hit])
        p = hit + 1
    return out


def interpret_table(block: TableBlock, tdef: TableDef, title: str, fmt: str, layout: Layout | None = None,
                    info: TableHeader | None = None) -> tuple[Table, list[Unread]]:
    lay = layout or lay_out(block, tdef)
    unread: list[Unread] = []
    table_source = Source(format=fmt, block=block.index, line=block.line, page=block.page)
    header = parse_info(lay.lead.info) if lay.lead.info else (info or TableHeader())
    unit = header.unit if header.unit in ("万元", "元") else None
    if lay.across:
        columns, rows = _read_across(block, lay, tdef, fmt, unread, unit)
    else:
        columns, rows = _read_rows(block, lay, tdef, fmt, unread, unit)
    for i, (d, path) in enumerate(zip(lay.matched, lay.paths)):
        if d is None and path and not lay.across and not _detail_of(lay, i):
            unread.append(Unread(kind="column", table=tdef.id, text="/".join(path), source=table_source,
                                 message=f"column {i + 1} ({'/'.join(path)}) is not in the definition of {tdef.id}"))
    for u in unread:
        u.table = tdef.id
    table = Table(
        id=tdef.id,
        title=title,
        header=header,
        unit=unit,
        columns=columns,
        rows=rows,
        problems=[u.message for u in unread],
        source=table_source,
    )
    return table, unread


def _detail_of(lay: Layout, i: int) -> str | None:
    """The key of the name column this unmapped column continues: a name
    header merged over two columns (项目名称 over 一般公共预算资金 | 小计),
    or split by a broken rule, leaves the second with no header of its own."""
    if lay.matched[i] is not None or i == 0:
        return None
    prev = lay.matched[i - 1]
    if prev is None or prev.kind != "name":
        return None
    return prev.key if not lay.paths[i] or lay.paths[i] == lay.paths[i - 1] else None


def _columns(lay: Layout) -> list[Column]:
    return [
        Column(
            key=d.key if d else (f"{parent}_detail" if (parent := _detail_of(lay, i)) else f"col{i + 1}"),
            kind=d.kind if d else "text",
            label=lay.paths[i][-1] if lay.paths[i] else "",
            header=lay.paths[i],
            number=lay.numbers.get(i),
            side=d.side if d else None,
        )
        for i, d in enumerate(lay.matched)
    ]


def _body(block: TableBlock, lay: Layout):
    """(block row index, cells) of the body, without rows that repeat the
    header or the lead (a table continued on the next page)."""
    rows = [r.cells for r in block.rows]
    repeated = {tuple(squash(t) for t in _texts(c)) for c in rows[: lay.start + lay.nh]}
    repeated.discard(())
    for index in range(lay.start + lay.nh, len(rows)):
        cells = rows[index]
        if not any(c.text for c in cells):
            continue
        if tuple(squash(t) for t in _texts(cells)) in repeated and not any(looks_numeric(c.text) for c in cells):
            continue
        yield index, cells


def _read_rows(block: TableBlock, lay: Layout, tdef: TableDef, fmt: str, unread: list[Unread], unit: str | None):
    columns = _columns(lay)
    level_of = levels(tdef.classification)
    pane = lay.pane or len(columns) or 1
    panes: list[list[Row]] = [[] for _ in range(max(len(columns) // pane, 1))]
    if lay.header_total is not None:
        index, cell = lay.header_total
        src_row = block.rows[index]
        source = Source(format=fmt, block=block.index, row=index, line=src_row.line, page=src_row.page)
        panes[0].extend(_body_rows({cell.col or 0: cell.text}, columns[:pane], tdef, level_of, source, unread, unit))
    kinds = [c.kind for c in columns]  # a row number keeps the 序号 column; a label merged across takes the rest
    for index, cells in _body(block, lay):
        placed = cells if lay.positioned else place_row_right(cells, lay.width, kinds)
        by_col: dict[int, str] = {}
        for c in placed:
            by_col[c.col or 0] = c.text
            # a label merged across columns labels each of them (a 合计 over
            # the code columns, a 小计 over two sides' label columns)
            for k in range((c.col or 0) + 1, (c.col or 0) + c.span):
                if k < len(columns) and columns[k].kind in ("name", "seq", "text", "code", "code_part") and c.text:
                    by_col.setdefault(k, c.text)
        src_row = block.rows[index]
        source = Source(format=fmt, block=block.index, row=index, line=src_row.line, page=src_row.page)
        for n, rows in enumerate(panes):
            # panes side by side are read one after the other, as a reader would
            own = {k - n * pane: v for k, v in by_col.items() if n * pane <= k < (n + 1) * pane}
            rows.extend(_body_rows(own, columns[:pane], tdef, level_of, source, unread, unit))
    return columns[:pane], [r for rows in panes for r in rows]


def _body_rows(by_col: dict[int, str], columns: list[Column], tdef: TableDef, level_of: dict[int, str],
               source: Source, unread: list[Unread], unit: str | None) -> list[Row]:
    seq = next((by_col.get(i) for i, c in enumerate(columns) if c.kind == "seq"), None) or None
    parts_len = code_parts()
    rows = []
    for side in tdef.sides or (None,):
        cols = [(i, c) for i, c in enumerate(columns) if side is None or c.side in (side, None)]
        name = code = None
        parts: dict[str, str] = {}
        labels: list[str] = []
        amounts: dict = {}
        texts: dict = {}
        odd: list[tuple[Column, str, Printed]] = []
        for i, c in cols:
            text = by_col.get(i, "")
            if c.kind == "name":
                name = name or text
            elif c.kind in ("code", "code_part"):
                t = squash(text)
                if t and _LABEL.search(t):
                    labels.append(text)  # a total's label merged over the code columns
                elif t and _PLACEHOLDER.match(t):
                    labels.append(text)  # a blank form's "……" where codes go: no code
                elif c.kind == "code":
                    code = t or None
                elif t:
                    parts[c.key] = t
            elif c.kind in ("amount", "number"):
                printed = read_amount(text, unit if c.kind == "amount" else None)
                amounts[c.key] = printed.value
                if printed.flaws:
                    odd.append((c, text, printed))
            elif c.kind == "text" and text:
                if c.key.startswith("col") and looks_numeric(text):
                    unread.append(Unread(kind="cell", text=text[:60], source=source,
                                         message=f"row {source.row}: amount {text} under an unmapped column"))
                texts[c.key] = text
        if parts:
            code = _join_code(parts, parts_len)
        detail = next((k for k in texts if k.endswith("_detail")), None)
        if detail:
            # the group's own line (一般公共预算资金 | 小计) keeps the group's
            # name; an item under it (· | 公共财政拨款资金) takes its own
            sub = texts.pop(detail)
            if not name:
                name = sub
            elif squash(sub) not in (*_SUBTOTAL_WORDS, squash(name)):
                texts["group"] = name
                name = sub
        if not name:
            # A total's label sits in whichever label cell the merge started in.
            if labels:
                name = labels[0]
            elif texts and not any(k.startswith("col") for k in texts):
                name = texts.pop(next(iter(texts)))
            elif seq and not seq.isdigit():
                name, seq = seq, None
            else:
                name = ""
        unread += [_odd_cell(" ".join(p for p in (code, squash(name)) if p), c, text, printed, source, unit)
                   for c, text, printed in odd]
        if not name and not code and all(v is None for v in amounts.values()):
            continue
        level = level_of.get(len(code)) if code and code.isdigit() else None
        rows.append(
            Row(seq=seq, code=code, name=name, level=level, side=side, amounts=amounts, texts=texts, source=source)
        )
    return rows


_SUBTOTAL_WORDS = ("小计", "合计", "总计")


def _odd_cell(row: str, column: Column, text: str, printed: Printed, source: Source, unit: str | None) -> Unread:
    """A cell whose amount is printed another way: what it prints, what that
    seems to mean and whether it was read, named by its row and column."""
    shown = printed.meant
    if shown is not None and printed.value is None and printed.unit and printed.unit != unit:
        shown = f"{shown}{printed.unit}"  # a guess in another unit is shown in it
    reasons = read_message("cell_and").join(
        read_message(f"cell_{f}", printed_unit=printed.unit, unit=unit) for f in printed.flaws)
    if printed.value is not None:
        outcome = read_message("cell_read", value=printed.value)
    elif shown is not None:
        outcome = read_message("cell_guess", value=shown)
    else:
        outcome = read_message("cell_unread")
    label = squash(column.label) or column.key
    message = read_message("cell", row=row or read_message("cell_nth_row", n=(source.row or 0) + 1),
                           column=label, printed=text, reasons=reasons, outcome=outcome)
    return Unread(kind="cell", column=column.key, text=text[:60], source=source, message=message)


def _join_code(parts: dict[str, str], lengths: dict[str, int]) -> str:
    """类 | 款 | 项 → one code; a part printed without its leading zero
    ("301 2") is padded to its width (30102)."""
    code = ""
    for key, width in lengths.items():
        if key not in parts:
            break
        code += parts[key].zfill(width)
    return code


def _read_across(block: TableBlock, lay: Layout, tdef: TableDef, fmt: str, unread: list[Unread], unit: str | None):
    """Items printed as columns, one row of values below: one row per column."""
    amount_keys = list(dict.fromkeys(_across_amount(p, tdef) or "total" for p in lay.paths if p)) or ["total"]

    def label(key: str) -> str:
        # one figure per item is the budget's 预算数; several are named by their header
        if key == "total" and len(amount_keys) == 1:
            return "预算数"
        return tdef.column_def(key).header.pattern.split("|")[0].strip("^$")

    columns = [Column(key="name", kind="name", label="项目", header=["项目"])] + [
        Column(key=k, kind="amount", label=label(k), header=[label(k)]) for k in amount_keys]
    out: list[Row] = []
    by_item: dict[tuple[int, str], Row] = {}
    for index, cells in _body(block, lay):
        src_row = block.rows[index]
        source = Source(format=fmt, block=block.index, row=index, line=src_row.line, page=src_row.page)
        placed = cells if lay.positioned else place_row_right(cells, lay.width)
        for c in placed:
            col = c.col or 0
            a = lay.matched[col] if col < len(lay.matched) else None
            if a is None:
                if c.text:
                    unread.append(Unread(kind="cell", text=c.text[:60], source=source,
                                         message=f"row {index} column {col + 1}: {c.text!r} under no known item"))
                continue
            printed = read_amount(c.text, unit)
            value = printed.value
            # the row takes the item's name in the form; the header it was
            # printed under (合计, 小计, 运行费) stays with it; an item's
            # figures (预算数, 决算数) join in one row
            key = _across_amount(lay.paths[col], tdef) or "total"
            if printed.flaws:
                where = Column(key=key, kind="amount", label="/".join(lay.paths[col]), header=lay.paths[col])
                unread.append(_odd_cell(a.row, where, c.text, printed, source, unit))
            item = (index, a.row)
            if item in by_item:
                by_item[item].amounts[key] = value
                continue
            header = "/".join(lay.paths[col][:-1] if key != "total" else lay.paths[col])
            by_item[item] = Row(name=a.row, amounts={key: value}, texts={"header": header}, source=source)
            out.append(by_item[item])
    return columns, out
