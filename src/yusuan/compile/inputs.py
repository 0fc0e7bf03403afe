"""The compile input set: a workbook `budget.xlsx` (or the same sheets as CSV
files) and `disclosure.yaml`, read and checked cell by cell. Every problem is
a `CompileError` naming the file, sheet, row and column."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

WORKBOOK = "budget.xlsx"
TEXT = "disclosure.yaml"

# sheet → its columns (required ones first); the same names serve as CSV file
# names (支出明细.csv …) and column headers.
SHEETS: dict[str, dict[str, str]] = {
    "支出明细": {
        "MOF_DIV_CODE": "财政区划代码",
        "FISCAL_YEAR": "预算年度",
        "AGENCY_CODE": "单位代码",
        "AGENCY_NAME": "单位名称",
        "EXP_FUNC_CODE": "支出功能分类科目编码（7位）",
        "DEP_BGT_ECO_CODE": "部门预算支出经济分类科目编码（5位）",
        "FUND_TYPE_CODE": "资金性质（11 一般公共预算，12 政府性基金，13 国有资本经营，21 财政专户，31 单位资金）",
        "EXP_KIND": "支出类型（基本 / 项目）",
        "PRO_CODE": "项目编码（项目支出必填）",
        "PRO_NAME": "项目名称（项目支出必填）",
        "AMOUNT": "金额（元）",
    },
    "收入": {
        "SOURCE": "收入来源（一般公共预算拨款收入 / 政府性基金预算拨款收入 / 国有资本经营预算拨款收入 / 财政专户管理资金收入 / 单位资金）",
        "AMOUNT": "金额（元）",
    },
    "上年": {
        "ITEM": "项目（收支总额 / 基本支出 / 项目支出 / 三公经费）",
        "AMOUNT": "上年预算数（元）",
    },
}
OPTIONAL_SHEETS = ("上年",)


class CompileError(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass(frozen=True, slots=True)
class InputRow:
    where: str  # "budget.xlsx, sheet 支出明细, row 5"
    values: dict[str, str]

    def at(self, column: str) -> str:
        return f"{self.where}, column {column}"

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def amount(self, column: str = "AMOUNT", negative: bool = False) -> Decimal:
        raw = self.text(column).replace(",", "")
        if not raw:
            raise CompileError(self.at(column), "amount is empty")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise CompileError(self.at(column), f"not an amount: {raw!r}") from None
        if not value.is_finite():
            raise CompileError(self.at(column), f"not an amount: {raw!r}")
        if value < 0 and not negative:
            raise CompileError(self.at(column), f"negative amount {raw} is not allowed here")
        return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_from_xlsx(path: Path) -> dict[str, list[InputRow]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise CompileError(str(path), f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    out = {}
    for sheet in SHEETS:
        if sheet not in wb.sheetnames:
            continue
        rows = list(wb[sheet].iter_rows(values_only=True))
        out[sheet] = _table(rows, f"{path.name}, sheet {sheet}", sheet)
    return out


def _rows_from_csv(directory: Path) -> dict[str, list[InputRow]]:
    out = {}
    for sheet in SHEETS:
        path = directory / f"{sheet}.csv"
        if not path.exists():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CompileError(str(path), "not UTF-8 text") from None
        out[sheet] = _table(list(csv.reader(text.splitlines())), path.name, sheet)
    return out


def _table(rows: list, where: str, sheet: str) -> list[InputRow]:
    """Header row first (codes like AMOUNT; a second header row of Chinese
    descriptions, as `yusuan template` writes, is skipped)."""
    if not rows:
        raise CompileError(where, "the sheet is empty: no header row")
    header = [_cell_text(h).strip() for h in rows[0]]
    missing = [c for c in SHEETS[sheet] if c not in header]
    if missing:
        raise CompileError(where, f"missing column {', '.join(missing)} (the first row must name the columns)")
    out = []
    for n, raw in enumerate(rows[1:], start=2):
        values = {h: _cell_text(v) for h, v in zip(header, raw) if h}
        if not any(v.strip() for v in values.values()):
            continue
        if all(values.get(c, "").strip() == d for c, d in SHEETS[sheet].items()):
            continue  # the description row `yusuan template` writes under the header
        out.append(InputRow(f"{where}, row {n}", values))
    return out


def read_inputs(directory: Path) -> tuple[dict[str, list[InputRow]], dict]:
    if not directory.is_dir():
        raise CompileError(str(directory), "not a directory (give the folder that `yusuan template` made)")
    workbook = directory / WORKBOOK
    sheets = _rows_from_xlsx(workbook) if workbook.exists() else _rows_from_csv(directory)
    for sheet in SHEETS:
        if sheet not in sheets and sheet not in OPTIONAL_SHEETS:
            where = str(workbook) if workbook.exists() else str(directory / f"{sheet}.csv")
            raise CompileError(where, f"missing sheet {sheet}" if workbook.exists() else "missing file")
    text_path = directory / TEXT
    if not text_path.exists():
        raise CompileError(str(text_path), "missing file")
    try:
        text = yaml.safe_load(text_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise CompileError(str(text_path), f"{line}not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError:
        raise CompileError(str(text_path), "not UTF-8 text") from None
    if not isinstance(text, dict):
        raise CompileError(str(text_path), "must be a mapping (department:, year:, duties: …)")
    return sheets, text
