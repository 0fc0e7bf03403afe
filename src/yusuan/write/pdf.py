"""DOCX → PDF with LibreOffice headless, fonts embedded.

Chosen by measurement on this machine (晋州 2026, 14 pages): LibreOffice
converts the DOCX in about 2 s; WeasyPrint needed about 19 s for the HTML of
the same document (subsetting the CJK fonts dominates). LibreOffice also
prints exactly the DOCX layout, so the PDF and the Word file agree.

The document names 宋体/黑体 as Word does; `data/fonts/fonts.conf` maps them
to Noto CJK SC (Debian fonts-noto-cjk) through FONTCONFIG_FILE.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from importlib import resources
from io import BytesIO
from pathlib import Path

from .pdf_tables import split_long_tables
from .render import RenderError

INSTALL_HINT = "install LibreOffice and CJK fonts: scripts/install-system-deps (apt-get install libreoffice-writer-nogui fonts-noto-cjk)"
# Seconds per table row, beyond what `time_limit` gives per file and per MB:
# LibreOffice lays a document out page by page, and a budget's pages are
# its tables (晋州 2026: 14 pages, 267 rows, 2–3 s). A fixed limit refused
# genuine large documents as hung.
TIMEOUT_PER_ROW = 0.1


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _has_cjk_fonts() -> bool:
    fc = shutil.which("fc-list")
    if fc is None:
        return False
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    return bool(out.strip())


def _rows(docx_bytes: bytes) -> int:
    try:
        with zipfile.ZipFile(BytesIO(docx_bytes)) as zf:
            xml = zf.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return 0
    return xml.count(b"<w:tr>") + xml.count(b"<w:tr ")


def time_limit(docx_bytes: bytes) -> float:
    """Seconds LibreOffice may take to print this DOCX."""
    return _time_limit([docx_bytes])


def _time_limit(docs: list[bytes]) -> float:
    """Seconds one LibreOffice run may take to print these DOCX."""
    from ..read.convert import time_limit as base  # only a PDF needs it

    return base(len(docs), sum(map(len, docs)), TIMEOUT_PER_ROW * sum(map(_rows, docs)))


def write_pdf(docx_bytes: bytes, timeout: float | None = None) -> bytes:
    """The PDF of a DOCX; `timeout` in seconds, by default `time_limit`'s."""
    (pdf,) = write_pdfs([docx_bytes], timeout)
    if isinstance(pdf, RenderError):
        raise pdf
    return pdf


def write_pdfs(docs: list[bytes], timeout: float | None = None) -> list[bytes | RenderError]:
    """The PDF of each DOCX, in order, printed by one LibreOffice run (its
    start costs more than a document's printing); a document it cannot
    print gets its RenderError and costs the others nothing (see
    `read.convert.in_runs`). `timeout`: seconds a run may take, by default
    `time_limit`'s for its documents. A table of more than
    `pdf_tables.THRESHOLD` body rows goes to LibreOffice as one table a page:
    it lays out one long table in time growing faster than its rows. Raises
    RenderError when there is no LibreOffice or no Chinese font, or
    LibreOffice cannot start."""
    from ..read.convert import in_runs

    if not docs:
        return []
    exe = soffice()
    if exe is None:
        raise RenderError(f"PDF output needs LibreOffice, which is not installed; {INSTALL_HINT}")
    if not _has_cjk_fonts():
        raise RenderError(f"PDF output needs Chinese fonts, none are installed; {INSTALL_HINT}")
    conf = resources.files("yusuan.data").joinpath("fonts").joinpath("fonts.conf")
    with tempfile.TemporaryDirectory(prefix="yusuan-pdf-") as tmp, resources.as_file(conf) as conf_path:
        work = Path(tmp)
        (work / "in").mkdir()
        sources = {}
        for i, data in enumerate(docs):
            data = split_long_tables(data)
            src = work / "in" / f"d{i}.docx"
            src.write_bytes(data)
            sources[src] = data
        printer = _Printer(exe, work, {**os.environ, "FONTCONFIG_FILE": str(conf_path), "HOME": tmp},
                           lambda files: timeout if timeout is not None else _time_limit([sources[f] for f in files]))
        return in_runs(list(sources), printer.run, printer.output)


class _Printer:
    """LibreOffice runs printing DOCX files to PDF in one folder, with a
    private profile there: a user's running LibreOffice must not swallow
    the job."""

    def __init__(self, exe: str, work: Path, env: dict[str, str], limit: Callable[[list[Path]], float]):
        self.exe, self.work, self.env, self.limit = exe, work, env, limit
        self.outdir = work / "out"
        self.detail = ""  # why the last run failed, when it printed one file

    def run(self, files: list[Path]) -> RenderError | None:
        from ..read.convert import run_soffice

        limit = self.limit(files)
        profile = self.work / "profile"
        cmd = [self.exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(self.outdir), *map(str, files)]
        try:
            proc = run_soffice(cmd, limit, self.env)
        except subprocess.TimeoutExpired:
            shutil.rmtree(profile, ignore_errors=True)  # killed while writing it, perhaps
            return RenderError(f"LibreOffice did not finish converting to PDF within {limit:g} s")
        except OSError as exc:
            raise RenderError(f"cannot start LibreOffice ({exc.strerror or exc}); {INSTALL_HINT}") from None
        # what LibreOffice says is of no one file when it printed several
        lines = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        self.detail = (lines[-1] if lines else str(proc.returncode)) if len(files) == 1 else ""
        return None

    def output(self, src: Path) -> bytes | RenderError:
        try:
            data = (self.outdir / (src.stem + ".pdf")).read_bytes()
        except OSError:
            data = b""
        # a whole PDF only: a run killed while writing leaves a cut one
        if data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]:
            return data
        return RenderError("LibreOffice could not convert to PDF" + (f" ({self.detail})" if self.detail else ""))
