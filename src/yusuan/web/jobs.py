"""Reading uploads in the background: a job per upload request, its files
read and audited in worker processes by the same `process_file` that
`yusuan ingest` uses and stored by the same `write_rows`, one job at a time
so the machine's cores are not fought over. Progress is kept in memory for
the progress page to poll (`GET /api/jobs/{id}`); a restart forgets jobs,
never documents.

Bytes already stored map to the document that has them, before any reading."""

from __future__ import annotations

import datetime as dt
import queue
import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from ..pool import run_in_processes
from ..store import schema
from ..store.ingest import process_file
from ..store.rows import DocumentRows, rows_of
from ..store.save import write_rows

FINAL = frozenset({"ok", "unreadable", "internal", "duplicate"})


@dataclass
class Upload:
    file_name: str            # the client's name, cleaned; shown, never opened
    sha256: str
    path: Path | None = None  # the bytes, under a generated name, until read
    status: str = "queued"    # queued, reading, then ok / unreadable / internal / duplicate
    document_id: int | None = None
    message: str | None = None
    same_as: Upload | None = field(default=None, repr=False)  # an earlier file of the same job, same bytes

    @property
    def final(self) -> bool:
        return self.status in FINAL and (self.same_as is None or self.same_as.final)

    @property
    def document(self) -> int | None:
        return self.same_as.document if self.same_as is not None else self.document_id


@dataclass
class Job:
    id: str
    files: list[Upload]
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    finished_at: dt.datetime | None = None
    done_event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def total(self) -> int:
        return len(self.files)

    @property
    def done(self) -> int:
        return sum(u.final for u in self.files)

    @property
    def errors(self) -> int:
        return sum(u.status in ("unreadable", "internal") for u in self.files)

    @property
    def finished(self) -> bool:
        return self.done_event.is_set()

    @property
    def document_ids(self) -> list[int | None]:
        return [u.document for u in self.files]


def _document_ids(engine: Engine, hashes: list[str]) -> dict[str, int]:
    docs = schema.documents
    with engine.connect() as connection:
        return dict(connection.execute(select(docs.c.sha256, docs.c.id).where(docs.c.sha256.in_(hashes))).all())


class Jobs:
    """The queue of upload jobs and the one thread that works through it."""

    def __init__(self, engine: Engine, workers: int, folder: Path | None = None, keep: int = 500):
        self.engine, self.workers, self.keep = engine, workers, keep
        # mkdtemp makes the folder readable by this user only (0700)
        self.folder = Path(tempfile.mkdtemp(prefix="yusuan-uploads-", dir=folder))
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def submit(self, staged: list[tuple[str, Path, str]]) -> Job:
        """A job for files already on disk: (client name, path, sha256) each."""
        known = _document_ids(self.engine, [sha for _, _, sha in staged])
        first: dict[str, Upload] = {}
        files = []
        for name, path, sha in staged:
            u = Upload(name, sha, path)
            if sha in known:
                u.status, u.document_id = "duplicate", known[sha]
            elif sha in first:
                u.status, u.same_as = "duplicate", first[sha]
            else:
                first[sha] = u
            if u.status == "duplicate":
                path.unlink(missing_ok=True)
                u.path = None
            files.append(u)
        job = Job(secrets.token_urlsafe(12), files)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
        if any(u.status == "queued" for u in files):
            self._start()
            self._queue.put(job)
        else:
            self._finish(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="yusuan-jobs", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._run(job)
            except Exception as exc:  # noqa: BLE001 — the thread must outlive any one job
                for u in job.files:
                    if not u.final and u.same_as is None:
                        u.status, u.message = "internal", f"{type(exc).__name__}: {exc}"
            finally:
                self._finish(job)

    def _finish(self, job: Job) -> None:
        for u in job.files:
            if u.path is not None:
                u.path.unlink(missing_ok=True)
                u.path = None
        job.finished_at = dt.datetime.now(dt.timezone.utc)
        job.done_event.set()

    def _run(self, job: Job) -> None:
        # a job queued behind another that stored the same bytes need not read them again
        stored = _document_ids(self.engine, [u.sha256 for u in job.files if u.status == "queued"])
        for u in job.files:
            if u.status == "queued" and u.sha256 in stored:
                u.status, u.document_id = "duplicate", stored[u.sha256]
        todo = [u for u in job.files if u.status == "queued"]
        if not todo:
            return
        for u in todo:
            u.status = "reading"

        def store(i: int, rows: DocumentRows) -> None:
            u = todo[i]
            # the worker named it by its generated path; the client's name is the one to show
            rows.document["file_name"] = u.file_name
            written = write_rows(self.engine, rows)
            u.document_id = _document_ids(self.engine, [u.sha256]).get(u.sha256)
            u.message = rows.document.get("message")
            u.status = rows.status if written else "duplicate"
            if u.path is not None:
                u.path.unlink(missing_ok=True)
                u.path = None

        run_in_processes(((i, (str(u.path), u.sha256)) for i, u in enumerate(todo)), process_file,
                         min(self.workers, len(todo)),
                         done=store, failed=lambda i, exc: store(i, rows_of(todo[i].file_name, todo[i].sha256, exc)))
