"""Whole-process CPU of short commands, against the code as it was before
the start-up work (issue 17 asks for ≥ 2× less CPU for `--help` and a
single-file `parse`/`check` of a text or DOCX document).

The baseline is a git worktree of BASE (default 021add5, the last commit
before the start-up work) run by the same interpreter with its own source
first on the path, so both sides share one set of installed libraries.
Each command runs alternately on both sides, `--runs` times; the table
shows the median user+sys CPU seconds (os.wait4) and the ratio. Bytecode is
written once by a warm-up run on each side, as a user's installation has it.

    .venv/bin/python benchmarks/bench_startup.py [--runs N] [--base REV]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"
COMMANDS = [
    ["--help"],
    ["parse", str(EX / "gaoyang-2023.txt")],
    ["check", str(EX / "gaoyang-2023.txt")],
    ["check", str(EX / "gaoyang-2023.docx")],
    ["check", str(EX / "jinzhou-2026.docx")],
    ["check", str(EX / "gaoyang-2023.pdf")],
]


def cpu(src: Path, args: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    proc = subprocess.Popen([sys.executable, "-m", "yusuan", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{src}: yusuan {' '.join(args)} exited {code}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--base", default="021add5")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="yusuan-base-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            sides = {"before": base / "src", "now": ROOT / "src"}
            print(f"{'command':<34}{'before s':>10}{'now s':>10}{'ratio':>8}   (median CPU of {args.runs})")
            for command in COMMANDS:
                times: dict[str, list[float]] = {name: [] for name in sides}
                for src in sides.values():
                    cpu(src, command)  # bytecode written, caches warm
                for _ in range(args.runs):
                    for name, src in sides.items():
                        times[name].append(cpu(src, command))
                before, now = (statistics.median(times[n]) for n in sides)
                label = " ".join(Path(a).name for a in command)
                print(f"{label:<34}{before:>10.3f}{now:>10.3f}{before / now:>7.2f}×")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)


if __name__ == "__main__":
    main()
