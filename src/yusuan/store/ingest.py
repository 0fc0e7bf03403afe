"""Ingest: many files into the database, read and audited in worker
processes, written by the parent one document at a time as each arrives.

Resumable and idempotent: a file whose bytes (SHA-256) are stored already
is skipped before it is read, so a batch stopped half way is finished by
running it again, and running it twice adds nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..files import expand
from ..pool import run_in_processes
from .db import DEFAULT_URL, engine_for
from .rows import DocumentRows, rows_of
from .save import stored_hashes, write_rows

Progress = Callable[[int, int, int], None]


@dataclass
class IngestSummary:
    files: int = 0            # files found (after expanding folders)
    skipped: int = 0          # bytes already stored, or the same bytes twice in this batch
    stored: int = 0           # documents written now
    ok: int = 0
    unreadable: int = 0
    internal: int = 0
    empty_folders: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return self.unreadable + self.internal


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def process_file(path: str, sha256: str) -> DocumentRows:
    """Read and audit one file; whatever goes wrong becomes the file's
    status, so one bad file never stops the batch."""
    from ..read import read

    return _process(Path(path).name, sha256, lambda: read(path))


def process_data(name: str, data: bytes, sha256: str) -> DocumentRows:
    """The same for a file's bytes: a Dask worker on another machine has
    no access to the client's paths."""
    from ..read import read_bytes

    return _process(name, sha256, lambda: read_bytes(data, name))


def process_files(jobs: list[tuple[str, str]]) -> list[DocumentRows]:
    """`process_file` for each (path, sha256) of a job, in order, but the
    legacy Office files among them converted together first: one
    LibreOffice run per kind instead of one per file (each run costs
    LibreOffice's 1–3 s start). The documents are still read and audited
    one at a time, so a job holds at most one disclosure."""
    from ..read import ReadError, limits
    from ..read.convert import convert_loaded

    loaded: list[tuple[bytes, str] | ReadError] = []
    seconds: list[float] = []
    for path, _ in jobs:
        t0 = time.perf_counter()
        try:
            loaded.append((limits.read_file(path, "file_size"), Path(path).name))
        except ReadError as exc:
            loaded.append(exc)
        seconds.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    converted = convert_loaded(loaded)
    spent = time.perf_counter() - t0
    changed = [i for i, (a, b) in enumerate(zip(loaded, converted)) if a is not b]
    del loaded
    for i in changed:  # the runs' time shared by the files they converted
        seconds[i] += spent / len(changed)
    out = []
    for i, (path, digest) in enumerate(jobs):
        item, converted[i] = converted[i], None
        out.append(_process(Path(path).name, digest, lambda item=item: _from_loaded(item), seconds[i]))
    return out


def _from_loaded(item: tuple[bytes, str] | Exception):
    from ..read import read_bytes

    if isinstance(item, Exception):
        raise item
    return read_bytes(*item)


def _process(name: str, sha256: str, load: Callable, before: float = 0.0) -> DocumentRows:
    """`before`: seconds already spent on the file's reading (loading and
    converting it with others)."""
    from ..audit import audit_with_ledger

    t0 = time.perf_counter() - before
    try:
        d = load()
    except Exception as exc:  # noqa: BLE001 — every failure is recorded as the file's
        return rows_of(name, sha256, exc, timings={"read": time.perf_counter() - t0})
    t1 = time.perf_counter()
    try:
        findings, ledger = audit_with_ledger(d)
        t2 = time.perf_counter()
        return rows_of(name, sha256, d, findings, ledger, {"read": t1 - t0, "audit": t2 - t1})
    except Exception as exc:  # noqa: BLE001
        return rows_of(name, sha256, exc, timings={"read": t1 - t0, "audit": time.perf_counter() - t1})


def _todo(files: Iterable[Path], stored: set[str], summary: IngestSummary) -> list[tuple[Path, str]]:
    todo: list[tuple[Path, str]] = []
    for path in files:
        try:
            # a FIFO or a device would block or never end here; the reader refuses them
            if not path.is_file():
                raise OSError("not a regular file")
            digest = sha256_of(path)
        except OSError:
            # no bytes to key by: keyed by its name instead, and left to the
            # reader, which records why it cannot be read
            digest = hashlib.sha256(f"unopenable:{path.resolve()}".encode()).hexdigest()
        if digest in stored:
            summary.skipped += 1
            continue
        stored.add(digest)
        todo.append((path, digest))
    return todo


def ingest(paths: Iterable[str | Path], url: str = DEFAULT_URL, workers: int | None = None,
           progress: Progress | None = None, dask: str | None = None) -> IngestSummary:
    """Read, audit and store every file named or found in the folders named.
    `progress(done, total, errors)` is called once before the first file and
    after each one; `total` counts the files still to do, not those skipped.
    `dask` ("local", or a scheduler address such as tcp://host:8786) runs
    the reading and auditing on a Dask cluster; this process still writes."""
    started = time.perf_counter()
    summary = IngestSummary()
    files, summary.empty_folders = expand([Path(p) for p in paths])
    summary.files = len(files)
    engine = engine_for(url)
    try:
        todo = _todo(files, stored_hashes(engine), summary)
        total, done = len(todo), 0
        if progress:
            progress(0, total, 0)

        def store(rows: DocumentRows) -> None:
            nonlocal done
            if write_rows(engine, rows):
                summary.stored += 1
                setattr(summary, rows.status, getattr(summary, rows.status) + 1)
            else:
                summary.skipped += 1
            done += 1
            if progress:
                progress(done, total, summary.errors)

        if todo:
            # workers fork from here: with the pool emptied they hold no
            # copy of an open database connection
            engine.dispose()
            if dask:
                from .cluster import run_on_dask

                run_on_dask(todo, dask, workers, store)
            else:
                _run(todo, workers or os.cpu_count() or 1, store)
    finally:
        engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


# files per job: the legacy Office files of a job share LibreOffice's runs,
# and the job is still small enough to spread a batch over the workers
CHUNK = 4


def _run(todo: list[tuple[Path, str]], workers: int, store: Callable[[DocumentRows], None]) -> None:
    """Jobs of up to CHUNK files; the files of a job that failed as a whole
    (a worker killed by one of them) are done again one per job, so only
    the file at fault is recorded as failing."""
    jobs = _jobs(todo, workers)
    again: list[tuple[Path, str]] = []

    def failed(i: int, exc: BaseException) -> None:
        if len(jobs[i]) > 1:
            again.extend(jobs[i])
        else:
            store(rows_of(jobs[i][0][0].name, jobs[i][0][1], exc))

    run_in_processes(((i, ([(str(path), digest) for path, digest in job],)) for i, job in enumerate(jobs)),
                     process_files, workers, done=lambda _i, rows: [store(r) for r in rows], failed=failed)
    if again:
        run_in_processes((((path, digest), (str(path), digest)) for path, digest in again), process_file, workers,
                         done=lambda _job, rows: store(rows),
                         failed=lambda job, exc: store(rows_of(job[0].name, job[1], exc)))


def _jobs(todo: list[tuple[Path, str]], workers: int) -> list[list[tuple[Path, str]]]:
    """The files in jobs, Word files beside Word files and workbooks beside
    workbooks (by suffix: a job of one kind costs one LibreOffice run, a
    mixed one two); fewer than CHUNK a job when that keeps every worker busy."""
    from ..read.convert import by_kind

    ordered = [todo[i] for i in by_kind([str(path) for path, _ in todo])]
    size = max(1, min(CHUNK, -(-len(ordered) // max(workers, 1))))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]
