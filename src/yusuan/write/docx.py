"""Layout → DOCX: A4, 宋体/黑体 with Latin fallbacks, heading styles Word
builds a table of contents from, tables with merged header cells repeated on
every page, amounts right-aligned, page numbers in the footer.

python-docx gives the package, styles and sections; tables are written as
WordprocessingML directly (one lxml parse per table), which is what keeps a
whole disclosure well under 100 ms.
"""

from __future__ import annotations

import re
from io import BytesIO
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from .layout import Layout, LCell, LParagraph, LTable

BODY_FONT = "宋体"  # SimSun in Word; LibreOffice maps it through fontconfig
HEAD_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"

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
# Styles that start a page: the contents and each part; a table's title
# starts one after another table (not under its part's heading, and not at
# the start of a landscape section, which starts its own page).
_NEW_PAGE = {"contents_title", "part"}


def _set_fonts(style, east_asian: str, size: int, bold: bool) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _prepare(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2)
    for name, size, bold, _ in _STYLES.values():
        style = document.styles[name]
        _set_fonts(style, HEAD_FONT if name != "Normal" else BODY_FONT, size, bold)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(6 if name != "Normal" else 0), Pt(6 if name != "Normal" else 0)
    document.styles["Normal"].paragraph_format.first_line_indent = None
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _paragraph_xml(p: LParagraph, style_ids: dict[str, str], new_page: bool = False) -> str:
    style, size, _, align = _STYLES[p.style]
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
    rpr = f'<w:rPr><w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>'
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(p.text)}</w:t></w:r></w:p>'


def _cell_xml(c: LCell, size: int, bold: bool, width: int) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if c.span > 1:
        props.append(f'<w:gridSpan w:val="{c.span}"/>')
    if c.merged:
        props.append("<w:vMerge/>")
    elif c.rowspan > 1:
        props.append('<w:vMerge w:val="restart"/>')
    props.append('<w:vAlign w:val="center"/>')
    jc = "right" if c.numeric else ("center" if bold else "left")
    rpr = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>{"<w:b/>" if bold else ""}</w:rPr>'
    lines = [""] if c.merged else (c.text.split("\n") or [""])
    paras = "".join(
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{jc}"/></w:pPr>'
        + (f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in lines
    )
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paras}</w:tc>"


def _table_xml(t: LTable, usable_width: int) -> str:
    size = 18 if t.width <= 8 else 14  # half-points: 9 pt, 7 pt for wide tables
    widths = t.column_widths(usable_width)
    repeat = t.header_rows + sum(1 for r in t.rows[: t.header_rows + 1] if r.role == "info")
    rows = []
    for i, r in enumerate(t.rows):
        trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if i < repeat and r.role != "body" else "<w:trPr><w:cantSplit/></w:trPr>"
        bold = r.role in ("header", "lanci")
        col, parts = 0, []
        for c in r.cells:
            w = sum(widths[col : col + c.span])
            parts.append(_info_cell_xml(c, size, w) if r.role == "info" else _cell_xml(c, size, bold, w))
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


def _info_cell_xml(c: LCell, size: int, width: int) -> str:
    """The info row prints without borders, like a line above the table."""
    no_border = "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "right"))
    xml = _cell_xml(c, size, False, width)
    return xml.replace("<w:tcPr>", f"<w:tcPr><w:tcBorders>{no_border}</w:tcBorders>", 1)


WIDE = 12  # tables with this many columns or more get a landscape page


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
        if isinstance(item, LTable) and item.width >= WIDE:
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
    """The contents and each part start a page, and so does a table's title
    the form starts a page with, after another table; a section break (a
    landscape table) starts one already."""
    if i == 0 or (i in wide) != (i - 1 in wide):
        return False
    style = items[i].style
    before = items[i - 1]
    return style in _NEW_PAGE or items[i].new_page and (
        isinstance(before, LTable) or isinstance(before, LParagraph) and before.style == "note")


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
    # python-docx costs several times more.
    fragment = parse_xml(f'<w:body {nsdecls("w")}>{"".join(parts)}</w:body>')
    body = document.element.body
    sect_pr = body[-1]
    body.remove(sect_pr)
    body.extend(list(fragment))
    body.append(sect_pr)
    document.core_properties.title = lay.title
    out = BytesIO()
    document.save(out)
    return out.getvalue()
