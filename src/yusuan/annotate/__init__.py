"""Annotated copies of a disclosure: the original file with the audit's
findings as comments (DOCX), annotations (PDF) or notes (XLSX), each on the
cell or the words it is about (see places.py).

    from yusuan.annotate import annotate
    data, suffix = annotate("examples/jinzhou-2026.docx")   # → bytes, ".docx"

A format with no annotator of its own (a text export, JSON) gets yusuan's
own DOCX rendering of the model, annotated the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..audit import audit_with_ledger
from ..audit.finding import Finding
from ..model import Disclosure
from ..read import limits, read_bytes, sniff

__all__ = ["annotate", "annotate_bytes", "annotate_rendering", "suffix_for"]


def annotate(path: str | Path) -> tuple[bytes, str]:
    """The file at `path` read, audited and annotated: (bytes, suffix of
    the format they are in)."""
    p = Path(path)
    return annotate_bytes(limits.read_file(p, "file_size"), p.name)


def annotate_bytes(data: bytes, name: str = "", d: Disclosure | None = None,
                   findings: Sequence[Finding] | None = None) -> tuple[bytes, str]:
    """As `annotate`, for bytes; `d` and `findings` when the caller has
    them already (check --annotate), so the comments are the findings it
    reports."""
    if d is None:
        d = read_bytes(data, name)
    if findings is None:
        findings, _ = audit_with_ledger(d)
    kind = sniff(data, name)
    if kind == "xlsx" and suffix_for(data, name) == ".docx":
        kind = "other"
    if kind == "docx":
        from .docx import annotate_docx
        return annotate_docx(data, d, findings), ".docx"
    if kind == "pdf":
        try:
            from .pdf import annotate_pdf
        except ImportError:
            raise NotImplementedError("PDF annotation is not available") from None
        return annotate_pdf(data, d, findings), ".pdf"
    if kind == "xlsx":
        from .xlsx import annotate_xlsx
        return annotate_xlsx(data, d, findings), ".xlsx"
    return annotate_rendering(d, findings), ".docx"


def suffix_for(data: bytes, name: str = "") -> str:
    """The suffix the annotated file will have, known before any work: the
    input's own format where it has an annotator, else .docx."""
    kind = sniff(data, name)
    if kind in ("docx", "pdf"):
        return "." + kind
    if kind == "xlsx":
        try:
            from .xlsx import annotate_xlsx  # noqa: F401
        except ImportError:
            return ".docx"
        return ".xlsx"
    return ".docx"


def annotate_rendering(d: Disclosure, findings: Sequence[Finding]) -> bytes:
    """yusuan's DOCX of the model, annotated. The places are found in the
    rendering read back (its own blocks and rows), by what the findings
    name — table id, row code and name, section and paragraph — which the
    reading of the rendering shares with the original's model."""
    from ..write.render import render
    from .docx import annotate_docx

    data = render(d, "docx")
    return annotate_docx(data, read_bytes(data, "rendered.docx"), findings)
