"""A workbook's sheets as the XLSX reader sees them, read without openpyxl.

openpyxl builds an object for every cell and every style it meets, which
is most of the time it takes to read a workbook (a third of a second for
a small one). The reader needs far less: each cell's value, whether it
has a border, its number format (12.30 is printed as written) and the merged
ranges. python-calamine gives the values and the merged ranges; the borders
and number formats come from xl/styles.xml (cellXfs → borderId, numFmtId)
and the `s` of each cell in the sheet's XML, scanned here.

The sheets must come out as openpyxl's would, cell for cell: the rules it
reads by are followed below (which cells exist, how a merged range's border
is spread over its edge, where a cell without a reference goes). Where a
workbook holds something those rules do not cover, or calamine reads a cell
otherwise than openpyxl would, `read_sheets` raises `NotSame` and the
caller reads the workbook with openpyxl:

- calamine refuses the workbook, or its values disagree with the cells the
  scan finds (a value where the sheet has none, a number where the sheet
  says text);
- a number shown as a date or time (openpyxl turns it into a datetime by
  its own rules), a cell of type d, or any date calamine returns;
- an integer beyond 2**53 (openpyxl keeps it exact), NaN or infinity;
- a string with an _xHHHH_ escape (calamine decodes it, openpyxl does not)
  or a raw carriage return (XML parsers fold it, calamine keeps it);
- hyperlinks (openpyxl gives an empty cell with a hyperlink its target as
  value; a comment only creates its cell, as done here);
- overlapping merged ranges, a cell given twice, a reference not written
  as A1 in capitals, a style or format index that is not there;
- anything unusual in the package: a workbook part elsewhere than
  xl/workbook.xml, a sheet that is not a worksheet or whose part is
  missing, a title openpyxl would change, a part that is not well-formed
  XML or not UTF-8 (openpyxl refuses the first), XML comments, CDATA or a
  DOCTYPE in a sheet.

openpyxl also refuses a workbook for values in parts the reader does not
use (a colour that is not one, an unknown workbook view setting); such a
workbook is read here.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache
from io import BytesIO

from lxml import etree

from . import limits

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORKBOOK_TYPES = (  # in the order openpyxl looks for them
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET_REL = _REL + "/worksheet"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# openpyxl.styles.numbers.BUILTIN_FORMATS: the format of a numFmtId no
# numFmt defines (a test holds the copy to openpyxl's)
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
# openpyxl.styles.numbers.is_date_format
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
# openpyxl.styles.borders.Side: the styles it accepts ("none" is no border)
_SIDE_STYLES = {"dashDot", "dashDotDot", "dashed", "dotted", "double", "hair", "medium", "mediumDashDot",
                "mediumDashDotDot", "mediumDashed", "slantDashDot", "thick", "thin"}
LEFT, RIGHT, TOP, BOTTOM = 1, 2, 4, 8
_SIDES = {"left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM}

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# openpyxl.utils.cell.coordinate_to_tuple accepts only these
_COORD = re.compile(rb"([A-Z]{1,3})([0-9]+)")
# a tag's attributes, a quoted ">" or "/" included; possessive, so a tag
# that does not close cannot make the match backtrack
_ATTRS = rb"""((?:[^<>"'/]++|/(?!>)|"[^<"]*+"|'[^<']*+')*+)"""
_ROW_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_|x005F_")
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
# a carriage return written as such in a text or value (XML parsers fold it
# into a line feed, calamine keeps it); between tags it is only layout
_RAW_CR = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?[tv](?:\s[^>]*)?>[^<]*\r")
_COMMENTS_REL = _REL + "/comments"
_SHARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class NotSame(Exception):
    """This workbook is read with openpyxl: the reason says why."""


@dataclass(slots=True)
class SheetGrid:
    """A sheet as the reader reads it: `rows` × `cols` cells (1-based in
    `merges`, 0-based in the lists), each with its printed text, whether
    it holds a value (an empty string is a value) and whether any of its
    four sides has a border."""

    title: str
    rows: int
    cols: int
    merges: list[tuple[int, int, int, int]]  # first row, first col, last row, last col
    text: list[list[str]] = field(default_factory=list)
    filled: list[list[bool]] = field(default_factory=list)
    border: list[list[bool]] = field(default_factory=list)


@dataclass(slots=True)
class _Styles:
    borders: list[int]  # side mask per borderId
    xf_border: list[int]  # side mask per cellXfs index
    xf_format: list[str | None]  # number format per cellXfs index; None: openpyxl would not find one
    xf_date: list[bool]  # openpyxl reads a number in this style as a date


# A cell as the scan finds it: (cellXfs index, None without an s attribute;
# its type, the t attribute or "n"; the raw <v> text, b"" for an inline
# string, None where openpyxl reads no value). Tuples: a sheet has
# thousands.
_Cell = tuple[int | None, str, bytes | None]


def read_sheets(data: bytes, parts: dict[str, bytes] | None = None) -> list[SheetGrid]:
    """Every worksheet, in the workbook's order. `check_workbook` has
    bounded the package and each sheet's extent before this is called;
    `parts`: the package's XML parts by name, as it decompressed them."""
    import python_calamine

    if parts is None:
        try:
            with limits.open_zip(data) as zf:
                parts = {name: zf.read(name) for name in zf.namelist() if name.endswith((".xml", ".rels"))}
        except limits.ZIP_ERRORS as exc:
            raise NotSame(f"zip: {exc}") from None
    strings = _package(parts)
    styles = _styles(parts.get("xl/styles.xml"))
    sheets = _sheets(parts)
    # openpyxl refuses a workbook any of whose parts is not XML (its
    # properties, its theme); the parts read here are parsed where read
    read = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/sharedStrings.xml"} | {part for _, part in sheets}
    for name, body in parts.items():
        if name not in read:
            _xml(body, name)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    except Exception as exc:  # calamine raises its own kinds and ValueError
        raise NotSame(f"calamine: {type(exc).__name__}: {exc}") from None
    out = []
    titles: set[str] = set()
    for title, part in sheets:
        if not title or re.search(r"[\\*?:/\[\]]", title) or title in titles:
            raise NotSame(f"sheet title {title!r}")
        titles.add(title)
        try:
            values = book.get_sheet_by_name(title)
            merged = values.merged_cell_ranges
            grid = values.to_python(skip_empty_area=False)
        except Exception as exc:
            raise NotSame(f"calamine: {type(exc).__name__}: {exc}") from None
        out.append(_grid(title, parts, part, styles, strings, merged, grid))
    return out


def _xml(body: bytes | None, what: str):
    if body is None:
        raise NotSame(f"no {what}")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotSame(f"{what}: {exc}") from None
    # the scans read bytes as UTF-8, the encoding every writer uses
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
    if encoding not in ("UTF-8", "UTF8"):
        raise NotSame(f"{what} in {encoding}")
    return root


def _package(parts: dict[str, bytes]) -> int:
    """The workbook part is xl/workbook.xml as openpyxl finds it; the
    number of shared strings both readers find (none if openpyxl finds no
    shared strings part)."""
    types = _xml(parts.get("[Content_Types].xml"), "content types")
    overrides = [(o.get("PartName"), o.get("ContentType")) for o in types.iter(f"{{{_CT}}}Override")]
    book = next((name for t in _WORKBOOK_TYPES for name, ct in overrides if ct == t), None)
    if book != "/xl/workbook.xml":
        raise NotSame(f"workbook part {book}")
    strings = next((name for name, ct in overrides if ct == _STRINGS_TYPE), None)
    if strings is not None and strings != "/xl/sharedStrings.xml":
        raise NotSame(f"shared strings at {strings}")
    if strings is not None:
        body = parts.get("xl/sharedStrings.xml")
        if body is None:
            raise NotSame("shared strings part missing")
        if _ESCAPE.search(body) or _RAW_CR.search(body) or b"<!" in body:
            raise NotSame("shared strings escaped, with a raw CR or a comment")
        _xml(body, "shared strings")
    return len(_SHARED.findall(body)) if strings is not None else 0


def _sheets(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """(title, part) of each worksheet, as openpyxl finds them."""
    book = _xml(parts.get("xl/workbook.xml"), "workbook")
    if book.tag != f"{{{_MAIN}}}workbook":  # openpyxl reads it whatever its namespace
        raise NotSame(f"workbook element {book.tag}")
    rels = _xml(parts.get("xl/_rels/workbook.xml.rels"), "workbook relationships")
    targets = {}
    for r in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        target = r.get("Target") or ""
        if r.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[r.get("Id")] = (r.get("Type") or "", target)
    out = []
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        rid = sheet.get(f"{{{_REL}}}id")
        if rid not in targets:
            raise NotSame(f"sheet {sheet.get('name')!r} without its relationship")
        kind, target = targets[rid]
        if "chartsheet" in kind:
            continue
        if kind != _WORKSHEET_REL or target not in parts:
            raise NotSame(f"sheet {sheet.get('name')!r}: {kind} {target}")
        out.append((sheet.get("name"), target))
    return out


def _styles(body: bytes | None) -> _Styles:
    root = _xml(body, "styles")
    if etree.QName(root).localname != "styleSheet":
        raise NotSame("styles root")
    children = {etree.QName(el).localname: el for el in root if isinstance(el.tag, str)}
    custom: dict[int, str | None] = {}
    for nf in _kids(children.get("numFmts"), "numFmt"):
        custom[_int(nf.get("numFmtId"), "numFmtId")] = nf.get("formatCode")
    borders = [_border_mask(b) for b in _kids(children.get("borders"), "border")]
    xfs = _kids(children.get("cellXfs"), "xf")
    if not xfs or not borders:
        raise NotSame("no cell formats or no borders")
    xf_border, xf_format, xf_date = [], [], []
    for xf in xfs:
        border_id = _int(xf.get("borderId", "0"), "borderId")
        if border_id >= len(borders):
            raise NotSame(f"borderId {border_id}")
        xf_border.append(borders[border_id])
        fmt_id = _int(xf.get("numFmtId", "0"), "numFmtId")
        if fmt_id in custom:
            fmt = custom[fmt_id]
            if fmt is None:
                raise NotSame("numFmt without formatCode")
        else:
            fmt = BUILTIN_FORMATS.get(fmt_id)
        xf_format.append(fmt)
        xf_date.append(fmt is not None and _DATE.search(_STRIP.sub("", fmt.split(";")[0])) is not None)
    return _Styles(borders, xf_border, xf_format, xf_date)


def _kids(parent, name: str) -> list:
    if parent is None:
        return []
    return [el for el in parent if isinstance(el.tag, str) and etree.QName(el).localname == name]


def _int(text: str | None, what: str) -> int:
    if text is None or not text.isdigit():
        raise NotSame(f"{what} {text!r}")
    return int(text)


def _border_mask(border) -> int:
    mask = 0
    for side in border:
        if not isinstance(side.tag, str):
            continue
        bit = _SIDES.get(etree.QName(side).localname)
        style = side.get("style")
        if style is not None and style != "none" and style not in _SIDE_STYLES:
            raise NotSame(f"border style {style!r}")
        if bit and style not in (None, "none"):
            mask |= bit
    return mask


def _scan(xml: bytes) -> tuple[dict[tuple[int, int], _Cell], list[tuple[int, int, int, int]]]:
    """The cells of a worksheet's XML, placed as openpyxl places them, and
    its merged ranges."""
    if b"<!" in xml:
        raise NotSame("comment, CDATA or DOCTYPE in a sheet")
    if _ESCAPE.search(xml) or _RAW_CR.search(xml):
        raise NotSame("escaped text or a raw CR in a sheet")
    m = _ROOT.search(xml)
    if not m:
        raise NotSame("no worksheet element")
    prefix = m.group(1) + b":" if m.group(1) else b""
    p = re.escape(prefix)
    root = xml[m.start():xml.find(b">", m.start())]
    declared = re.search(rb"\sxmlns" + (b":" + re.escape(m.group(1)) if m.group(1) else b"") + rb"""\s*=\s*["']([^"']*)["']""", root)
    if not declared or declared.group(1).decode() != _MAIN:
        raise NotSame("worksheet namespace")
    if re.search(rb"<" + p + rb"hyperlink[\s/>]", xml):
        raise NotSame("hyperlinks")
    tokens = _tokens(prefix)
    value = re.compile(rb"<" + p + rb"v(?:\s[^>]*)?(?:/>|>([^<]*)<)")
    inline = re.compile(rb"<" + p + rb"is[\s/>]")
    placed: dict[tuple[int, int], _Cell] = {}
    row = col = 0
    in_row = False
    for tm in tokens.finditer(xml):
        letters, number, s, t, simple, body, attrs, body2, row_attrs, row_closed = tm.groups()
        if row_attrs is not None:  # <row>: openpyxl reads the cells inside one
            at = _attr(_ROW_R, row_attrs)
            if at is None:
                row += 1
            else:
                try:
                    n = float(at)
                except ValueError:
                    raise NotSame(f"row {at!r}") from None
                if not n.is_integer():
                    raise NotSame(f"row {at!r}")
                row = int(n)
            col = 0
            in_row = not row_closed
            continue
        if letters is None and attrs is None:  # </row>
            in_row = False
            continue
        if not in_row:
            continue
        if letters is not None:
            r, col = int(number), _column(letters)
        else:
            body = body2
            a = _attrs(attrs)
            ref, s, t = a.get(b"r"), a.get(b"s"), a.get(b"t")
            if ref:
                place = _COORD.fullmatch(ref)
                if not place:
                    raise NotSame(f"cell reference {ref!r}")
                r, col = int(place.group(2)), _column(place.group(1))
            else:
                r, col = row, col + 1
            if s is not None and not s.isdigit():
                raise NotSame(f"style {s!r}")
        if r < 1 or (r, col) in placed:
            raise NotSame(f"cell {r},{col}")
        kind = t.decode() if t is not None else "n"  # t="" is no type: openpyxl keeps the text
        if kind == "inlineStr":
            raw = b"" if body and inline.search(body) else None
        elif simple is not None:
            raw = simple or None
        else:
            v = value.search(body) if body else None
            raw = v.group(1) if v and v.group(1) else None
        placed[(r, col)] = (int(s) if s is not None else None, kind, raw)
    merges = []
    for mm in re.finditer(rb"<" + p + rb"mergeCell(?=[\s/>])" + _ATTRS + rb"/?>", xml):
        ref = _attrs(mm.group(1)).get(b"ref") or b""
        ends = [_COORD.fullmatch(part) for part in ref.split(b":")]
        if len(ends) > 2 or None in ends:
            raise NotSame(f"merged range {ref!r}")
        (r1, c1), (r2, c2) = [(int(e.group(2)), _column(e.group(1))) for e in (ends[0], ends[-1])]
        if r1 > r2 or c1 > c2 or r1 < 1:
            raise NotSame(f"merged range {ref!r}")
        merges.append((r1, c1, r2, c2))
    return placed, merges


@cache
def _tokens(prefix: bytes) -> re.Pattern:
    """A sheet's cells and row tags, in one pass: a cell with its
    attributes as Excel, WPS and openpyxl write them (r, s, t in that
    order) or any other cell, a row's start tag, a row's end tag."""
    p = re.escape(prefix)
    c = rb"<" + p + rb"c"
    usual = (c + rb'\s+r="([A-Z]{1,3})([0-9]+)"(?:\s+s="([0-9]+)")?(?:\s+t="([A-Za-z]+)")?\s*'
             rb"(?:/>|><" + p + rb"v>([^<]*)</" + p + rb"v></" + p + rb"c>|>" + _body(prefix + b"c") + rb")")
    other = c + rb"(?=[\s/>])" + _ATTRS + rb"(?:/>|>" + _body(prefix + b"c") + rb")"
    row = rb"<" + p + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>"
    return re.compile(usual + b"|" + other + b"|" + row + rb"|</" + p + rb"row\s*>")


def _body(tag: bytes) -> bytes:
    """An element's content up to its end tag, unrolled (no per-character
    look for the end tag) and possessive (no backtracking)."""
    end = rb"</" + re.escape(tag) + rb"\s*>"
    return rb"([^<]*+(?:<(?!" + end[1:] + rb")[^<]*+)*+)" + end


def _attr(pattern: re.Pattern, attrs: bytes) -> bytes | None:
    m = pattern.search(attrs)
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else None


def _attrs(text: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(text)}


@cache
def _column(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _grid(title: str, parts: dict[str, bytes], part: str, styles: _Styles, strings: int,
          merged: list, values: list[list]) -> SheetGrid:
    from .xlsx import _value_text

    _xml(parts[part], "sheet")  # well-formed, as openpyxl needs it: the scan below does not check
    placed, merges = _scan(parts[part])
    if sorted(merges) != sorted((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in merged):
        raise NotSame("merged ranges differ from calamine's")
    _overlaps(merges)
    noted = [at for at in _comment_cells(parts, part) if at not in placed and not _inside(at, merges)]
    rows = max([r for r, _ in placed] + [m[2] for m in merges] + [r for r, _ in noted] + [1])
    cols = max([c for _, c in placed] + [m[3] for m in merges] + [c for _, c in noted] + [1])
    limits.check("document_cells", rows * cols)
    zero = styles.borders[0]  # a cell openpyxl creates has style 0 of each kind, not cellXfs[0]
    text = [[""] * cols for _ in range(rows)]
    filled = [[False] * cols for _ in range(rows)]
    border = [[zero] * cols for _ in range(rows)]
    agreed = 0
    for (r, c), cell in placed.items():
        xf = cell[0] or 0
        if xf >= len(styles.xf_border):
            raise NotSame(f"style {xf}")
        border[r - 1][c - 1] = styles.xf_border[xf]
        got = values[r - 1][c - 1] if r <= len(values) and c <= len(values[r - 1]) else ""
        if cell[2] is None:
            if got != "":
                raise NotSame(f"calamine reads a value at {r},{c}")
            continue
        v = _value(cell, got, styles, strings, xf, (r, c))
        agreed += got != ""
        filled[r - 1][c - 1] = True
        text[r - 1][c - 1] = _value_text(v, styles.xf_format[xf] if isinstance(v, (int, float)) else "General")
    # every cell calamine has a value in is one the scan found with a value
    if sum(len(row) - row.count("") for row in values) != agreed:
        raise NotSame("calamine reads values in cells the sheet leaves empty")
    for r1, c1, r2, c2 in merges:
        _merge(border, placed, styles, r1, c1, r2, c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    text[r - 1][c - 1], filled[r - 1][c - 1] = "", False
    return SheetGrid(title, rows, cols, merges, text, filled, [[bool(b) for b in row] for row in border])


def _comment_cells(parts: dict[str, bytes], part: str) -> list[tuple[int, int]]:
    """The cells a sheet's comments are on: openpyxl creates each that
    does not exist (an empty cell of style 0), which can widen the sheet."""
    folder, name = posixpath.split(part)
    rels = parts.get(posixpath.join(folder, "_rels", name + ".rels"))
    if rels is None:
        return []
    out = []
    for r in _xml(rels, "sheet relationships").iter(f"{{{_PKG_REL}}}Relationship"):
        if r.get("Type") != _COMMENTS_REL:
            continue
        target = r.get("Target") or ""
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        root = _xml(parts.get(target), "comments")
        authors = len(root.findall(f"{{{_MAIN}}}authors/{{{_MAIN}}}author"))
        for c in root.iter(f"{{{_MAIN}}}comment"):
            at = _COORD.fullmatch((c.get("ref") or "").encode())
            author = c.get("authorId") or ""
            if not at or not author.isdigit() or int(author) >= authors:
                raise NotSame(f"comment at {c.get('ref')!r}")
            out.append((int(at.group(2)), _column(at.group(1))))
    return out


def _inside(at: tuple[int, int], merges: list[tuple[int, int, int, int]]) -> bool:
    return any(r1 <= at[0] <= r2 and c1 <= at[1] <= c2 for r1, c1, r2, c2 in merges)


def _overlaps(merges: list[tuple[int, int, int, int]]) -> None:
    seen: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) in seen:
                    raise NotSame("overlapping merged ranges")
                seen.add((r, c))


def _merge(border: list[list[int]], placed, styles: _Styles, r1: int, c1: int, r2: int, c2: int) -> None:
    """openpyxl's MergedCellRange: the top-left cell takes the right and
    bottom sides of the bottom-right one, every other cell is made anew
    (style 0), and each side the top-left cell has is drawn along that
    edge of the range."""
    start = border[r1 - 1][c1 - 1]
    if (r2, c2) != (r1, c1) and (r2, c2) in placed:
        start |= border[r2 - 1][c2 - 1] & (RIGHT | BOTTOM)
    zero = styles.borders[0]
    for r in range(r1, r2 + 1):
        row = border[r - 1]
        row[c1 - 1:c2] = [zero] * (c2 - c1 + 1)
        row[c1 - 1] |= start & LEFT
        row[c2 - 1] |= start & RIGHT
    for c in range(c1 - 1, c2):
        border[r1 - 1][c] |= start & TOP
        border[r2 - 1][c] |= start & BOTTOM
    border[r1 - 1][c1 - 1] = start


def _value(cell: _Cell, got, styles: _Styles, strings: int, xf: int, at: tuple[int, int]):
    """The value openpyxl would read, from calamine's where they agree."""
    if isinstance(got, (date, time, timedelta)):
        raise NotSame(f"a date at {at}")
    _, kind, raw = cell
    if kind == "n":
        if styles.xf_date[xf]:
            raise NotSame(f"a number shown as a date at {at}")
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            raise NotSame(f"not a number at {at}")
        if not math.isfinite(got) or abs(got) >= 2 ** 53:
            raise NotSame(f"number {got!r} at {at}")
        if styles.xf_format[xf] is None:
            raise NotSame(f"no number format at {at}")
        return got
    if kind == "e":
        if b"&" in raw or not raw.isascii():
            raise NotSame(f"escaped error at {at}")
        return raw.decode()
    if kind == "b":
        if not isinstance(got, bool) or raw not in (b"0", b"1"):
            raise NotSame(f"not a boolean at {at}")
        return got
    if kind in ("s", "str", "inlineStr"):
        if kind == "s" and not (raw.isdigit() and int(raw) < strings):
            raise NotSame(f"shared string {raw!r} at {at}: openpyxl would not find it")
        if not isinstance(got, str):
            raise NotSame(f"not text at {at}")
        return got
    raise NotSame(f"cell type {kind!r} at {at}")
