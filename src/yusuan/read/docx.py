"""DOCX → block stream, straight from `word/document.xml` with lxml.

python-docx's `row.cells` repeats a merged cell once per grid column it
covers; reading `w:tc` with `w:gridSpan`/`w:vMerge` ourselves gives each
cell's true grid column, which is what header mapping needs.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
_T, _TAB, _BR, _CR = W + "t", W + "tab", W + "br", W + "cr"
_VAL = W + "val"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def document_xml(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            try:
                return zf.read("word/document.xml")
            except KeyError:
                raise ReadError("not a Word document (no word/document.xml inside the zip)") from None
    except zipfile.BadZipFile as exc:
        raise ReadError(f"damaged or truncated DOCX ({exc})") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ReadError(f"damaged DOCX ({exc})") from None


def parse_docx(data: bytes) -> Document:
    xml = document_xml(data)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"damaged DOCX: word/document.xml is not well-formed ({exc})") from None
    body = root.find(W + "body")
    doc = Document(format="docx")
    if body is not None:
        _walk(body, doc.blocks)
    return doc


def _walk(parent, blocks: list) -> None:
    for el in parent:
        tag = el.tag
        if tag == _P:
            text = _paragraph_text(el).strip()
            if text:
                blocks.append(ParagraphBlock(text=text, index=len(blocks)))
        elif tag == _TBL:
            blocks.append(_table(el, len(blocks)))
        elif tag == _SDT:
            content = el.find(W + "sdtContent")
            if content is not None:
                _walk(content, blocks)


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            # w:tab also appears in w:pPr/w:tabs as a tab stop definition
            if node.getparent().tag != W + "tabs":
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(tbl, index: int) -> TableBlock:
    grid = tbl.find(W + "tblGrid")
    width = len(grid) if grid is not None else None
    rows = []
    for tr in tbl.iter(_TR):
        if tr.getparent() is not tbl and tr.getparent().getparent() is not tbl:
            continue  # a row of a nested table
        col = 0
        trpr = tr.find(W + "trPr")
        if trpr is not None:
            before = trpr.find(W + "gridBefore")
            if before is not None:
                col = int(before.get(_VAL, "0"))
        cells = []
        for tc in tr.iter(_TC):
            if tc.getparent() is not tr:
                continue
            span = 1
            tcpr = tc.find(W + "tcPr")
            if tcpr is not None:
                gs = tcpr.find(W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(_VAL, "1"))
            text = "\n".join(_paragraph_text(p) for p in tc.iter(_P))
            cells.append(Cell(text=clean_cell(text), col=col, span=span))
            col += span
        rows.append(TableRow(cells=cells))
        if width is None or col > width:
            width = col
    return TableBlock(rows=rows, width=width, index=index)
