"""The per-document work of `ingest` on a Dask distributed cluster: the
workers read and audit (the same `process_data` as local processes), the
client writes each result to the store as it arrives. Files go to the
workers as bytes, since another machine cannot open the client's paths;
a few per worker are in flight at a time, so memory does not grow with the
batch."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .ingest import process_data
from .rows import DocumentRows, rows_of


def _client(address: str, workers: int | None):
    from dask.distributed import Client, LocalCluster

    if address == "local":
        # one thread per process: reading holds the GIL, threads would not help
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def run_on_dask(todo: list[tuple[Path, str]], address: str, workers: int | None,
                store: Callable[[DocumentRows], None]) -> None:
    from dask.distributed import as_completed

    client, cluster = _client(address, workers)
    try:
        window = 2 * max(len(client.scheduler_info()["workers"]), 1)
        pending = iter(todo)
        jobs = {}

        def submit() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            path, digest = job
            try:
                data = path.read_bytes()
            except OSError as exc:
                store(rows_of(path.name, digest, exc))
                return True
            jobs[client.submit(process_data, path.name, data, digest, pure=False)] = job
            return True

        flow = as_completed()
        while len(jobs) < window and submit():
            pass
        for future in jobs:
            flow.add(future)
        for future in flow:
            path, digest = jobs.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # noqa: BLE001 — a worker lost, rows that would not travel
                rows = rows_of(path.name, digest, exc)
            store(rows)
            future.release()
            before = set(jobs)
            while len(jobs) < window and submit():
                pass
            for new in set(jobs) - before:
                flow.add(new)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
