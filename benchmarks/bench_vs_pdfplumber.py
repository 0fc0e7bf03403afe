"""Whole-process CPU of ``yusuan check FILE.pdf`` against the pdfplumber
text+tables script the open peers use (``pdfplumber_text_tables.py``), run
side by side on the same PDFs. Goal (issue 17): yusuan uses at most a fifth
of the peer's CPU on each file, i.e. ratio (pdfplumber / yusuan) ≥ 5.

Each file gets one untimed warm-up of each command (disk cache, .pyc files),
then N rounds; a round runs both commands, one after the other, the order
swapping every round so neither always runs second. CPU is user + system
time of the child process (and anything it waited for), from ``os.wait4``;
the table shows medians. Both sides may write bytecode (the warm-up does),
whatever PYTHONDONTWRITEBYTECODE says. ``yusuan check`` exiting 1
(findings) counts as a success; 2 or 3 marks the file as failed. Start-up
is timed apart: the CPU of
``yusuan --version`` and of ``python -c "import yusuan"``, beside
``python -c "import pdfplumber"`` in the peer's venv.

Beside the two commands each file gets a third, the floor: a process that
does only what any Typer command reading the file with pdfium must do
(start Python, import Typer with the pydantic layer it coerces a command's
parameters with, import pypdfium2, load every page and its text page), and
nothing of yusuan. The goal leaves yusuan the peer's CPU / 5 (the budget);
where the floor alone costs more than the budget, no reader and no audit
could meet it on that file with this command-line library and pdfium.

pdfplumber lives in its own venv, never in yusuan's dependencies; make it
once with ``benchmarks/setup-pdfplumber-env``. Then:

    .venv/bin/python benchmarks/bench_vs_pdfplumber.py [--runs N] [--corpus] [FILE.pdf ...]

Default files: examples/*.pdf; ``--corpus`` adds ../shared/corpus/*.pdf
(or $YUSUAN_CORPUS/*.pdf). The peer venv is $YUSUAN_PDFPLUMBER_VENV or
~/.cache/yusuan-bench/pdfplumber-venv, the yusuan command <repo>/.venv/bin/yusuan.
``--src DIR`` runs that command on another source tree (PYTHONPATH), to
measure a commit other than the checkout's:

    git archive HEAD~3 src | tar -x -C /tmp/old
    .venv/bin/python benchmarks/bench_vs_pdfplumber.py --src /tmp/old/src
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLES = REPO / "examples"
PEER_SCRIPT = HERE / "pdfplumber_text_tables.py"
DEFAULT_VENV = Path.home() / ".cache" / "yusuan-bench" / "pdfplumber-venv"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"  # shared/ sits beside the checkout
GOAL = 5.0  # pdfplumber CPU / yusuan CPU, per file
OK_STATUS = {"yusuan": frozenset({0, 1}), "pdfplumber": frozenset({0}),  # yusuan: 1 = findings, still a full check
             "floor": frozenset({0})}
# The floor process (see the module's docstring): typer._adapters is what
# Typer imports to turn a command's arguments into values (pydantic, as of
# Typer 0.2x); pages are loaded as every reading of the file loads them.
FLOOR_CODE = """
import sys
import typer, typer._adapters
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
for page in pdf:
    page.get_textpage().close()
    page.close()
pdf.close()
"""


def child_env(src: Path | None = None) -> dict[str, str]:
    """The environment both sides run in. Bytecode is written (a user's
    installation has it; with PYTHONDONTWRITEBYTECODE, as some shells set,
    every yusuan run would compile its modules afresh while pip compiled the
    peer's at install). `src` goes first on the path: that tree's yusuan is
    imported rather than the editable install's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    return env


@dataclass
class Command:
    argv: list[str]
    ok: frozenset[int] = frozenset({0})
    env: dict[str, str] = field(default_factory=lambda: child_env())


@dataclass
class Run:
    cpu: float
    wall: float
    status: int
    rss_mb: float


@dataclass
class Runs:
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def statuses(self) -> set[int]:
        return {r.status for r in self.runs}


def run(cmd: Command) -> Run:
    """One child process: its CPU (user + sys), wall time, exit status, peak RSS.
    stdout goes to /dev/null: both commands still format all their output."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=cmd.env)
        # wait4 gives the child's rusage, with that of any processes it waited for
        # (a worker pool's CPU counts); Popen.wait would discard it.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in cmd.ok:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
            print(f"  exit {proc.returncode}: {' '.join(cmd.argv)}\n    " + "\n    ".join(tail), file=sys.stderr)
    return Run(usage.ru_utime + usage.ru_stime, wall, proc.returncode, usage.ru_maxrss / 1024)


def pages(pdf: Path) -> int:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def commands(yusuan: Path, peer_python: Path, pdf: Path, env: dict[str, str]) -> dict[str, Command]:
    return {
        "yusuan": Command([str(yusuan), "check", str(pdf)], OK_STATUS["yusuan"], env),
        "pdfplumber": Command([str(peer_python), str(PEER_SCRIPT), str(pdf)], OK_STATUS["pdfplumber"]),
        "floor": Command([str(yusuan.parent / "python"), "-c", FLOOR_CODE, str(pdf)], OK_STATUS["floor"], env),
    }


def measure(cmds: dict[str, Command], runs: int) -> dict[str, Runs]:
    names = list(cmds)
    for name in names:  # warm-up, not counted
        run(cmds[name])
    result = {name: Runs() for name in names}
    for i in range(runs):
        for name in names if i % 2 == 0 else reversed(names):
            result[name].runs.append(run(cmds[name]))
    return result


def startup(yusuan: Path, peer_python: Path, runs: int, env: dict[str, str]) -> dict[str, Runs]:
    repo_python = yusuan.parent / "python"
    return measure(
        {
            "yusuan --version": Command([str(yusuan), "--version"], env=env),
            "python -c 'import yusuan'": Command([str(repo_python), "-c", "import yusuan"], env=env),
            "python -c 'import yusuan.cli'": Command([str(repo_python), "-c", "import yusuan.cli"], env=env),
            "python -c pass (repo venv)": Command([str(repo_python), "-c", "pass"]),
            "python -c 'import pdfplumber' (peer venv)": Command([str(peer_python), "-c", "import pdfplumber"]),
        },
        runs,
    )


def failed(name: str, r: Runs) -> str:
    bad = r.statuses() - OK_STATUS[name]
    return f"{name} exit {','.join(map(str, sorted(bad)))}" if bad else ""


def row(pdf: Path, n_pages: int, r: dict[str, Runs]) -> tuple[list[str], bool | None, float]:
    """The table's cells, whether the goal holds (None: a run failed), and
    the budget less the floor (CPU s)."""
    y, p, fl = r["yusuan"], r["pdfplumber"], r["floor"]
    ycpu, pcpu, fcpu = y.median("cpu"), p.median("cpu"), fl.median("cpu")
    ratio = pcpu / ycpu
    margin = pcpu / GOAL - fcpu
    problems = [f for f in (failed("yusuan", y), failed("pdfplumber", p), failed("floor", fl)) if f]
    met = None if problems else ratio >= GOAL
    verdict = "; ".join(problems) if problems else ("yes" if met else "no")
    cells = [
        pdf.name,
        str(n_pages),
        f"{ycpu:.2f}",
        f"{pcpu:.2f}",
        f"{ratio:.2f}",
        f"{pcpu / GOAL:.3f}",
        f"{fcpu:.3f}",
        f"{margin:+.3f}",
        f"{y.median('wall'):.2f}",
        f"{p.median('wall'):.2f}",
        f"{y.median('rss_mb'):.0f}",
        f"{p.median('rss_mb'):.0f}",
        f"{'/'.join(map(str, sorted(y.statuses())))}",
        verdict,
    ]
    return cells, met, margin


HEADER = [
    "file",
    "pages",
    "yusuan CPU s",
    "pdfplumber CPU s",
    "ratio p/y",
    "budget s",
    "floor s",
    "budget − floor s",
    "yusuan wall s",
    "pdfplumber wall s",
    "yusuan MB",
    "pdfplumber MB",
    "yusuan exit",
    f"ratio ≥ {GOAL:g}",
]


def table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def files(args: argparse.Namespace) -> list[Path]:
    chosen = [Path(f) for f in args.files] or sorted(EXAMPLES.glob("*.pdf"))
    if args.corpus:
        corpus = Path(os.environ.get("YUSUAN_CORPUS", DEFAULT_CORPUS))
        found = sorted(corpus.glob("*.pdf"))
        if not found:
            print(f"no PDFs in {corpus}; corpus skipped", file=sys.stderr)
        chosen += found
    return chosen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="PDFs (default: examples/*.pdf)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command per file (default 5)")
    ap.add_argument("--corpus", action="store_true", help="also the corpus PDFs")
    ap.add_argument("--yusuan", type=Path, default=REPO / ".venv" / "bin" / "yusuan")
    ap.add_argument("--venv", type=Path, default=Path(os.environ.get("YUSUAN_PDFPLUMBER_VENV", DEFAULT_VENV)))
    ap.add_argument("--src", type=Path, help="run yusuan from this src/ folder (e.g. another commit's, "
                    "from git archive) instead of the checkout the venv points at")
    args = ap.parse_args()
    env = child_env(args.src)

    peer_python = args.venv / "bin" / "python"
    if not peer_python.exists():
        print(f"no pdfplumber venv at {args.venv}: run benchmarks/setup-pdfplumber-env", file=sys.stderr)
        return 2
    if not args.yusuan.exists():
        print(f"no yusuan command at {args.yusuan}", file=sys.stderr)
        return 2

    print(f"start-up, CPU s (median of {args.runs}):")
    for name, r in startup(args.yusuan, peer_python, args.runs, env).items():
        print(f"  {name:45} {r.median('cpu'):.3f}  (wall {r.median('wall'):.3f})")

    rows, verdicts, under = [], [], []
    for pdf in files(args):
        print(f"  … {pdf.name}", file=sys.stderr)
        cells, met, margin = row(pdf, pages(pdf), measure(commands(args.yusuan, peer_python, pdf, env), args.runs))
        rows.append(cells)
        verdicts.append((pdf.name, met))
        if margin < 0:
            under.append(pdf.name)
    print()
    print(table(rows))
    print()
    met = [n for n, m in verdicts if m]
    missed = [n for n, m in verdicts if m is False]
    broken = [n for n, m in verdicts if m is None]
    print(
        f"goal (yusuan CPU ≤ 1/{GOAL:g} of pdfplumber's, every file): "
        + ("HOLDS" if not missed and not broken else "NOT MET")
        + f" — {len(met)} of {len(verdicts)} files meet it"
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + (f"; failed runs: {', '.join(broken)}" if broken else "")
    )
    print(f"files whose floor alone (Typer, its parameter layer, pdfium loading the pages) costs more than "
          f"the budget: {len(under)} of {len(rows)}" + (f" ({', '.join(under)})" if under else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
