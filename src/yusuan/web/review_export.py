"""The review of one document as a file a reviewer sends back to the
department: who and what it is about, the findings the reviewer confirmed
first, those still open, then the dismissed ones apart with the notes that
say why they were set aside."""

from __future__ import annotations

import io
from typing import Any

from ..audit.report import group_of
from .finding_view import SEVERITY_ZH, as_finding

KIND_ZH = {"budget": "预算", "final_accounts": "决算"}
PARTS = (("confirmed", "一、已确认的问题"), ("open", "二、尚待复核的问题"), ("dismissed", "三、已排除的问题"))
HEAD = ("序号", "级别", "规则", "问题", "位置", "复核意见", "复核人")
WIDTHS_CM = (1.3, 1.2, 1.3, 9.3, 5.6, 5.4, 1.6)  # a landscape A4 page between 2 cm margins


def _where(f: dict[str, Any]) -> str:
    """The table or section, then the place within it, in the audit's words."""
    finding = as_finding(f)
    return "，".join(p for p in (group_of(finding), finding.where(within_group=True)) if p)


def title(doc: dict[str, Any]) -> str:
    return f"{doc['department'] or doc['file_name']}{doc['year'] or ''}年部门{KIND_ZH.get(doc['kind'], '')}公开审核意见"


def _parts(findings: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, ...]]]]:
    """(part heading, its rows) with the rows as printed in either file."""
    out = []
    for status, heading in PARTS:
        rows = []
        for f in (f for f in findings if f["review"].status == status):
            r = f["review"]
            rows.append((str(len(rows) + 1), SEVERITY_ZH[f["severity"]], f["rule"], f["message"],
                         _where(f), r.note or "", r.reviewer or ""))
        out.append((heading, rows))
    return out


def _lead(doc: dict[str, Any]) -> list[str]:
    return [f"文件：{doc['file_name']}",
            f"部门：{doc['department'] or '—'}　年度：{doc['year'] or '—'}　类型：{KIND_ZH.get(doc['kind'], doc['kind'] or '—')}"]


def to_docx(doc: dict[str, Any], findings: list[dict[str, Any]]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm

    out = Document()
    page = out.sections[0]
    # the message and the place need room: a landscape page
    page.orientation, page.page_width, page.page_height = WD_ORIENT.LANDSCAPE, Cm(29.7), Cm(21)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Cm(2)
    style = out.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # Word takes Chinese text's font from here
    out.add_heading(title(doc), level=1)
    for line in _lead(doc):
        out.add_paragraph(line)
    for heading, rows in _parts(findings):
        out.add_heading(heading, level=2)
        if not rows:
            out.add_paragraph("无。")
            continue
        table = out.add_table(rows=1, cols=len(HEAD))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, WIDTHS_CM):
            column.width = Cm(width)  # the grid LibreOffice lays out by; Word reads each cell's own
        for values in (HEAD, *rows):
            cells = table.rows[0].cells if values is HEAD else table.add_row().cells
            for cell, text, width in zip(cells, values, WIDTHS_CM):
                cell.text, cell.width = text, Cm(width)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def to_xlsx(doc: dict[str, Any], findings: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审核意见"
    ws.append([title(doc)])
    ws["A1"].font = Font(bold=True, size=14)
    for line in _lead(doc):
        ws.append([line])
    for heading, rows in _parts(findings):
        ws.append([])
        ws.append([heading])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(list(HEAD) if rows else ["无。"])
        for row in rows:
            ws.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFG", (6, 6, 6, 60, 30, 30, 10)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=len(_lead(doc)) + 2):
        for cell in row:
            cell.alignment = wrap
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
