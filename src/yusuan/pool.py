"""Many files, one worker function, all cores: the process pool that
`ingest` and `check` share.

At most a few jobs are in flight per worker, and each result is handed
back as it arrives, so neither the queue nor the finished results grow
with the batch. A worker killed outright (out of memory, a crash in C)
takes the pool with it; every job then in flight is run again on its own,
so only the one that kills a worker by itself is reported as failing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

Job = tuple[Hashable, tuple]  # (the caller's key, the worker's arguments)


class WorkerDied(RuntimeError):
    """A worker process ended without an answer while doing one job."""


def run_in_processes(jobs: Iterable[Job], worker: Callable[..., Any], workers: int,
                     done: Callable[[Hashable, Any], None], failed: Callable[[Hashable, BaseException], None],
                     per_worker: int = 2) -> None:
    """`worker(*args)` for every job in `workers` processes; `done(key,
    result)` or `failed(key, exception)` for each, in the order they finish."""
    window = max(workers, 1) * per_worker
    pending = iter(jobs)
    pool = ProcessPoolExecutor(max_workers=workers)
    in_flight: dict[Future, Job] = {}
    try:
        while True:
            while len(in_flight) < window and (job := next(pending, None)) is not None:
                in_flight[pool.submit(worker, *job[1])] = job
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            suspects: list[Job] = []
            for future in finished:
                job = in_flight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    suspects.append(job)
                    continue
                except Exception as exc:  # noqa: BLE001 — e.g. a result that would not pickle
                    failed(job[0], exc)
                    continue
                done(job[0], result)
            if suspects:
                suspects += in_flight.values()
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for job in suspects:
                    _alone(job, worker, done, failed)
                pool = ProcessPoolExecutor(max_workers=workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _alone(job: Job, worker: Callable[..., Any], done, failed) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            result = pool.submit(worker, *job[1]).result()
        except BrokenProcessPool as exc:
            failed(job[0], WorkerDied(f"the worker process died on this file ({exc})"))
        except Exception as exc:  # noqa: BLE001
            failed(job[0], exc)
        else:
            done(job[0], result)
