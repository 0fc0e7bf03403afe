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
from importlib import resources
from io import BytesIO
from pathlib import Path

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
    from ..read.convert import time_limit as base  # only a PDF needs it

    return base(1, len(docx_bytes), TIMEOUT_PER_ROW * _rows(docx_bytes))


def write_pdf(docx_bytes: bytes, timeout: float | None = None) -> bytes:
    """The PDF of a DOCX; `timeout` in seconds, by default `time_limit`'s."""
    from ..read.convert import run_soffice

    exe = soffice()
    if exe is None:
        raise RenderError(f"PDF output needs LibreOffice, which is not installed; {INSTALL_HINT}")
    if not _has_cjk_fonts():
        raise RenderError(f"PDF output needs Chinese fonts, none are installed; {INSTALL_HINT}")
    limit = timeout if timeout is not None else time_limit(docx_bytes)
    conf = resources.files("yusuan.data").joinpath("fonts").joinpath("fonts.conf")
    with tempfile.TemporaryDirectory(prefix="yusuan-pdf-") as tmp, resources.as_file(conf) as conf_path:
        src = Path(tmp) / "disclosure.docx"
        src.write_bytes(docx_bytes)
        env = {**os.environ, "FONTCONFIG_FILE": str(conf_path), "HOME": tmp}
        # A private profile: a user's running LibreOffice must not swallow the job.
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            proc = run_soffice(cmd, limit, env)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not finish converting to PDF within {limit:g} s") from None
        except OSError as exc:
            raise RenderError(f"cannot start LibreOffice ({exc.strerror or exc}); {INSTALL_HINT}") from None
        out = Path(tmp) / "disclosure.pdf"
        if proc.returncode != 0 or not out.exists():
            text = (proc.stderr or proc.stdout).decode("utf-8", "replace")
            detail = text.strip().splitlines()
            raise RenderError(f"LibreOffice could not convert to PDF ({detail[-1] if detail else proc.returncode})")
        return out.read_bytes()
