"""What an open peer does with a budget PDF: open it with pdfplumber and, for
every page, take the text (``page.extract_text()``) and the tables
(``page.extract_tables()``), default settings throughout. It is the yardstick
``bench_vs_pdfplumber.py`` times ``yusuan check`` against, whole process.

Writes one JSON line per page (page number, text, tables) to stdout, so the
work is really done and can be looked at; ``--summary`` prints one line of
counts instead. pdfplumber is not a yusuan dependency: run this with the
benchmark's own venv, made by ``benchmarks/setup-pdfplumber-env``:

    ~/.cache/yusuan-bench/pdfplumber-venv/bin/python \\
        benchmarks/pdfplumber_text_tables.py examples/gaoyang-2023.pdf
"""

from __future__ import annotations

import argparse
import json
import sys

import pdfplumber


def pages(path: str):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            yield {
                "page": page.page_number,
                "text": page.extract_text(),
                "tables": page.extract_tables(),
            }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf")
    parser.add_argument("--summary", action="store_true", help="one line of counts, not the content")
    args = parser.parse_args(argv)

    n_pages = n_tables = n_rows = n_chars = 0
    for page in pages(args.pdf):
        n_pages += 1
        n_tables += len(page["tables"])
        n_rows += sum(len(t) for t in page["tables"])
        n_chars += len(page["text"] or "")
        if not args.summary:
            sys.stdout.write(json.dumps(page, ensure_ascii=False) + "\n")
    if args.summary:
        print(f"{args.pdf}: {n_pages} pages, {n_chars} text chars, {n_tables} tables, {n_rows} table rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
