"""The text of the disclosure, from the workbook's text sheets (情况说明,
机构设置, 项目绩效目标, 绩效指标, 政府采购, 资产, 名词解释), from
disclosure.yaml, or from both.

The sheets are turned into the same shape disclosure.yaml has, the two are
merged item by item (an item filled in both is a problem: which one the
officer meant cannot be guessed), and the result is checked once, against the
column definitions, for both routes alike. Every value keeps the place it
came from, so a problem names the sheet, row and column, or the YAML key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .inputs import TEXT, BadValue, ColumnDef, Inputs, Place, Report, check_value
from .spec import ItemDef, SheetDef, input_spec

PROJECTS, INDICATORS = "projects", "indicators"
# What the old YAML template held before anything was filled in: "一、……", "".
_PLACEHOLDER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]*[）)、.．]?\s*(?:…|\.\.\.|。。。)[\s….。]*"
                          r"|[（(]?[一二三四五六七八九十\d]+(?:[）)]|、)\s*)?$")


def filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return not _PLACEHOLDER.match(value)
    if isinstance(value, dict):
        return any(filled(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(filled(v) for v in value)
    return True


def _get(tree: dict, path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(tree: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[last] = value


def _item_column(item: ItemDef) -> ColumnDef:
    return ColumnDef(code="TEXT", label=item.label, need=item.need, type=item.type, help=item.help)


def _prefix(record: dict, n: int) -> str:
    code = str(record.get("code") or "").strip()
    return f"{PROJECTS}[{code or n}]"


# -- the workbook's text sheets, in disclosure.yaml's shape ------------------
@dataclass
class _FromSheets:
    tree: dict = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def _items(rows, sheet: SheetDef, out: _FromSheets, report: Report) -> None:
    current: ItemDef | None = None
    for row in rows:
        label = row.text("ITEM")
        if label:
            current = sheet.item(label)
            if current is None:
                report.error(row.at("ITEM"), f"不认识的项目 {label!r}；请照模板填写：{'、'.join(i.label for i in sheet.items)}")
                continue
            out.places.setdefault(current.key, row.at("TEXT"))
        elif current is None or not current.many:
            if row.text("TEXT"):
                report.error(row.at("ITEM"), "项目名称未填写（只有多段的项目可以留空接上一行）")
            continue
        text = row.text("TEXT")
        if not text:
            continue
        if current.many:
            paragraphs = _get(out.tree, current.key) or []
            out.places[f"{current.key}[{len(paragraphs) + 1}]"] = row.at("TEXT")
            _set(out.tree, current.key, [*paragraphs, text])
        elif _get(out.tree, current.key) is not None:
            report.error(row.at("TEXT"), f"“{current.label}”填写了两次（另见{out.places[current.key]}）")
        else:
            out.places[current.key] = row.at("TEXT")
            _set(out.tree, current.key, text)


def _fixed(rows, sheet: SheetDef, out: _FromSheets, report: Report) -> None:
    seen: set[str] = set()
    for row in rows:
        item = sheet.item(row.text("ITEM"))
        if item is None:
            report.error(row.at("ITEM"), f"不认识的项目 {row.text('ITEM')!r}；请照模板填写：{'、'.join(i.label for i in sheet.items)}")
            continue
        if item.key in seen:
            report.error(row.at("ITEM"), f"“{item.label}”出现了两次")
            continue
        seen.add(item.key)
        path = f"{sheet.key}.{item.key}"
        out.places[path] = row.at(sheet.columns[-1].code)
        for col in sheet.read_columns()[1:]:
            out.places[f"{path}.{col.key}"] = row.at(col.code)
            if row.text(col.code):
                _set(out.tree, f"{path}.{col.key}", row.text(col.code))


def _records(rows, sheet: SheetDef, out: _FromSheets, report: Report) -> None:
    records = out.tree.setdefault(sheet.key, [])
    for row in rows:
        record: dict = {}
        for col in sheet.read_columns():
            if row.text(col.code):
                _set(record, col.key, row.text(col.code))
        n = len(records) + 1
        prefix = f"{sheet.key}[{n}]"
        if sheet.key == PROJECTS:
            prefix = _prefix(record, n)
            first = out.places.get(prefix)
            if first is not None:
                report.error(row.at("PRO_CODE"), f"项目 {record['code']} 已在{first}填写")
                continue
        out.places.setdefault(sheet.key, row.place)
        out.places[prefix] = row.place
        for col in sheet.read_columns():
            out.places[f"{prefix}.{col.key}"] = row.at(col.code)
        records.append(record)


def _indicators(rows, sheet: SheetDef, out: _FromSheets) -> None:
    """Indicator rows join their project's record as disclosure.yaml has
    them: a list [一级指标, 二级指标, 三级指标, 指标描述, 指标值, 依据]."""
    projects = out.tree.setdefault(PROJECTS, [])
    fields = [c for c in sheet.read_columns() if c.key != "code"]
    for row in rows:
        code = row.text("PRO_CODE")
        n = next((i for i, p in enumerate(projects, start=1) if code and p.get("code") == code), None)
        if n is None:
            projects.append({"code": code} if code else {})
            n = len(projects)
            out.places[_prefix(projects[-1], n)] = row.place
            out.places[f"{_prefix(projects[-1], n)}.code"] = row.at("PRO_CODE")
        record = projects[n - 1]
        prefix = _prefix(record, n)
        found = record.setdefault(INDICATORS, [])
        found.append([row.text(c.code) for c in fields])
        at = f"{prefix}.{INDICATORS}[{len(found)}]"
        out.places[at] = row.place
        for c in fields:
            out.places[f"{at}.{c.key}"] = row.at(c.code)


def from_sheets(inputs: Inputs, report: Report) -> _FromSheets:
    out = _FromSheets()
    for name, sheet in input_spec().sheets.items():
        rows = inputs.sheets.get(name)
        if rows is None:
            continue
        if sheet.kind == "items":
            _items(rows, sheet, out, report)
        elif sheet.kind == "fixed":
            _fixed(rows, sheet, out, report)
        elif sheet.key == INDICATORS:
            _indicators(rows, sheet, out)
        elif sheet.key:
            _records(rows, sheet, out, report)
    return out


# -- merging with disclosure.yaml --------------------------------------------
def _merge_paths() -> dict[str, str]:
    """Each item the text may be given in either place → its sheet."""
    out = {}
    for name, sheet in input_spec().sheets.items():
        if sheet.kind == "items":
            out |= {i.key: name for i in sheet.items}
        elif sheet.kind == "fixed":
            out |= {f"{sheet.key}.{i.key}": name for i in sheet.items}
        elif sheet.key == INDICATORS:
            continue  # part of the projects item
        elif sheet.key:
            out[sheet.key] = name
    return out


def _unknown_yaml_keys(tree: dict, paths: set[str], report: Report, prefix: str = "") -> None:
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if path in paths:
            continue
        if any(p.startswith(path + ".") for p in paths) and isinstance(value, dict):
            _unknown_yaml_keys(value, paths, report, path + ".")
        else:
            report.warn(Place(TEXT, column=path), "yusuan 不认识这个键，已忽略")


@dataclass
class Merged:
    tree: dict
    places: dict[str, Place]
    inputs: Inputs
    from_yaml: set[str]  # the merge items disclosure.yaml gave

    def place(self, path: str) -> Place:
        """Where `path` was given, or where the officer should give it."""
        if path in self.places:
            return self.places[path]
        item = next((p for p in sorted(_merge_paths(), key=len, reverse=True)
                     if path == p or path.startswith(p + ".") or path.startswith(p + "[")), None)
        if item in self.from_yaml or (item is not None and self.inputs.sheets.get(_merge_paths()[item]) is None
                                      and self.inputs.yaml_text is not None):
            return Place(TEXT, column=path)
        sheet = _merge_paths().get(item or "", "情况说明")
        return self.inputs.sheet_place(sheet)


def merge(inputs: Inputs, report: Report) -> Merged:
    sheets = from_sheets(inputs, report)
    yaml_tree = inputs.yaml_text or {}
    paths = _merge_paths()
    _unknown_yaml_keys(yaml_tree, set(paths), report)
    tree: dict = {}
    from_yaml = set()
    for path in paths:
        ours, theirs = _get(sheets.tree, path), _get(yaml_tree, path)
        if filled(ours) and filled(theirs):
            report.error(sheets.places.get(path, inputs.sheet_place(paths[path])),
                         f"{TEXT} 的 {path} 也填写了这一项；同一项只能填在一处，请删去其中一处")
        if filled(ours):
            _set(tree, path, ours)
        elif filled(theirs):
            _set(tree, path, theirs)
            from_yaml.add(path)
    places = {k: v for k, v in sheets.places.items()
              if not any(k == p or k.startswith(p + ".") or k.startswith(p + "[") for p in from_yaml)}
    return Merged(tree, places, inputs, from_yaml)


# -- checking, for both routes -----------------------------------------------
@dataclass
class ProjectText:
    code: str
    place: Place
    purpose: str | None = None
    goal: str | None = None
    plan: list[tuple[str, str]] = field(default_factory=list)
    indicators: list[list[str]] = field(default_factory=list)


@dataclass
class Text:
    department_code: str | None
    name: str | None
    year: int | None
    duties: list[str]
    performance: dict[str, list[str]]
    overview_intro: str | None
    special_funds: str | None
    other: str | None
    reasons: dict[str, str]
    institutions: list[dict[str, str | None]]
    projects: dict[str, ProjectText]
    procurement: list[dict[str, Any]]
    assets: dict | None
    glossary: list[tuple[str, str]] | None
    merged: Merged

    def place(self, path: str) -> Place:
        return self.merged.place(path)


def _missing(report: Report, need: str, place: Place, message: str) -> None:
    """Required: refuse. Expected: the part would print empty, which `yusuan
    check` only warns of too, so warn."""
    if need == "required":
        report.error(place, message)
    elif need == "expected":
        report.warn(place, f"{message}（公开文件中这一部分将空缺）")


def _checked(m: Merged, col: ColumnDef, value: Any, path: str, report: Report, label: str | None = None) -> Any:
    """The value checked by its column, None when empty (reported when required)."""
    if not filled(value if not isinstance(value, (int, float, Decimal)) else str(value)):
        _missing(report, col.need, m.place(path), f"{label or col.label}未填写")
        return None
    try:
        return check_value(col, value)
    except BadValue as exc:
        report.error(m.place(path), str(exc))
        return None


def _records_of(m: Merged, key: str, report: Report) -> list[tuple[str, dict]]:
    value = _get(m.tree, key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        report.error(m.place(key), "应为列表，每项一个键值映射")
        return []
    out = []
    for n, record in enumerate(value, start=1):
        if filled(record):
            out.append((f"{key}[{n}]" if key != PROJECTS else _prefix(record, n), record))
    return out


def _record(m: Merged, sheet: SheetDef, prefix: str, record: dict, report: Report) -> dict[str, Any]:
    return {col.key: _checked(m, col, _get(record, col.key), f"{prefix}.{col.key}", report)
            for col in sheet.read_columns()}


def _projects(m: Merged, report: Report) -> dict[str, ProjectText]:
    spec = input_spec()
    psheet = next(s for s in spec.sheets.values() if s.key == PROJECTS)
    isheet = next(s for s in spec.sheets.values() if s.key == INDICATORS)
    plan_cols = [c for c in psheet.read_columns() if c.key and c.key.startswith("plan.")]
    fields = [c for c in isheet.read_columns() if c.key != "code"]
    out: dict[str, ProjectText] = {}
    for prefix, record in _records_of(m, PROJECTS, report):
        code = _checked(m, psheet.column("PRO_CODE"), record.get("code"), f"{prefix}.code", report)
        if code is None:
            continue
        if code in out:
            report.error(m.place(f"{prefix}.code"), f"项目 {code} 填写了两次")
            continue
        p = out[code] = ProjectText(code=str(code), place=m.place(prefix))
        plan = record.get("plan")
        if plan is not None and not isinstance(plan, dict):
            report.error(m.place(f"{prefix}.plan"), f"应为 {{{', '.join(c.key[5:] + ': …' for c in plan_cols)}}}")
            plan = {}
        extra = set(plan or {}) - {c.key[5:] for c in plan_cols}
        if extra:
            report.error(m.place(f"{prefix}.plan"),
                         f"支出进度的时点只能是 {'、'.join(c.key[5:] for c in plan_cols)}（不认识 {'、'.join(map(str, extra))}）")
        has_text = any(filled(record.get(k)) for k in ("purpose", "goal", "plan"))
        if has_text or not record.get(INDICATORS):
            # a project the officer gave only indicators for still needs its header part
            for col in psheet.read_columns():
                if col.key in ("code",):
                    continue
                value = _checked(m, col, _get(record, col.key), f"{prefix}.{col.key}", report)
                if col in plan_cols:
                    if value is not None:
                        p.plan.append((col.key[5:], value))
                elif col.key in ("purpose", "goal"):
                    setattr(p, col.key, value)
            _plan_rises_to_100(m, p, prefix, report)
        else:
            report.error(m.place(f"{prefix}.purpose"),
                         f"项目 {code} 只有绩效指标：请在「{psheet.name}」填写它的资金用途、绩效目标和支出进度")
        if not filled(record.get(INDICATORS)):
            report.error(m.place(f"{prefix}.{INDICATORS}") if PROJECTS in m.from_yaml
                         else m.inputs.sheet_place(isheet.name).at("PRO_CODE"),
                         f"项目 {code} 没有绩效指标：至少填写一行（一般应有产出、效益、满意度指标）")
        for n, ind in enumerate(record.get(INDICATORS) or [], start=1):
            at = f"{prefix}.{INDICATORS}[{n}]"
            if not (isinstance(ind, list) and len(ind) == len(fields)):
                report.error(m.place(at), f"应为 [{', '.join(c.label for c in fields)}]")
                continue
            if not filled(ind):
                continue
            values = [_checked(m, c, v, f"{at}.{c.key}", report, f"{c.label}") for c, v in zip(fields, ind)]
            p.indicators.append(["" if v is None else str(v) for v in values])
    return out


def _plan_rises_to_100(m: Merged, p: ProjectText, prefix: str, report: Report) -> None:
    """The plan is cumulative: it never falls and ends at 100% (else
    `yusuan check` reports P01, an error)."""
    values = [(label, Decimal(v.rstrip("%"))) for label, v in p.plan]
    for (before, a), (label, b) in zip(values, values[1:]):
        if b < a:
            report.error(m.place(f"{prefix}.plan.{label}"), f"支出进度是累计数，不能由{before} {a}% 降到{label} {b}%")
    if values and values[-1][1] != 100:
        label = values[-1][0]
        report.error(m.place(f"{prefix}.plan.{label}"), f"支出进度截至{label}应为 100%")


def _assets(m: Merged, report: Report) -> dict | None:
    sheet = next(s for s in input_spec().sheets.values() if s.kind == "fixed")
    value_col = sheet.read_columns()[-1]
    out: dict[str, Any] = {}
    for item in sheet.items:
        path = f"{sheet.key}.{item.key}"
        given = _get(m.tree, path)
        if given is not None and not isinstance(given, dict):
            report.error(m.place(path), "应为 {quantity: …, value: …}（价值以元计）")
            continue
        out[item.key] = {col.key: _checked(m, col, (given or {}).get(col.key), f"{path}.{col.key}", report)
                         for col in sheet.read_columns()[1:]}
    if not any(v.get(value_col.key) is not None for v in out.values()):
        first = f"{sheet.key}.{sheet.items[0].key}.{value_col.key}"
        _missing(report, sheet.need, m.place(first), f"未填写资产：至少填写一项资产的{value_col.label}")
        return None
    return out


def check_text(m: Merged, report: Report) -> Text:
    spec = input_spec()
    items = next(s for s in spec.sheets.values() if s.kind == "items")
    values: dict[str, Any] = {}
    for item in items.items:
        value = _get(m.tree, item.key)
        col = _item_column(item)
        if item.many:
            paragraphs = value if isinstance(value, list) else [value] if value is not None else []
            kept = [str(p).strip() for p in paragraphs if filled(p if not isinstance(p, (int, float)) else str(p))]
            if not kept:
                _missing(report, item.need, m.place(item.key), f"{item.label}未填写")
            values[item.key] = kept
        else:
            values[item.key] = _checked(m, col, value, item.key, report)
    by_key = {s.key: s for s in spec.sheets.values() if s.key}
    institutions = [_record(m, by_key["institutions"], prefix, r, report)
                    for prefix, r in _records_of(m, "institutions", report)]
    if not institutions:
        _missing(report, by_key["institutions"].need, m.place("institutions"), "机构设置未填写：至少填写部门本级一个单位")
    procurement = []
    for prefix, r in _records_of(m, "procurement", report):
        record = _record(m, by_key["procurement"], prefix, r, report)
        record["place"] = m.place(prefix)
        procurement.append(record)
    glossary = _glossary(m, by_key["glossary"], report)
    assets = _assets(m, report)
    if assets is not None:
        assets["as_of"] = values["assets.as_of"]
    return Text(
        department_code=values["department.code"], name=values["department.name"], year=values["year"],
        duties=values["duties"],
        performance={k: values[f"performance.{k}"] for k in ("overall", "targets", "measures")},
        overview_intro=values["overview_intro"], special_funds=values["special_funds"], other=values["other"],
        reasons={k: values[f"reasons.{k}"] for k in ("basic", "project", "three_public") if values[f"reasons.{k}"]},
        institutions=institutions, projects=_projects(m, report), procurement=procurement,
        assets=assets, glossary=glossary, merged=m,
    )


def _glossary(m: Merged, sheet: SheetDef, report: Report) -> list[tuple[str, str]] | None:
    value = _get(m.tree, sheet.key)
    if not filled(value):
        return None
    if not isinstance(value, list):
        report.error(m.place(sheet.key), "应为列表：[[名词, 解释], …]")
        return None
    out = []
    for n, entry in enumerate(value, start=1):
        at = f"{sheet.key}[{n}]"
        if isinstance(entry, dict):  # a row of the sheet
            entry = [entry.get(c.key) for c in sheet.read_columns()]
        if not (isinstance(entry, list) and len(entry) == 2):
            report.error(m.place(at), "应为 [名词, 解释]")
            continue
        checked = [_checked(m, c, v, f"{at}.{c.key}", report) for c, v in zip(sheet.read_columns(), entry)]
        if all(checked):
            out.append((str(checked[0]), str(checked[1])))
    return out or None
