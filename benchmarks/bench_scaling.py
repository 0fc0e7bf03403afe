"""How each step grows with the size of a document: a disclosure made from
an example with N coded rows in every classified table (N = 10 … 3,000),
timed to audit, to write DOCX/XLSX/HTML (PDF with --pdf, up to 300 rows:
LibreOffice is slow and a separate process) and to read back the written
DOCX and XLSX. The last column is the 300 → 3,000 ratio: 10 is
proportional, the goal is ≤ 15 (within 1.5× of proportional).

Rows are copies of the example's coded rows in blocks, each block under a
new 类 code, so codes stay unique and hierarchical and every 类 still sums;
only 合计 stops matching (one A02 finding per table). Tables without codes
keep their rows. Reading back text (Tika) is not timed: there is no
in-process way to get the Tika text of a written DOCX.

    .venv/bin/python benchmarks/bench_scaling.py [--sizes 10,100,300,1000,3000] [--runs N] [--pdf]
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
from yusuan.write.layout import layout
from yusuan.write.render import render
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


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,300,1000,3000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--example", default="jinzhou-2026")
    ap.add_argument("--pdf", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = read(EXAMPLES / f"{args.example}.txt")
    steps = ["audit", "write docx", "write xlsx", "write html", "read docx", "read xlsx"]
    if args.pdf:
        steps.append("write pdf")
    # The written DOCX at 3,000 rows per table is larger than the reader
    # allows an upload by default.
    with limits.override(zip_member_size="1GB", document_cells=10**7):
        results = _measure(base, sizes, steps, args)
    _report(results, sizes, steps, args, os.getloadavg()[0])


def _measure(base: Disclosure, sizes: list[int], steps: list[str], args) -> dict[str, dict[int, float]]:
    results: dict[str, dict[int, float]] = {s: {} for s in steps}
    # Once untimed, so the first size does not carry the loading of
    # definitions, rules and lazily imported modules.
    warm = scaled(base, sizes[0])
    audit(warm)
    for fmt in ("docx", "xlsx"):
        read_bytes(render(warm, fmt), f"warm.{fmt}")
    write_html(layout(warm))
    for n in sizes:
        d = scaled(base, n)
        runs = args.runs if n <= 1000 else max(1, args.runs // 2)
        results["audit"][n] = timed(lambda: audit(d), runs)
        lay = layout(d)
        written = {}
        for fmt, w in (("docx", write_docx), ("xlsx", write_xlsx), ("html", write_html)):
            written[fmt] = w(lay)
            results[f"write {fmt}"][n] = timed(lambda w=w: w(lay), runs)
        for fmt in ("docx", "xlsx"):
            results[f"read {fmt}"][n] = timed(lambda f=fmt: read_bytes(written[f], f"scaled.{f}"), runs)
        if args.pdf and n <= 300:
            results["write pdf"][n] = timed(lambda: render(d, "pdf"), 1)
        print(f"  done {n} rows/table", flush=True)
    return results


def _report(results, sizes, steps, args, load: float) -> None:
    print(f"\n{args.example}, rows per coded table; ms, median of {args.runs} (1000+: {max(1, args.runs // 2)}); load {load:.2f}")
    print(f"{'step':<12}" + "".join(f"{n:>10}" for n in sizes) + f"{'300→3000':>10}")
    for s in steps:
        cells = "".join(f"{results[s][n]:>10.1f}" if n in results[s] else f"{'—':>10}" for n in sizes)
        r = results[s]
        ratio = f"{r[3000] / r[300]:>10.1f}" if 300 in r and 3000 in r else f"{'—':>10}"
        print(f"{s:<12}{cells}{ratio}")


if __name__ == "__main__":
    main()
