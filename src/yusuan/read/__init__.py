"""Readers: any supported file → `Disclosure`.

    from yusuan.read import read
    d = read("examples/jinzhou-2026.docx")
    d.tables["summary"].rows[0].amounts
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..model import About, Disclosure, Source, Unread
from .assemble import assemble
from . import limits
from .blocks import Document, TableBlock
from .convert import convert_bytes, legacy_kind
from ..cli_text import read_message
from ..gc_pause import no_gc_pauses
from .errors import ReadError

__all__ = ["ReadError", "parse_blocks", "read", "read_bytes", "read_many", "read_parts", "group_parts"]

_ZIP = b"PK\x03\x04"


def read(path: str | Path) -> Disclosure:
    p = Path(path)
    return read_bytes(_file_bytes(p), p.name)


def _file_bytes(p: Path) -> bytes:
    """A regular file's bytes within the `file_size` limit: a FIFO, a
    device (/dev/zero) or a socket is refused before it is opened."""
    return limits.read_file(p, "file_size")


def read_many(paths: list[str | Path]) -> list[Disclosure | ReadError]:
    """Each file read on its own, in order; a file that cannot be read gives
    its ReadError in its place. The legacy Office files among them
    (.doc/.wps, .xls/.et) are converted together first: one LibreOffice
    run for all the Word files and one for all the workbooks."""
    loaded: list[tuple[bytes, str] | ReadError] = []
    for path in map(Path, paths):
        try:
            loaded.append((_file_bytes(path), path.name))
        except ReadError as exc:
            loaded.append(exc)
    loaded = _convert_legacy(loaded)
    out: list[Disclosure | ReadError] = []
    for item in loaded:
        if isinstance(item, ReadError):
            out.append(item)
            continue
        try:
            out.append(read_bytes(*item))
        except ReadError as exc:
            out.append(exc)
    return out


def _convert_legacy(loaded: list[tuple[bytes, str] | ReadError]) -> list[tuple[bytes, str] | ReadError]:
    """The legacy files of the list as the DOCX/XLSX LibreOffice made of
    them, named so (`convert.convert_loaded`, which ingest's workers share)."""
    from .convert import convert_loaded

    return convert_loaded(loaded)


def sniff(data: bytes, name: str = "") -> str:
    """The reader a file needs: docx, xlsx, pdf, json, text, or doc / xls
    for a legacy Office file that LibreOffice converts first."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise ReadError.say("empty")
    legacy = legacy_kind(data, name)
    if legacy:
        return {"docx": "doc", "xlsx": "xls"}[legacy]
    # what the bytes say before what the name says: files get renamed
    if data.startswith(b"{\\rtf"):
        return "doc"  # Word's RTF, whatever it is called: LibreOffice converts it
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(_ZIP) or suffix in (".docx", ".xlsx"):
        if suffix == ".xlsx" or b"xl/workbook.xml" in data[:4096] or (suffix != ".docx" and b"xl/" in data[:2048]):
            return "xlsx"
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".json" or data.lstrip()[:1] == b"{":
        return "json"
    return "text"


def decode_text(data: bytes) -> str:
    """A text export's characters: UTF-16 (with its byte order mark, or
    without, told by the NUL half of every ASCII character), UTF-8, else
    GB18030. A file that is none of them is refused at its first bad byte."""
    limits.check("text_size", len(data))
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            raise ReadError.say("binary") from None
    if b"\x00" in data:
        raise ReadError.say("binary")
    bom = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc
    if not _mostly_utf8(data):
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            bad, bom = exc, 0  # GB18030 text with a bad byte: where GB18030 broke
    at = bom + bad.start
    # a broken sequence is shown up to the byte that broke it
    shown = data[at: bom + bad.end + (1 if "continuation" in bad.reason or "multibyte" in bad.reason else 0)]
    raise ReadError.say("bad_byte", line=data.count(b"\n", 0, at) + 1, offset=at,
                        byte=" ".join(f"0x{c:02X}" for c in shown))


_UTF8_BOM = b"\xef\xbb\xbf"


def _utf16(data: bytes) -> str | None:
    """The codec of a UTF-16 text, or None. Without a byte order mark, the
    Tika export's TABs, line ends and digits are ASCII: UTF-16 gives each a
    NUL byte beside it, all on the same side."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16"
    if data.startswith(b"\xfe\xff"):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= pairs * 0.2 and even <= odd * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.2 and odd <= even * 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes, not GB18030: nearly every byte above
    ASCII belongs to a well-formed UTF-8 character."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good >= 10 and bad * 20 <= good


def parse_blocks(data: bytes, name: str = "", unread: list[Unread] | None = None) -> Document:
    """The file's block stream. What a reader saw but could not read (a
    scanned page without OCR) goes to `unread`, for the disclosure."""
    kind = sniff(data, name)
    # each reader is imported by the first file that needs it: a command
    # reading one DOCX does not pay for the PDF and XLSX readers' imports
    if kind in ("doc", "xls"):
        kind = {"doc": "docx", "xls": "xlsx"}[kind]
        data = convert_bytes(data, kind)
    if kind == "docx":
        from .docx import parse_docx

        doc = parse_docx(data)
    elif kind == "xlsx":
        from .xlsx import parse_xlsx

        doc = parse_xlsx(data)
    elif kind == "pdf":
        doc = _parse_pdf(data, unread)
    else:
        from .text import parse_text

        doc = parse_text(decode_text(data))
    _check_tables(doc)
    return doc


def _check_tables(doc: Document) -> None:
    """Every reader's tables within the limits before a table is read into
    a header path and a column per grid column. The DOCX, XLSX and text
    readers refuse earlier, before they build the blocks; this also holds
    for what the PDF reader made of its rules."""
    cells = limits.Tally("document_cells")
    for b in doc.blocks:
        if isinstance(b, TableBlock):
            limits.check("table_rows", len(b.rows))
            width = max([b.width or 0, *(len(r.cells) for r in b.rows),
                         *((c.col or 0) + c.span for r in b.rows for c in r.cells)])
            limits.check("table_columns", width)
            cells.add(sum(len(r.cells) for r in b.rows))


def _parse_pdf(data: bytes, unread: list[Unread] | None) -> Document:
    from .pdf import parse_pdf

    pages: list[int] = []
    doc = parse_pdf(data, pages)
    if unread is not None:
        unread += [Unread(kind="part", message=read_message("page_needs_ocr", page=n),
                          source=Source(format="pdf", page=n)) for n in pages]
    return doc


def read_bytes(data: bytes, name: str = "") -> Disclosure:
    with no_gc_pauses():
        return _read_bytes(data, name)


def _read_bytes(data: bytes, name: str) -> Disclosure:
    limits.check("file_size", len(data))
    if sniff(data, name) == "json":
        limits.check_json(data)
        try:
            return Disclosure.model_validate_json(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise ReadError.say("not_model_json", where=where, problem=first["msg"]) from None
    unread: list[Unread] = []
    try:
        d = assemble(parse_blocks(data, name, unread))
    except RecursionError:
        # content nested a thousand deep (controls in controls): no real
        # document does it, and the walk over it runs out of stack
        raise ReadError.say("too_deep") from None
    d.unread += unread
    return d


def read_parts(paths: list[str | Path]) -> Disclosure:
    """One disclosure published as several files (the text and the tables,
    as Jiangsu does): their block streams are read as one document, in the
    order given."""
    if len(paths) == 1:
        return read(paths[0])
    merged = Document(format="pdf")
    formats = set()
    unread: list[Unread] = []
    for path in paths:
        p = Path(path)
        try:
            data = _file_bytes(p)
        except ReadError as exc:
            exc.args = (read_message("part_error", name=p.name, problem=exc),)
            raise
        if sniff(data, p.name) == "json":
            raise ReadError.say("json_part", name=p.name)
        with no_gc_pauses():
            doc = parse_blocks(data, p.name, unread)
        formats.add(doc.format)
        for b in doc.blocks:
            b.index = len(merged.blocks)
            merged.blocks.append(b)
    merged.format = formats.pop() if len(formats) == 1 else "pdf"
    with no_gc_pauses():
        d = assemble(merged)
    d.unread += unread
    d.files = [Path(p).name for p in paths]
    return d


def group_parts(models: list[tuple[str, Disclosure | About]]) -> list[list[str]]:
    """Files that are parts of one disclosure: one holds the explanation and
    no tables, another the tables and no explanation, of the same year and
    department (a name that contains the other). Everything else stands alone."""
    abouts = [(f, About.of(d)) for f, d in models]
    text_only = [(f, a) for f, a in abouts if not a.has_tables and a.has_text]
    tables_only = [(f, a) for f, a in abouts if a.has_tables and not a.has_text]
    groups: list[list[str]] = []
    used: set[str] = set()
    for tf, ta in text_only:
        for bf, ba in tables_only:
            if bf in used or (ta.year and ba.year and ta.year != ba.year):
                continue
            a, b = ta.department, ba.department
            if a in b or b in a:
                groups.append([tf, bf])
                used |= {tf, bf}
                break
    return groups + [[f] for f, _ in models if f not in used]
