"""Layout → DOCX: A4, Chinese (zh-CN) text in 宋体/黑体 with their Latin
companions named on every style and run, heading styles Word builds a table
of contents from, each standard table on a page of its own, tables with
merged header cells repeated on every page, columns as wide as their codes
and amounts need, 款/项/其中 lines indented, amounts right-aligned, page
numbers in the footer.

python-docx gives the package, styles and sections; tables are written as
WordprocessingML directly (one lxml parse per table), which is what keeps a
whole disclosure well under 100 ms.
"""

from __future__ import annotations

import re
from copy import deepcopy
from io import BytesIO
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from .layout import Layout, LCell, LParagraph, LRow, LTable, fit_spans, text_units
from .text_safety import xml_text

BODY_FONT = "宋体"  # SimSun in Word; LibreOffice maps it through fontconfig
HEAD_FONT = "黑体"  # SimHei
# Digits and Latin letters: named on every run as well as on the styles, so
# that LibreOffice never falls back to its default (DejaVu, wider: codes
# wrapped). Times New Roman and Arial are what Word has; LibreOffice prints
# them in their metric twins Liberation Serif and Liberation Sans.
LATIN_FONT = "Times New Roman"
HEAD_LATIN_FONT = "Arial"
LANGUAGE = "zh-CN"
# (East Asian, Latin) font of each kind of text
_FONTS = {False: (BODY_FONT, LATIN_FONT), True: (HEAD_FONT, HEAD_LATIN_FONT)}

_STYLES = {
    # layout style → (Word style, size pt, bold, alignment)
    "cover": ("Title", 26, True, "center"),
    "contents_title": ("TOC Heading", 16, True, "center"),
    "contents": ("Normal", 12, False, None),
    "table_title": ("Heading 1", 16, True, "center"),
    "part": ("Heading 1", 16, True, "center"),
    "title": ("Title", 18, True, "center"),
    "heading": ("Heading 2", 14, True, None),
    "subheading": ("Heading 3", 12, True, None),
    "caption": ("Caption", 12, True, "center"),
    "info": ("Normal", 9, False, "right"),
    "note": ("Normal", 9, False, None),
    "body": ("Normal", 12, False, None),
}
# Styles that start a page: the contents and each part; a standard table's
# title starts one too (layout `new_page`), except under its part's heading
# and at the start of a landscape section, which starts its own page.
_NEW_PAGE = {"contents_title", "part"}


def _name_fonts(rpr, east_asian: str, latin: str) -> None:
    """Name both fonts on an rPr, replacing the template's theme fonts
    (Calibri/Cambria, which LibreOffice does not have)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes in the Chinese font, as Chinese text prints them


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_style(style, size: int, bold: bool) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    _name_fonts(rpr, *_FONTS[style.name != "Normal"])
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is not None:  # the template's Title keeps 26 pt for complex scripts otherwise
        size_cs.set(qn("w:val"), str(size * 2))
    ppr = style.element.find(qn("w:pPr"))
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is not None:  # the template's Title underlines itself with a blue rule
        ppr.remove(border)


def _prepare(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_fonts(defaults, BODY_FONT, LATIN_FONT)
    _set_language(defaults)
    for name, size, bold, _ in _STYLES.values():
        style = document.styles[name]
        _set_style(style, size, bold)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(6 if name != "Normal" else 0), Pt(6 if name != "Normal" else 0)
    document.styles["Normal"].paragraph_format.first_line_indent = None
    _set_language(document.styles["Normal"].element.get_or_add_rPr())
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _run_props(size: int, bold: bool, head: bool) -> str:
    east, latin = _FONTS[head]
    fonts = f'<w:rFonts w:hint="eastAsia" w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/>'
    return f'<w:rPr>{fonts}{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def _paragraph_xml(p: LParagraph, style_ids: dict[str, str], new_page: bool = False) -> str:
    style, size, bold, align = _STYLES[p.style]
    props = []
    if style != "Normal":
        props.append(f'<w:pStyle w:val="{style_ids[style]}"/>')
    if new_page:
        props.append("<w:pageBreakBefore/>")
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    elif p.style == "body":
        props.append('<w:ind w:firstLine="480"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    # several layout styles share a Word style (Title, Normal): the size is the run's
    rpr = _run_props(size * 2, bold, style != "Normal")
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(p.text)}</w:t></w:r></w:p>'


# Cells whose text must stay on one line: a code or an amount broken in two
# reads as two numbers. Their columns are made wide enough (LTable.measure);
# noWrap says so to Word as well.
_UNBROKEN = {"seq", "code", "amount", "number"}
_NO_BORDER = "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "right"))


def _cell_xml(c: LCell, size: int, bold: bool, width: int, info: bool = False, align: str | None = None) -> str:
    # tcPr children in the order the schema fixes
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if c.span > 1:
        props.append(f'<w:gridSpan w:val="{c.span}"/>')
    if c.merged:
        props.append("<w:vMerge/>")
    elif c.rowspan > 1:
        props.append('<w:vMerge w:val="restart"/>')
    if info:  # the info row prints without borders, like a line above the table
        props.append(f"<w:tcBorders>{_NO_BORDER}</w:tcBorders>")
    if c.numeric or c.kind in _UNBROKEN:
        props.append("<w:noWrap/>")
    props.append('<w:vAlign w:val="center"/>')
    jc = align or ("right" if c.numeric else ("center" if bold else "left"))
    ind = f'<w:ind w:left="{c.indent * size * 10}"/>' if c.indent else ""  # a character (size half-points) a level
    rpr = _run_props(size, bold, False)
    lines = [""] if c.merged else (c.text.split("\n") or [""])
    paras = "".join(
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{ind}<w:jc w:val="{jc}"/></w:pPr>'
        + (f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in lines
    )
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paras}</w:tc>"


# Type sizes a table may print in (half-points): the largest its columns fit
# in, from 9 pt down to 7 pt.
_SIZES = (18, 16, 14)
_PER_UNIT = 0.55  # ems per half-width unit: a Chinese character 1.1 em, a digit 0.55 (Liberation 0.5, DejaVu 0.64)
_CELL_PAD = 200  # dxa: the cell margins (40 + 40), the rules, and air between an amount and its rule


def _table_size(t: LTable, usable: int) -> int:
    return next((s for s in _SIZES if t.fits(usable, s * 10 * _PER_UNIT, _CELL_PAD)), _SIZES[-1])


def _info_xml(r: LRow, size: int, widths: list[int]) -> str:
    """The info line as the forms print it: the department on the left, the
    year in the middle, the unit on the right, each given the columns its
    text needs (run together, a reader takes them for one)."""
    per_unit = size * 10 * _PER_UNIT
    spans = fit_spans([text_units(c.text) * per_unit + 2 * _CELL_PAD for c in r.cells], widths, [c.span for c in r.cells])
    n, col, parts = len(r.cells), 0, []
    for k, (c, span) in enumerate(zip(r.cells, spans)):
        align = "left" if k == 0 or n == 1 else "right" if k == n - 1 else "center"
        parts.append(_cell_xml(LCell(c.text, span=span), size, False, sum(widths[col:col + span]), info=True, align=align))
        col += span
    return "".join(parts)


def _table_xml(t: LTable, usable_width: int) -> str:
    size = _table_size(t, usable_width)
    widths = t.column_widths(usable_width, size * 10 * _PER_UNIT, _CELL_PAD)
    repeat = t.header_rows + sum(1 for r in t.rows[: t.header_rows + 1] if r.role == "info")
    rows = []
    for i, r in enumerate(t.rows):
        trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if i < repeat and r.role != "body" else "<w:trPr><w:cantSplit/></w:trPr>"
        bold = r.role in ("header", "lanci")
        if r.role == "info":
            rows.append(f"<w:tr>{trpr}{_info_xml(r, size, widths)}</w:tr>")
            continue
        col, parts = 0, []
        for c in r.cells:
            w = sum(widths[col : col + c.span])
            parts.append(_cell_xml(c, size, bold, w))
            col += c.span
        cells = "".join(parts)
        rows.append(f"<w:tr>{trpr}{cells}</w:tr>")
    borders = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        f'<w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _section_breaks(document) -> tuple[str, str]:
    """The paragraph that ends a portrait section and the one that ends a
    landscape section, both with the document's margins and footer."""
    portrait = etree.tostring(document.element.body[-1], encoding="unicode")
    landscape = re.sub(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', r'<w:pgSz w:w="\2" w:h="\1" w:orient="landscape"', portrait)
    return f"<w:p><w:pPr>{portrait}</w:pPr></w:p>", f"<w:p><w:pPr>{landscape}</w:pPr></w:p>"


def _wide_runs(items) -> set[int]:
    """Indexes of the items printed on landscape pages: a wide table with
    the title paragraph above it and the notes below it."""
    out: set[int] = set()
    for i, item in enumerate(items):
        if isinstance(item, LTable) and item.wide:
            start = i
            while start > 0 and isinstance(items[start - 1], LParagraph) and items[start - 1].style in (
                    "table_title", "caption", "info"):
                start -= 1
            end = i
            while end + 1 < len(items) and isinstance(items[end + 1], LParagraph) and items[end + 1].style == "note":
                end += 1
            out.update(range(start, end + 1))
    return out


def _starts_page(items, i: int, wide: set[int]) -> bool:
    """The contents and each part start a page, and so does each standard
    table's title — but not right under its part's heading, which has just
    started one; a section break (a landscape table) starts one already."""
    if i == 0 or (i in wide) != (i - 1 in wide):
        return False
    style = items[i].style
    before = items[i - 1]
    return style in _NEW_PAGE or items[i].new_page and not (
        isinstance(before, LParagraph) and before.style in _NEW_PAGE)


def write_docx(lay: Layout) -> bytes:
    document = docx.Document()
    _prepare(document)
    sec = document.sections[0]
    usable = int((sec.page_width - sec.left_margin - sec.right_margin) / 635)  # EMU → dxa (twentieths of a point)
    wide_usable = int((sec.page_height - sec.left_margin - sec.right_margin) / 635)
    style_ids = {name: document.styles[name].style_id for name, *_ in _STYLES.values()}
    end_portrait, end_landscape = _section_breaks(document)
    wide = _wide_runs(lay.items)
    parts = []
    for i, item in enumerate(lay.items):
        if i in wide and i - 1 not in wide and i > 0:
            parts.append(end_portrait)
        if isinstance(item, LParagraph):
            parts.append(_paragraph_xml(item, style_ids, _starts_page(lay.items, i, wide)))
        else:
            # Word needs a paragraph between two tables, or merges them.
            parts += [_table_xml(item, wide_usable if i in wide else usable), "<w:p/>"]
        if i in wide and i + 1 not in wide:
            parts.append(end_landscape)
    # One parse for the whole body: building it element by element through
    # python-docx costs several times more. The markup around the text has
    # no control characters, so the body is cleaned in one pass.
    fragment = parse_xml(xml_text(f'<w:body {nsdecls("w")}>{"".join(parts)}</w:body>'))
    body = document.element.body
    sect_pr = body[-1]
    body.remove(sect_pr)
    # Copies, not the parsed elements themselves: moving an element from
    # one lxml document into another grows with the square of the body
    # (30 s at 1,000 rows per table); a copy is linear and writes the same
    # bytes.
    body.extend(deepcopy(e) for e in fragment)
    body.append(sect_pr)
    document.core_properties.title = xml_text(lay.title)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
