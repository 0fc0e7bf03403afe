"""Project performance tables (项目绩效目标表) → `Project`.

The head table is a form (label cell, value cell) rather than a grid, so it
is read by its labels; the indicator table is read by its header names.
"""

from __future__ import annotations

import re

from ..definitions import squash
from ..model import Indicator, PlanPoint, Project, Source
from .blocks import TableBlock
from .numbers import NotANumber, parse_amount
from .tables import is_info_row

_TITLE = re.compile(r"^\s*\d+\s*[、.．]\s*(?P<name>.+?)\s*(?:项目)?绩效目标表?\s*$")
_HEAD_LABELS = ("项目编码", "项目名称", "预算规模", "资金支出计划", "绩效目标")
_INDICATOR_FIELDS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "描述",
    "target": "指标值$",
    "basis": "依据",
}


def is_project_title(text: str) -> bool:
    return bool(_TITLE.match(text)) and "绩效目标" in text


def name_from_title(text: str) -> str:
    m = _TITLE.match(text)
    return m.group("name") if m else text


def is_project_table(block: TableBlock) -> bool:
    """By its first row's label, below an info line (单位：万元) printed in
    the grid — every table may carry one, so it says nothing by itself."""
    rows = [r for r in block.rows if r.cells]
    while rows and is_info_row(rows[0].cells):
        rows = rows[1:]
    if not rows:
        return False
    first = squash(rows[0].cells[0].text)
    return first.startswith(_HEAD_LABELS) or first == "一级指标"


def is_indicator_table(block: TableBlock) -> bool:
    return bool(block.rows) and bool(block.rows[0].cells) and squash(block.rows[0].cells[0].text) == "一级指标"


def new_project(title: str, source: Source) -> Project:
    return Project(title=title, name=name_from_title(title), source=source)


def _amount(text: str):
    try:
        return parse_amount(text)
    except NotANumber:
        return None


def read_head(project: Project, block: TableBlock) -> None:
    rows = [[c.text for c in r.cells] for r in block.rows]
    after: str | None = None
    for cells in rows:
        keys = [squash(c) for c in cells]
        first = keys[0] if keys else ""
        if len(cells) == 1 and first.startswith("单位："):
            project.unit = first.split("：", 1)[1] or None
            continue
        if "项目编码" in keys or "项目名称" in keys:
            for i, k in enumerate(keys[:-1]):
                if k == "项目编码":
                    project.code = cells[i + 1] or None
                elif k == "项目名称" and cells[i + 1]:
                    project.name = cells[i + 1]
            after = None
            continue
        if first.startswith("预算规模") or "预算数" in keys:
            for i, k in enumerate(keys[:-1]):
                if k == "预算数":
                    project.budget = _amount(cells[i + 1])
                elif "财政" in k and "资金" in k:
                    project.fiscal = _amount(cells[i + 1])
                elif k == "其他资金":
                    project.other = _amount(cells[i + 1])
            after = "purpose"
            continue
        if first.startswith("资金支出计划"):
            project.plan = [PlanPoint(label=c, value="") for c in cells[1:] if c]
            after = "plan"
            continue
        if first.startswith("绩效目标"):
            project.goal = "\n".join(c for c in cells[1:] if c) or None
            after = None
            continue
        if first == "" and after == "purpose":
            project.purpose = "\n".join(c for c in cells[1:] if c) or None
        elif first == "" and after == "plan":
            values = [c for c in cells[1:] if c]
            project.plan = [PlanPoint(label=p.label, value=v) for p, v in zip(project.plan, values)]
        after = None


def read_indicators(project: Project, block: TableBlock, fmt: str) -> None:
    header = [squash(c.text) for c in block.rows[0].cells]
    index = {}
    for field, pattern in _INDICATOR_FIELDS.items():
        index[field] = next((i for i, h in enumerate(header) if re.search(pattern, h)), None)
    last = {"level1": "", "level2": ""}
    for r, row in enumerate(block.rows[1:], start=1):
        cells = [c.text for c in row.cells]
        if not any(cells):
            continue
        if len(cells) < len(header):
            cells = [""] * (len(header) - len(cells)) + cells
        values = {f: (cells[i] if i is not None and i < len(cells) else "") for f, i in index.items()}
        # An empty level cell continues the merged cell above it.
        if values["level1"]:
            last["level2"] = ""
        for f in ("level1", "level2"):
            if values[f]:
                last[f] = values[f]
            else:
                values[f] = last[f]
        project.indicators.append(
            Indicator(**values, source=Source(format=fmt, block=block.index, row=r, line=row.line, page=row.page))
        )
