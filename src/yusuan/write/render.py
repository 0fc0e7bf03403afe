"""One entry point for every output format."""

from __future__ import annotations

from ..model import Disclosure
from .docx import write_docx
from .html import write_html
from .layout import layout
from .xlsx import write_xlsx

FORMATS = ("docx", "xlsx", "html", "pdf", "json")


class RenderError(Exception):
    """An output cannot be produced here (a missing system tool); the message
    says what to install."""


def render(d: Disclosure, fmt: str) -> bytes:
    if fmt == "json":
        return (d.to_json() + "\n").encode("utf-8")
    lay = layout(d)
    if fmt == "docx":
        return write_docx(lay)
    if fmt == "xlsx":
        return write_xlsx(lay)
    if fmt == "html":
        return write_html(lay)
    if fmt == "pdf":
        from .pdf import write_pdf

        return write_pdf(write_docx(lay))
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
