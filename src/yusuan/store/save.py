"""Writing one document's rows: one transaction, keyed by content hash."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Dialect, Engine, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..model import SCHEMA_VERSION, Disclosure
from . import schema
from .rows import CELL_KEYS, FINDING_KEYS, LEDGER_KEYS, ROW_KEYS, TABLE_KEYS, DocumentRows, rows_of


def stored_hashes(bind: Engine | Connection) -> set[str]:
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return stored_hashes(connection)
    return set(bind.scalars(select(schema.documents.c.sha256)))


def write_rows(bind: Engine | Session | Connection, rows: DocumentRows) -> bool:
    """Store the document; False (and nothing written) when its bytes are
    stored already."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            return _write(connection, rows)
    if isinstance(bind, Session):
        # the caller's session owns the transaction; a savepoint keeps a
        # duplicate from undoing what else it has done
        with bind.begin_nested():
            return _write(bind.connection(), rows)
    with bind.begin_nested() if bind.in_transaction() else bind.begin():
        return _write(bind, rows)


def _write(connection: Connection, rows: DocumentRows) -> bool:
    docs = schema.documents
    if connection.scalar(select(docs.c.id).where(docs.c.sha256 == rows.sha256)) is not None:
        return False
    try:
        with connection.begin_nested():
            doc_id = connection.execute(insert(docs).values(**rows.document).returning(docs.c.id)).scalar_one()
    except IntegrityError:
        # another writer stored the same bytes between the check and the insert
        return False
    _insert_many(connection, schema.tables, TABLE_KEYS, doc_id, [tuple(t[k] for k in TABLE_KEYS) for t in rows.tables])
    _insert_many(connection, schema.rows, ROW_KEYS, doc_id, rows.rows)
    _insert_many(connection, schema.cells, CELL_KEYS, doc_id, rows.cells)
    _insert_many(connection, schema.findings, FINDING_KEYS, doc_id,
                 [tuple(f.get(k) for k in FINDING_KEYS) for f in rows.findings])
    _insert_many(connection, schema.ledger, LEDGER_KEYS, doc_id, rows.ledger)
    if rows.model is not None:
        _insert_many(connection, schema.models, ("schema_version", "json_gz"), doc_id, [(SCHEMA_VERSION, rows.model)])
    return True


@cache
def _prepared(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> tuple[str, tuple[tuple[int, Callable], ...]]:
    names = ("document_id", *keys)
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    # most columns pass through as they are; only those whose type converts
    # (a Decimal for SQLite, a datetime) are visited for each row
    processors = ((i, table.c[n].type.bind_processor(dialect)) for i, n in enumerate(names))
    return sql, tuple((i, p) for i, p in processors if p is not None)


def _insert_many(connection: Connection, table: Table, keys: tuple[str, ...], doc_id: int,
                 values: list[tuple]) -> None:
    """One executemany of the driver's own for a document's rows of `table`:
    SQLAlchemy's per-row parameter handling cost as much as SQLite's insert
    itself (2.9 ms a document, measured), and ingest's one writer is what
    keeps two workers from being twice as fast as one. The types' bind
    processors are applied as SQLAlchemy would."""
    if not values:
        return
    sql, processors = _prepared(connection.dialect, table, keys)
    if not processors:
        connection.exec_driver_sql(sql, [(doc_id, *row) for row in values])
        return
    params = []
    for row in values:
        out = [doc_id, *row]
        for i, convert in processors:
            if out[i] is not None:
                out[i] = convert(out[i])
        params.append(tuple(out))
    connection.exec_driver_sql(sql, params)


def save(bind: Engine | Session | Connection, path: str | Path, sha256: str,
         result: Disclosure | BaseException, findings: list | None = None, ledger: list | None = None,
         timings: dict[str, float] | None = None) -> bool:
    """Store one document read in this process (its model and audit, or the
    exception that stopped it). True when stored, False when the same bytes
    were stored already."""
    return write_rows(bind, rows_of(Path(path).name, sha256, result, findings, ledger, timings))


__all__ = ["save", "stored_hashes", "write_rows"]
