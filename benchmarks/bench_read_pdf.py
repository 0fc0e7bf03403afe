"""Pages per second reading a PDF into the model, beside the floor: pypdfium2
loading every page and its text page and extracting the raw text (no
positions, no tables). Goal: ≥ 100 pages/s.

    .venv/bin/python benchmarks/bench_read_pdf.py [--runs N] [FILE.pdf ...]

With --against OLD_PDF_PY (another version of src/yusuan/read/pdf.py, e.g.
`git show REV:src/yusuan/read/pdf.py > /tmp/pdf_old.py`), that reader and
this one read each file in turn, run after run, inside one process, and
the ratio of their pages/s is printed: on a machine shared with other work
two separate runs drift apart more than the change being measured.
With --floor (and --against), each file's pdfium floor is printed too: the
time of the pdfium calls any version of the reader makes (open the file,
load every page and its text page, read the text, one loose box a
character, every page object and its type), and what that leaves the
Python of the reader and the model for a given ratio: the floor is the
same before and after, so a ratio needs (before / ratio − floor).

With --clock cpu each read is timed by the process's CPU time instead of
the wall clock: a read waiting for a core other work holds is not counted
(pdfium and the reader run in this one thread).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

import yusuan.read.pdf as reader
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


def pdfium_floor(data: bytes) -> None:
    """The pdfium work every reading of the file does, through the typed
    calls the reader uses, and nothing else."""
    import ctypes
    from itertools import repeat

    import pypdfium2.raw as raw

    calls = reader._calls()
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = raw.FPDF_LoadPage(pdf.raw, i)
        textpage = raw.FPDFText_LoadPage(page)
        n = raw.FPDFText_CountChars(textpage)
        if n > 0:
            text = (ctypes.c_ushort * (n + 1))()
            raw.FPDFText_GetText(textpage, 0, n, text)
            boxes = (ctypes.c_float * (4 * n))()
            start = ctypes.addressof(boxes)
            handle = reader._address(textpage)
            list(map(calls.loose_box, repeat(handle, n), range(n), range(start, start + 16 * n, 16)))
        reader._paths(reader._address(page), calls)
        raw.FPDFText_ClosePage(textpage)
        raw.FPDF_ClosePage(page)
    pdf.close()


def median_seconds(fn, runs: int, clock) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def rate(fn, data: bytes, pages: int, runs: int) -> tuple[float, float]:
    fn(data)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    return pages / statistics.median(times), pages / min(times)


def load_reader(path: Path):
    """Another version of the PDF reader, as a module of the same package
    (its relative imports find this checkout's blocks, limits, ...)."""
    spec = importlib.util.spec_from_file_location("yusuan.read._pdf_against", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rates_against(old, data: bytes, name: str, pages: int, runs: int, clock=time.perf_counter) -> tuple[float, float]:
    """Median pages/s of read_bytes with the other reader and with this one,
    the two run alternately."""
    ours = reader.parse_pdf
    times: dict[str, list[float]] = {"old": [], "new": []}
    try:
        for i in range(runs + 1):
            for key, parse in (("old", old.parse_pdf), ("new", ours)):
                reader.parse_pdf = parse  # read_bytes looks it up on each call
                t0 = clock()
                read_bytes(data, name)
                if i:  # the first round warms up
                    times[key].append(clock() - t0)
    finally:
        reader.parse_pdf = ours
    return pages / statistics.median(times["old"]), pages / statistics.median(times["new"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--against", type=Path, help="another pdf.py to compare with, run by run")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="with --against: time by wall clock or CPU time")
    ap.add_argument("--floor", action="store_true", help="with --against: also the pdfium floor and the budget for 2×")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or sorted(EXAMPLES.glob("*.pdf"))
    if args.against:
        old = load_reader(args.against)
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        floor_head = f"{'floor ms':>10}{'python ms':>11}{'for 2×':>8}" if args.floor else ""
        print(f"{'file':<40}{'pages':>6}{'before p/s':>12}{'after p/s':>11}{'ratio':>8}{floor_head}"
              f"   (medians of {args.runs}, {args.clock})")
        ratios = []
        for f in files:
            data = f.read_bytes()
            pages = len(pdfium.PdfDocument(data))
            before, after = rates_against(old, data, f.name, pages, args.runs, clock)
            ratios.append(after / before)
            floor = ""
            if args.floor:
                # the Python of the reader and the model now, and what 2× leaves it
                fl = median_seconds(lambda: pdfium_floor(data), args.runs, clock) * 1000
                now, target = pages / after * 1000, pages / before * 1000 / 2
                floor = f"{fl:>10.1f}{now - fl:>11.1f}{target - fl:>8.1f}"
            print(f"{f.name:<40}{pages:>6}{before:>12.0f}{after:>11.0f}{after / before:>7.2f}×{floor}")
        print(f"{'lowest ratio':<58}{min(ratios):>7.2f}×")
        return
    print(f"{'file':<22}{'pages':>6}{'yusuan pages/s':>18}{'raw text pages/s':>20}   (median/best of {args.runs})")
    for f in files:
        data = f.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        ours = rate(lambda b: read_bytes(b, f.name), data, pages, args.runs)
        floor = rate(raw_text, data, pages, args.runs)
        print(f"{f.name:<22}{pages:>6}{ours[0]:>11.0f}/{ours[1]:<6.0f}{floor[0]:>13.0f}/{floor[1]:<6.0f}")


if __name__ == "__main__":
    main()
