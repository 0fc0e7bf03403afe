"""Median in-process time to read each seed into the model, from Tika text
and from DOCX, beside the floor for DOCX (unzip + lxml parse of
word/document.xml, no interpretation). Goal: ≤ 10 ms from text, ≤ 20 ms
from DOCX.

    .venv/bin/python benchmarks/bench_read.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

from yusuan.read import read_bytes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = ("jinzhou-2026", "gaoyang-2023")


def timing_ms(fn, runs: int) -> str:
    """Median and best of `runs`: the median is the goal's measure, the best
    shows the cost when the (shared, 2-core) machine is not busy."""
    fn()  # warm caches (definitions, imports)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return f"{statistics.median(times) * 1000:.2f}/{min(times) * 1000:.2f}"


def floor(data: bytes) -> None:
    with zipfile.ZipFile(BytesIO(data)) as z:
        etree.fromstring(z.read("word/document.xml"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    runs = ap.parse_args().runs
    print(f"{'seed':<14}{'text ms':>14}{'docx ms':>14}{'docx floor ms':>16}   (median/best of {runs})")
    for seed in SEEDS:
        text = (EXAMPLES / f"{seed}.txt").read_bytes()
        docx = (EXAMPLES / f"{seed}.docx").read_bytes()
        t = timing_ms(lambda: read_bytes(text, "x.txt"), runs)
        d = timing_ms(lambda: read_bytes(docx, "x.docx"), runs)
        f = timing_ms(lambda: floor(docx), runs)
        print(f"{seed:<14}{t:>14}{d:>14}{f:>16}")


if __name__ == "__main__":
    main()
