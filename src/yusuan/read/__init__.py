"""Readers: any supported file → `Disclosure`.

    from yusuan.read import read
    d = read("examples/jinzhou-2026.docx")
    d.tables["summary"].rows[0].amounts
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from ..model import Disclosure
from .assemble import assemble
from .blocks import Document
from .docx import parse_docx
from .errors import ReadError
from .pdf import parse_pdf
from .text import parse_text
from .xlsx import parse_xlsx

__all__ = ["ReadError", "parse_blocks", "read", "read_bytes", "read_parts", "group_parts"]

_ZIP = b"PK\x03\x04"


def read(path: str | Path) -> Disclosure:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a file") from None
    except OSError as exc:
        raise ReadError(f"cannot read ({exc.strerror or exc})") from None
    return read_bytes(data, p.name)


def sniff(data: bytes, name: str = "") -> str:
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise ReadError("file is empty")
    if data.startswith(_ZIP) or suffix in (".docx", ".xlsx"):
        if suffix == ".xlsx" or b"xl/workbook.xml" in data[:4096] or (suffix != ".docx" and b"xl/" in data[:2048]):
            return "xlsx"
        return "docx"
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if suffix == ".json" or data.lstrip()[:1] == b"{":
        return "json"
    return "text"


def decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise ReadError("binary data, not a text export (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("not a text export: bytes are neither UTF-8 nor GB18030 text")


def parse_blocks(data: bytes, name: str = "") -> Document:
    kind = sniff(data, name)
    if kind == "docx":
        return parse_docx(data)
    if kind == "xlsx":
        return parse_xlsx(data)
    if kind == "pdf":
        return parse_pdf(data)
    return parse_text(decode_text(data))


@contextmanager
def _no_gc_pauses():
    """Reading allocates tens of thousands of short-lived objects and no
    cycles; the cycle collector's passes over them cost up to half the read
    time, so it waits until the document is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_bytes(data: bytes, name: str = "") -> Disclosure:
    with _no_gc_pauses():
        return _read_bytes(data, name)


def _read_bytes(data: bytes, name: str) -> Disclosure:
    if sniff(data, name) == "json":
        try:
            return Disclosure.model_validate_json(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise ReadError(f"not a yusuan model JSON ({where}: {first['msg']})") from None
    return assemble(parse_blocks(data, name))


def read_parts(paths: list[str | Path]) -> Disclosure:
    """One disclosure published as several files (the text and the tables,
    as Jiangsu does): their block streams are read as one document, in the
    order given."""
    if len(paths) == 1:
        return read(paths[0])
    merged = Document(format="pdf")
    formats = set()
    for path in paths:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ReadError(f"{p.name}: cannot read ({exc.strerror or exc})") from None
        if sniff(data, p.name) == "json":
            raise ReadError(f"{p.name}: a model JSON is already a whole disclosure; it cannot be one part of another")
        with _no_gc_pauses():
            doc = parse_blocks(data, p.name)
        formats.add(doc.format)
        for b in doc.blocks:
            b.index = len(merged.blocks)
            merged.blocks.append(b)
    merged.format = formats.pop() if len(formats) == 1 else "pdf"
    with _no_gc_pauses():
        d = assemble(merged)
    d.files = [Path(p).name for p in paths]
    return d


def group_parts(models: list[tuple[str, Disclosure]]) -> list[list[str]]:
    """Files that are parts of one disclosure: one holds the explanation and
    no tables, another the tables and no explanation, of the same year and
    department (a name that contains the other). Everything else stands alone."""
    text_only = [(f, d) for f, d in models if not d.tables and d.explanation.sections]
    tables_only = [(f, d) for f, d in models if d.tables and not d.explanation.sections]
    groups: list[list[str]] = []
    used: set[str] = set()
    for tf, td in text_only:
        for bf, bd in tables_only:
            if bf in used or (td.year and bd.year and td.year != bd.year):
                continue
            a, b = td.department.name, bd.department.name
            if a in b or b in a:
                groups.append([tf, bf])
                used |= {tf, bf}
                break
    return groups + [[f] for f, _ in models if f not in used]
