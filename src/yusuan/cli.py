"""The `yusuan` command line: a thin view over read, audit, write and
compile. Its words (help, metavars, messages) are in data/cli.yaml, in
Chinese by default (YUSUAN_LANG=en for English)."""

from __future__ import annotations

# Each command imports what it uses: `--help`, and a command that only
# reads, should not pay for pydantic's models, lxml, the audit or the
# writers at start-up. Only what the option definitions themselves need
# (their words, their choices) is read here, and from the data files.
import functools
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import cli_text as T
from .definitions import tables_file
from .files import expand
from .output import OutputError, check_output, write_file
from .wrapping import printable

if TYPE_CHECKING:
    from rich.console import Console

    from . import model
    from .audit.batch import Outcome

T.speak_through_typer()

# rulebook.SEVERITIES and terminal.EXTRA_VIEWS, which the option
# definitions need; importing them would import the audit and the model
# (tests/test_data_files.py holds them equal)
SEVERITIES = ("error", "warning", "info")
EXTRA_VIEWS = ("procurement", "assets", "projects", "explanation")


def table_ids() -> list[str]:
    """In table_defs()'s order, from the file it is built from, so listing
    them compiles no pattern."""
    return [t["id"] for t in tables_file()["tables"]]


def console(**options) -> Console:
    from rich.console import Console

    return Console(**options)


app = typer.Typer(add_completion=False, no_args_is_help=True, help=T.app_help(),
                  context_settings={"help_option_names": ["-h", "--help"]})


def _argument(command: str, name: str, default=..., **values):
    return typer.Argument(default, help=T.param_help(command, name, **values), metavar=T.metavar(command, name),
                          show_default=False)


def _option(command: str, name: str, default, *decls: str, **values):
    return typer.Option(default, *decls, help=T.param_help(command, name, **values), metavar=T.metavar(command, name))


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


def note(path: Path | str, message: str) -> None:
    """One line, whatever a library put in the message."""
    typer.echo(printable(f"yusuan: {path}: {' '.join(str(message).split())}"), err=True)


def fail(path: Path | str, message: str, status: int | None = None) -> None:
    """One line naming the file and the problem; exit status 2 (or 3)."""
    from .outcome import UNREADABLE

    note(path, message)
    raise typer.Exit(UNREADABLE if status is None else status)


def guarded(command):
    """Any unexpected exception in a command ends in one line and status 3,
    never a traceback with status 1 (which means 'the document has errors')."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            from .outcome import internal

            failure = internal(exc, command.__name__)
            typer.echo(f"yusuan: {failure.message}", err=True)
            raise typer.Exit(failure.status) from None
    return run


def load(path: Path, parts: list[Path] | None = None) -> model.Disclosure:
    from .outcome import Failure, try_load
    from .read import ReadError, read_parts

    if parts:
        try:
            return read_parts([path, *parts])
        except ReadError as exc:
            fail(path, str(exc))
    d = try_load(path)
    if isinstance(d, Failure):
        fail(path, d.message, d.status)
    return d


def files_of(paths: list[Path]) -> tuple[list[Path], bool]:
    """The files named and those inside the folders named; a folder with
    none is reported (and makes the exit status 2)."""
    files, empty = expand(paths)
    for folder in empty:
        note(folder, T.say("no_files"))
    return files, bool(empty)


def reading_summary(path: Path, d: model.Disclosure) -> str:
    """One line: what was read and what was not."""
    from .definitions import profile_def

    pdef = profile_def(d.profile)
    found = sum(1 for t in pdef.tables if t in d.tables or (t == "procurement" and d.procurement is not None))
    amounts = sum(1 for t in d.all_tables() for r in t.rows for v in r.amounts.values() if v is not None)
    return f"yusuan: {path}: " + T.say("reading_summary", profile=d.profile, scope=T.say(f"scope_{d.scope}"),
                                      found=found, total=len(pdef.tables), amounts=amounts, unread=len(d.unread))


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def refuse(exc: OutputError) -> None:
    from .outcome import UNREADABLE

    typer.echo(printable(f"yusuan: {exc}"), err=True)
    raise typer.Exit(UNREADABLE)


def may_write(out: Path | None, inputs: list[Path], force: bool) -> None:
    """Refuses before any work an output that would destroy an input or,
    without --force, a file already there."""
    if out is None:
        return
    try:
        check_output(out, inputs=inputs, force=force)
    except OutputError as exc:
        refuse(exc)


def write_bytes(data: bytes, out: Path, inputs: list[Path] = (), force: bool = False) -> None:
    """Whole or not at all (yusuan.output), never over an input, and over an
    existing file only with --force."""
    try:
        write_file(out, data, inputs=inputs, force=force)
    except OutputError as exc:
        refuse(exc)
    typer.echo(f"yusuan: {T.say('wrote', path=out, size=_size(len(data)))}", err=True)


def write_out(text: str, out: Path | None, inputs: list[Path] = (), force: bool = False) -> None:
    """Standard output, or a file."""
    if out is None:
        sys.stdout.write(text)
        return
    write_bytes(text.encode("utf-8"), out, inputs, force)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"yusuan {version('yusuan')}")
        raise typer.Exit()


@app.callback()
def _main(ctx: typer.Context,
          version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help=T.param_help("", "version")),
          limit: list[str] = typer.Option(None, "--limit", help=T.param_help("", "limit"),
                                          metavar=T.metavar("", "limit"))) -> None:
    """Limits given here hold for the whole command (yusuan.read.limits)."""
    if limit:
        from .outcome import UNREADABLE
        from .read import ReadError, limits

        try:
            ctx.with_resource(limits.override(**limits.parse(",".join(limit))))
        except ReadError as exc:
            typer.echo(printable(f"yusuan: --limit: {exc}"), err=True)
            raise typer.Exit(UNREADABLE) from None


@app.command(help=T.command_help("parse"))
@guarded
def parse(
    files: list[Path] = _argument("parse", "files"),
    format: ParseFormat = _option("parse", "format", ParseFormat.json, "--format", "-f"),
    output: Path | None = _option("parse", "output", None, "--output", "-o"),
    parts: list[Path] = _option("parse", "parts", None, "--with"),
    force: bool = _option("parse", "force", False, "--force"),
) -> None:
    from .export.cells import to_csv, to_csv_bytes
    from .outcome import CLEAN, UNREADABLE, Failure, load_all

    paths, failed = files_of(files)
    may_write(output, [*paths, *(parts or [])], force)
    if parts and len(paths) != 1:
        fail(files[0], T.say("one_file"))
    models = []
    status = UNREADABLE if failed else CLEAN
    for path, d in zip(paths, [load(paths[0], parts)] if parts else load_all(paths)):
        if isinstance(d, Failure):
            note(path, d.message)
            status = max(status, d.status)
            continue
        typer.echo(reading_summary(path, d), err=True)
        models.append(d)
    inputs = [*paths, *(parts or [])]
    if models and format is ParseFormat.cells and output is not None:
        # with a BOM: Excel in a Chinese locale reads a CSV without one as GBK
        write_bytes(to_csv_bytes(*models), output, inputs, force)
    elif models and format is ParseFormat.cells:
        write_out(to_csv(*models), None)
    elif models:
        write_out((models[0].to_json() if len(models) == 1 and len(paths) == 1
                   else "[" + ",\n".join(m.to_json() for m in models) + "]") + "\n", output, inputs, force)
    if status:
        raise typer.Exit(status)


@app.command(help=T.command_help("show"))
@guarded
def show(
    file: Path = _argument("show", "file"),
    table: str | None = _argument("show", "table", None, choices=", ".join([*table_ids(), *EXTRA_VIEWS])),
    parts: list[Path] = _option("show", "parts", None, "--with"),
) -> None:
    from .terminal import show as show_disclosure

    allowed = [*table_ids(), *EXTRA_VIEWS]
    if table is not None and table not in allowed:
        typer.echo("yusuan: " + T.say("unknown_table", name=table, choices=", ".join(allowed)), err=True)
        raise typer.Exit(2)
    if file.is_dir():
        fail(file, T.say("one_file"))
    d = load(file, parts)
    show_disclosure(d, table, console())


@app.command(help=T.command_help("check"))
@guarded
def check(
    files: list[Path] = _argument("check", "files"),
    format: CheckFormat = _option("check", "format", CheckFormat.text, "--format", "-f"),
    min_severity: Severity = _option("check", "min_severity", Severity.info, "--min-severity"),
    tolerance: str = _option("check", "tolerance", "0", "--tolerance"),
    output: Path | None = _option("check", "output", None, "--output", "-o"),
    force: bool = _option("check", "force", False, "--force"),
    workers: int | None = _option("check", "workers", None, "--workers", "-j"),
    annotate: Path | None = _option("check", "annotate", None, "--annotate"),
) -> None:
    from .audit import filter_findings
    from .audit.batch import Unchecked
    from .audit.report import FileReport, to_json, to_markdown
    from .outcome import CLEAN, FINDINGS, UNREADABLE

    try:
        tol = Decimal(tolerance)
        if tol < 0 or not tol.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        fail("--tolerance", T.say("bad_tolerance", value=tolerance))
    paths, unreadable = files_of(files)
    may_write(output, paths, force)
    if annotate is not None:
        if len(paths) != 1:
            fail(annotate, T.say("one_file"))
        _may_annotate(paths[0], annotate, force)
    status = UNREADABLE if unreadable else CLEAN
    # text for the terminal is printed file by file as it comes; a report
    # to write keeps each file's report (not its disclosure) until the end
    stream = format is CheckFormat.text and output is None
    show = _findings_printer() if stream else None
    reports: list[FileReport] = []
    errors = False
    for outcome in _checked(paths, tol, workers):
        if isinstance(outcome, Unchecked):
            note(outcome.file, outcome.failure.message)
            status = max(status, outcome.failure.status)
            continue
        found = outcome.findings
        shown = filter_findings(found, min_severity.value)
        report = FileReport(outcome.file, outcome.about, shown, outcome.ledger,
                            hidden=[f for f in found if f not in shown])
        errors = errors or any(f.severity == "error" for f in shown)
        if annotate is not None:
            # the comments are the findings this report shows (its --min-severity, its --tolerance)
            write_bytes(_annotated(outcome.file, shown), annotate, paths, force)
        if show is not None:
            show([report])
        else:
            reports.append(report)
    if reports:
        write_out(to_json(reports) if format is CheckFormat.json else to_markdown(reports), output, paths, force)
    if status:
        raise typer.Exit(status)
    if errors:
        raise typer.Exit(FINDINGS)


@app.command(name="annotate", help=T.command_help("annotate"))
@guarded
def annotate_command(
    file: Path = _argument("annotate", "file"),
    output: Path = _option("annotate", "output", ..., "--output", "-o"),
    force: bool = _option("annotate", "force", False, "--force"),
) -> None:
    if file.is_dir():
        fail(file, T.say("one_file"))
    _may_annotate(file, output, force)
    write_bytes(_annotated(file), output, [file], force)


def _may_annotate(file: Path, output: Path, force: bool) -> None:
    """Before any reading or auditing: the output may be written, and its
    suffix is the annotated file's format (a PDF stays a PDF, a text export
    becomes a DOCX)."""
    from .annotate import suffix_for
    from .read import ReadError, limits

    may_write(output, [file], force)
    try:
        suffix = suffix_for(limits.read_file(file, "file_size"), file.name)
    except ReadError as exc:
        fail(file, str(exc))
    except OSError as exc:
        fail(file, exc.strerror or str(exc))
    if output.suffix.lower() != suffix:
        fail(output, T.say("annotate_suffix", suffix=suffix))


def _annotated(file: Path | str, findings=None) -> bytes:
    from .annotate import annotate_bytes
    from .read import ReadError, limits

    file = Path(file)
    d = load(file)
    try:
        data, _ = annotate_bytes(limits.read_file(file, "file_size"), file.name, d, findings)
    except ReadError as exc:
        fail(file, str(exc))
    except NotImplementedError:
        fail(file, T.say("cannot_annotate", kind=file.suffix.lstrip(".").upper() or "?"))
    return data


def _findings_printer() -> Callable[[list], None]:
    """Rich styles the findings on a terminal. To a pipe or a file it would
    print the very lines `styled_lines` gives, without their styles: there
    they are written as they are, and rich's console (a twentieth of a
    short check's CPU to import) is not loaded. Its width is found as rich
    finds it: a terminal on any standard stream, $COLUMNS, else 80."""
    from .audit.report import print_text, styled_lines

    if sys.stdout.isatty() or any(os.environ.get(v) for v in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        terminal = console(highlight=False)
        return lambda reports: print_text(reports, terminal)
    width = None
    for fd in (0, 1, 2):
        with suppress(OSError, ValueError):
            width = os.get_terminal_size(fd).columns
            break
    columns = os.environ.get("COLUMNS", "")
    width = (int(columns) if columns.isdigit() else width) or 80

    def write(reports: list) -> None:
        for line, _ in styled_lines(reports, width):
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return write


def _checked(paths: list[Path], tolerance: Decimal, workers: int | None) -> Iterator[Outcome]:
    """The batch check, with a progress bar on a terminal when it is long
    enough to wait for (a pipe or a file gets only the report)."""
    from .audit.batch import CHUNK, check_files

    if len(paths) <= CHUNK or not sys.stderr.isatty():
        yield from check_files(paths, tolerance, workers)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(T.say("checking"), total=len(paths))
        outcomes = check_files(paths, tolerance, workers, lambda done, total: bar.update(task, completed=done))
        first = next(outcomes, None)  # every file is read before the first outcome comes
    if first is not None:
        yield first
        yield from outcomes


@app.command(help=T.command_help("rules"))
@guarded
def rules(
    format: RulesFormat = _option("rules", "format", RulesFormat.text, "--format", "-f"),
) -> None:
    from .audit.report import rules_json, rules_text

    if format is RulesFormat.json:
        sys.stdout.write(rules_json())
    else:
        rules_text(console())


@app.command(help=T.command_help("render"))
@guarded
def render(
    file: Path = _argument("render", "file"),
    to: OutputFormat | None = _option("render", "to", None, "--to", "-t"),
    output: Path = _option("render", "output", ..., "--output", "-o"),
    explain: bool = _option("render", "explain", False, "--explain"),
    force: bool = _option("render", "force", False, "--force"),
) -> None:
    from .write.render import RenderError
    from .write.render import render as render_disclosure

    fmt = to.value if to is not None else output.suffix.lower().lstrip(".")
    if fmt not in OutputFormat.__members__:
        fail(output, T.say("bad_suffix", suffix=output.suffix))
    if file.is_dir():
        fail(file, T.say("one_file"))
    may_write(output, [file], force)
    d = load(file)
    if explain:
        from .explain.generate import explain as generate_explanation

        d = generate_explanation(d)
    try:
        data = render_disclosure(d, fmt)
    except RenderError as exc:
        fail(output, str(exc))
    write_bytes(data, output, [file], force)


@app.command(name="compile", help=T.command_help("compile"))
@guarded
def compile_command(
    directory: Path = _argument("compile", "directory"),
    output: Path = _option("compile", "output", ..., "--output", "-o"),
    force: bool = _option("compile", "force", False, "--force"),
) -> None:
    from .compile import CompileError, compile_dir
    from .write.render import RenderError
    from .write.render import render as render_disclosure

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in OutputFormat.__members__:
        fail(output, T.say("bad_output"))
    inputs = [p for p in directory.rglob("*") if p.is_file()] if directory.is_dir() else []
    may_write(output, inputs, force)
    try:
        d, warnings = compile_dir(directory)
    except CompileError as exc:
        for w in exc.warnings:
            typer.echo("yusuan: " + T.say("warning", text=w), err=True)
        for p in exc.problems:
            typer.echo(f"yusuan: {p}", err=True)
        raise typer.Exit(2) from None
    for w in warnings:
        typer.echo("yusuan: " + T.say("warning", text=w), err=True)
    try:
        data = render_disclosure(d, fmt)
    except RenderError as exc:
        fail(output, str(exc))
    write_bytes(data, output, inputs, force)


@app.command(help=T.command_help("template"))
@guarded
def template(directory: Path = _argument("template", "directory")) -> None:
    from .compile.template import write_template

    try:
        files = write_template(directory)
    except OutputError as exc:
        refuse(exc)
    except OSError as exc:
        fail(directory, T.say("cannot_write", reason=exc.strerror or exc))
    for p in files.written:
        typer.echo(str(p))
    for p in files.kept:
        typer.echo("yusuan: " + T.say("kept", path=p), err=True)


@app.command(name="ingest", help=T.command_help("ingest"))
@guarded
def ingest_command(
    files: list[Path] = _argument("ingest", "files"),
    db: str = _option("ingest", "db", "sqlite:///yusuan.db", "--db"),
    workers: int | None = _option("ingest", "workers", None, "--workers", "-j"),
    dask: str | None = _option("ingest", "dask", None, "--dask"),
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .outcome import INTERNAL, UNREADABLE
    from .store import ingest

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[errors]}"), TimeRemainingColumn(),
                  console=console(stderr=True), transient=False) as bar:
        task = bar.add_task(T.say("ingesting"), total=None, rate="", errors="")
        started = time.perf_counter()

        def progress(done: int, total: int, errors: int) -> None:
            seconds = max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=T.say("per_second", n=f"{done / seconds:.1f}"),
                       errors=T.say("errors_so_far", n=errors) if errors else "")

        summary = ingest(files, url=db, workers=workers, progress=progress, dask=dask)
    for folder in summary.empty_folders:
        note(folder, T.say("no_files"))
    typer.echo(T.say("ingested", stored=summary.stored, skipped=summary.skipped, ok=summary.ok,
                     unreadable=summary.unreadable, internal=summary.internal, seconds=f"{summary.seconds:.1f}", db=db),
               err=True)
    if summary.internal:
        raise typer.Exit(INTERNAL)
    if summary.unreadable or summary.empty_folders:
        raise typer.Exit(UNREADABLE)


def stored(url: str) -> list[Path]:
    """Refuses a SQLite database that is not there: reading from one would
    make it, and the user would get an empty export of a mistyped name.
    Returns the database's file, an input no output may be written over."""
    from sqlalchemy.exc import ArgumentError

    from .store.db import sqlite_file

    try:
        database = sqlite_file(url)
    except ArgumentError:
        fail(url, T.say("bad_db_url"))
    if database is not None and not Path(database).is_file():
        fail(database, T.say("no_database"))
    return [Path(database)] if database else []


@app.command(name="report", help=T.command_help("report"))
@guarded
def report_command(
    output: Path = _option("report", "output", ..., "--output", "-o"),
    db: str = _option("report", "db", "sqlite:///yusuan.db", "--db"),
    year: int | None = _option("report", "year", None, "--year"),
    kind: str | None = _option("report", "kind", None, "--kind"),
    department: str | None = _option("report", "department", None, "--department"),
    force: bool = _option("report", "force", False, "--force"),
) -> None:
    from .store.report import SUFFIXES, write_report

    if output.suffix.lower() not in SUFFIXES:
        fail(output, T.say("report_suffix", suffixes=" / ".join(SUFFIXES)))
    stored(db)
    try:
        n = write_report(output, db, year=year, kind=kind, department=department, force=force)
    except OutputError as exc:
        refuse(exc)
    typer.echo(f"yusuan: {T.say('reported', path=output, n=n, size=_size(output.stat().st_size))}", err=True)


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    fdp = "fdp"


@app.command(name="export", help=T.command_help("export"))
@guarded
def export_command(
    output: Path = _option("export", "output", ..., "--output", "-o"),
    format: ExportFormat | None = _option("export", "format", None, "--format", "-f"),
    db: str = _option("export", "db", "sqlite:///yusuan.db", "--db"),
    year: int | None = _option("export", "year", None, "--year"),
    kind: str | None = _option("export", "kind", None, "--kind"),
    department: str | None = _option("export", "department", None, "--department"),
    force: bool = _option("export", "force", False, "--force"),
) -> None:
    from .store.export import MissingExtra, export_cells

    database = stored(db)
    fmt = format.value if format else output.suffix.lower().lstrip(".")
    if fmt not in ExportFormat.__members__:
        fail(output, T.say("export_format", formats=", ".join(ExportFormat.__members__)))
    if fmt == "fdp":
        # a package is a folder: each of its files is written as any output
        # is, never over a file already there without --force
        if output.exists() and not output.is_dir():
            fail(output, T.say("fdp_folder"))
    else:
        may_write(output, database, force)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / (output.name or "out")
        try:
            export_cells(url=db, fmt=fmt, out=staged, year=year, kind=kind, department=department)
        except MissingExtra as exc:
            fail(output, str(exc))
        if fmt != "fdp":
            write_bytes(staged.read_bytes(), output, database, force)
            return
        if not output.is_dir():
            may_write(output, database, force)  # the folder it goes in must exist
            output.mkdir()
        for part in sorted(staged.iterdir()):
            may_write(output / part.name, database, force)
        for part in sorted(staged.iterdir()):
            write_bytes(part.read_bytes(), output / part.name, database, force)


# the seeds a newcomer's first `yusuan serve` shows: one file per document,
# the PDFs, so findings carry page numbers; absent from an installed wheel
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _load_examples(db: str) -> int:
    """The bundled examples into a database that has no document yet: a
    newcomer's first page shows documents with findings, not an empty list."""
    from sqlalchemy import func, select

    from .store import engine_for, ingest
    from .store.schema import documents

    seeds = sorted(EXAMPLES.glob("*.pdf"))
    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            empty = connection.scalar(select(func.count()).select_from(documents)) == 0
    finally:
        engine.dispose()
    return ingest(seeds, url=db, workers=min(2, len(seeds))).stored if empty and seeds else 0


@app.command(name="serve", help=T.command_help("serve"))
@guarded
def serve_command(
    db: str = _option("serve", "db", "sqlite:///yusuan.db", "--db"),
    host: str = _option("serve", "host", "127.0.0.1", "--host"),
    port: int = _option("serve", "port", 8000, "--port"),
    token: str | None = typer.Option(None, "--token", envvar="YUSUAN_TOKEN", show_envvar=False,
                                     help=T.param_help("serve", "token"), metavar=T.metavar("serve", "token")),
    examples: bool = _option("serve", "examples", True, "--examples/--no-examples"),
) -> None:
    if not token and not _loopback(host):
        fail(host, T.say("serve_needs_token"))
    try:
        import uvicorn

        from .web import create_app
    except ImportError:
        fail("serve", T.say("serve_needs_extra"))
    if examples and (n := _load_examples(db)):
        typer.echo(T.say("examples_loaded", n=n), err=True)
    portal = create_app(db, token=token)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    typer.echo(T.say("serving", url=url), err=True)
    if token:
        typer.echo(T.say("serving_token", url=url), err=True)
    uvicorn.run(portal, host=host, port=port, log_level="warning")


class CompareFormat(str, Enum):
    text = "text"
    json = "json"


@app.command(name="compare", help=T.command_help("compare"))
@guarded
def compare_command(
    first: Path = _argument("compare", "first"),
    second: Path = _argument("compare", "second"),
    format: CompareFormat = _option("compare", "format", CompareFormat.text, "--format", "-f"),
) -> None:
    import dataclasses
    import json

    from .compare import compare
    from .outcome import FINDINGS
    from .terminal import show_comparison

    c = compare(load(first), load(second))
    if format is CompareFormat.json:
        def plain(x):
            return {**dataclasses.asdict(x), **{k: getattr(x, k) for k in ("difference", "rate", "agrees") if hasattr(x, k)}}
        sys.stdout.write(json.dumps({"a": str(first), "b": str(second), "unchanged": c.unchanged,
                                     "changes": [plain(x) for x in c.changes],
                                     "statements": [plain(x) for x in c.statements],
                                     "only_a": c.only_a, "only_b": c.only_b},
                                    ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        show_comparison(c, console(highlight=False))
    if c.disagreements:
        raise typer.Exit(FINDINGS)


@app.command(name="limits", help=T.command_help("limits"))
@guarded
def limits_command() -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    from .read import limits

    t = RichTable(box=None, header_style="bold")
    for head in T.say("limits_header").split("|"):
        t.add_column(head, overflow="fold")
    for row in limits.describe():
        t.add_row(row.name, Text(row.current_shown), Text(row.default_shown), Text(f"{row.what}：{row.why}"))
    console().print(t)


@app.command(help=T.command_help("schema"))
@guarded
def schema() -> None:
    from . import model

    typer.echo(model.json_schema())


def main() -> None:
    import gc

    from . import pattern_cache

    # Start-up allocates hundreds of thousands of objects that all live
    # (modules, classes, the model's validators) and the default threshold
    # ran the cycle collector over them again and again: a tenth of a short
    # command's CPU. A larger first generation, as mypy does; most of what a
    # run frees later is freed by reference counting anyway.
    gc.set_threshold(100_000, 50, 100)
    pattern_cache.install()
    try:
        app()
    finally:
        # the interpreter's last collection would walk every object the
        # run made only to have them freed by the exit: a tenth of a
        # short command's CPU; frozen, it leaves them alone
        gc.freeze()
