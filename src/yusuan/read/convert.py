"""Legacy Office files (.doc/.wps, .xls/.et) → DOCX/XLSX through LibreOffice,
so the DOCX and XLSX readers read them.

    from yusuan.read.convert import convert_legacy
    converted = convert_legacy(["a.doc", "b.xls"])   # one soffice run per kind

Government sites still publish the binary Office formats (and WPS's, which
are the same compound files). LibreOffice reads them with their merged
cells, borders and number formats, which the readers need: python-calamine
reads .xls values and merged ranges but no borders or number formats, and
the XLSX reader tells a table by its borders and an amount's decimals by
its format.

Every call works in a temporary directory of its own: the inputs are
copied there (LibreOffice leaves lock files beside what it opens), the
outputs are written there, and LibreOffice runs with its own profile
there, so it never meets a user's running LibreOffice or another call.
Nothing is written beside the user's file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from .errors import ReadError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .doc, .xls, .wps, .et, .ppt …
_RTF = b"{\\rtf"
WORD_SUFFIXES = (".doc", ".wps", ".dot", ".wpt", ".rtf")
SHEET_SUFFIXES = (".xls", ".et", ".xlt", ".ett")
# A compound file's streams tell what wrote it (WPS writes Word's and
# Excel's own streams); the suffix decides only when no stream tells.
_WORD_STREAMS = ("WordDocument",)
_SHEET_STREAMS = ("Workbook", "Book")
_TARGET = {"docx": ("docx:MS Word 2007 XML", ".doc"), "xlsx": ("xlsx:Calc Office Open XML", ".xls")}


def by_kind(names: list[str]) -> list[int]:
    """The files' places, legacy Word files first, then legacy workbooks,
    then the rest, each in the order given: the legacy files of a job are
    converted in one LibreOffice run per kind, so a job of one kind costs
    one run and a mixed one two. Told by the suffix: a file named wrongly
    costs a run, not a wrong reading."""

    def kind(n: int) -> int:
        suffix = Path(names[n]).suffix.lower()
        return 0 if suffix in WORD_SUFFIXES else 1 if suffix in SHEET_SUFFIXES else 2

    return sorted(range(len(names)), key=kind)


# Seconds: LibreOffice starts in 1–3 s and converts a budget document in
# about a second; a file that takes far longer is damaged or waits for a
# password no one can type. A genuine file's time grows with its size, so
# the limit does too, or a large real file would be refused as damaged.
TIMEOUT_START = 60.0
TIMEOUT_PER_FILE = 30.0
TIMEOUT_PER_MB = 30.0
# Seconds a stopped LibreOffice gets to end on SIGTERM before SIGKILL.
STOP_GRACE = 2.0



def legacy_kind(data: bytes, name: str = "") -> str | None:
    """What a legacy file converts to: "docx" for a Word or WPS text
    document, "xlsx" for an Excel or WPS workbook, None for anything that
    is not a legacy Office file."""
    suffix = Path(name).suffix.lower()
    if data.startswith(_RTF) and suffix in WORD_SUFFIXES:
        return "docx"  # Word's "save as .doc" of an RTF file
    if not data.startswith(OLE2):
        return None
    streams = _stream_names(data)
    if any(s in streams for s in _WORD_STREAMS):
        return "docx"
    if any(s in streams for s in _SHEET_STREAMS):
        return "xlsx"
    if "PowerPoint Document" in streams:
        raise ReadError.say("powerpoint")
    if suffix in WORD_SUFFIXES:
        return "docx"
    if suffix in SHEET_SUFFIXES:
        return "xlsx"
    raise ReadError.say("other_compound")


def _stream_names(data: bytes) -> set[str]:
    """The names of the streams a compound file holds, of those this module
    asks about. A directory entry is 128 bytes, aligned to 128 in the file:
    its name in UTF-16, then the name's length in bytes (with the final
    NUL) at byte 64 and the entry's type (1 storage, 2 stream) at 66."""
    found = set()
    for name in (*_WORD_STREAMS, *_SHEET_STREAMS, "PowerPoint Document"):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        at = data.find(encoded)
        while at >= 0:
            if at % 128 == 0 and int.from_bytes(data[at + 64:at + 66], "little") == len(encoded) \
                    and data[at + 66:at + 67] in (b"\x01", b"\x02"):
                found.add(name)
                break
            at = data.find(encoded, at + 1)
    return found


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_legacy(paths: Iterable[str | Path], timeout: float | None = None) -> dict[Path, bytes | ReadError]:
    """Each legacy file's DOCX or XLSX bytes, by its path as given; a file
    LibreOffice could not convert (damaged, encrypted) maps to its
    ReadError, and so does a file that is no legacy Office file (and one
    LibreOffice hung on: its time limit's). No LibreOffice raises ReadError."""
    out: dict[Path, bytes | ReadError] = {}
    files: list[tuple[Path, bytes, str]] = []
    for path in map(Path, paths):
        try:
            data = path.read_bytes()
            kind = legacy_kind(data, path.name)
            if kind is None:
                raise ReadError.say("not_legacy")
        except OSError as exc:
            out[path] = ReadError.say("cannot_read", reason=exc.strerror or exc)
            continue
        except ReadError as exc:
            out[path] = exc
            continue
        out[path] = ReadError.say("not_converted")  # keeps the order of `paths`
        files.append((path, data, kind))
    converted = convert_many([(data, kind) for _, data, kind in files], timeout)
    for (path, _, _), result in zip(files, converted):
        out[path] = result
    return out


def convert_bytes(data: bytes, kind: str, timeout: float | None = None) -> bytes:
    """One legacy file's DOCX or XLSX bytes (`kind` from `legacy_kind`)."""
    (result,) = convert_many([(data, kind)], timeout)
    if isinstance(result, ReadError):
        raise result
    return result


def convert_loaded(loaded: list[tuple[bytes, str] | ReadError]) -> list[tuple[bytes, str] | ReadError]:
    """Files read into memory as (bytes, name), the legacy ones among them
    replaced by the DOCX/XLSX LibreOffice made of them (named so), in one
    run per kind. A legacy file it could not convert, or a compound file
    of a kind no reader takes (PowerPoint), becomes its ReadError, and so
    does every legacy file when LibreOffice cannot run at all. Errors
    given stay in place."""
    loaded = list(loaded)
    legacy: list[tuple[int, str]] = []
    for i, item in enumerate(loaded):
        if isinstance(item, ReadError):
            continue
        try:
            kind = legacy_kind(*item)
        except ReadError as exc:
            loaded[i] = exc
            continue
        if kind:
            legacy.append((i, kind))
    if not legacy:
        return loaded
    try:
        converted = convert_many([(loaded[i][0], kind) for i, kind in legacy])
    except ReadError as exc:
        converted = [exc] * len(legacy)
    for (i, kind), result in zip(legacy, converted):
        loaded[i] = result if isinstance(result, ReadError) else (result, f"{Path(loaded[i][1]).stem}.{kind}")
    return loaded


def convert_many(files: list[tuple[bytes, str]], timeout: float | None = None) -> list[bytes | ReadError]:
    """The converted bytes of each (data, kind), in order: one LibreOffice
    run per kind (its --convert-to takes one target for all the files of a
    run), all in one temporary directory with one profile; more runs only
    for files a run failed on (`in_runs`)."""
    if not files:
        return []
    program = soffice()
    if program is None:
        raise ReadError.say("needs_libreoffice")
    results: list[bytes | ReadError] = [ReadError.say("not_converted")] * len(files)
    with tempfile.TemporaryDirectory(prefix="yusuan-convert-") as tmp:
        work = Path(tmp)
        for kind in sorted({k for _, k in files}):
            chosen = [i for i, (_, k) in enumerate(files) if k == kind]
            inputs = _copy_in(work / f"in-{kind}", [(i, files[i][0]) for i in chosen], _TARGET[kind][1])
            outdir = work / f"out-{kind}"
            outputs = in_runs(inputs, lambda rest: _convert(program, work, kind, rest, timeout),
                              lambda src: _output(outdir / (src.stem + "." + kind)))
            for i, out in zip(chosen, outputs):
                results[i] = out
    return results


Out = TypeVar("Out")


def in_runs(inputs: list[Path], run: Callable[[list[Path]], Exception | None],
            output: Callable[[Path], Out | Exception]) -> list[Out | Exception]:
    """Each input's output, in order, with as few LibreOffice runs as its
    failures allow. `run(files)` converts the files in one run and returns
    None, or the error of a run stopped at its time limit; `output(file)`
    is what the run made of it, or why there is nothing.

    LibreOffice converts the files in the order given and goes on past a
    file it cannot load, so a file missed before the last one converted
    failed on its own. But a file that crashes or hangs it costs every file
    after it: the files missed after the last one converted are run again,
    except the one that brought the run down. That is the first of them
    when the run was stopped at its time limit (it gets the limit's error;
    run again it would hang as long), or when a run converted none (it
    gets its own error). Every run has fewer files than the one before, so
    n files cost at most n runs, and a batch that converts one."""
    results: dict[Path, Out | Exception] = {}
    rest = list(inputs)
    while rest:
        stopped = run(rest)
        outputs = [output(p) for p in rest]
        results.update(zip(rest, outputs))
        converted = [i for i, out in enumerate(outputs) if not isinstance(out, Exception)]
        after = converted[-1] + 1 if converted else 0
        if stopped is not None and after < len(rest):
            results[rest[after]] = stopped
        rest = rest[after + 1:] if stopped is not None or not converted else rest[after:]
    return [results[p] for p in inputs]


def _convert(program: str, work: Path, kind: str, inputs: list[Path], timeout: float | None) -> ReadError | None:
    """One run over `inputs`; the error of a run stopped at its time limit."""
    outdir = work / f"out-{kind}"
    profile = work / "profile"
    limit = timeout if timeout is not None else time_limit(len(inputs), sum(p.stat().st_size for p in inputs))
    stopped = _run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--nolockcheck", "--nologo", "--nodefault", "--convert-to", _TARGET[kind][0],
                    "--outdir", str(outdir), *map(str, inputs)], limit)
    if stopped is not None:
        # a profile LibreOffice was killed while writing: the next run makes a new one
        shutil.rmtree(profile, ignore_errors=True)
    return stopped


def time_limit(files: int, size: int, extra: float = 0.0) -> float:
    """Seconds one LibreOffice run may take for `files` files of `size`
    bytes in all (`extra`: what the caller knows costs more, such as a PDF's
    table rows)."""
    return TIMEOUT_START + TIMEOUT_PER_FILE * files + TIMEOUT_PER_MB * size / (1 << 20) + extra


def _copy_in(folder: Path, files: list[tuple[int, bytes]], suffix: str) -> list[Path]:
    """The inputs under plain names of their own (two users' files may share
    a name; a name LibreOffice's command line would misread cannot occur)."""
    folder.mkdir()
    paths = []
    for i, data in files:
        p = folder / f"f{i}{'.rtf' if data.startswith(_RTF) else suffix}"
        p.write_bytes(data)
        paths.append(p)
    return paths


def _run(command: list[str], limit: float) -> ReadError | None:
    """LibreOffice run to its end: None, or the error of a run stopped at
    `limit` seconds. LibreOffice that cannot start at all raises."""
    try:
        run_soffice(command, limit)
    except OSError as exc:
        raise ReadError.say("libreoffice_start", reason=exc.strerror or exc) from None
    except subprocess.TimeoutExpired:
        return ReadError.say("libreoffice_timeout", limit=f"{limit:g}")
    return None


def run_soffice(command: list[str], limit: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run LibreOffice in a process group of its own and end whatever of the
    group is left once it exits, times out or is interrupted: soffice starts
    soffice.bin, which a killed soffice would leave orphaned at full CPU
    (and holding the profile the caller is about to remove). Raises
    OSError when it cannot start, subprocess.TimeoutExpired past `limit`;
    the output is bytes."""
    # files, not pipes: a child left running would hold a pipe open, and
    # reading it would wait for that child instead of for soffice
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                start_new_session=True)
        try:
            _wait_unreaped(proc, limit)
        finally:
            end_group(proc)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, proc.returncode, out.read(), err.read())


def _wait_unreaped(proc: subprocess.Popen, limit: float) -> None:
    """Wait for `proc` to exit, but leave it unreaped: while it is a zombie
    its id cannot be reused, so signalling its group reaches no stranger."""
    if not hasattr(os, "waitid"):
        proc.wait(timeout=limit)
        return
    deadline = time.monotonic() + limit
    while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            raise subprocess.TimeoutExpired(proc.args, limit)
        time.sleep(0.02)


def end_group(proc: subprocess.Popen) -> None:
    """SIGTERM to every process of the group `proc` leads, SIGKILL to what
    still runs after STOP_GRACE, then `proc` reaped (not before: its id
    holds the group's)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + STOP_GRACE
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not _group_alive(proc.pid):
            break
    proc.wait()


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a zombie waits only for
    its parent to reap it: it runs no more and holds no files)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _output(path: Path) -> bytes | ReadError:
    try:
        data = path.read_bytes()
    except OSError:
        return ReadError.say("libreoffice_failed")
    # a whole package only: a run killed while writing leaves a cut one
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(BytesIO(data)):
        return ReadError.say("libreoffice_nothing")
    return data
