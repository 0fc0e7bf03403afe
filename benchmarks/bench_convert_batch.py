"""LibreOffice starts and wall time of `yusuan check` and `yusuan ingest`
over legacy Office files (issue 17: one soffice run serves a batch).

    .venv/bin/python benchmarks/bench_convert_batch.py [--workers 2] [--runs 3]

The files are made here by LibreOffice from the examples: four .doc (the
two example DOCX and the DOCX yusuan renders of the two text exports) and
four .xls (the XLSX yusuan renders of the example DOCX and PDF). Every
start is counted by a `soffice` placed first on PATH that notes the start
and runs the real one. Run it with PYTHONPATH=<an older checkout's src>
to measure that version with the same files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def yusuan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yusuan", *args], capture_output=True, text=True, env=env)


def make_files(folder: Path, soffice: str) -> list[Path]:
    src = folder / "src"
    src.mkdir()
    for name in ("gaoyang-2023", "jinzhou-2026"):
        shutil.copy(EXAMPLES / f"{name}.docx", src / f"{name}.docx")
        yusuan("render", str(EXAMPLES / f"{name}.txt"), "-o", str(src / f"{name}-t.docx"))
        yusuan("render", str(EXAMPLES / f"{name}.docx"), "-o", str(src / f"{name}-d.xlsx"))
        yusuan("render", str(EXAMPLES / f"{name}.pdf"), "-o", str(src / f"{name}-p.xlsx"))
    legacy = folder / "legacy"
    profile = (folder / "profile").as_uri()
    for target, suffix in (("doc", "docx"), ("xls", "xlsx")):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                        "--outdir", str(legacy), *map(str, sorted(src.glob(f"*.{suffix}")))],
                       check=True, capture_output=True, timeout=300)
    return sorted(legacy.iterdir())


def counting_soffice(folder: Path, real: str) -> tuple[Path, Path]:
    shim = folder / "bin"
    shim.mkdir()
    log = folder / "starts.log"
    (shim / "soffice").write_text(f'#!/bin/sh\necho "$$" >> "{log}"\nexec "{real}" "$@"\n')
    (shim / "soffice").chmod(0o755)
    return shim, log


def measure(args: list[str], env: dict[str, str], log: Path) -> tuple[float, int, int]:
    log.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = yusuan(*args, env=env)
    seconds = time.perf_counter() - t0
    starts = len(log.read_text().splitlines()) if log.exists() else 0
    return seconds, starts, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    real = shutil.which("soffice")
    if real is None:
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        folder = Path(tmp)
        files = make_files(folder, real)
        shim, log = counting_soffice(folder, real)
        env = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
        print(f"{len(files)} files: {', '.join(p.name for p in files)}; {args.workers} workers")
        for name in ("check", "ingest"):
            times, starts = [], set()
            for run in range(args.runs):
                command = ["check", "-j", str(args.workers), *map(str, files)] if name == "check" else \
                    ["ingest", "-j", str(args.workers), "--db", f"sqlite:///{folder / f'db{run}.sqlite'}", *map(str, files)]
                seconds, n, status = measure(command, env, log)
                times.append(seconds)
                starts.add(n)
            print(f"{name:<7} soffice starts {'/'.join(map(str, sorted(starts)))}   "
                  f"wall median {statistics.median(times):.1f} s (best {min(times):.1f} s of {args.runs}), exit {status}")


if __name__ == "__main__":
    main()
