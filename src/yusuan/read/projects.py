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


# One grid holding the whole project (Shanghai 财政项目支出绩效目标填报表):
# its title, the head (项目名称 …, 项目资金 in 元) and the indicators.
_FORM_TITLE = re.compile(r"项目.{0,8}绩效目标.{0,4}表")


def is_project_form(block: TableBlock) -> bool:
    texts = [squash(c.text) for r in block.rows[:3] for c in r.cells if c.text]
    has_name = any(squash(c.text) == "项目名称" for r in block.rows[:6] for c in r.cells)
    return has_name and any(_FORM_TITLE.search(t) for t in texts)


def read_forms(block: TableBlock, fmt: str) -> list[Project]:
    """One project per form; forms printed page after page with the same
    columns may arrive joined as one grid: each restarts at its title."""
    rows = block.rows

    def labels(r) -> set[str]:
        return {squash(c.text) for c in r.cells}

    starts = []
    for i, r in enumerate(rows):
        if "项目名称" not in labels(r):
            continue
        # the title rows above the head belong to it when they are in the grid
        while i > (starts[-1] + 1 if starts else 0) and not ({"项目名称", "一级指标"} & labels(rows[i - 1])) and (
                any(_FORM_TITLE.search(t) or re.fullmatch(r"[（(]\d{4}年度?[)）]", t) for t in labels(rows[i - 1]))):
            i -= 1
        starts.append(i)
    starts = starts or [0]
    starts[0] = 0
    bounds = [*starts, len(rows)]
    forms = [read_form(TableBlock(rows=block.rows[a:b], width=block.width, index=block.index, line=block.rows[a].line,
                                  page=block.rows[a].page), fmt)
             for a, b in zip(bounds, bounds[1:]) if b > a]
    for f in forms:
        # a form whose title was printed above the grid, not in it
        f.title = f.title or forms[0].title
    return forms


def read_form(block: TableBlock, fmt: str) -> Project:
    """The head rows, then the indicators from the row labelled 一级指标."""
    at = next((i for i, r in enumerate(block.rows) if any(squash(c.text) == "一级指标" for c in r.cells)), len(block.rows))
    title = next((c.text for r in block.rows[:3] for c in r.cells if _FORM_TITLE.search(squash(c.text))), "")
    row = block.rows[0]
    project = Project(title=title, name="", source=Source(format=fmt, block=block.index, line=row.line, page=row.page))
    head = TableBlock(rows=block.rows[:at], width=block.width, index=block.index, line=block.line, page=block.page)
    read_head(project, head)
    if at < len(block.rows):
        indicators = TableBlock(rows=block.rows[at:], width=block.width, index=block.index, line=block.line,
                                page=block.page)
        read_indicators(project, indicators, fmt, offset=at)
    return project


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
        if first.startswith("预算规模") or "预算数" in keys or "项目资金总额" in keys:
            # the form's 项目资金（元） prints its unit in the label
            if (m := re.search(r"[（(](万元|元)[）)]", first)) and project.unit is None:
                project.unit = m.group(1)
            for i, k in enumerate(keys[:-1]):
                if k in ("预算数", "项目资金总额"):
                    project.budget = _amount(cells[i + 1])
                elif "财政" in k and "资金" in k and project.fiscal is None:
                    project.fiscal = _amount(cells[i + 1])
                elif k == "其他资金" and project.other is None:
                    project.other = _amount(cells[i + 1])
            after = "purpose"
            continue
        if first == "" and after == "purpose" and any(k.endswith("资金") for k in keys):
            # the form's funds continue under the merged 项目资金 label: the
            # first pair of each kind is the project's, the second the year's
            for i, k in enumerate(keys[:-1]):
                if "财政" in k and "资金" in k and project.fiscal is None:
                    project.fiscal = _amount(cells[i + 1])
                elif k == "其他资金" and project.other is None:
                    project.other = _amount(cells[i + 1])
            continue
        if "年度总体目标" in keys or "项目总目标" in keys:
            after = "goal"
            continue
        if first == "" and after == "goal":
            # 项目总目标 | 年度总体目标: the year's goal is the last one printed
            project.goal = next((c for c in reversed(cells) if c), None)
            after = None
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


def read_indicators(project: Project, block: TableBlock, fmt: str, offset: int = 0) -> None:
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
            Indicator(**values, source=Source(format=fmt, block=block.index, row=r + offset, line=row.line, page=row.page))
        )
