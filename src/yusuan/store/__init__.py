"""The disclosure database: documents, their tables, tidy cells, findings
and the audit ledger, in SQLite (the default, `sqlite:///yusuan.db`) or
PostgreSQL (any SQLAlchemy URL).

    from yusuan.store import ingest
    summary = ingest(["disclosures/"], url="sqlite:///yusuan.db", workers=4)

Opening a database applies the package's migrations first (Alembic), so
an old database is brought up to the current schema and a new one made.
"""

from __future__ import annotations

from .db import DEFAULT_URL, engine_for, migrate
from .export import export_cells
from .ingest import IngestSummary, ingest
from .save import save, stored_hashes, write_rows

__all__ = ["DEFAULT_URL", "IngestSummary", "engine_for", "export_cells", "ingest", "migrate", "save", "stored_hashes",
           "write_rows"]
