"""Pages per second reading a PDF into the model, beside the floor: pypdfium2
extracting the raw text of every page (no positions, no tables). Goal:
≥ 100 pages/s.

    .venv/bin/python benchmarks/bench_read_pdf.py [--runs N] [FILE.pdf ...]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pypdfium2 as pdfium

from yusuan.read import read_bytes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def raw_text(data: bytes) -> None:
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    pdf.close()


def rate(fn, data: bytes, pages: int, runs: int) -> tuple[float, float]:
    fn(data)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    return pages / statistics.median(times), pages / min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or sorted(EXAMPLES.glob("*.pdf"))
    print(f"{'file':<22}{'pages':>6}{'yusuan pages/s':>18}{'raw text pages/s':>20}   (median/best of {args.runs})")
    for f in files:
        data = f.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        ours = rate(lambda b: read_bytes(b, f.name), data, pages, args.runs)
        floor = rate(raw_text, data, pages, args.runs)
        print(f"{f.name:<22}{pages:>6}{ours[0]:>11.0f}/{ours[1]:<6.0f}{floor[0]:>13.0f}/{floor[1]:<6.0f}")


if __name__ == "__main__":
    main()
