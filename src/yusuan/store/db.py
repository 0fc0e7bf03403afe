"""Opening the database: an engine whose schema is brought up to the
package's newest migration before anything is written."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

DEFAULT_URL = "sqlite:///yusuan.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config(url: str) -> Config:
    # no alembic.ini: the script location is the package's, wherever it is installed
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked
    cursor.execute("PRAGMA foreign_keys=ON")
    # a write-ahead log, synced at checkpoints rather than at every commit:
    # ingest commits once a document, and the fsync of each commit was a
    # third of its one writer's time. A power cut can lose the last
    # documents, which the next run stores again (it skips what is stored).
    # Readers (the portal) no longer wait for the writer either.
    if cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal":
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for another database or an in-memory
    one): what must never be written over, and must exist to be read."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.database if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:") else None


def engine_for(url: str = DEFAULT_URL) -> Engine:
    """An engine on `url`, migrated to the newest schema (idempotent: an
    up-to-date database is left as it is)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    cfg = _alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
