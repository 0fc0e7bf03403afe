"""One document's rows for the database, as plain dicts and tuples.

Workers build these (small, picklable) instead of sending the model back
to the parent; the parent only inserts them."""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import __version__
from ..model import Disclosure

# what one 万元 is in 元; a unit not here (a count, an area) has no yuan value
YUAN_PER = {"万元": Decimal(10000), "元": Decimal(1)}


@dataclass
class DocumentRows:
    document: dict[str, Any]
    tables: list[dict[str, Any]] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    cells: list[tuple] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[tuple] = field(default_factory=list)
    # the model as gzip JSON, compressed here in the worker so the parent only inserts it
    model: bytes | None = None

    @property
    def sha256(self) -> str:
        return self.document["sha256"]

    @property
    def status(self) -> str:
        return self.document["status"]


TABLE_KEYS = ("table_id", "title", "unit")
FINDING_KEYS = ("rule", "family", "severity", "message", "table_id", "code", "item", "column_label", "column_key",
                "section", "page", "line", "cited_table", "cited_code", "cited_item", "cited_column", "paragraph", "project", "quote",
                "against", "expected")
ROW_KEYS = ("table_id", "position", "seq", "code", "item", "level", "side", "page")
CELL_KEYS = ("table_id", "row_position", "code", "item", "column_key", "column_label", "value", "unit", "value_yuan")
LEDGER_KEYS = ("rule", "status", "reason")


def failure_status(exc: BaseException) -> tuple[str, str]:
    """(status, message) for a file that gave no model: the reader's refusal
    is the file's fault (unreadable); anything else is yusuan's (internal),
    named by its type so it can be found in the code."""
    from ..read import ReadError
    if isinstance(exc, ReadError):
        return "unreadable", str(exc)
    return "internal", f"{type(exc).__name__}: {exc}"


def _pages(d: Disclosure) -> int | None:
    # the model keeps no page count; the last page any placed part came from
    # is the best a PDF tells us, and other formats have no pages
    pages = [s.page for t in d.all_tables() for s in (t.source, *(r.source for r in t.rows))
             if s is not None and s.page is not None]
    pages += [s.source.page for s in d.explanation.sections if s.source is not None and s.source.page is not None]
    return max(pages, default=None)


def _rows(d: Disclosure):
    def page(source) -> int | None:
        return source.page if source is not None else None

    for t in (*d.tables.values(), *(t for t in (d.procurement, d.assets) if t is not None)):
        for position, r in enumerate(t.rows):
            yield t.id, position, r.seq, r.code, r.name, r.level, r.side, page(r.source)
    for position, p in enumerate(d.projects):
        yield "projects", position, None, p.code, p.name, None, None, page(p.source)


def rows_of(file_name: str, sha256: str, result: Disclosure | BaseException,
            findings: list | None = None, ledger: list | None = None,
            timings: dict[str, float] | None = None) -> DocumentRows:
    """The rows of one document: a model with its audit, or the exception
    that stopped it being read."""
    from ..audit.rulebook import rules
    from ..export.cells import iter_placed_cells

    timings = timings or {}
    doc: dict[str, Any] = {
        "sha256": sha256, "file_name": file_name, "department": None, "scope": None, "year": None,
        "kind": None, "profile": None, "source_format": None, "pages": None, "status": "ok", "message": None,
        "read_seconds": timings.get("read"), "audit_seconds": timings.get("audit"),
        "tool_version": __version__, "ingested_at": dt.datetime.now(dt.timezone.utc),
    }
    if isinstance(result, BaseException):
        doc["status"], doc["message"] = failure_status(result)
        return DocumentRows(doc)
    d = result
    doc.update(department=d.department.name, scope=d.scope, year=d.year, kind=d.kind, profile=d.profile,
               source_format=d.source_format, pages=_pages(d))
    rows = DocumentRows(doc)
    rows.tables = [{"table_id": t.id, "title": t.title, "unit": d.unit_of(t)} for t in d.all_tables()]
    rows.rows = list(_rows(d))
    for c in iter_placed_cells(d):
        per = YUAN_PER.get(c.unit)
        rows.cells.append((c.table, c.row, c.code or None, c.item, c.column_key, c.column, str(c.value),
                           c.unit or None, c.value * per if per is not None else None))
    meta = rules()
    rows.findings = [{
        "rule": f.rule, "family": meta[f.rule].family if f.rule in meta else None, "severity": f.severity,
        "message": f.message, "table_id": f.table, "code": f.code, "item": f.item,
        "column_label": f.column_header or f.column, "column_key": f.column, "section": f.section, "page": f.page, "line": f.line,
        "cited_table": f.cited_table, "cited_code": f.cited_code, "cited_item": f.cited_item,
        "cited_column": f.cited_column, "paragraph": f.paragraph, "project": f.project, "quote": f.quote,
        "against": f.against, "expected": f.expected,
    } for f in findings or ()]
    rows.ledger = [(e.rule, e.status, e.reason) for e in ledger or ()]
    rows.model = compress_model(d)
    return rows


def compress_model(d: Disclosure) -> bytes:
    # level 1: 0.3 ms for 晋州 (98 KB → 17 KB) against 1 ms at level 6 for 14 KB;
    # ingest's speed matters more than a few KB; mtime=0 so equal models give equal bytes
    return gzip.compress(d.model_dump_json().encode(), compresslevel=1, mtime=0)


def model_of(data: bytes) -> Disclosure:
    return Disclosure.model_validate_json(gzip.decompress(data))
