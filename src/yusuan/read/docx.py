"""DOCX → block stream, straight from `word/document.xml` with lxml.

python-docx's `row.cells` repeats a merged cell once per grid column it
covers; reading `w:tc` and `w:gridSpan` ourselves gives each cell's true grid
column, which is what header mapping needs. A `w:vMerge` continuation cell is
empty, exactly as in a Tika export, and is read as an empty cell.
"""

from __future__ import annotations

from lxml import etree

from . import limits
from .blocks import Cell, Document, ParagraphBlock, TableBlock, TableRow, clean_cell
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
_T, _TAB, _BR, _CR = W + "t", W + "tab", W + "br", W + "cr"
_VAL = W + "val"
_TABS, _GRID = W + "tabs", W + "tblGrid"
_GRID_BEFORE_PATH = f"{W}trPr/{W}gridBefore"
_GRID_SPAN_PATH = f"{W}tcPr/{W}gridSpan"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, collect_ids=False)


def document_xml(data: bytes) -> bytes:
    """word/document.xml, decompressed within the zip limits."""
    try:
        with limits.open_zip(data) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError:
                raise ReadError.say("not_word") from None
            return limits.read_member(zf, info)
    except limits.ZIP_ERRORS as exc:
        raise ReadError.say("damaged_docx", detail=exc) from None


def parse_docx(data: bytes) -> Document:
    xml = document_xml(data)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError.say("damaged_docx_xml", detail=exc) from None
    limits.check("document_cells", _CELL_COUNT(root))
    _accept_changes(root)
    body = root.find(W + "body")
    doc = Document(format="docx")
    if body is not None:
        _walk(body, doc.blocks, _special_paragraphs(root))
    return doc


# Tracked changes: what a reader of the document sees is the text with every
# change accepted. Deleted and moved-away runs go (Word keeps the moved text
# twice, at both ends of the move), and so do deleted rows and cells;
# inserted and moved-here runs stay as they are.
_REJECTED = (W + "del", W + "moveFrom")
_ROW_DELETED, _CELL_DELETED = W + "trPr", W + "tcPr"


def _accept_changes(root) -> None:
    gone = []
    for el in root.iter(*_REJECTED, W + "cellDel"):
        parent = el.getparent()
        if parent.tag == _ROW_DELETED:
            gone.append(parent.getparent())  # w:tr/w:trPr/w:del: the row was deleted
        elif el.tag == W + "cellDel" and parent.tag == _CELL_DELETED:
            gone.append(parent.getparent())
        elif parent.tag not in (W + "rPr", W + "pPr", W + "numPr"):
            gone.append(el)  # a deleted or moved-away run (in w:rPr it only marks a paragraph mark)
    for el in gone:
        if el.getparent() is not None:
            el.getparent().remove(el)


def _walk(parent, blocks: list, special: set) -> None:
    for el in parent:
        tag = el.tag
        if tag == _P:
            text = _paragraph_text(el, special).strip()
            if text:
                blocks.append(ParagraphBlock(text=text, index=len(blocks)))
        elif tag == _TBL:
            blocks.append(_table(el, len(blocks), special))
        elif tag == _SDT:
            content = el.find(W + "sdtContent")
            if content is not None:
                _walk(content, blocks, special)


_MARKS = (_TAB, _BR, _CR, W + "instrText", W + "delText")


def _special_paragraphs(root) -> set:
    """Paragraphs whose text is not simply all their text nodes (tabs,
    breaks, field codes, tracked deletions). Everything else takes the fast
    path: serialising a paragraph as text is done in C, and walking every
    run from Python would cost three times the XML parse."""
    out = set()
    for node in root.iter(*_MARKS):
        p = node.getparent()
        while p is not None and p.tag != _P:
            p = p.getparent()
        if p is not None:
            out.add(p)
    return out


def _paragraph_text(p, special: set) -> str:
    if p not in special:
        return etree.tostring(p, method="text", encoding="unicode", with_tail=False)
    parts = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            # w:tab also appears in w:pPr/w:tabs as a tab stop definition
            if node.getparent().tag != _TABS:
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc, special: set) -> str:
    return "\n".join([_paragraph_text(p, special) for p in tc.iterchildren(_P)])


_NS = {"w": W[1:-1]}
# The few rows and cells that need more than their plain text, found per
# table in one C-level XPath pass each; the rest are read as whole-cell text.
_SHIFTED_ROWS = etree.XPath("w:tr[w:trPr/w:gridBefore]", namespaces=_NS)
_SPANNED_CELLS = etree.XPath("w:tr/w:tc[w:tcPr/w:gridSpan]", namespaces=_NS)
_MULTI_PARAGRAPH_CELLS = etree.XPath("w:tr/w:tc[count(w:p) > 1 or w:tbl]", namespaces=_NS)
_CELL_COUNT = etree.XPath("count(//w:tc)", namespaces=_NS)


def _grid_count(el, path: str, default: int) -> int:
    """A w:gridSpan or w:gridBefore, within the grid-width limit: a table
    reader makes a header path and a column for every grid column, so a
    span of twenty million would be twenty million of each. A value that is
    no number counts as Word's default."""
    try:
        n = int(el.find(path).get(_VAL, default))
    except ValueError:
        return default
    limits.check("table_columns", n)
    return max(n, 0)


def _table(tbl, index: int, special: set) -> TableBlock:
    grid = tbl.find(_GRID)
    width = len(grid) if grid is not None else None
    limits.check("table_columns", width or 0)
    limits.check("table_rows", sum(1 for _ in tbl.iterchildren(_TR)))
    shifts = {tr: _grid_count(tr, _GRID_BEFORE_PATH, 0) for tr in _SHIFTED_ROWS(tbl)}
    spans = {tc: _grid_count(tc, _GRID_SPAN_PATH, 1) for tc in _SPANNED_CELLS(tbl)}
    slow = set(_MULTI_PARAGRAPH_CELLS(tbl))
    slow.update(p.getparent() for p in special)
    rows = []
    for tr in tbl.iterchildren(_TR):
        col = shifts.get(tr, 0)
        cells = []
        for tc in tr.iterchildren(_TC):
            span = spans.get(tc, 1)
            if tc in slow:
                text = _cell_text(tc, special)
            else:
                text = etree.tostring(tc, method="text", encoding="unicode", with_tail=False)
            cells.append(Cell(text=clean_cell(text), col=col, span=span))
            col += span
        limits.check("table_columns", col)
        rows.append(TableRow(cells=cells))
        if width is None or col > width:
            width = col
    return TableBlock(rows=rows, width=width, index=index)
