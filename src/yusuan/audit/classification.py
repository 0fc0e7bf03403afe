"""Codes against the official catalogues (rules K01–K05)."""

from __future__ import annotations

from ..definitions import levels, squash
from .catalogue import catalogue, normalize_name
from .context import Context, table_name
from .registry import check


@check("K01", "K02", "K03", "K04", "K05")
def codes(ctx: Context) -> None:
    year = ctx.d.year
    skipped: set[str] = set()
    # codes under a branch the shipped catalogue lists only in part: their
    # names cannot be checked, which is said once, not as a fault per row
    uncovered: dict[str, list[str]] = {}
    for t in ctx.d.tables.values():
        cls = ctx.definition(t).classification
        if not cls:
            continue
        lengths = sorted(levels(cls))
        cat = catalogue(cls)
        seen: set[str] = set()
        for r in t.rows:
            code = r.code
            if not code:
                continue
            if not code.isdigit() or len(code) not in lengths:
                ctx.report("K01", f"{table_name(t)} 科目编码「{code}」不是 {'/'.join(map(str, lengths))} 位数字", table=t, row=r)
                continue
            i = lengths.index(len(code))
            if i > 0 and code[: lengths[i - 1]] not in seen:
                ctx.report("K02", f"{table_name(t)} {code} {squash(r.name)} 前面没有上级科目 {code[: lengths[i - 1]]}",
                           table=t, row=r)
            seen.add(code)
            if year is None or not cat.covers(year):
                if cls not in skipped:
                    skipped.add(cls)
                    ctx.report("K05", f"附带的{'支出功能' if cls == 'functional' else '经济'}分类目录从 {cat.first_year} 年起，"
                                      f"不覆盖 {year or '未知'} 年度，未核对科目名称", table=t)
                continue
            entry = cat.lookup(code, year)
            parent = code[: lengths[i - 1]] if i > 0 else ""
            if entry is None and not cat.lists_children_of(parent):
                uncovered.setdefault(cls, []).append(code)
            elif entry is None:
                ctx.report("K04", f"{table_name(t)} 科目 {code} {squash(r.name)} 不在 {year} 年科目目录中",
                           table=t, row=r)
            elif normalize_name(entry.name) != normalize_name(r.name):
                ctx.report("K03", f"{table_name(t)} 科目 {code} 名称为「{squash(r.name)}」，{year} 年官方名称为「{entry.name}」",
                           table=t, row=r, expected=entry.name)
    for cls, found in uncovered.items():
        codes_ = list(dict.fromkeys(found))
        shown = "、".join(codes_[:5]) + (f" 等 {len(codes_)} 个" if len(codes_) > 5 else "")
        ctx.report("K05", f"附带的{'支出功能' if cls == 'functional' else '经济'}分类目录未收录科目 {shown}"
                          f"（目录只收录部分款项），未核对其名称")
