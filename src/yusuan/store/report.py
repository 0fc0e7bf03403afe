"""The bureau's summary of the store: one row per stored document — its
department, year, kind and scope, whether it was read, how much of it was
read, and what the audit found, by family — as an XLSX or DOCX a finance
bureau can circulate.

    from yusuan.store.report import write_report
    n = write_report("summary.xlsx", "sqlite:///yusuan.db", year=2026)

The counting is SQL (one aggregate per document and table), and the rows
are streamed: a store of 10⁵ documents is never held in memory, and the
workbook is written row by row (openpyxl's write-only mode): 10⁵
documents in about a minute and 130 MB. A DOCX is one Word table, built
whole in memory (10⁴ documents: 10 s and 2 GB); it is for a bureau's
few hundred departments, the workbook for the whole country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from string import Formatter
from typing import get_args

from sqlalchemy import Engine, and_, case, func, literal, select, true

from ..output import PathLike, check_output, write_file
from . import schema
from .db import DEFAULT_URL, engine_for, sqlite_file

SUFFIXES = (".xlsx", ".docx")
# status values the store writes (store/rows.py): a document read, or why not
STATUSES = ("ok", "unreadable", "internal")
# the family of what the reader saw but could not place: counted on its own
# as unread items, not among the audit's families
UNREAD_FAMILY = "R"
# the severities a family column is given for; info findings are counted
# together, one column, as `yusuan check` counts them
FAMILY_SEVERITIES = ("error", "warning")
# the ledger's status of a rule that could not run for lack of data (audit/ledger.py)
COULD_NOT_RUN = "could_not_run"

# the fixed columns around the per-family ones, in print order
_BEFORE = ("file_name", "department", "year", "kind", "scope", "status", "tables", "amounts",
           "errors", "warnings", "infos")
_AFTER = ("could_not_run", "unread", "message")
_TEXTS = {"title": (), "date": ("date",), "summary": ("documents", "unreadable", "errors", "warnings", "infos"),
          "total": ("documents",)}
_HEADER_UNITS = 8  # a header's line in an XLSX: four Chinese characters (layout.text_units)
_SEVERITY_COLUMN = {"error": "errors", "warning": "warnings", "info": "infos"}


@dataclass(frozen=True, slots=True)
class Words:
    title: str
    date: str
    summary: str
    total: str
    columns: dict[str, str]
    statuses: dict[str, str]
    kinds: dict[str, str]
    scopes: dict[str, str]
    families: dict[str, str]  # family letter → its Chinese name, in rules.yaml's order


def _texts(entry, where: str, keys) -> dict[str, str]:
    if not isinstance(entry, dict) or set(entry) != set(keys):
        raise ValueError(f"data/report.yaml: {where} must give exactly {', '.join(keys)}; got {entry!r}")
    for key, text in entry.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"data/report.yaml: {where}.{key} must be a non-empty text, got {text!r}")
    return entry


def _kinds_and_scopes() -> tuple[dict[str, str], dict[str, str]]:
    """预算/决算 and 部门/单位 as the project already prints them: the
    scope's word from cli.yaml (部门), and each kind the rest of the
    scope's own words in scope_words.yaml (部门预算 → 预算), its kind as
    a title saying it is read (kind_of_title)."""
    from ..audit.scope import scope_words
    from ..definitions import _load, kind_of_title
    from ..model import Disclosure, Scope

    messages = _load("cli.yaml")["messages"]
    scopes = {s: messages[f"scope_{s}"]["zh"] for s in get_args(Scope)}
    kinds: dict[str, str] = {}
    for scope, words in scope_words().words.items():
        for word in words:
            kind, label = kind_of_title(word), word.removeprefix(scopes[scope])
            if kind is None or label == word or kinds.setdefault(kind, label) != label:
                raise ValueError(f"scope_words.yaml: {word!r} is not {scopes[scope]!r} followed by one kind's word")
    wanted = set(get_args(Disclosure.model_fields["kind"].annotation))
    if set(kinds) != wanted:
        raise ValueError(f"scope_words.yaml: the scope words name the kinds {sorted(kinds)}, not {sorted(wanted)}")
    return kinds, scopes


@cache
def words() -> Words:
    """data/report.yaml, checked, with the project's words for kinds,
    scopes and rule families."""
    from ..definitions import _load

    data = _load("report.yaml")
    if not isinstance(data, dict):
        raise ValueError("data/report.yaml: not a mapping")
    texts = _texts({k: data.get(k) for k in _TEXTS}, "texts", _TEXTS)
    for key, names in _TEXTS.items():
        used = {name for _, name, _, _ in Formatter().parse(texts[key]) if name}
        if used - set(names):
            raise ValueError(f"data/report.yaml: {key} may use {sorted(names)}, not {sorted(used - set(names))}")
    extra = set(data) - {*_TEXTS, "columns", "statuses"}
    if extra:
        raise ValueError(f"data/report.yaml: unknown keys {sorted(extra)}")
    kinds, scopes = _kinds_and_scopes()
    return Words(**texts, columns=_texts(data.get("columns"), "columns", (*_BEFORE, *_AFTER)),
                 statuses=_texts(data.get("statuses"), "statuses", STATUSES), kinds=kinds, scopes=scopes,
                 families={key: family["zh"] for key, family in _load("rules.yaml")["families"].items()})


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One document as the report prints it: kind, scope and status in
    Chinese; `by_family` the counts of `Report.families`, in their order.
    A document not read was not audited either: its audit's counts are
    None (printed empty), not 0, which would read as found clean."""
    file_name: str
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None
    status: str
    tables: int
    amounts: int
    errors: int | None
    warnings: int | None
    infos: int | None
    by_family: tuple[int | None, ...]
    could_not_run: int | None
    unread: int | None
    message: str | None
    read: bool  # the status is ok: the document gave a model and an audit

    def values(self) -> list:
        """The printed cells, in the order of `Report.headers`."""
        head = [getattr(self, k) for k in _BEFORE]
        return [*head, *self.by_family, *(getattr(self, k) for k in _AFTER)]


_AUDITED = ("errors", "warnings", "infos", "could_not_run", "unread")  # with by_family: None when not read
_COUNTED = frozenset({"tables", "amounts", *_AUDITED})  # summed in the totals row


class Report:
    """The stored documents (those of `year`, `kind`, `department` when
    given: a filter leaves out the files not read, which have none) as the
    summary's rows. `families` are the (family, severity) pairs that occur
    among them, each a column; each iteration runs the query, streamed, in
    the order year, department, kind, the files not read last."""

    def __init__(self, engine: Engine, year: int | None = None, kind: str | None = None,
                 department: str | None = None) -> None:
        self.engine = engine
        self.words = words()
        d = schema.documents
        # a kind may be given as stored (budget) or as printed (预算)
        kind = {v: k for k, v in self.words.kinds.items()}.get(kind, kind)
        given = ((d.c.year, year), (d.c.kind, kind), (d.c.department, department))
        self._where = and_(true(), *(column == value for column, value in given if value is not None))
        f = schema.findings
        occurring = (select(f.c.family, f.c.severity).distinct().join(d, d.c.id == f.c.document_id)
                     .where(self._where, f.c.family != UNREAD_FAMILY, f.c.severity.in_(FAMILY_SEVERITIES)))
        with engine.connect() as connection:
            present = {tuple(r) for r in connection.execute(occurring)}
        self.families: tuple[tuple[str, str], ...] = tuple(
            (fam, sev) for fam in self.words.families for sev in FAMILY_SEVERITIES if (fam, sev) in present)

    @property
    def keys(self) -> list[str | None]:
        """Each column's ReportRow field; None for a family's."""
        return [*_BEFORE, *(None,) * len(self.families), *_AFTER]

    @property
    def headers(self) -> list[list[str]]:
        """Each column's header path: one label, or a family's name over a severity's."""
        cols = self.words.columns
        return [*([cols[k]] for k in _BEFORE),
                *([self.words.families[fam], cols[_SEVERITY_COLUMN[sev]]] for fam, sev in self.families),
                *([cols[k]] for k in _AFTER)]

    def _query(self):
        d, f = schema.documents, schema.findings
        ids = select(d.c.id).where(self._where)

        def per_document(table, *aggregates, where=None):
            # grouped once per table, for the chosen documents only; a
            # document without rows there gets no row here (0 below)
            q = select(table.c.document_id, *aggregates).where(table.c.document_id.in_(ids))
            if where is not None:
                q = q.where(where)
            return q.group_by(table.c.document_id).subquery()

        def counted(condition):
            return func.sum(case((condition, 1), else_=0))

        found = per_document(
            f, *(counted(f.c.severity == s).label(_SEVERITY_COLUMN[s]) for s in _SEVERITY_COLUMN),
            *(counted(and_(f.c.family == fam, f.c.severity == sev)).label(f"{fam}_{sev}")
              for fam, sev in self.families),
            counted(f.c.family == UNREAD_FAMILY).label("unread"))
        n_tables = per_document(schema.tables, func.count().label("n"))
        n_cells = per_document(schema.cells, func.count().label("n"))
        blocked = per_document(schema.ledger, func.count().label("n"), where=schema.ledger.c.status == COULD_NOT_RUN)

        def n(column):
            return func.coalesce(column, literal(0))

        query = select(
            d.c.file_name, d.c.department, d.c.year, d.c.kind, d.c.scope, d.c.status, d.c.message,
            n(n_tables.c.n), n(n_cells.c.n), *(n(found.c[k]) for k in ("errors", "warnings", "infos")),
            *(n(found.c[f"{fam}_{sev}"]) for fam, sev in self.families),
            n(blocked.c.n), n(found.c.unread))
        for sub in (n_tables, n_cells, found, blocked):
            query = query.outerjoin(sub, sub.c.document_id == d.c.id)
        # NULLs last on every database (SQLite sorts them first): a file
        # not read has no year or department and goes at the end
        return query.where(self._where).order_by(d.c.year.is_(None), d.c.year, d.c.department.is_(None),
                                                 d.c.department, d.c.kind, d.c.file_name, d.c.id)

    def __iter__(self) -> Iterator[ReportRow]:
        w, k = self.words, len(self.families)
        with self.engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=2000).execute(self._query())
            for (file_name, department, year, kind, scope, status, message, tables, amounts, errors, warnings,
                 infos, *rest) in result:
                read = status == "ok"
                # PostgreSQL sums to numeric (a Decimal); a count is an int
                audited = [int(x) if read else None for x in (errors, warnings, infos, *rest)]
                yield ReportRow(file_name, department, year, w.kinds.get(kind, kind), w.scopes.get(scope, scope),
                                w.statuses.get(status, status), int(tables), int(amounts), *audited[:3],
                                tuple(audited[3:3 + k]), *audited[3 + k:], message, read)


class Totals:
    """The sums of a report's count columns, and what the summary says."""

    def __init__(self, report: Report) -> None:
        keys = report.keys
        self.columns = [i for i, k in enumerate(keys) if k is None or k in _COUNTED]
        self._at = {k: i for i, k in enumerate(keys) if k}
        self.sums = [0] * len(keys)
        self.documents = self.not_read = 0

    def add(self, values: list, read: bool) -> None:
        self.documents += 1
        self.not_read += not read
        for i in self.columns:
            self.sums[i] += values[i] or 0

    def row(self, words: Words) -> list:
        """The totals row: its label under the file names, the sums under the counts."""
        out: list = [None] * len(self.sums)
        for i in self.columns:
            out[i] = self.sums[i]
        out[0] = words.total.format(documents=self.documents)
        return out

    def summary(self, words: Words) -> str:
        return words.summary.format(documents=self.documents, unreadable=self.not_read,
                                    **{k: self.sums[self._at[k]] for k in ("errors", "warnings", "infos")})


def check_suffix(out: PathLike) -> str:
    """The output's format from its suffix (.xlsx, .docx); ValueError
    naming the allowed ones for anything else."""
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        shown = repr(suffix) if suffix else "no suffix"
        raise ValueError(f"cannot write the report to {Path(out).name!r} ({shown}): "
                         f"give a file ending in {' or '.join(SUFFIXES)}")
    return suffix


def _numeric(report: Report) -> list[bool]:
    return [k is None or k in _COUNTED or k == "year" for k in report.keys]


def _xlsx(report: Report, date: str) -> tuple[bytes, int]:
    """Streamed: a first pass over the rows measures the columns and sums
    the totals (a write-only sheet takes its widths before its rows), the
    second writes them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.worksheet import Worksheet

    from ..write.layout import LCell, LRow, _header_rows, text_units
    from ..write.xlsx import _COLUMN_PAD, _FONT, _WRAP_AT, _row_height, _Styles, _print_setup, _put_text

    w, numeric = report.words, _numeric(report)
    header = _header_rows(report.headers)
    width = len(numeric)
    totals = Totals(report)
    # a header wraps (its row grows to fit): four characters a line, and never under two
    need = [max(min(text_units(p[-1]), _HEADER_UNITS), 4) for p in report.headers]
    for row in report:
        values = row.values()
        totals.add(values, row.read)
        for i, v in enumerate(values):
            if v is not None:
                need[i] = max(need[i], text_units(str(v)))
    last = totals.row(w)
    need = [max(n, text_units(str(v))) if v is not None else n for n, v in zip(need, last)]
    widths = [min(n, _WRAP_AT) + _COLUMN_PAD for n in need]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(w.title[:31])
    ws.PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4  # the shared print setup reads it; write-only sheets lack it
    for col, wd in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = wd
    top, first_body = 3, 3 + len(header)
    ws.freeze_panes = f"A{first_body}"
    _print_setup(ws, landscape=True, title_rows=f"{top}:{first_body - 1}")
    styles = _Styles()
    end = get_column_letter(width)

    def line(r: int, text: str, font: Font, align: str) -> None:
        cell = WriteOnlyCell(ws)
        cell.font, cell.alignment = font, Alignment(horizontal=align, vertical="center")
        _put_text(cell, text)
        ws.append([cell])
        ws.merged_cells.add(f"A{r}:{end}{r}")

    line(1, w.title, Font(name=_FONT, size=14, bold=True), "center")
    line(2, f"{date}　{totals.summary(w)}", Font(name=_FONT, size=10), "left")

    def append(r: int, values: list, bold: bool) -> None:
        texts = [LCell("" if v is None or num else str(v)) for v, num in zip(values, numeric)]
        if height := _row_height(LRow(texts), widths):
            ws.row_dimensions[r].height = height
        cells = []
        for v, num in zip(values, numeric):
            cell = WriteOnlyCell(ws)
            styles.apply(cell, bold, num, True, None)
            if num:
                cell.value = v
            elif v:
                _put_text(cell, v)
            cells.append(cell)
        ws.append(cells)
        ws.row_dimensions.pop(r, None)  # written: not kept for 10⁵ rows

    for k, hrow in enumerate(header):
        r, col, cells = top + k, 1, []
        if height := _row_height(hrow, widths):
            ws.row_dimensions[r].height = height
        for c in hrow.cells:
            cell = WriteOnlyCell(ws)
            styles.apply(cell, True, False, True, None)
            if c.text and not c.merged:
                _put_text(cell, c.text)
            cells.append(cell)
            for _ in range(c.span - 1):
                styles.apply(filler := WriteOnlyCell(ws), True, False, True, None)
                cells.append(filler)
            if not c.merged and (c.span > 1 or c.rowspan > 1):
                ws.merged_cells.add(CellRange(min_col=col, min_row=r, max_col=col + c.span - 1,
                                              max_row=r + c.rowspan - 1))
            col += c.span
        ws.append(cells)
    r = first_body
    for row in report:
        append(r, row.values(), False)
        r += 1
    ws.auto_filter.ref = f"A{first_body - 1}:{end}{max(r - 1, first_body)}"
    append(r, last, True)
    wb.properties.title = w.title
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), totals.documents


def _docx(report: Report, date: str) -> tuple[bytes, int]:
    """The project's DOCX writer's page, type and table (write/docx.py) on a
    landscape A4: the title, the date, the summary, the table."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from ..write.docx import _STYLES, _paragraph_xml, _prepare, _table_xml
    from ..write.layout import LCell, LParagraph, LRow, LTable, _header_rows
    from ..write.text_safety import xml_text

    w, numeric = report.words, _numeric(report)
    # names wrap between characters, no narrower than six a line
    kinds = ["name" if k in ("file_name", "department") else "" for k in report.keys]
    totals = Totals(report)
    grid = _header_rows(report.headers)

    def lrow(values: list, role: str = "body") -> LRow:
        return LRow([LCell("" if v is None else str(v), numeric=num, kind=kind)
                     for v, num, kind in zip(values, numeric, kinds)], role=role)

    for row in report:
        values = row.values()
        totals.add(values, row.read)
        grid.append(lrow(values))
    grid.append(lrow(totals.row(w), "total"))
    table = LTable("report", grid, len(numeric))

    document = docx.Document()
    _prepare(document)
    sec = document.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    usable = int((sec.page_width - sec.left_margin - sec.right_margin) / 635)  # EMU → dxa
    ids = {name: document.styles[name].style_id for name, *_ in _STYLES.values()}
    parts = [_paragraph_xml(LParagraph(w.title, "title"), ids), _paragraph_xml(LParagraph(date, "info"), ids),
             _paragraph_xml(LParagraph(totals.summary(w), "body"), ids), _table_xml(table, usable)]
    body = document.element.body
    sect_pr = body[-1]
    for element in parse_xml(xml_text(f'<w:body {nsdecls("w")}>{"".join(parts)}</w:body>')):
        # lxml takes time quadratic in a subtree's size to move it into
        # another document (a table of 1,000 rows: 40 s); its rows one by
        # one take a tenth of a second
        children = list(element)
        for child in children:
            element.remove(child)
        sect_pr.addprevious(element)
        element.extend(children)
    document.core_properties.title = w.title
    out = BytesIO()
    document.save(out)
    return out.getvalue(), totals.documents


def _render(report: Report, suffix: str, today: dt.date | None) -> tuple[bytes, int]:
    date = report.words.date.format(date=(today or dt.date.today()).isoformat())
    return (_xlsx if check_suffix(f"report{suffix}") == ".xlsx" else _docx)(report, date)


def report_bytes(report: Report, suffix: str, today: dt.date | None = None) -> bytes:
    """The report as a workbook (".xlsx") or a Word document (".docx"), dated `today`."""
    return _render(report, suffix, today)[0]


def write_report(out: PathLike, url: str = DEFAULT_URL, *, year: int | None = None, kind: str | None = None,
                 department: str | None = None, force: bool = False, today: dt.date | None = None) -> int:
    """Write the summary of the stored documents (those of `year`, `kind` —
    budget/final_accounts or 预算/决算 —, `department` when given) to `out`,
    an .xlsx or .docx, through the safe writer; the number of documents.

    ValueError for another suffix, before anything is opened; OutputError
    when `out` must not be written (exists and not `force`, a folder, in a
    missing folder, the SQLite database itself), before the work."""
    suffix = check_suffix(out)
    inputs = [database] if (database := sqlite_file(url)) else []
    check_output(out, inputs=inputs, force=force)
    engine = engine_for(url)
    try:
        data, documents = _render(Report(engine, year=year, kind=kind, department=department), suffix, today)
    finally:
        engine.dispose()
    write_file(out, data, inputs=inputs, force=force)
    return documents
