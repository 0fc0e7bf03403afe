"""How each step grows with the size of a document: a disclosure made from
an example with N coded rows in every classified table (N = 10 … 3,000),
timed to audit, to lay it out (what every writer serialises), to write the
layout in every format (DOCX, XLSX, HTML; PDF with --pdf) and to read each
written form back (Tika text, DOCX, XLSX; PDF with --pdf). Each step's
last columns are the 300 → 3,000 ratio and its verdict: 10 is
proportional, the goal is ≤ 15 (within 1.5× of proportional), above is
flagged NOT LINEAR.

Rows are copies of the example's coded rows in blocks, each block under a
new 类 code, so codes stay unique and hierarchical and every 类 still sums;
only 合计 stops matching (one A02 finding per table). Tables without codes
keep their rows.

yusuan writes no Tika text and Tika is not installed here, so the text read
is of what Tika prints for the written DOCX, made from the same layout as
Tika prints a Word table (`tika_text`): a paragraph a line, a cell a
TAB-led line, a horizontally merged cell once, a vertical continuation as
an empty cell, an empty line after each row and one more after each table.
The run checks that it reads back to what the DOCX reads back to.

The PDF is LibreOffice's print of the DOCX (a separate process, seconds
even for a small document, so its ratio includes start-up) and is timed
once per size, up to --pdf-max rows per table; the PDF read reads that file.

    .venv/bin/python benchmarks/bench_scaling.py [--sizes 10,100,300,1000,3000] [--runs N] [--pdf] [--pdf-max 3000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from yusuan.audit import audit
from yusuan.definitions import levels, table_defs
from yusuan.model import Disclosure
from yusuan.read import limits, read, read_bytes
from yusuan.write.docx import write_docx
from yusuan.write.html import write_html
from yusuan.write.layout import Layout, LParagraph, layout
from yusuan.write.pdf import write_pdf
from yusuan.write.xlsx import write_xlsx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def scaled(d: Disclosure, n: int) -> Disclosure:
    """`d` with `n` coded rows in each table whose rows carry codes."""
    d = d.model_copy(deep=True)
    for t in d.tables.values():
        coded = [r for r in t.rows if r.code]
        if not coded:
            continue
        top = min(levels(_classification(t)) or [len(coded[0].code)])
        first = t.rows.index(coded[0])
        rows = []
        fresh: dict[tuple[int, str], str] = {}  # (copy, original 类) → its new 类 code
        copy = 0
        while len(rows) < n:
            for r in coded:
                if len(rows) == n:
                    break
                if len(r.code) < top:
                    continue
                new = fresh.setdefault((copy, r.code[:top]), f"{100 + len(fresh):0{top}d}")
                rows.append(r.model_copy(update={"code": new + r.code[top:]}))
            copy += 1
        assert len({r.code for r in rows}) == len(rows), "ran out of 类 codes: more rows than the example allows"
        t.rows = t.rows[:first] + rows + [r for r in t.rows[first:] if not r.code]
    return d


def _classification(t) -> str | None:
    td = table_defs().get(t.id)
    return td.classification if td else None


def tika_text(lay: Layout) -> bytes:
    """What Tika prints for the DOCX of `lay` (see the module's docstring)."""
    lines: list[str] = []
    for item in lay.items:
        if isinstance(item, LParagraph):
            lines.append(item.text)
            continue
        if lines[-2:] == ["", ""]:
            lines.append("")  # Word keeps a paragraph between two tables
        for row in item.rows:
            for c in row.cells:
                first, *more = ("" if c.merged else c.text).split("\n")
                lines.append("\t" + first)
                lines.extend(more)
            lines.append("")
        lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "html": write_html}
READS = ("txt", "docx", "xlsx")  # the written forms read back


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,300,1000,3000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--example", default="jinzhou-2026")
    ap.add_argument("--pdf", action="store_true", help="also write and read PDF (LibreOffice, slow)")
    ap.add_argument("--pdf-max", type=int, default=3000, help="largest rows per table to print to PDF")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = read(EXAMPLES / f"{args.example}.txt")
    steps = ["audit", "layout", *(f"write {f}" for f in WRITERS), *(["write pdf"] if args.pdf else []),
             *(f"read {f}" for f in READS), *(["read pdf"] if args.pdf else [])]
    # The written files at 3,000 rows per table are larger than the readers
    # allow an upload by default.
    with limits.override(zip_member_size="1GB", document_cells=10**7, text_size="1GB", text_lines=10**8,
                         table_rows=10**6):
        results = _measure(base, sizes, steps, args)
    _report(results, sizes, steps, args, os.getloadavg()[0])


def _measure(base: Disclosure, sizes: list[int], steps: list[str], args) -> dict[str, dict[int, float]]:
    results: dict[str, dict[int, float]] = {s: {} for s in steps}
    # Once untimed, so the first size does not carry the loading of
    # definitions, rules and lazily imported modules; and the text made as
    # Tika would must read as the DOCX does, or its timing means nothing.
    warm = layout(scaled(base, sizes[0]))
    audit(warm.disclosure)
    written = {f: w(warm) for f, w in WRITERS.items()}
    written["txt"] = tika_text(warm)
    _check_text(read_bytes(written["txt"], "warm.txt"), read_bytes(written["docx"], "warm.docx"))
    for n in sizes:
        d = scaled(base, n)
        runs = args.runs if n <= 1000 else max(1, args.runs // 2)
        results["audit"][n] = timed(lambda: audit(d), runs)
        results["layout"][n] = timed(lambda: layout(d), runs)
        lay = layout(d)
        written = {}
        for fmt, w in WRITERS.items():
            written[fmt] = w(lay)
            results[f"write {fmt}"][n] = timed(lambda w=w: w(lay), runs)
        written["txt"] = tika_text(lay)
        reads = list(READS)
        if args.pdf and n <= args.pdf_max:
            t0 = time.perf_counter()
            written["pdf"] = write_pdf(written["docx"], timeout=3600)
            results["write pdf"][n] = (time.perf_counter() - t0) * 1000
            reads.append("pdf")
        for fmt in reads:
            results[f"read {fmt}"][n] = timed(lambda f=fmt: read_bytes(written[f], f"scaled.{f}"),
                                              1 if fmt == "pdf" else runs)
        print(f"  done {n} rows/table: " + ", ".join(f"{f} {len(b) / 1e6:.1f} MB" for f, b in written.items()),
              flush=True)
    return results


def _check_text(txt: Disclosure, docx: Disclosure) -> None:
    """The same tables with the same figures, or the text's timing means
    nothing; other differences (a code or a name read otherwise from the
    merges Tika loses) are the reader's to fix and are listed."""
    figures = {k: [r.amounts for r in t.rows] for k, t in docx.tables.items()}
    assert {k: [r.amounts for r in t.rows] for k, t in txt.tables.items()} == figures, \
        "the Tika-like text does not read to the DOCX's figures"
    for k, t in docx.tables.items():
        for i, (a, b) in enumerate(zip(txt.tables[k].rows, t.rows)):
            if (a.code, a.name) != (b.code, b.name):
                print(f"  note: text reads {k} row {i} as {a.code!r} {a.name!r}, DOCX as {b.code!r} {b.name!r}")


def _report(results, sizes, steps, args, load: float) -> None:
    print(f"\n{args.example}, rows per coded table; ms, median of {args.runs} (1000+: {max(1, args.runs // 2)};"
          f" PDF once); load {load:.2f}")
    print(f"{'step':<12}" + "".join(f"{n:>10}" for n in sizes) + f"{'300→3000':>10}  verdict (≤ 15)")
    for s in steps:
        r = results[s]
        cells = "".join(f"{r[n]:>10.1f}" if n in r else f"{'—':>10}" for n in sizes)
        if 300 in r and 3000 in r:
            ratio = r[3000] / r[300]
            tail = f"{ratio:>10.1f}  {'linear' if ratio <= 15 else 'NOT LINEAR'}"
        else:
            tail = f"{'—':>10}"
        print(f"{s:<12}{cells}{tail}")


if __name__ == "__main__":
    main()
