"""Documents per second and peak memory ingesting a batch of files into a
fresh SQLite store, with 1 and 2 local worker processes and on a 2-worker
Dask LocalCluster. Goals (2-core machine): ≥ 1.8× faster with 2 workers than
with 1; memory flat (peak at 1,000 files within 20 % of peak at 100);
text/DOCX ≥ 30 documents/s and 20–30-page PDFs ≥ 5 documents/s with 2
workers.

    .venv/bin/python benchmarks/bench_ingest.py [--files N] [--workers 1,2] [--dask]
        [--kinds text,docx,pdf] [--split] [--repeat K] [--no-flat]

The batch is copies of the examples and of the PDFs in ../shared/corpus/
(when present), each copy's bytes varied so its SHA-256 differs — the store
would skip a second copy of the same bytes — without changing what is read
(checked: every variant reads to the same model as its original). The
copies live in a temporary folder, never in the repository.

Each run is a fresh process (so the parent's peak RSS is that run's) into
a fresh database; a sampler thread walks the process tree to catch the
workers' peaks (VmHWM), which end with the pool.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
KINDS = {"text": ".txt", "docx": ".docx", "pdf": ".pdf"}


def sources(kind: str) -> list[Path]:
    found = sorted(EXAMPLES.glob(f"*{KINDS[kind]}"))
    if kind == "pdf":
        if CORPUS.is_dir():
            found += sorted(CORPUS.glob("*.pdf"))
        else:
            print(f"note: {CORPUS} absent, PDFs are the examples' only", file=sys.stderr)
    return found


def variant(data: bytes, suffix: str, n: int) -> bytes:
    """`data` with bytes that every reader ignores, distinct for each `n`."""
    if suffix == ".txt":
        # trailing whitespace: the counter in binary as spaces and tabs on
        # a last line the text reader strips
        return data + b"\n" + format(n, "b").replace("0", " ").replace("1", "\t").encode() + b"\n"
    if suffix == ".pdf":
        # after %%EOF readers stop; a comment line is the usual incremental tail
        return data + b"\n%" + str(n).encode() + b"\n"
    if suffix == ".docx":
        # the zip comment is outside every part Word (or yusuan) opens
        import io

        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a") as z:
            z.comment = f"copy {n}".encode()
        return buf.getvalue()
    raise ValueError(suffix)


def check_variants(srcs: list[Path]) -> None:
    """Each source and one variant of it read to the same model."""
    from yusuan.read import read_bytes

    for src in srcs:
        data = src.read_bytes()
        a = read_bytes(data, src.name).model_dump()
        b = read_bytes(variant(data, src.suffix, 987654), src.name).model_dump()
        if a != b:
            raise SystemExit(f"varying the bytes of {src.name} changed what is read")


def build(folder: Path, n: int, kinds: list[str]) -> dict[str, int]:
    """`n` files in `folder`, the kinds in turn, each kind's sources in turn."""
    folder.mkdir(parents=True)
    per_kind = {k: cycle(sources(k)) for k in kinds}
    order = cycle(kinds)
    counts = dict.fromkeys(kinds, 0)
    for i in range(n):
        kind = next(order)
        src = next(per_kind[kind])
        (folder / f"{i:05d}-{src.name}").write_bytes(variant(src.read_bytes(), src.suffix, i))
        counts[kind] += 1
    return counts


def pdf_pages(kinds: list[str]) -> str:
    import pypdfium2 as pdfium

    if "pdf" not in kinds:
        return ""
    pages = [len(pdfium.PdfDocument(p)) for p in sources("pdf")]
    return f"{min(pages)}–{max(pages)} pages, mean {statistics.mean(pages):.0f}"


# ---- one run, in a process of its own -------------------------------------

def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """The highest VmHWM seen for every descendant (workers, Dask nannies):
    the kernel keeps the peak, sampling only has to see the process before
    it exits."""

    def __init__(self, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.every, self.peaks, self.stop = every, {}, threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self.stop.is_set():
            try:
                kids = me.children(recursive=True)
            except psutil.Error:
                kids = []
            for p in kids:
                kb = _hwm_kb(p.pid)
                if kb:
                    try:
                        name = " ".join(p.cmdline()[1:3])[-40:]
                    except psutil.Error:
                        name = "?"
                    self.peaks[p.pid] = (max(kb, self.peaks.get(p.pid, (0, ""))[0]), name)
            self.stop.wait(self.every)


def _busy_seconds() -> float:
    # all CPUs' non-idle time: less ours, it is what other people ran meanwhile
    with open("/proc/stat") as f:
        t = [int(x) for x in f.readline().split()[1:]]
    return (sum(t) - t[3] - t[4]) / os.sysconf("SC_CLK_TCK")


def one_run(folder: str, workers: int, dask: bool) -> dict:
    from yusuan.store import ingest

    db = Path(tempfile.mkdtemp(prefix="yusuan-bench-db-")) / "bench.db"
    sampler = TreeSampler()
    sampler.start()
    t_cpu, busy = os.times(), _busy_seconds()
    t0 = time.perf_counter()
    summary = ingest([folder], f"sqlite:///{db}", workers, dask="local" if dask else None)
    wall = time.perf_counter() - t0
    cpu, busy = os.times(), _busy_seconds() - busy
    sampler.stop.set()
    sampler.join()
    size = sum(p.stat().st_size for p in db.parent.iterdir())
    shutil.rmtree(db.parent)
    # the Dask LocalCluster adds a nanny per worker: the workers are the big ones
    worker_peaks = sorted((kb for kb, _ in sampler.peaks.values()), reverse=True)[:workers]
    return {
        "docs": summary.stored, "errors": summary.errors, "skipped": summary.skipped, "seconds": wall,
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": max(worker_peaks, default=0) / 1024,
        "workers_sum_mb": sum(worker_peaks) / 1024,
        "parent_cpu": (parent := cpu.user - t_cpu.user + cpu.system - t_cpu.system) / wall,
        "children_cpu": (children := cpu.children_user - t_cpu.children_user
                         + cpu.children_system - t_cpu.children_system) / wall,
        "others_cpu": max(busy - parent - children, 0) / wall,
        "db_mb": size / 2**20,
    }


def run(folder: Path, workers: int, dask: bool) -> dict:
    load = os.getloadavg()
    out = subprocess.run([sys.executable, __file__, "--one", str(folder), str(workers), str(int(dask))],
                         check=True, capture_output=True, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load"] = load
    return r


# ---- the batch ------------------------------------------------------------

def row(label: str, files: int, workers: int, r: dict, base: float | None) -> str:
    rate = r["docs"] / r["seconds"]
    speedup = f"{rate / base:.2f}×" if base else ""
    return (f"| {label} | {files} | {workers} | {r['seconds']:.1f} | {rate:.1f} | {speedup} "
            f"| {r['parent_peak_mb']:.0f} | {r['worker_peak_mb']:.0f} | {r['workers_sum_mb']:.0f} "
            f"| {r['parent_cpu'] * 100:.0f} % | {r['others_cpu'] * 100:.0f} % | {r['db_mb']:.1f} | {r['errors']} "
            f"| {' '.join(f'{x:.2f}' for x in r['load'])} |")


HEADER = ("| set | files | workers | s | docs/s | vs 1 worker | parent peak MB | worker peak MB "
          "| workers Σ MB | parent CPU | others' CPU | db MB | errors | load 1/5/15 before |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--dask", action="store_true", help="also on a 2-worker Dask LocalCluster")
    ap.add_argument("--kinds", default="text,docx,pdf")
    ap.add_argument("--split", action="store_true",
                    help="also text/DOCX only and PDF only, 2 workers (the per-kind goals)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    ap.add_argument("--no-flat", action="store_true", help="skip the 100-file runs for memory flatness")
    ap.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        folder, workers, dask = args.one
        print(json.dumps(one_run(folder, int(workers), dask == "1")))
        return

    kinds = args.kinds.split(",")
    workers = [int(w) for w in args.workers.split(",")]
    sizes = [args.files] if args.no_flat or args.files <= 100 else [100, args.files]
    check_variants([s for k in KINDS for s in sources(k)])
    tmp = Path(tempfile.mkdtemp(prefix="yusuan-bench-files-"))
    lines: list[str] = []
    notes: list[str] = []
    try:
        sets = [("mix", kinds, w, False) for w in workers]
        if args.dask:
            sets.append(("mix dask", kinds, 2, True))
        if args.split:
            sets += [("text+docx", ["text", "docx"], 2, False), ("pdf", ["pdf"], 2, False)]
        folders: dict[tuple, Path] = {}
        results: dict[tuple, list[dict]] = {}
        for label, ks, w, dask in sets:
            for n in sizes:
                key = (tuple(ks), n)
                if key not in folders:
                    folders[key] = tmp / f"{'-'.join(ks)}-{n}"
                    counts = build(folders[key], n, ks)
                    notes.append(f"{'+'.join(ks)} × {n}: {counts}" + (f"; PDFs {pdf_pages(ks)}" if "pdf" in ks else ""))
                for _ in range(args.repeat):
                    r = run(folders[key], w, dask)
                    results.setdefault((label, n, w), []).append(r)
                    print(f"{label} files={n} workers={w}: {r['docs'] / r['seconds']:.1f} docs/s, "
                          f"parent {r['parent_peak_mb']:.0f} MB, worker {r['worker_peak_mb']:.0f} MB, "
                          f"load {r['load'][0]:.2f}, others' CPU {r['others_cpu'] * 100:.0f} %", file=sys.stderr, flush=True)
        for (label, n, w), rs in results.items():
            base_runs = results.get(("mix", n, 1)) if label.startswith("mix") and w > 1 else None
            base = max(b["docs"] / b["seconds"] for b in base_runs) if base_runs else None
            lines += [row(label, n, w, r, base) for r in rs]
        flat = []
        if len(sizes) == 2:
            for (label, n, w), rs in results.items():
                small = results.get((label, sizes[0], w))
                if n == sizes[1] and small:
                    for what in ("parent_peak_mb", "worker_peak_mb"):
                        a, b = max(r[what] for r in small), max(r[what] for r in rs)
                        flat.append(f"| {label} | {w} | {what.removesuffix('_mb').replace('_', ' ')} "
                                    f"| {a:.0f} | {b:.0f} | {(b / a - 1) * 100:+.0f} % |")
    finally:
        shutil.rmtree(tmp)
    print()
    print(HEADER)
    print("\n".join(lines))
    if flat:
        print(f"\n| set | workers | peak | at {sizes[0]} MB | at {sizes[1]} MB | change (goal within ±20 %) |")
        print("|---|---:|---|---:|---:|---:|")
        print("\n".join(flat))
    print()
    for note in notes:
        print(f"- {note}")
    print(f"- {os.cpu_count()} CPUs; vs 1 worker is against the best 1-worker run of the same size; "
          "others' CPU is the machine's busy time during the run less this run's processes "
          "(100 % = one core taken by someone else)")


if __name__ == "__main__":
    main()
