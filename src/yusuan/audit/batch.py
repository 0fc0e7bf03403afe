"""`check` over many files: read and audit each on all cores, keeping only
what the report needs of each (its About, findings and ledger), never the
disclosures, so memory stays flat however many files; then the files that
belong together (the parts of one document, a 决算 given with its budget)
are read again and checked together.

    from yusuan.audit.batch import check_files
    for outcome in check_files(paths, workers=2): ...
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..model import About, Disclosure
from ..outcome import Failure, internal, load_all, try_load
from . import audit_with_ledger
from .finding import Finding
from .ledger import Entry
from .versus import pair_budgets

# files per job: the legacy Office files among them are converted in one
# LibreOffice run, and a job is still small enough to share the load evenly
CHUNK = 4


@dataclass(slots=True)
class Audited:
    file: str
    about: About
    findings: list[Finding]
    ledger: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class Unchecked:
    file: str
    failure: Failure


Outcome = Audited | Unchecked
Progress = Callable[[int, int], None]


def audit_one(name: str, d: Disclosure | Failure, tolerance: Decimal = Decimal(0),
              budget: tuple[str, Disclosure] | None = None) -> Outcome:
    if isinstance(d, Failure):
        return Unchecked(name, d)
    try:
        found, ledger = audit_with_ledger(d, tolerance, budget)
    except Exception as exc:  # one document's fault in a rule must not cost the others their report
        return Unchecked(name, internal(exc, f"checking {name}"))
    return Audited(name, About.of(d), found, ledger)


def audit_files(files: list[str], tolerance: Decimal = Decimal(0)) -> list[Outcome]:
    """Each file read and audited on its own, in order (the worker's job)."""
    return [audit_one(f, d, tolerance) for f, d in zip(files, load_all([Path(f) for f in files]))]


def check_files(paths: list[Path], tolerance: Decimal = Decimal(0), workers: int | None = None,
                progress: Progress | None = None) -> Iterator[Outcome]:
    """Every file's outcome in the order given (the parts of one document
    as one, at the first part's place). `workers` processes (all cores by
    default; one, or a single job, runs here without a pool);
    `progress(done, total)` after each job.

    Outcomes wait in a temporary file, not in memory, until every file is
    read: only then is it known which belong together. What stays in
    memory is each file's About, a few hundred bytes."""
    from ..read.convert import by_kind

    names = [str(p) for p in paths]
    order = by_kind(names)
    chunks = [order[i:i + CHUNK] for i in range(0, len(order), CHUNK)]
    with tempfile.TemporaryFile(prefix="yusuan-check-") as spill:
        offsets: dict[int, int] = {}  # a file's place in `names` → where its outcome waits
        abouts: dict[int, tuple[str, About]] = {}

        def done(i: int, outcomes: list[Outcome]) -> None:
            spill.seek(0, os.SEEK_END)
            for n, o in zip(chunks[i], outcomes):
                offsets[n] = spill.tell()
                pickle.dump(o, spill, protocol=pickle.HIGHEST_PROTOCOL)
                if isinstance(o, Audited):
                    abouts[n] = (o.file, o.about)
            if progress:
                progress(len(offsets), len(names))

        def failed(i: int, exc: BaseException) -> None:
            done(i, [Unchecked(names[n], internal(exc, f"checking {names[n]}")) for n in chunks[i]])

        workers = min(workers or os.cpu_count() or 1, len(chunks))
        jobs = ((i, ([names[n] for n in chunk], tolerance)) for i, chunk in enumerate(chunks))
        if workers <= 1:
            for i, (files, _) in jobs:
                done(i, audit_files(files, tolerance))
        else:
            from ..pool import run_in_processes  # here: a single file pays nothing for process pools

            run_in_processes(jobs, audit_files, workers, done, failed)
        replaced = together([abouts.pop(n) for n in sorted(abouts)], tolerance)
        for n in range(len(names)):
            spill.seek(offsets[n])
            o = pickle.load(spill)
            if o.file not in replaced:
                yield o
            elif (r := replaced[o.file]) is not None:
                yield r


def together(abouts: list[tuple[str, About]], tolerance: Decimal = Decimal(0)) -> dict[str, Outcome | None]:
    """The files that belong together checked again together: file → its
    new outcome (at the first file of a group), or None (the other parts).
    They are few in a batch, and reading them twice costs less than keeping
    every disclosure in case."""
    from ..read import ReadError, group_parts, read_parts

    budgets = pair_budgets(abouts)  # a 决算 given with its budget is checked against it
    groups = [g for g in group_parts(abouts) if len(g) > 1]
    grouped = {f for g in groups for f in g}
    replaced: dict[str, Outcome | None] = {}
    for group in groups + [[f] for f in budgets if f not in grouped]:
        if len(group) > 1:
            try:
                d: Disclosure | Failure = read_parts(group)
            except ReadError as exc:
                d = Failure(str(exc))
        else:
            d = try_load(Path(group[0]))
        budget = None
        if group[0] in budgets:
            budget_file = budgets[group[0]][0]
            bd = try_load(Path(budget_file))
            budget = None if isinstance(bd, Failure) else (budget_file, bd)
        name = " + ".join(group) if not isinstance(d, Failure) else group[0]
        replaced[group[0]] = audit_one(name, d, tolerance, budget)
        for other in group[1:]:
            replaced[other] = None
    return replaced
