"""What the reader saw but could not place (rules R01–R05): every `Unread`
becomes a finding with its location, so nothing is lost without a word."""

from __future__ import annotations

from .context import Context
from .registry import check

_RULE = {"table": "R01", "column": "R02", "cell": "R03", "paragraph": "R04", "part": "R05"}
_WHAT = {"table": "未能识别的表格", "column": "未能识别的表列", "cell": "未能读取的单元格",
         "paragraph": "未能归入任何部分的文字", "part": "重复或缺失的部分"}


@check("R01", "R02", "R03", "R04", "R05")
def unread(ctx: Context) -> None:
    for u in ctx.d.unread:
        rule = "R05" if u.kind == "table" and u.message.startswith("a second table") else _RULE[u.kind]
        table = ctx.table(u.table) if u.table else None
        printed = f"「{u.text}」" if u.text else ""
        ctx.report(rule, f"{_WHAT[u.kind]}{printed}：{u.message}", table=table, source=u.source)
