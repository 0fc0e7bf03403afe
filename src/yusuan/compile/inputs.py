"""The compile input set: a workbook `budget.xlsx` (or its sheets as CSV
files) and, optionally, the older `disclosure.yaml` for the text, read and
checked cell by cell against `data/compile_inputs.yaml`.

Nothing stops at the first problem: every problem found is collected with
its place (file, sheet, row, column), and `CompileError` carries them all, so
an officer fixes the whole workbook in one pass instead of one cell per run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..read import limits
from ..read.errors import ReadError
from ..read.xlsx import check_workbook
from .spec import ColumnDef, SheetDef, input_spec

WORKBOOK = input_spec().workbook
TEXT = input_spec().text_file


@dataclass(frozen=True, slots=True)
class Place:
    """Where a problem is: `budget.xlsx, 支出明细 第5行 EXP_FUNC_CODE`,
    `支出明细.csv, 第5行 AMOUNT`, `disclosure.yaml, department.name`."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # a column code, or a key path in disclosure.yaml

    def __str__(self) -> str:
        sheet = self.sheet if self.sheet and self.file != f"{self.sheet}.csv" else None
        rest = " ".join(p for p in (sheet, f"第{self.row}行" if self.row else None, self.column) if p)
        return f"{self.file}, {rest}" if rest else self.file

    def at(self, column: str) -> Place:
        return Place(self.file, self.sheet, self.row, column)

    def sort_key(self) -> tuple:
        spec = input_spec()
        sheet = spec.sheets.get(self.sheet or "")
        col = next((i for i, c in enumerate(sheet.columns) if c.code == self.column), 0) if sheet else 0
        return (self.file == TEXT, spec.sheet_index(self.sheet), self.row or 0, col)


@dataclass(frozen=True, slots=True)
class Problem:
    place: Place
    message: str

    @property
    def where(self) -> str:
        return str(self.place)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class CompileWarning(Problem):
    """Not a reason to refuse, but the officer should look (a code yusuan's
    catalogue does not know, a name that differs from it)."""


class CompileError(Exception):
    """The input set cannot be compiled; `problems` lists every reason found,
    in sheet, row and column order."""

    def __init__(self, problems: list[Problem] | Place | str, message: str | None = None,
                 warnings: list[CompileWarning] | None = None):
        if not isinstance(problems, list):
            place = problems if isinstance(problems, Place) else Place(str(problems))
            problems = [Problem(place, message or "")]
        self.problems = sorted(problems, key=lambda p: p.place.sort_key())
        # what would also have been said had it compiled: the officer fixes it in the same pass
        self.warnings = sorted(warnings or [], key=lambda p: p.place.sort_key())
        if len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            text = f"{len(self.problems)} 处需要填写或修改：\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(text)

    @property
    def where(self) -> str:
        return self.problems[0].where


@dataclass
class Report:
    """What one compile found: problems (refuse) and warnings (tell)."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[CompileWarning] = field(default_factory=list)

    def error(self, place: Place, message: str) -> None:
        self.problems.append(Problem(place, message))

    def warn(self, place: Place, message: str) -> None:
        self.warnings.append(CompileWarning(place, message))

    def stop_if_any(self) -> None:
        if self.problems:
            raise CompileError(self.problems, warnings=self.warnings)


class BadValue(ValueError):
    pass


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*[%％]?$")
_LARGEST = Decimal("1E15")  # 元: a thousand trillion


def check_value(col: ColumnDef, value: Any) -> Any:
    """A filled cell (or YAML value) as the column's type says, or BadValue
    with what is wrong in words the officer knows."""
    text = cell_text(value, col.type).strip()
    if col.type == "text":
        return text
    if col.type == "code":
        if not (text.isdigit() and len(text) in col.digits):
            raise BadValue(f"不是{'或'.join(map(str, col.digits))}位数字的{col.label}：{text!r}")
        return text
    if col.type == "year":
        if not (text.isdigit() and len(text) == 4):
            raise BadValue(f"不是四位年份：{text!r}")
        return int(text)
    if col.type == "date":
        m = _DATE.match(text)
        if not m:
            raise BadValue(f"不是日期（如 2025-12-31）：{text!r}")
        try:
            return dt.date(*map(int, m.groups())).isoformat()
        except ValueError:
            raise BadValue(f"没有这个日期：{text!r}") from None
    if col.type in ("amount", "number"):
        raw = text.replace(",", "").replace("，", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise BadValue(f"不是{'金额' if col.type == 'amount' else '数字'}：{text!r}") from None
        if not number.is_finite():
            raise BadValue(f"不是{'金额' if col.type == 'amount' else '数字'}：{text!r}")
        if number < 0:
            raise BadValue(f"{'金额' if col.type == 'amount' else '数量'}不能为负数：{text}")
        if number >= _LARGEST:
            # no budget line reaches a thousand trillion 元; beyond it the
            # sums and the rounding to 万元 lose their exactness
            raise BadValue(f"{'金额' if col.type == 'amount' else '数字'}过大：{text}")
        return number
    if col.type == "percent":
        m = _PERCENT.match(text)
        if not m or Decimal(m.group(1)) > 100:
            raise BadValue(f"不是0到100之间的百分比（如 25%）：{text!r}")
        return f"{m.group(1)}%"
    if col.type == "choice":
        chosen = col.choice(text)
        if chosen is None:
            raise BadValue(f"不能填 {text!r}；可填：{'、'.join(k for k, _ in col.choices)}")
        return chosen
    raise AssertionError(col.type)


def cell_text(value: Any, kind: str = "text") -> str:
    """A cell as the officer sees it: 2100101 not 2100101.0, a date as
    2025-12-31, and a percent-formatted 0.25 as 25%."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if kind == "percent" and isinstance(value, (int, float)):
        number = Decimal(repr(value))
        if number <= 1:  # a cell formatted as % holds the fraction
            number *= 100
        return f"{number.normalize():f}%"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


@dataclass(frozen=True, slots=True)
class InputRow:
    place: Place  # file, sheet and row
    values: dict[str, str]  # column code → the cell as text
    typed: dict[str, Any] = field(default_factory=dict)  # column code → checked value (filled cells only)
    bad: bool = False  # a cell failed its check (already reported)

    def at(self, column: str) -> Place:
        return self.place.at(column)

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def get(self, column: str) -> Any:
        return self.typed.get(column)


@dataclass
class Inputs:
    sheets: dict[str, list[InputRow]]  # every sheet present, data and text alike
    yaml_text: dict | None  # disclosure.yaml, when there is one
    file_of: dict[str, str]  # sheet → the file it came from (budget.xlsx or 支出明细.csv)

    def sheet_place(self, sheet: str) -> Place:
        return Place(self.file_of.get(sheet, WORKBOOK), sheet)


def _header(cells: list[str], sheet: SheetDef) -> dict[int, str]:
    """Column position → column code; a header cell may be the code or the label."""
    by_name = {c.code: c.code for c in sheet.columns} | {c.label: c.code for c in sheet.columns}
    return {i: by_name[h] for i, h in enumerate(cells) if h in by_name}


def _table(rows: list, file: str, sheet: SheetDef, report: Report) -> list[InputRow] | None:
    place = Place(file, sheet.name)
    if not rows:
        report.error(place, "工作表是空的：第一行应为字段名")
        return None
    header = _header([cell_text(h).strip() for h in rows[0]], sheet)
    # Optional columns may be absent (a system export has its own set); an
    # items or fixed sheet is unreadable without any of its columns.
    missing = [c.code for c in sheet.read_columns()
               if (c.need == "required" or sheet.kind != "rows") and c.code not in header.values()]
    if missing:
        report.error(place.at(", ".join(missing)), "缺少此列（第一行应为字段名，见「填写说明」）")
        return None
    types = {c.code: c.type for c in sheet.columns}
    labels = {c.code: {c.label, c.code} for c in sheet.columns}
    out = []
    for n, raw in enumerate(rows[1:], start=2):
        values = {code: cell_text(raw[i], types[code]) if i < len(raw) else "" for i, code in header.items()}
        filled = {k: v.strip() for k, v in values.items() if v.strip()}
        if not filled:
            continue
        if all(v in labels[k] for k, v in filled.items()):
            continue  # the label row `yusuan template` writes under the codes
        if n == 2 and all(any(v.startswith(x) for x in labels[k]) for k, v in filled.items()):
            continue  # an earlier template's row 2 ("支出类型（基本 / 项目）"): a filled workbook stays readable
        out.append(InputRow(Place(file, sheet.name, n), values))
    return out


def check_row(row: InputRow, sheet: SheetDef, report: Report) -> InputRow:
    """Each filled cell against its column's type, each required cell filled."""
    typed, bad = {}, False
    for col in sheet.read_columns():
        text = row.text(col.code)
        if not text:
            if col.need == "required":
                report.error(row.at(col.code), f"{col.label}未填写")
                bad = True
            continue
        try:
            typed[col.code] = check_value(col, text)
        except BadValue as exc:
            report.error(row.at(col.code), str(exc))
            bad = True
    return InputRow(row.place, row.values, typed, bad)


def _from_xlsx(path: Path) -> tuple[dict[str, list], str]:
    from openpyxl import load_workbook

    try:
        # within the reader's limits: a far cell pads every row of a
        # read-only sheet to its column, and every row to its row
        data = limits.read_file(path)
        check_workbook(data, dimension=True)
    except ReadError as exc:
        raise CompileError(Place(path.name), str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise CompileError(Place(path.name), f"不是可读取的 Excel 工作簿（{type(exc).__name__}: {exc}）") from None
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in input_spec().sheets
                if name in wb.sheetnames}, path.name
    finally:
        wb.close()


def _from_csv(directory: Path) -> dict[str, tuple[list, str]]:
    out = {}
    for name in input_spec().sheets:
        path = directory / f"{name}.csv"
        if not path.exists():
            continue
        if not path.is_file():
            raise CompileError(Place(path.name), "不是文件（是文件夹或设备）")
        try:
            text = limits.read_file(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CompileError(Place(path.name), "不是 UTF-8 编码的文本") from None
        except ReadError as exc:
            raise CompileError(Place(path.name), str(exc)) from None
        reader = csv.reader(io.StringIO(text, newline=""))  # a text cell may hold line breaks
        try:
            out[name] = (_within_limits(reader), path.name)
        except csv.Error as exc:  # e.g. a field longer than the csv module allows
            raise CompileError(Place(path.name, row=reader.line_num), f"不是可读的 CSV（{exc}）") from None
        except ReadError as exc:
            raise CompileError(Place(path.name, row=reader.line_num), str(exc)) from None
    return out


def _within_limits(reader) -> list[list[str]]:
    """A CSV's rows, as many and as wide as a table may be: every field is
    an object, so a few hundred MB of commas would be billions of them."""
    rows, cells = [], limits.Tally("document_cells")
    most_rows, most_cols = limits.current("table_rows"), limits.current("table_columns")
    for row in reader:
        rows.append(row)
        if len(rows) > most_rows:
            raise limits.exceeded("table_rows", None)
        if len(row) > most_cols:
            raise limits.exceeded("table_columns", len(row))
        cells.add(len(row))
    return rows


def _yaml(path: Path) -> dict:
    try:
        # no aliases written out past yaml_nodes: a kilobyte of nested
        # aliases is billions of nodes to whatever walks the text
        text = limits.load_yaml(limits.read_file(path, "yaml_size").decode("utf-8")) or {}
    except ReadError as exc:
        raise CompileError(Place(path.name), str(exc)) from None
    except RecursionError:
        raise CompileError(Place(path.name), "不是可读取的 YAML（嵌套过深）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行：" if mark else ""
        raise CompileError(Place(path.name), f"{line}不是有效的 YAML（{getattr(exc, 'problem', exc)}）") from None
    except UnicodeDecodeError:
        raise CompileError(Place(path.name), "不是 UTF-8 编码的文本") from None
    if not isinstance(text, dict):
        raise CompileError(Place(path.name), "应为键值映射（department:、year:、duties: …）")
    return text


def read_inputs(directory: Path, report: Report) -> Inputs:
    """Every sheet there is, each data-sheet cell checked (text sheets are
    checked with disclosure.yaml, after the two are merged)."""
    if not directory.is_dir():
        raise CompileError(Place(str(directory)), "不是文件夹（请给出 yusuan template 生成的文件夹）")
    spec = input_spec()
    workbook = directory / WORKBOOK
    if workbook.exists():
        raw, name = _from_xlsx(workbook)
        found = {sheet: (rows, name) for sheet, rows in raw.items()}
    else:
        found = _from_csv(directory)
    text_path = directory / TEXT
    yaml_text = _yaml(text_path) if text_path.exists() else None
    if not found and yaml_text is None:
        raise CompileError(Place(str(directory)), f"没有 {WORKBOOK}（请先运行 yusuan template {directory}）")
    sheets: dict[str, list[InputRow]] = {}
    file_of = {}
    for name, sheet in spec.sheets.items():
        if name not in found:
            file_of[name] = WORKBOOK if workbook.exists() else f"{name}.csv"
            continue
        rows, file = found[name]
        file_of[name] = file
        table = _table(rows, file, sheet, report)
        if table is None:
            continue
        sheets[name] = [check_row(r, sheet, report) for r in table] if sheet.key is None and sheet.kind == "rows" \
            else table
    return Inputs(sheets, yaml_text, file_of)
