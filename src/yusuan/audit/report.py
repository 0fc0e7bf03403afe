"""Findings as a reviewer reads them: terminal text, a Markdown report, JSON."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len

from .. import cli_text as T
from ..wrapping import hanging

from ..definitions import table_defs
from ..model import About
from .finding import Finding
from .ledger import Entry
from .rulebook import SEVERITIES, rules

if TYPE_CHECKING:
    from rich.console import Console

Styled = tuple[str, list[tuple[str, int, int | None]]]  # a line (maybe several, wrapped) and its styles

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
ZH = {"error": "错误", "warning": "警告", "info": "提示"}
JSON_FIELDS = ("rule", "severity", "message", "table", "code", "item", "column", "section", "page")


@dataclass
class FileReport:
    file: str
    about: About  # not the disclosure: a batch keeps a report per file, not its tables
    findings: list[Finding]
    ledger: list[Entry] = field(default_factory=list)
    hidden: list[Finding] = field(default_factory=list)  # below --min-severity: counted, not shown

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def ledger_counts(self) -> Counter:
        return Counter(e.status for e in self.ledger)

    def summary(self) -> str:
        """`FILE：错误 3，警告 4，提示 1 — 部门 年度 · 表式 · 规则…`; findings
        hidden by --min-severity are counted apart, never as 0."""
        d = self.about
        shown, hidden = self.counts(), Counter(f.severity for f in self.hidden)
        line = T.say("summary", file=self.file, counts=_counts([s for s in SEVERITIES if not hidden.get(s)], shown),
                     department=d.department, year=d.year or "").rstrip()
        if hidden:
            line += T.say("hidden", counts=_counts([s for s in SEVERITIES if hidden.get(s)], hidden))
        if self.ledger:
            lc = self.ledger_counts()
            line += " · " + T.say("ledger", profile=d.profile, scope=T.say(f"scope_{d.scope}"), ran=lc.get("ran", 0),
                                  could_not_run=lc.get("could_not_run", 0), not_applicable=lc.get("not_applicable", 0))
        return line


def severity_label(severity: str) -> str:
    return T.say(f"severity_{severity}")


def _counts(severities, counts: Counter) -> str:
    sep = "，" if T.lang() == "zh" else ", "
    return sep.join(T.say("count", label=severity_label(s), n=counts.get(s, 0),
                          plural="s" if s != "info" and counts.get(s, 0) != 1 else "") for s in severities)


def group_of(f: Finding) -> str:
    """Findings are grouped by the table or section they point at."""
    if f.table:
        return table_defs()[f.table].name
    if f.section:
        return f.section
    if f.project:
        return f"项目绩效目标表「{f.project}」"
    return "文档整体"


def _grouped(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(group_of(f), []).append(f)
    return groups


def styled_lines(reports: list[FileReport], width: int) -> Iterator[Styled]:
    """Findings grouped by table or section, each on a hanging indent that
    wraps the words, never an amount or a code (yusuan.wrapping)."""
    label_cells = max(cell_len(severity_label(s)) for s in SEVERITIES)
    for rep in reports:
        d = rep.about
        yield (hanging(f"{rep.file}  {d.department} {d.year or ''}  {d.profile} · {T.say(f'scope_{d.scope}')}", width, 2),
               [("bold", 0, len(rep.file))])
        for group, items in _grouped(rep.findings).items():
            yield "  " + hanging(group, width, 2), [("bold", 0, None)]
            for f in items:
                loc = f.where(within_group=True)
                label = severity_label(f.severity)
                prefix = f"    {label}{' ' * (label_cells - cell_len(label))} {f.rule:<3} "
                body = f.message + (f" （{loc}）" if loc else "")
                text = prefix + hanging(body, width, cell_len(prefix))
                styles = [(STYLE[f.severity], 4, 4 + len(label)), ("dim", 4 + len(label), len(prefix))]
                if loc:
                    styles.append(("dim", text.rindex("（"), None))
                yield text, styles
        yield hanging(rep.summary(), width, 2), [("bold", 0, None)]


def print_text(reports: list[FileReport], console: Console) -> None:
    from rich.text import Text

    for line, styles in styled_lines(reports, console.width):
        text = Text(line)
        for style, start, end in styles:
            text.stylize(style, start, end)
        console.print(text, no_wrap=True, overflow="ignore", crop=False)


def _cites(f: Finding) -> dict:
    """The cell a text finding was compared with, only when there is one, so
    the other findings print as before."""
    if f.cited_table is None:
        return {}
    return {"cites": {"table": f.cited_table, "code": f.cited_code, "item": f.cited_item,
                      "column": f.cited_column}}


def to_json(reports: list[FileReport]) -> str:
    items = [
        {
            "file": rep.file,
            "department": rep.about.department,
            "year": rep.about.year,
            "profile": rep.about.profile,
            "scope": rep.about.scope,
            "findings": [
                {**{k: getattr(f, k) for k in JSON_FIELDS},
                 "column_header": f.column_header, "project": f.project, "paragraph": f.paragraph, "line": f.line,
                 **_cites(f), **({"expected": f.expected} if f.expected is not None else {})}
                for f in rep.findings
            ],
            "ledger": [e.model_dump() for e in rep.ledger],
        }
        for rep in reports
    ]
    value = items[0] if len(items) == 1 else items
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(reports: list[FileReport]) -> str:
    meta = rules()
    lines = ["# 部门预算公开审核报告", ""]
    for rep in reports:
        d = rep.about
        c = rep.counts()
        lines += [f"## {d.department} {d.year or ''}年（{rep.file}）", "",
                  "，".join(f"{ZH[s]} {c.get(s, 0)} 项" for s in SEVERITIES) + "。", ""]
        if rep.ledger:
            lc = rep.ledger_counts()
            lines += [f"表式：{d.profile}（{'部门' if d.scope == 'department' else '单位'}）。规则 {lc.get('ran', 0)} 项已核对，"
                      f"{lc.get('could_not_run', 0)} 项无法核对，{lc.get('not_applicable', 0)} 项不适用。", ""]
        if not rep.findings:
            lines += ["未发现问题。", ""]
        for group, items in _grouped(rep.findings).items():
            lines += [f"### {group}", "", "| 级别 | 规则 | 问题 | 位置 |", "|---|---|---|---|"]
            for f in items:
                lines.append(f"| {ZH[f.severity]} | {f.rule} {meta[f.rule].zh} | {_md_cell(f.message)} | {_md_cell(f.where(within_group=True))} |")
            lines.append("")
        blocked = [e for e in rep.ledger if e.status == "could_not_run"]
        if blocked:
            lines += ["### 无法核对的规则", "", "| 规则 | 原因 |", "|---|---|"]
            lines += [f"| {e.rule} {meta[e.rule].zh} | {_md_cell(e.reason or '')} |" for e in blocked]
            lines.append("")
    return "\n".join(lines)


def rules_text(console: Console) -> None:
    from rich.table import Table

    t = Table(box=None, header_style="bold")
    for col in ("id", "family", "severity", "说明", "description"):
        t.add_column(col, overflow="fold")
    for r in rules().values():
        t.add_row(r.id, f"{r.family_zh} {r.family_en}", f"[{STYLE[r.severity]}]{r.severity}[/]", r.zh, r.en)
    console.print(t)


def rules_json() -> str:
    return json.dumps(
        [{"id": r.id, "family": r.family_en, "family_zh": r.family_zh, "severity": r.severity, "zh": r.zh, "en": r.en}
         for r in rules().values()],
        ensure_ascii=False, indent=2,
    ) + "\n"
