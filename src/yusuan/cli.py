"""The `yusuan` command line."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import model
from .definitions import standard_ids
from .export.cells import to_csv
from .read import ReadError, read
from .terminal import EXTRA_VIEWS, show as show_disclosure

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read, audit and write Chinese department budget disclosures (部门预算公开).")


class ParseFormat(str, Enum):
    json = "json"
    cells = "cells"


def fail(path: Path | str, message: str) -> None:
    """One line naming the file and the problem; exit status 2."""
    typer.echo(f"yusuan: {path}: {message}", err=True)
    raise typer.Exit(2)


def load(path: Path) -> model.Disclosure:
    try:
        return read(path)
    except ReadError as exc:
        fail(path, str(exc))
    except Exception as exc:  # a reader bug must still not print a traceback at a user
        if os.environ.get("YUSUAN_DEBUG"):
            raise
        fail(path, f"cannot read: {type(exc).__name__}: {exc}")
    raise AssertionError("unreachable")


def write_out(text: str, out: Optional[Path]) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(out, f"cannot write ({exc.strerror or exc})")


@app.command()
def parse(
    file: Path = typer.Argument(..., help="a disclosure: Tika text export, DOCX, or yusuan model JSON"),
    format: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f", help="json: the model; cells: tidy CSV of every amount"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="write here instead of standard output"),
) -> None:
    """Read a disclosure and print its model (JSON) or its amount cells (CSV)."""
    d = load(file)
    text = d.to_json() + "\n" if format is ParseFormat.json else to_csv(d)
    write_out(text, output)


@app.command()
def show(
    file: Path = typer.Argument(..., help="a disclosure"),
    table: Optional[str] = typer.Argument(None, help=f"one of: {', '.join([*standard_ids(), *EXTRA_VIEWS])}"),
) -> None:
    """Render the tables readably in the terminal."""
    allowed = [*standard_ids(), *EXTRA_VIEWS]
    if table is not None and table not in allowed:
        typer.echo(f"yusuan: unknown table {table!r}; choose one of: {', '.join(allowed)}", err=True)
        raise typer.Exit(2)
    d = load(file)
    show_disclosure(d, table, Console())


@app.command()
def schema() -> None:
    """Print the JSON Schema of the model."""
    typer.echo(model.json_schema())


def main() -> None:
    app()
