"""Median in-process time to audit each seed, the model already read.
Goal: ≤ 5 ms per seed.

    .venv/bin/python benchmarks/bench_audit.py [--runs N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_read import SEEDS, timing_ms

from yusuan.audit import audit
from yusuan.read import read

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    runs = ap.parse_args().runs
    print(f"{'seed':<14}{'audit ms':>14}{'findings':>10}   (median/best of {runs})")
    for seed in SEEDS:
        d = read(EXAMPLES / f"{seed}.txt")
        print(f"{seed:<14}{timing_ms(lambda: audit(d), runs):>14}{len(audit(d)):>10}")


if __name__ == "__main__":
    main()
