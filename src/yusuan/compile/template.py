"""`yusuan template DIR`: an empty input workbook with instructions in
Chinese, every sheet, column and instruction generated from
`data/compile_inputs.yaml`.

An officer's filled workbook is never replaced: when `budget.xlsx` is
already there the fresh template goes to the first free name beside it
(budget.new.xlsx, budget.new.2.xlsx, …), created exclusively so not even a
race can overwrite a file, and atomically (output.write_new) so a full disk
leaves no half-written workbook behind.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from ..output import OutputError, write_new
from .spec import NEED_ZH, SheetDef, input_spec

TEXT_FORMAT = "@"  # keeps codes (2100101) and percentages (25%) as typed


@dataclass(frozen=True, slots=True)
class TemplateFiles:
    written: list[Path]  # the new template
    kept: list[Path]  # input files already there, left untouched


def _guide(ws, spec) -> None:
    bold = Font(bold=True)
    ws.append(["填写说明（yusuan 部门预算公开编制输入）"])
    ws["A1"].font = Font(bold=True, size=14)
    for n, line in enumerate(spec.instructions, start=1):
        ws.append([f"{n}. {line}"])
    for name, sheet in spec.sheets.items():
        ws.append([])
        ws.append([f"「{name}」", sheet.purpose, "必填" if sheet.need == "required" else NEED_ZH[sheet.need]])
        ws.cell(ws.max_row, 1).font = bold
        ws.append(["字段", "名称", "是否必填", "说明", YAML_HEADING])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for col in sheet.columns:
            ws.append([col.code, col.label, NEED_ZH[col.need], col.explained(), _yaml_key(sheet, col.key)])
        if sheet.items:
            ws.append(["项目", "", "是否必填", "说明", YAML_HEADING])
            for cell in ws[ws.max_row]:
                cell.font = bold
            for item in sheet.items:
                key = item.key if sheet.kind == "items" else f"{sheet.key}.{item.key}"
                ws.append([item.label, "", NEED_ZH[item.need], _item_help(item), key])
    for letter, width in zip("ABCDE", (22, 34, 10, 110, 34)):
        ws.column_dimensions[letter].width = width


YAML_HEADING = "disclosure.yaml 中的键"


def _yaml_key(sheet: SheetDef, key: str | None) -> str | None:
    """Where the same value goes in disclosure.yaml, for the text sheets."""
    if not sheet.key or not key or sheet.kind != "rows":
        return None
    if sheet.key == "indicators":
        if key == "code":
            return None
        fields = [c.key for c in sheet.read_columns() if c.key != "code"]
        return f"projects[].indicators[][{fields.index(key)}]"
    if sheet.key == "glossary":
        return f"glossary[][{[c.key for c in sheet.read_columns()].index(key)}]"
    return f"{sheet.key}[].{key}"


def _item_help(item) -> str:
    if item.many:  # the data's help says what a row holds; how to add rows is the same for all
        return f"{item.help}（可多行，下一行项目名称可留空）"
    return item.help


def _sheet(ws, sheet: SheetDef) -> None:
    for n, col in enumerate(sheet.columns, start=1):
        code = ws.cell(row=1, column=n, value=col.code)
        code.font = Font(bold=True)
        if col.explained():
            code.comment = Comment(col.explained(), "yusuan")
        ws.cell(row=2, column=n, value=col.label).alignment = Alignment(wrap_text=True)
        letter = code.column_letter
        ws.column_dimensions[letter].width = 80 if col.code == "TEXT" else 60 if col.code == "NOTE" else 20
        if col.type in ("text", "code", "percent", "choice"):
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        if col.type == "choice":
            listed = ",".join(k for k, _ in col.choices)
            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            dv.error, dv.errorTitle = f"可填：{listed}", col.label
            ws.add_data_validation(dv)
            dv.add(f"{letter}3:{letter}1048576")
    for r, item in enumerate(sheet.items, start=3):
        ws.cell(row=r, column=1, value=item.label)
        if sheet.kind == "items":
            ws.cell(row=r, column=3, value="；".join(p for p in (NEED_ZH[item.need], _item_help(item)) if p))
    ws.freeze_panes = "A3"


def workbook_bytes() -> bytes:
    spec = input_spec()
    wb = Workbook()
    _guide(wb.active, spec)
    wb.active.title = spec.guide_sheet
    for name, sheet in spec.sheets.items():
        _sheet(wb.create_sheet(name), sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _free_name(directory: Path, name: str) -> Path:
    stem, suffix = name.rsplit(".", 1)
    n = 1
    while True:
        candidate = directory / (f"{stem}.new.{suffix}" if n == 1 else f"{stem}.new.{n}.{suffix}")
        if not os.path.lexists(candidate):  # a dangling symlink is taken too
            return candidate
        n += 1


def write_template(directory: Path) -> TemplateFiles:
    """Write the empty workbook, never over an existing file. Raises
    OutputError when it cannot be written."""
    spec = input_spec()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError.say("not_a_folder", directory / spec.workbook, folder=str(directory)) from None
    except OSError as e:
        raise OutputError.say("cannot_write", directory / spec.workbook, reason=e.strerror or e) from None
    inputs = [spec.workbook, spec.text_file, *(f"{s}.csv" for s in spec.sheets)]
    kept = [directory / name for name in inputs if (directory / name).exists()]
    data = workbook_bytes()
    target = directory / spec.workbook
    while True:
        try:
            write_new(target, data)
            break
        except OutputError as e:
            if e.key not in ("exists_kept", "is_directory"):
                raise
            # taken, perhaps between the look and the write: the next free name
            target = _free_name(directory, spec.workbook)
    return TemplateFiles(written=[target], kept=kept)
