"""Writing one document's rows: one transaction, keyed by content hash."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..model import SCHEMA_VERSION, Disclosure
from . import schema
from .rows import CELL_KEYS, LEDGER_KEYS, ROW_KEYS, DocumentRows, rows_of


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
    if rows.tables:
        connection.execute(insert(schema.tables), [{"document_id": doc_id, **t} for t in rows.tables])
    if rows.rows:
        connection.execute(insert(schema.rows),
                           [{"document_id": doc_id, **dict(zip(ROW_KEYS, r))} for r in rows.rows])
    if rows.cells:
        connection.execute(insert(schema.cells),
                           [{"document_id": doc_id, **dict(zip(CELL_KEYS, c))} for c in rows.cells])
    if rows.findings:
        connection.execute(insert(schema.findings), [{"document_id": doc_id, **f} for f in rows.findings])
    if rows.ledger:
        connection.execute(insert(schema.ledger),
                           [{"document_id": doc_id, **dict(zip(LEDGER_KEYS, e))} for e in rows.ledger])
    if rows.model is not None:
        connection.execute(insert(schema.models).values(document_id=doc_id, json_gz=rows.model,
                                                        schema_version=SCHEMA_VERSION))
    return True


def save(bind: Engine | Session | Connection, path: str | Path, sha256: str,
         result: Disclosure | BaseException, findings: list | None = None, ledger: list | None = None,
         timings: dict[str, float] | None = None) -> bool:
    """Store one document read in this process (its model and audit, or the
    exception that stopped it). True when stored, False when the same bytes
    were stored already."""
    return write_rows(bind, rows_of(Path(path).name, sha256, result, findings, ledger, timings))


__all__ = ["save", "stored_hashes", "write_rows"]
