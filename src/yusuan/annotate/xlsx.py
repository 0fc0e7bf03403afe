"""XLSX in, XLSX out: the findings as cell notes, and a fill on the cells
concerned (light red: error, amber: warning, light blue: info).

The model's `Source.block`/`Source.row` count the blocks the XLSX reader
makes, sheet after sheet; the reader itself keeps no sheet or sheet row.
So each sheet is read again with the reader's own `_sheet_blocks` (the
same blocks, and where one sheet's blocks end) and each block found again
in the sheet's rows by its texts, in order. A block that cannot be found
leaves its findings to the summary note rather than a wrong cell.

The notes are written into the package itself, as docx.py does for Word:
openpyxl, saving a workbook, drops its images and charts and the values
cached with formulas (the very values the reader reads). Only these parts
change: xl/styles.xml (a fill per severity, and a copy of each cell format
concerned with that fill), the worksheets that get notes (a cell's style,
and the reference to the note shapes), their comments part and VML
drawing (created, or added to when the sheet has notes already), their
relationships, and [Content_Types].xml. Every other part is copied as it
was.
"""

from __future__ import annotations

import copy
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from lxml import etree

from ..audit.finding import Finding
from ..definitions import squash
from ..model import Disclosure
from ..read import limits
from ..read.blocks import ParagraphBlock, TableBlock
from ..read.xlsx import _sheet_blocks, _text, check_workbook
from .places import Place, comment_text, locate_cell, places, summary_text

AUTHOR = "yusuan"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
_WORST = ("error", "warning", "info")
# a note wide enough for a sentence of a message; its height grows with the
# text, as a note does not scroll in Excel's default view
_NOTE_WIDTH = 360
_CHARS_PER_LINE = 24
_LINE_HEIGHT = 16

_S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S = "{%s}" % _S_NS
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_COMMENTS = _R_NS + "/comments"
_REL_VML = _R_NS + "/vmlDrawing"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
# CT_Worksheet's children that come before legacyDrawing: Excel refuses a
# sheet whose children are out of the schema's order
_BEFORE_LEGACY = {
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
}
# CT_Stylesheet's children before fills and before cellXfs, where a
# stylesheet lacking them gets them
_BEFORE_FILLS = ("numFmts", "fonts")
_BEFORE_XFS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs")


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a block is: its sheet and the sheet row of each of its rows
    (one for a paragraph; none for the sheet's name read as a title)."""

    sheet: str
    block: ParagraphBlock | TableBlock
    rows: tuple[int, ...]


def annotate_xlsx(data: bytes, d: Disclosure, findings: Sequence[Finding]) -> bytes:
    """The workbook with one note per cell a finding is placed on (see
    places.py; two findings on one cell share its note) and one summary
    note, on the first sheet's first filled cell, for those with no place."""
    from openpyxl import load_workbook

    check_workbook(data)
    # the cells are found again by the values the reader read: the cached ones
    wb = load_workbook(BytesIO(data), data_only=True)
    origins = _origins(wb)
    notes: dict[tuple[str, int, int], list[Finding]] = {}
    unplaced: list[Finding] = []
    for place in places(d, findings):
        at = _cell_of(place, origins, wb)
        if at is None:
            unplaced.append(place.finding)
        else:
            notes.setdefault(at, []).append(place.finding)
    if not notes and not unplaced:
        return data
    texts: dict[tuple[str, int, int], tuple[str, str | None]] = {}
    for at, fs in notes.items():
        # a cell carries one note, so findings sharing it share the note,
        # which says how many it holds lest the second be overlooked
        head = [f"yusuan：本格 {len(fs)} 项发现"] if len(fs) > 1 else []
        worst = min((f.severity for f in fs), key=lambda s: _WORST.index(s) if s in _WORST else len(_WORST))
        texts[at] = ("\n\n".join(head + [comment_text(f) for f in fs]), worst)
    if unplaced:
        ws = wb.worksheets[0]
        at = (ws.title, *_first_filled(ws))
        text, worst = texts.get(at, ("", None))
        texts[at] = ("\n\n".join(t for t in (text, summary_text(unplaced)) if t), worst)
    return _write(data, texts)


# -- the package -------------------------------------------------------------

def _write(data: bytes, texts: dict[tuple[str, int, int], tuple[str, str | None]]) -> bytes:
    """The package with the notes `texts` ((sheet, row, column) → (note,
    severity for the fill or None)); the parts not concerned as they were."""
    with limits.open_zip(data) as zf:
        infos = zf.infolist()
        parts = {i.filename: limits.read_member(zf, i) for i in infos}
    sheets = _sheet_parts(parts)
    styles = _Styles(parts["xl/styles.xml"]) if "xl/styles.xml" in parts else None
    types = etree.fromstring(parts["[Content_Types].xml"], _PARSER)
    by_sheet: dict[str, dict[tuple[int, int], tuple[str, str | None]]] = {}
    for (title, row, col), v in texts.items():
        by_sheet.setdefault(title, {})[(row, col)] = v
    new: list[str] = []
    for title, cells in by_sheet.items():
        new += _note_sheet(parts, sheets[title], cells, styles, types)
    if styles is not None:
        parts["xl/styles.xml"] = styles.xml()
    parts["[Content_Types].xml"] = _xml(types)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in infos:
            z.writestr(info, parts[info.filename])
        for name in new:
            z.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), parts[name],
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _note_sheet(parts: dict[str, bytes], name: str, cells: dict, styles, types) -> list[str]:
    """One sheet's notes and fills into `parts`; the names of the parts made."""
    sheet = etree.fromstring(parts[name], _PARSER)
    if styles is not None:
        for (row, col), (_, worst) in cells.items():
            if worst in FILLS:
                c = _cell_element(sheet, row, col)
                if c is not None:  # None: an empty cell that cannot be put in its row safely
                    c.set("s", str(styles.with_fill(int(c.get("s") or 0), worst)))
    new = []
    rels_name = posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
    if rels_name in parts:
        rels = etree.fromstring(parts[rels_name], _PARSER)
    else:
        rels = etree.Element("{%s}Relationships" % _PKG, nsmap={None: _PKG})
        new.append(rels_name)
    comments_name = next((_target(name, r) for r in rels if r.get("Type") == _REL_COMMENTS), None)
    if comments_name is None or comments_name not in parts:
        comments_name = _free(parts, "xl/comments{}.xml")
        _relate(rels, _REL_COMMENTS, "/" + comments_name)
        _override(types, comments_name, _COMMENTS_TYPE)
        new.append(comments_name)
    # the note shapes go into the sheet's one legacy drawing, which may hold
    # other notes' shapes or form controls already
    legacy = sheet.find(S + "legacyDrawing")
    ids = {r.get("Id"): r for r in rels}
    vml_name = None
    if legacy is not None and legacy.get("{%s}id" % _R_NS) in ids:
        vml_name = _target(name, ids[legacy.get("{%s}id" % _R_NS)])
    if vml_name is None or vml_name not in parts:
        vml_name = _free(parts, "xl/drawings/vmlDrawing{}.vml")
        rid = _relate(rels, _REL_VML, "/" + vml_name)
        if legacy is None:
            legacy = etree.Element(S + "legacyDrawing", nsmap={"r": _R_NS})
            _insert_legacy(sheet, legacy)
        legacy.set("{%s}id" % _R_NS, rid)
        _vml_default(types)
        parts[vml_name] = _new_vml(_free_block(parts))
        new.append(vml_name)
    added = _add_comments(parts, comments_name, cells)
    parts[vml_name] = _add_shapes(parts[vml_name], [(rc, cells[rc][0]) for rc in added])
    parts[name] = _xml(sheet)
    parts[rels_name] = _xml(rels)
    return new


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _target(source: str, rel) -> str:
    """The part a relationship of part `source` points at."""
    t = rel.get("Target") or ""
    if t.startswith("/"):
        return t[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), t))


def _rels(parts: dict[str, bytes], source: str) -> list:
    name = posixpath.join(posixpath.dirname(source), "_rels", posixpath.basename(source) + ".rels")
    return list(etree.fromstring(parts[name], _PARSER)) if name in parts else []


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → its part."""
    book = next((_target("", r) for r in _rels(parts, "")
                 if (r.get("Type") or "").endswith("/officeDocument")), "xl/workbook.xml")
    rels = {r.get("Id"): _target(book, r) for r in _rels(parts, book)}
    root = etree.fromstring(parts[book], _PARSER)
    return {s.get("name"): rels[s.get("{%s}id" % _R_NS)]
            for s in root.iter(S + "sheet") if s.get("{%s}id" % _R_NS) in rels}


def _free(parts: dict[str, bytes], pattern: str) -> str:
    lower = {p.lower() for p in parts}
    n = 1
    while pattern.format(n).lower() in lower:
        n += 1
    name = pattern.format(n)
    parts[name] = b""  # taken, for the next sheet's name
    return name


def _relate(rels, kind: str, target: str) -> str:
    taken = {r.get("Id") for r in rels}
    n = 1
    while f"rIdYusuan{n}" in taken:
        n += 1
    etree.SubElement(rels, "{%s}Relationship" % _PKG, {"Id": f"rIdYusuan{n}", "Type": kind, "Target": target})
    return f"rIdYusuan{n}"


def _override(types, name: str, kind: str) -> None:
    if not any(o.get("PartName") == "/" + name for o in types.iter(_CT + "Override")):
        etree.SubElement(types, _CT + "Override", {"PartName": "/" + name, "ContentType": kind})


def _vml_default(types) -> None:
    if not any((x.get("Extension") or "").lower() == "vml" for x in types.iter(_CT + "Default")):
        # Defaults come before Overrides in the files Excel writes
        first = next(types.iter(_CT + "Override"), None)
        el = etree.Element(_CT + "Default", {"Extension": "vml", "ContentType": _VML_TYPE})
        if first is None:
            types.append(el)
        else:
            first.addprevious(el)


def _insert_legacy(sheet, legacy) -> None:
    before = [c for c in sheet if isinstance(c.tag, str) and etree.QName(c).localname in _BEFORE_LEGACY]
    if before:
        before[-1].addnext(legacy)
    else:
        sheet.append(legacy)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, k = divmod(col - 1, 26)
        letters = chr(65 + k) + letters
    return f"{letters}{row}"


def _col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell_element(sheet, row: int, col: int):
    """The cell's <c>, made in its row (and the row in sheetData) when the
    cell is empty and has none. None where a row or cell without an `r`
    follows the gap: its place is counted from the one before it, so a new
    element there would move it."""
    data = sheet.find(S + "sheetData")
    if data is None:
        return None
    n, found, after = 0, None, None
    for r in data.iterchildren(S + "row"):
        n = int(r.get("r")) if (r.get("r") or "").isdigit() else n + 1
        if n == row:
            found = r
            break
        if n > row:
            after = r
            break
    if found is None:
        if after is not None and not after.get("r"):
            return None
        found = etree.Element(S + "row", {"r": str(row)})
        if after is None:
            data.append(found)
        else:
            after.addprevious(found)
    k, after = 0, None
    for c in found.iterchildren(S + "c"):
        m = _REF.match(c.get("r") or "")
        k = _col(m.group(1)) if m else k + 1
        if k == col:
            return c
        if k > col:
            after = c
            break
    if after is not None and not after.get("r"):
        return None
    c = etree.Element(S + "c", {"r": _ref(row, col)})
    if after is None:
        found.append(c)
    else:
        after.addprevious(c)
    return c


class _Styles:
    """xl/styles.xml gaining a solid fill per severity, and per (cell
    format, severity) a copy of the format with that fill."""

    def __init__(self, xml: bytes):
        self.root = etree.fromstring(xml, _PARSER)
        self.fills = self._child("fills", _BEFORE_FILLS)
        self.xfs = self._child("cellXfs", _BEFORE_XFS)
        if not len(self.xfs):
            etree.SubElement(self.xfs, S + "xf", {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"})
        self.fill_ids: dict[str, int] = {}
        self.made: dict[tuple[int, str], int] = {}

    def _child(self, tag: str, before: tuple[str, ...]):
        el = self.root.find(S + tag)
        if el is None:
            el = etree.Element(S + tag)
            prev = [self.root.find(S + t) for t in before]
            prev = [p for p in prev if p is not None]
            if prev:
                prev[-1].addnext(el)
            else:
                self.root.insert(0, el)
        return el

    def with_fill(self, s: int, severity: str) -> int:
        if (s, severity) in self.made:
            return self.made[(s, severity)]
        if severity not in self.fill_ids:
            fill = etree.SubElement(self.fills, S + "fill")
            pattern = etree.SubElement(fill, S + "patternFill", {"patternType": "solid"})
            etree.SubElement(pattern, S + "fgColor", {"rgb": "FF" + FILLS[severity]})
            etree.SubElement(pattern, S + "bgColor", {"indexed": "64"})
            self.fill_ids[severity] = len(self.fills) - 1
            self.fills.set("count", str(len(self.fills)))
        xfs = list(self.xfs.iterchildren(S + "xf"))
        xf = copy.deepcopy(xfs[s] if 0 <= s < len(xfs) else xfs[0])
        xf.set("fillId", str(self.fill_ids[severity]))
        xf.set("applyFill", "1")
        self.xfs.append(xf)
        self.xfs.set("count", str(len(xfs) + 1))
        self.made[(s, severity)] = len(xfs)
        return len(xfs)

    def xml(self) -> bytes:
        return _xml(self.root)


# -- the notes: comments part and VML shapes ---------------------------------

def _add_comments(parts: dict[str, bytes], name: str, cells: dict[tuple[int, int], tuple[str, str | None]]) -> list:
    """The cells' texts into the comments part: after the note a cell has
    already, so a cell keeps one note, else as a new note. The cells given
    a new note, which need a shape."""
    if parts.get(name):
        root = etree.fromstring(parts[name], _PARSER)
    else:
        root = etree.Element(S + "comments", nsmap={None: _S_NS})
    authors = root.find(S + "authors")
    if authors is None:
        authors = etree.Element(S + "authors")
        root.insert(0, authors)
    names = [a.text for a in authors.iterchildren(S + "author")]
    if AUTHOR not in names:
        etree.SubElement(authors, S + "author").text = AUTHOR
        names.append(AUTHOR)
    author = str(names.index(AUTHOR))
    listing = root.find(S + "commentList")
    if listing is None:
        listing = etree.SubElement(root, S + "commentList")
        authors.addnext(listing)
    there = {}
    for c in listing.iterchildren(S + "comment"):
        m = _REF.match(c.get("ref") or "")
        if m:
            there[(int(m.group(2)), _col(m.group(1)))] = c
    added = []
    for (row, col) in sorted(cells, key=lambda rc: rc):
        text = cells[(row, col)][0]
        c = there.get((row, col))
        if c is not None:
            body = c.find(S + "text")
            if body is None:
                body = etree.SubElement(c, S + "text")
            plain = body.find(S + "t")
            if plain is not None:  # runs and a bare <t> do not mix: the <t> becomes a run
                run = etree.Element(S + "r")
                plain.addprevious(run)
                run.append(plain)
            _run(body, "\n\n" + text, before=body.find(S + "rPh"))
            continue
        c = etree.SubElement(listing, S + "comment", {"ref": _ref(row, col), "authorId": author})
        _run(etree.SubElement(c, S + "text"), text)
        added.append((row, col))
    parts[name] = _xml(root)
    return added


def _run(body, text: str, before=None) -> None:
    run = etree.Element(S + "r")
    t = etree.SubElement(run, S + "t")
    t.text = text
    t.set(_XML_SPACE, "preserve")
    if before is None:
        runs = list(body.iterchildren(S + "r"))
        if runs:
            runs[-1].addnext(run)
        else:
            body.insert(0, run)
    else:
        before.addprevious(run)


_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')
_SHAPETYPE = ('<v:shapetype{} id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"<(?:\w+:)?idmap[^>]*\bdata=\"([\d,\s]*)\"")
_NOTE_TYPE = re.compile(rb"id=[\"']_x0000_t202[\"']")


def _free_block(parts: dict[str, bytes]) -> int:
    """A block of 1024 shape ids no VML drawing of the workbook uses: Excel
    numbers a drawing's shapes from 1024 × its idmap's data."""
    used = [0]
    for name, body in parts.items():
        if name.lower().endswith(".vml"):
            used += [int(x) for m in _IDMAP.findall(body) for x in re.split(rb"[,\s]+", m) if x]
            used += [int(x) // 1024 for x in _SHAPE_ID.findall(body)]
    return max(used) + 1


def _new_vml(block: int) -> bytes:
    return (f'<xml {_VML_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/>'
            f'</o:shapelayout>{_SHAPETYPE.format("")}</xml>').encode()


def _add_shapes(vml: bytes, notes: list) -> bytes:
    """A hidden note shape per new note, before the drawing's end. Written
    as text: Excel's VML is not always well-formed XML, and what is there
    already stays as it is."""
    if not notes:
        return vml
    ids = [int(x) for x in _SHAPE_ID.findall(vml)]
    blocks = [int(x) for m in _IDMAP.findall(vml) for x in re.split(rb"[,\s]+", m) if x]
    sid = max(ids + [min(blocks, default=1) * 1024]) + 1
    # the prefixes declared on each shape unless the drawing declares them
    declared = all(f'xmlns:{p}="urn:schemas-microsoft-com:{u}"'.encode() in vml
                   for p, u in (("v", "vml"), ("o", "office:office"), ("x", "office:excel")))
    ns = "" if declared else " " + _VML_NS
    shapes = [] if _NOTE_TYPE.search(vml) else [_SHAPETYPE.format(ns)]
    for (row, col), text in notes:
        shapes.append(_shape(sid, row, col, text, ns))
        sid += 1
    end = vml.rfind(b"</xml>")
    if end < 0:
        end = len(vml)
    return vml[:end] + "".join(shapes).encode() + vml[end:]


def _shape(sid: int, row: int, col: int, text: str, ns: str) -> str:
    lines = sum(max(1, math.ceil(len(line) / _CHARS_PER_LINE)) for line in text.split("\n"))
    height = lines * _LINE_HEIGHT + 12
    # the anchor, in cells, for a default column of 64 px and row of 20 px:
    # right of the cell, a row above it
    top = max(row - 2, 0)
    anchor = f"{col}, 15, {top}, 10, {col + math.ceil(_NOTE_WIDTH / 64)}, 15, {top + math.ceil(height / 20)}, 4"
    return (f'<v:shape{ns} id="_x0000_s{sid}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{_NOTE_WIDTH}px;'
            f'height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData></v:shape>')


# -- blocks found again in the sheets --------------------------------------

def _origins(values) -> dict[int, _Origin]:
    """Block index → its origin, for every block found again."""
    blocks: list = []
    out: dict[int, _Origin] = {}
    for ws in values.worksheets:
        first = len(blocks)
        _sheet_blocks(ws, blocks)
        words = {r: [_text(c) for c in row] for r, row in enumerate(ws.iter_rows(), start=1)}
        nxt = 1
        for b in blocks[first:]:
            r = next((k for k in range(nxt, len(words) + 1) if any(words[k])), None)
            if isinstance(b, ParagraphBlock):
                if r is not None and "".join(t for t in words[r] if t) == b.text:
                    out[b.index] = _Origin(ws.title, b, (r,))
                    nxt = r + 1
                elif b.text == ws.title:  # the sheet's name as the title of its one table
                    out[b.index] = _Origin(ws.title, b, ())
                else:
                    break
                continue
            k = next((i for i, row in enumerate(b.rows) if any(c.text for c in row.cells)), None)
            if k is None or r is None or r - k < 1:
                break
            printed = [c.text for c in b.rows[k].cells if c.text]
            if [t for t in words[r][:b.width] if t] != printed:
                break
            start = r - k
            out[b.index] = _Origin(ws.title, b, tuple(range(start, start + len(b.rows))))
            nxt = start + len(b.rows)
    return out


def _cell_of(place: Place, origins: dict[int, _Origin], wb) -> tuple[str, int, int] | None:
    """(sheet, row, column) of the cell a place's note goes on: the cell
    itself; for a sentence the cell holding it; for a block its first
    filled cell. None: no place, or its block not found again."""
    if place.kind == "none" or place.block is None or place.block not in origins:
        return None
    o = origins[place.block]
    if not o.rows:
        row, col = _first_filled(wb[o.sheet])
        return o.sheet, row, col
    if isinstance(o.block, ParagraphBlock):
        row = wb[o.sheet][o.rows[0]]
        filled = [c for c in row if c.value is not None and str(c.value).strip()]
        if not filled:
            return None
        quote = place.quote
        at = next((c for c in filled if quote and quote in squash(str(c.value))), filled[0])
        return o.sheet, at.row, at.column
    if place.kind == "cell" and place.row is not None and 0 <= place.row < len(o.block.rows):
        cells = o.block.rows[place.row].cells
        j = locate_cell(place, [c.text for c in cells])
        if j is None and place.column is None:  # the whole row: its first filled cell
            j = next((i for i, c in enumerate(cells) if c.text), None)
        if j is None:
            return None
        return o.sheet, *_top_left(wb[o.sheet], o.rows[place.row], (cells[j].col or 0) + 1)
    for r, row in zip(o.rows, o.block.rows):
        first = next((c for c in row.cells if c.text), None)
        if first is not None:
            return o.sheet, *_top_left(wb[o.sheet], r, (first.col or 0) + 1)
    return None


def _top_left(ws, row: int, col: int) -> tuple[int, int]:
    """A merged cell's note goes on the merge's first cell, the one that
    holds its value (the others cannot carry a note)."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _first_filled(ws) -> tuple[int, int]:
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and str(c.value).strip():
                return c.row, c.column
    return 1, 1
