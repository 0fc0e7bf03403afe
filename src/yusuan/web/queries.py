"""What the API and the pages read from the store: documents, their
summaries with reviews applied, findings with their review state, models,
departments. Plain dicts, so pages and the API shape them as they need."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from ..model import Disclosure
from ..store import schema
from ..store.review import OPEN, counts, review_states
from ..store.rows import model_of

DOCUMENT_COLUMNS = ("id", "file_name", "sha256", "department", "scope", "year", "kind", "profile", "source_format",
                    "pages", "status", "message", "tool_version", "ingested_at")
FINDING_COLUMNS = ("id", "rule", "family", "severity", "message", "table_id", "code", "item", "column_key",
                   "column_label", "section", "page", "line", "cited_table", "cited_code", "cited_item", "cited_column",
                   "paragraph", "project", "quote", "against", "expected")


def _document(row) -> dict[str, Any]:
    d = dict(row._mapping)
    # SQLite hands back the UTC time it was given without its zone
    if d["ingested_at"] is not None and d["ingested_at"].tzinfo is None:
        d["ingested_at"] = d["ingested_at"].replace(tzinfo=dt.timezone.utc)
    return d


def documents(engine: Engine, year: int | None = None, kind: str | None = None,
              department: str | None = None) -> list[dict[str, Any]]:
    d = schema.documents
    q = select(*(d.c[c] for c in DOCUMENT_COLUMNS)).order_by(d.c.department, d.c.year, d.c.kind, d.c.id)
    if year is not None:
        q = q.where(d.c.year == year)
    if kind:
        q = q.where(d.c.kind == kind)
    if department:
        q = q.where(d.c.department == department)
    with engine.connect() as c:
        return [_document(r) for r in c.execute(q)]


def document(engine: Engine, document_id: int) -> dict[str, Any] | None:
    d = schema.documents
    with engine.connect() as c:
        row = c.execute(select(*(d.c[col] for col in DOCUMENT_COLUMNS)).where(d.c.id == document_id)).first()
        if row is None:
            return None
        has_model = c.scalar(select(func.count()).select_from(schema.models)
                             .where(schema.models.c.document_id == document_id)) > 0
    return {**_document(row), "has_model": has_model}


def summary(engine: Engine, document_id: int) -> dict[str, Any]:
    """Findings by severity and errors and warnings by family, dismissed
    findings left out (and counted apart)."""
    c = counts(engine, document_id)
    return {"errors": c["severity"]["error"], "warnings": c["severity"]["warning"], "info": c["severity"]["info"],
            "by_family": dict(sorted(c["family"].items())), "dismissed": sum(c["dismissed"].values())}


def findings(engine: Engine, document_id: int) -> list[dict[str, Any]]:
    """The document's findings in the order the audit gave them, each with
    its review."""
    f = schema.findings
    with engine.connect() as c:
        rows = c.execute(select(*(f.c[col] for col in FINDING_COLUMNS)).where(f.c.document_id == document_id)
                         .order_by(f.c.id)).all()
        states = review_states(c, document_id)
    return [{**r._mapping, "review": states.get(r.id, OPEN)} for r in rows]


def finding_document(engine: Engine, finding_id: int) -> int | None:
    f = schema.findings
    with engine.connect() as c:
        return c.scalar(select(f.c.document_id).where(f.c.id == finding_id))


def model_json(engine: Engine, document_id: int) -> bytes | None:
    """The stored model as JSON bytes, or None (unreadable, or stored before models were kept)."""
    import gzip

    m = schema.models
    with engine.connect() as c:
        data = c.scalar(select(m.c.json_gz).where(m.c.document_id == document_id))
    return gzip.decompress(data) if data is not None else None


def model(engine: Engine, document_id: int) -> Disclosure | None:
    m = schema.models
    with engine.connect() as c:
        data = c.scalar(select(m.c.json_gz).where(m.c.document_id == document_id))
    return model_of(data) if data is not None else None


def departments(engine: Engine) -> list[dict[str, Any]]:
    """Each department named by a document: how many documents, which years and kinds."""
    d = schema.documents
    q = (select(d.c.department, d.c.year, d.c.kind, func.count().label("n"))
         .where(d.c.department.is_not(None)).group_by(d.c.department, d.c.year, d.c.kind))
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as c:
        for r in c.execute(q):
            e = out.setdefault(r.department, {"name": r.department, "documents": 0, "years": set(), "kinds": set()})
            e["documents"] += r.n
            if r.year is not None:
                e["years"].add(r.year)
            if r.kind is not None:
                e["kinds"].add(r.kind)
    return [{**e, "years": sorted(e["years"]), "kinds": sorted(e["kinds"])} for _, e in sorted(out.items())]


def ledger(engine: Engine, document_id: int) -> list[dict[str, Any]]:
    """What the audit did with each rule: ran, not_applicable or could_not_run (with why)."""
    lg = schema.ledger
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(lg.c.rule, lg.c.status, lg.c.reason)
                                                    .where(lg.c.document_id == document_id).order_by(lg.c.id))]


def open_errors(engine: Engine, year: int | None = None) -> dict[int, int]:
    """Each document's errors, dismissed ones left out as `summary` counts
    them, in one query for a page listing many documents (absent: none)."""
    from ..store.review import _latest

    f, r, d, latest = schema.findings, schema.reviews, schema.documents, _latest()
    q = (select(f.c.document_id, func.count()).join(d, d.c.id == f.c.document_id)
         .outerjoin(latest, latest.c.finding_id == f.c.id).outerjoin(r, r.c.id == latest.c.review_id)
         .where(f.c.severity == "error", (r.c.status.is_(None)) | (r.c.status != "dismissed"))
         .group_by(f.c.document_id))
    if year is not None:
        q = q.where(d.c.year == year)
    with engine.connect() as c:
        return {document_id: n for document_id, n in c.execute(q)}


# -- the document pages (home, document, table view) --------------------------
def recent_documents(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The latest stored documents, newest first."""
    d = schema.documents
    q = select(*(d.c[c] for c in DOCUMENT_COLUMNS)).order_by(d.c.ingested_at.desc(), d.c.id.desc()).limit(limit)
    with engine.connect() as c:
        return [_document(r) for r in c.execute(q)]


def stored_tables(engine: Engine, document_id: int) -> list[dict[str, Any]]:
    """The document's tables as stored (id, title, unit), in reading order."""
    t = schema.tables
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(t.c.table_id, t.c.title, t.c.unit)
                                                    .where(t.c.document_id == document_id).order_by(t.c.id))]


def row_positions(engine: Engine, document_id: int) -> dict[str, list[tuple[int, str | None, str | None]]]:
    """Per table, its rows' (position, code, item): where a finding's row is printed."""
    r = schema.rows
    out: dict[str, list[tuple[int, str | None, str | None]]] = {}
    with engine.connect() as c:
        for row in c.execute(select(r.c.table_id, r.c.position, r.c.code, r.c.item)
                             .where(r.c.document_id == document_id).order_by(r.c.table_id, r.c.position)):
            out.setdefault(row.table_id, []).append((row.position, row.code, row.item))
    return out
