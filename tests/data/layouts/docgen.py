"""Document model and writers for build.py: paragraphs and tables written to
DOCX (python-docx) and to the Tika-like text format, amounts formatted as the
disclosures print them, PDF through LibreOffice, and the expected.yaml dumper."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# --------------------------------------------------------------------------
# A small document model: paragraphs and tables, written to DOCX and to the
# Tika-like text format.
# --------------------------------------------------------------------------


@dataclass
class C:
    """A table cell: `span` grid columns wide, `rows` rows tall."""
    text: str | tuple[str, ...] = ""
    span: int = 1
    rows: int = 1
    align: str | None = None     # left | center | right
    bold: bool = False
    size: float | None = None    # pt
    tab_right: bool = False      # a right tab stop at the cell's right edge
    indent: float = 0.0          # left indent of the text, cm


@dataclass
class R:
    cells: list[C]
    header: bool = False         # repeated on every page (w:tblHeader)
    height: float | None = None  # cm, at least


@dataclass
class Table:
    widths: list[float]          # cm per grid column
    rows: list[R]
    size: float = 9.0
    height: float = 0.55


@dataclass
class P:
    text: str
    style: str = "body"          # cover | cover2 | toc_title | toc | heading | title | sub | body | note | label | blank
    page_break: bool = False


@dataclass
class Section:
    """A new-page section break: the blocks after it are set on pages of
    this orientation (the Shanghai 决算 turns pages for its wide tables)."""
    landscape: bool
    margin: float = 1.8


@dataclass
class Doc:
    landscape: bool = True
    margin: float = 1.8
    blocks: list = field(default_factory=list)

    def p(self, text, style="body", page_break=False):
        self.blocks.append(P(text, style, page_break))

    def t(self, table):
        self.blocks.append(table)

    def section(self, landscape, margin=1.8):
        self.blocks.append(Section(landscape, margin))


def layout(tbl: Table):
    """Place the cells on the grid. Returns (occupied, origins):
    occupied[(r, c)] = (r0, c0) of the cell covering that slot."""
    ncols = len(tbl.widths)
    occupied: dict[tuple[int, int], tuple[int, int]] = {}
    origins = []
    for r, row in enumerate(tbl.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in occupied:
                c += 1
            assert c + cell.span <= ncols, (r, c, cell.text)
            for dr in range(cell.rows):
                for dc in range(cell.span):
                    assert (r + dr, c + dc) not in occupied, (r, c, cell.text)
                    occupied[(r + dr, c + dc)] = (r, c)
            origins.append((r, c, cell))
            c += cell.span
        for cc in range(ncols):
            assert (r, cc) in occupied, f"row {r} col {cc} empty: {[x.text for x in row.cells]}"
    return occupied, origins


def tika_lines(tbl: Table) -> list[str]:
    """The table as Apache Tika prints a Word table: one TAB line per cell,
    a horizontally merged cell once, a vertically merged continuation as an
    empty cell, each row closed by an empty line, one more after the table."""
    occupied, origins = layout(tbl)
    cells = {(r, c): cell for r, c, cell in origins}
    ncols = len(tbl.widths)
    out = []
    for r in range(len(tbl.rows)):
        c = 0
        while c < ncols:
            r0, c0 = occupied[(r, c)]
            cell = cells[(r0, c0)]
            if r0 == r:
                paras = cell.text if isinstance(cell.text, tuple) else (cell.text,)
                out.append("\t" + paras[0])
                out.extend(paras[1:])
            else:
                out.append("\t")
            c = c0 + cell.span
        out.append("")
    out.append("")
    return out


def write_txt(doc: Doc, path: Path):
    lines = []
    for b in doc.blocks:
        if isinstance(b, P):
            if b.style != "blank":
                lines.append(b.text)
        elif isinstance(b, Table):
            lines.extend(tika_lines(b))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


PSTYLE = {  # size pt, bold, align, east-asian font, first-line indent (chars)
    "cover": (22, True, "center", "黑体", 0),
    "cover2": (16, False, "center", "宋体", 0),
    "toc_title": (16, True, "center", "黑体", 0),
    "toc": (12, False, "left", "宋体", 2),
    "heading": (16, True, "center", "黑体", 0),
    "title": (15, True, "center", "黑体", 0),
    "sub": (12, True, "left", "黑体", 2),
    "body": (11, False, "left", "宋体", 2),
    "note": (10, False, "left", "宋体", 0),
    "label": (10, True, "left", "黑体", 0),
    "blank": (6, False, "left", "宋体", 0),
    # the Shanghai 决算
    "cover_line": (22, True, "center", "黑体", 0),
    "part": (16, True, "center", "黑体", 0),
    "toc_part": (12, True, "left", "黑体", 0),
    "toc_item": (12, False, "left", "宋体", 0),
    "h1": (12, True, "left", "黑体", 2),
    "h2": (12, True, "left", "黑体", 2),
    "book_title": (16, True, "center", "黑体", 0),
    "table_title": (12, False, "center", "宋体", 0),
    "unit": (10, False, "right", "宋体", 0),
}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _font(run, size, bold=False, east="宋体"):
    """`bold` text is set in 黑体, as Chinese documents do, not with w:b: one
    CJK face fewer to embed keeps the PDFs small."""
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east)


def _tight(par):
    pf = par.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def write_docx(doc: Doc, path: Path, title: str):
    d = Document()
    d.core_properties.title = title
    d.core_properties.author = "yusuan test data (fictional)"
    d.core_properties.comments = "Generated by tests/data/layouts/build.py; every name and amount is invented."
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    sec = d.sections[0]
    w, h = Cm(21.0), Cm(29.7)
    if doc.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = h, w
    _page(sec, doc.landscape, doc.margin)
    # drop the template's empty first paragraph
    for par in list(d.paragraphs):
        par._element.getparent().remove(par._element)
    prev_table = False
    for b in doc.blocks:
        if isinstance(b, Section):
            # the paragraph that closes the previous section also keeps two tables apart
            _page(d.add_section(WD_SECTION.NEW_PAGE), b.landscape, b.margin)
            prev_table = False
            continue
        if isinstance(b, P):
            size, bold, align, east, indent = PSTYLE[b.style]
            par = d.add_paragraph()
            _tight(par)
            pf = par.paragraph_format
            pf.alignment = ALIGN[align]
            if b.style in ("heading", "title", "toc_title", "cover", "part", "book_title", "table_title", "h1",
                           "h2", "unit"):
                pf.space_after = Pt(8)
                pf.keep_with_next = True
            if b.style == "cover":
                pf.space_before = Pt(150)
            if b.style in ("body", "sub", "toc", "note", "h1", "h2", "toc_item", "toc_part"):
                pf.line_spacing = 1.25
            if b.style in ("part", "book_title"):
                pf.space_after = Pt(12)
            if b.style in ("table_title", "unit"):
                pf.space_after = Pt(2)
            if indent:
                pf.first_line_indent = Pt(size * indent)
            if b.page_break:
                pf.page_break_before = True
            if b.text:
                _font(par.add_run(b.text), size, bold, east)
            prev_table = False
        else:
            if prev_table:  # two tables in a row would merge in Word
                _tight(d.add_paragraph())
            _add_table(d, b)
            prev_table = True
    d.save(path)


def _page(sec, landscape: bool, margin: float):
    w, h = Cm(21.0), Cm(29.7)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        w, h = h, w
    sec.page_width, sec.page_height = w, h
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(margin))


def _add_table(d, tbl: Table):
    occupied, origins = layout(tbl)
    ncols = len(tbl.widths)
    t = d.add_table(rows=len(tbl.rows), cols=ncols)
    t.style = d.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblPr = t._tbl.tblPr
    lay = OxmlElement("w:tblLayout")
    lay.set(qn("w:type"), "fixed")
    tblPr.append(lay)
    for gc, wcm in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), tbl.widths):
        gc.set(qn("w:w"), str(int(wcm * 567)))
    for r, row in enumerate(tbl.rows):
        tr = t.rows[r]._tr
        trPr = tr.get_or_add_trPr()
        cs = OxmlElement("w:cantSplit")
        trPr.append(cs)
        if row.header:
            trPr.append(OxmlElement("w:tblHeader"))
        hgt = OxmlElement("w:trHeight")
        hgt.set(qn("w:val"), str(int((row.height or tbl.height) * 567)))
        hgt.set(qn("w:hRule"), "atLeast")
        trPr.append(hgt)
    for r, c, cell in origins:
        if cell.span > 1 or cell.rows > 1:
            t.cell(r, c).merge(t.cell(r + cell.rows - 1, c + cell.span - 1))
    for r, c, cell in origins:
        tc = t.cell(r, c)
        tc.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paras = cell.text if isinstance(cell.text, tuple) else (cell.text,)
        header = tbl.rows[r].header
        align = cell.align or ("center" if header else ("right" if _is_amount(paras[0]) else "left"))
        for i, text in enumerate(paras):
            par = tc.paragraphs[0] if i == 0 else tc.add_paragraph()
            _tight(par)
            size, bold = cell.size or tbl.size, cell.bold
            if cell.tab_right:  # a title cell: the title, then 部门：…<TAB>单位：…
                if i == 0:
                    align, size, bold = "center", 18, True
                    par.paragraph_format.space_after = Pt(6)
                else:
                    align = "left"
                    par.paragraph_format.tab_stops.add_tab_stop(
                        Cm(sum(tbl.widths[c:c + cell.span]) - 0.3), WD_TAB_ALIGNMENT.RIGHT)
            par.paragraph_format.alignment = ALIGN[align]
            if cell.indent:
                par.paragraph_format.left_indent = Cm(cell.indent)
            if text:
                _font(par.add_run(text), size, bold, "黑体" if bold else "宋体")
    # every tc (merged ones too) gets the width of the columns it spans
    for tr in t._tbl.tr_lst:
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tcw = tc.get_or_add_tcPr().find(qn("w:tcW"))
            if tcw is None:
                tcw = OxmlElement("w:tcW")
                tc.tcPr.insert(0, tcw)
            tcw.set(qn("w:w"), str(int(sum(tbl.widths[c:c + span]) * 567)))
            tcw.set(qn("w:type"), "dxa")
            c += span


_AMOUNT = re.compile(r"^-?[\d,]+\.\d\d$")


def _is_amount(s: str) -> bool:
    return bool(_AMOUNT.match(s or ""))


class Expect:
    """What a document's tables hold, for <name>.expected.yaml."""

    def __init__(self):
        self.tables: dict[str, dict] = {}
        self.samples: list[dict] = []

    def table(self, tid, title, unit, codes, rows, **extra):
        cells = sum(1 for r in rows for x in r if _is_amount(x))
        self.tables[tid] = {"title": title, "unit": unit, "codes": list(codes), "amount_cells": cells, **extra}

    def sample(self, table, key, column, value, side=None):
        s = {"table": table, "code" if re.fullmatch(r"\d{3,7}", key) else "item": key}
        s.update({"side": side} if side else {})
        s.update(column=column, value=value)
        self.samples.append(s)


# --------------------------------------------------------------------------
# Number formatting
# --------------------------------------------------------------------------

CENT = Decimal("0.01")


def fmt(d: Decimal | int | None) -> str:
    """1234567.8 → '1,234,567.80'; zero → '' (an empty cell)."""
    if d is None:
        return ""
    d = Decimal(d).quantize(CENT)
    if d == 0:
        return ""
    return f"{d:,.2f}"


def yuan(n: int) -> str:
    return fmt(Decimal(n))


def wan(n: int) -> Decimal:
    """元 (a multiple of 100) → 万元, exact."""
    assert n % 100 == 0, n
    return (Decimal(n) / 10000).quantize(CENT)


def wtext(d: Decimal) -> str:
    """An amount in the explanation: '1,234.56万元', zero '0万元'."""
    d = Decimal(d).quantize(CENT)
    return "0万元" if d == 0 else f"{d:,.2f}万元"


def change(now: Decimal, before: Decimal, prev_year: int, unit="万元") -> str:
    diff = (now - before).quantize(CENT)
    if diff == 0:
        return f"与{prev_year}年预算持平"
    word = "增加" if diff > 0 else "减少"
    return f"比{prev_year}年预算{word}{abs(diff):,.2f}{unit}"


CN = "一二三四五六七八九十"


def cn_num(i: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十."""
    if i <= 10:
        return CN[i - 1]
    if i < 20:
        return "十" + CN[i - 11]
    tens, ones = divmod(i, 10)
    return CN[tens - 1] + "十" + (CN[ones - 1] if ones else "")


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

# LibreOffice 7 embeds OpenType/CFF fonts (Noto Sans CJK) as Type 1 subsets
# that do not compress (~300 bytes a glyph). With fontTools (pip install
# fonttools) the build converts the glyphs the documents use to a TrueType
# font, which embeds at half the size; without it the PDFs come out larger.
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
COMPACT = "YusuanTestCJK"


def compact_font(text: str, folder: Path, smaller: bool = False) -> str | None:
    """`smaller`: outlines scaled to 250 units per em (most coordinate steps
    then fit in one byte: a fifth smaller, no visible change at 9-16 pt) and
    only the name records a font needs (1-6), for documents with many glyphs."""
    try:
        from fontTools import subset
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        from fontTools.ttLib import TTCollection, newTable
    except ImportError:
        print("fontTools not found: the PDFs embed Noto Sans CJK as Type 1 and come out larger", file=sys.stderr)
        return None
    if not Path(NOTO).exists():
        return None
    font = next(f for f in TTCollection(NOTO).fonts if f["name"].getDebugName(1).endswith(" SC"))
    opts = subset.Options()
    opts.layout_features, opts.name_IDs, opts.hinting, opts.desubroutinize = [], ["*"], False, True
    if smaller:
        opts.name_IDs, opts.name_languages = [1, 2, 3, 4, 5, 6], [0x409]
    sub = subset.Subsetter(opts)
    sub.populate(text=text + "".join(map(chr, range(32, 127))) + "，。：；、（）“”《》！？％—…·〔〕")
    sub.subset(font)
    glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 5.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for a in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
              "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, a, 1 if a == "maxZones" else 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    if smaller:
        from fontTools.ttLib.scaleUpem import scale_upem
        scale_upem(font, 250)
    for rec in font["name"].names:
        if rec.nameID in (1, 4, 16):
            rec.string = COMPACT
        elif rec.nameID == 6:
            rec.string = COMPACT + "-Regular"
    font.save(folder / f"{COMPACT}.ttf")
    return COMPACT


def fonts_conf(folder: Path, family: str) -> str:
    """宋体, 黑体 and Times New Roman all set in one face: one font to embed."""
    match = "".join(f"""  <match target="pattern"><test name="family"><string>{f}</string></test>\
<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit></match>
""" for f in ("宋体", "黑体", "Times New Roman"))
    return f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{folder}</dir>
{match}</fontconfig>
"""


class PdfMaker:
    """docx → pdf with LibreOffice, in a private profile and font setup."""

    def __init__(self, text: str, smaller: bool = False):
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not self.soffice:
            raise SystemExit("LibreOffice (soffice) not found; run with --no-pdf")
        self.tmp = Path(tempfile.mkdtemp(prefix="yusuan-layouts-"))
        family = compact_font(text, self.tmp, smaller) or "Noto Sans CJK SC"
        (self.tmp / "fonts.conf").write_text(fonts_conf(self.tmp, family), encoding="utf-8")

    def __call__(self, docx: Path, pdf: Path):
        env = dict(os.environ, FONTCONFIG_FILE=str(self.tmp / "fonts.conf"), HOME=str(self.tmp))
        work = self.tmp / "work"
        work.mkdir(exist_ok=True)
        src = work / (pdf.stem + ".docx")
        shutil.copy(docx, src)
        subprocess.run([self.soffice, f"-env:UserInstallation=file://{self.tmp}/profile", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(src)],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        shutil.move(work / (pdf.stem + ".pdf"), pdf)

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def doc_text(*docs: Doc) -> str:
    chars = set()
    for doc in docs:
        for b in doc.blocks:
            if isinstance(b, P):
                chars.update(b.text)
            elif isinstance(b, Table):
                for row in b.rows:
                    for cell in row.cells:
                        chars.update("".join(cell.text) if isinstance(cell.text, tuple) else cell.text)
    return "".join(sorted(chars))


# --------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style, except flat lists of short scalars and flat mappings
    (samples), which read better on one line."""

    def represent_sequence(self, tag, seq, flow_style=None):
        flat = all(not isinstance(x, (list, dict)) and len(str(x)) <= 12 for x in seq)
        return super().represent_sequence(tag, seq, flow_style=flat)

    def represent_mapping(self, tag, mapping, flow_style=None):
        flat = all(not isinstance(v, (list, dict)) for v in mapping.values()) and \
            sum(len(str(k)) + len(str(v)) for k, v in mapping.items()) < 90
        return super().represent_mapping(tag, mapping, flow_style=flat)


def dump_yaml(data, path: Path, header: str):
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    assert yaml.safe_load(text) == data
    path.write_text(header + text, encoding="utf-8")
