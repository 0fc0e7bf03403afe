"""Median in-process time to write each seed and the compiled example, the
model already in memory (layout included). Goal: ≤ 100 ms each for DOCX,
XLSX and HTML. PDF (LibreOffice, a separate process) is timed once.

    .venv/bin/python benchmarks/bench_write.py [--runs N] [--pdf]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_read import SEEDS, timing_ms

from yusuan.compile import compile_dir
from yusuan.read import read
from yusuan.write.docx import write_docx
from yusuan.write.html import write_html
from yusuan.write.layout import layout
from yusuan.write.render import render
from yusuan.write.xlsx import write_xlsx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--pdf", action="store_true")
    args = ap.parse_args()
    docs = {seed: read(EXAMPLES / f"{seed}.txt") for seed in SEEDS}
    docs["compile-example"] = compile_dir(EXAMPLES / "compile-example")
    print(f"{'document':<16}{'docx ms':>14}{'xlsx ms':>14}{'html ms':>14}{'pdf s':>8}   (median/best of {args.runs})")
    for name, d in docs.items():
        cells = [timing_ms(lambda w=w: w(layout(d)), args.runs) for w in (write_docx, write_xlsx, write_html)]
        pdf = ""
        if args.pdf:
            t0 = time.perf_counter()
            render(d, "pdf")
            pdf = f"{time.perf_counter() - t0:.1f}"
        print(f"{name:<16}{cells[0]:>14}{cells[1]:>14}{cells[2]:>14}{pdf:>8}")
    t0 = time.perf_counter()
    compile_dir(EXAMPLES / "compile-example")
    print(f"compile example (read inputs, aggregate, generate text): {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
