"""The `yusuan` command line."""

from __future__ import annotations

import os
import sys
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from . import model
from .audit import SEVERITIES, audit_with_ledger, filter_findings
from .audit.versus import pair_budgets
from .audit.report import (
    FileReport,
    print_text,
    rules_json,
    rules_text,
    to_json,
    to_markdown,
)
from .definitions import table_defs


def table_ids() -> list[str]:
    return list(table_defs())
from .export.cells import to_csv
from .read import ReadError, group_parts, read, read_parts
from .terminal import EXTRA_VIEWS
from .terminal import show as show_disclosure

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read, audit and write Chinese department budget disclosures (部门预算公开).")


class ParseFormat(str, Enum):
    json = "json"
    cells = "cells"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


Severity = Enum("Severity", {s: s for s in SEVERITIES}, type=str)  # the levels of data/rules.yaml


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


class OutputFormat(str, Enum):
    docx = "docx"
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"
    json = "json"


def fail(path: Path | str, message: str) -> None:
    """One line naming the file and the problem; exit status 2."""
    typer.echo(f"yusuan: {path}: {message}", err=True)
    raise typer.Exit(2)


def try_load(path: Path) -> model.Disclosure | str:
    """The disclosure, or the one-line reason it cannot be read."""
    try:
        return read(path)
    except ReadError as exc:
        return str(exc)
    except Exception as exc:  # a reader bug must still not print a traceback at a user
        if os.environ.get("YUSUAN_DEBUG"):
            raise
        return f"cannot read: {type(exc).__name__}: {exc}"


def load(path: Path, parts: list[Path] | None = None) -> model.Disclosure:
    if parts:
        try:
            return read_parts([path, *parts])
        except ReadError as exc:
            fail(path, str(exc))
    d = try_load(path)
    if isinstance(d, str):
        fail(path, d)
    return d


def reading_summary(path: Path, d: model.Disclosure) -> str:
    """One line: what was read and what was not."""
    from .definitions import profile_def

    pdef = profile_def(d.profile)
    found = sum(1 for t in pdef.tables if t in d.tables or (t == "procurement" and d.procurement is not None))
    amounts = sum(1 for t in d.all_tables() for r in t.rows for v in r.amounts.values() if v is not None)
    return (f"yusuan: {path}: {d.profile} ({d.scope}), {found}/{len(pdef.tables)} tables, "
            f"{amounts} amounts read, {len(d.unread)} unread item{'s' if len(d.unread) != 1 else ''}")


_WITH = typer.Option(None, "--with", help="another file of the same disclosure (the tables published apart from the text)")


def write_out(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(out, f"cannot write ({exc.strerror or exc})")


@app.command()
def parse(
    file: Path = typer.Argument(..., help="a disclosure: Tika text export, DOCX, PDF, XLSX, or yusuan model JSON"),
    format: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f", help="json: the model; cells: tidy CSV of every amount"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write here instead of standard output"),
    parts: list[Path] = _WITH,
) -> None:
    """Read a disclosure and print its model (JSON) or its amount cells (CSV); a summary line goes to stderr."""
    d = load(file, parts)
    typer.echo(reading_summary(file, d), err=True)
    text = d.to_json() + "\n" if format is ParseFormat.json else to_csv(d)
    write_out(text, output)


@app.command()
def show(
    file: Path = typer.Argument(..., help="a disclosure"),
    table: str | None = typer.Argument(None, help=f"one of: {', '.join([*table_ids(), *EXTRA_VIEWS])}"),
    parts: list[Path] = _WITH,
) -> None:
    """Render the tables readably in the terminal."""
    allowed = [*table_ids(), *EXTRA_VIEWS]
    if table is not None and table not in allowed:
        typer.echo(f"yusuan: unknown table {table!r}; choose one of: {', '.join(allowed)}", err=True)
        raise typer.Exit(2)
    d = load(file, parts)
    show_disclosure(d, table, Console())


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="one or more disclosures"),
    format: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text: for the terminal; md: a report to send; json: for programs"),
    min_severity: Severity = typer.Option(Severity.info, "--min-severity", help="hide findings below this level"),
    tolerance: str = typer.Option("0", "--tolerance", help="allowed difference when comparing amounts, in the document's unit (e.g. 0.01)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write the report here instead of standard output"),
) -> None:
    """Audit disclosures: exit 0 when no error-level finding, 1 when there is one, 2 when a file cannot be read."""
    try:
        tol = Decimal(tolerance)
        if tol < 0 or not tol.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        typer.echo(f"yusuan: --tolerance: {tolerance!r} is not a non-negative number", err=True)
        raise typer.Exit(2)
    reports, unreadable = [], False
    loaded: list[tuple[str, model.Disclosure]] = []
    for path in files:
        d = try_load(path)
        if isinstance(d, str):
            typer.echo(f"yusuan: {path}: {d}", err=True)
            unreadable = True
            continue
        loaded.append((str(path), d))
    models = dict(loaded)
    budgets = pair_budgets(loaded)  # a 决算 given with its budget is checked against it
    for group in group_parts(loaded):
        if len(group) > 1:
            try:
                d = read_parts(group)
            except ReadError as exc:
                typer.echo(f"yusuan: {group[0]}: {exc}", err=True)
                unreadable = True
                continue
            name = " + ".join(group)
        else:
            d, name = models[group[0]], group[0]
        found, ledger = audit_with_ledger(d, tol, budgets.get(group[0]))
        reports.append(FileReport(name, d, filter_findings(found, min_severity.value), ledger))
    if format is CheckFormat.text and output is None:
        print_text(reports, Console(highlight=False))
    elif reports:
        write_out(to_json(reports) if format is CheckFormat.json else to_markdown(reports), output)
    if unreadable:
        raise typer.Exit(2)
    if any(f.severity == "error" for rep in reports for f in rep.findings):
        raise typer.Exit(1)


@app.command()
def rules(
    format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f"),
) -> None:
    """List the audit rules: id, family, severity and what each checks."""
    if format is RulesFormat.json:
        sys.stdout.write(rules_json())
    else:
        rules_text(Console())


def write_bytes(data: bytes, out: Path) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(out, f"cannot write ({exc.strerror or exc})")


@app.command()
def render(
    file: Path = typer.Argument(..., help="a disclosure in any readable format, or a yusuan model JSON"),
    to: OutputFormat | None = typer.Option(None, "--to", "-t", help="output format; by default from the -o suffix"),
    output: Path = typer.Option(..., "--output", "-o", help="file to write"),
    explain: bool = typer.Option(False, "--explain", help="write the standard paragraphs (收入, 支出, 比上年, 机关运行经费, 三公, 采购, 资产) from the tables instead of copying them"),
) -> None:
    """Write a disclosure in the official layout as DOCX, XLSX, HTML or PDF."""
    from .write.render import RenderError
    from .write.render import render as render_disclosure

    fmt = to.value if to is not None else output.suffix.lower().lstrip(".")
    if fmt not in OutputFormat.__members__:
        fail(output, f"cannot tell the format from the suffix {output.suffix!r}; give --to docx|xlsx|html|pdf|json")
    d = load(file)
    if explain:
        from .explain.generate import explain as generate_explanation

        d = generate_explanation(d)
    try:
        data = render_disclosure(d, fmt)
    except RenderError as exc:
        fail(output, str(exc))
    write_bytes(data, output)


@app.command(name="compile")
def compile_command(
    directory: Path = typer.Argument(..., help="an input folder made by `yusuan template` (budget.xlsx or CSVs, disclosure.yaml)"),
    output: Path = typer.Option(..., "--output", "-o", help="OUT.docx, .xlsx, .html, .pdf or .json"),
) -> None:
    """Compile a disclosure from budget line items and its text, in the official layout."""
    from .compile import CompileError, compile_dir
    from .write.render import RenderError
    from .write.render import render as render_disclosure

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in OutputFormat.__members__:
        fail(output, "give an output ending in .docx, .xlsx, .html, .pdf or .json")
    try:
        d = compile_dir(directory)
    except CompileError as exc:
        typer.echo(f"yusuan: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        data = render_disclosure(d, fmt)
    except RenderError as exc:
        fail(output, str(exc))
    write_bytes(data, output)


@app.command()
def template(directory: Path = typer.Argument(..., help="folder to create the empty input set in")) -> None:
    """Write an empty compile input set (workbook + disclosure.yaml) with instructions in Chinese."""
    from .compile.template import write_template

    try:
        paths = write_template(directory)
    except OSError as exc:
        fail(directory, f"cannot write ({exc.strerror or exc})")
    for p in paths:
        typer.echo(str(p))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the model."""
    typer.echo(model.json_schema())


def main() -> None:
    app()
