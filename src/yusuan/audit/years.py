"""Years in the text (rules W01–W02): a budget for year N compares with
N−1 and states N−1's execution as its base; a 决算 for N compares with N−1's
决算 or N's own budget; a year naming a disclosure — in the cover, a
heading, a table title or the text ("2018年部门汇总预算") — is the document's.

The 主要职能 and 名词解释 parts speak of the department's history and of
terms, not of this disclosure: their years are not read.
"""

from __future__ import annotations

from ..explain.comparisons import comparisons, patterns
from ..explain.passages import Passage, Sentence, passages, sentences
from .context import Context
from .registry import check

_NOT_ABOUT_THIS_DOCUMENT = {"duties", "glossary"}
_BUDGET_WORD = "预算"


def _year(ctx: Context, rule: str) -> int | None:
    """The document's year; without it the rule could not run (never passed)."""
    if ctx.d.year is None:
        ctx.cannot(rule, "文档年度未知")
    return ctx.d.year


@check("W01")
def comparison_years(ctx: Context) -> None:
    if (n := _year(ctx, "W01")) is None:
        return
    final = ctx.d.kind == "final_accounts"
    for p in _about_this_document(ctx):
        if not p.prose:
            continue
        for c in comparisons(p, n):
            if c.year is None or c.year == n - 1:
                continue
            if final and c.year == n and _BUDGET_WORD in c.what:
                continue  # a 决算 against its own year's budget
            wanted = f"{n - 1}年" + ("或本年预算" if final else "")
            ctx.report_text("W01", f"{n}年{_kind(ctx)}与{c.year}年比较（「{c.quote}」），应与{wanted}比较", c.sentence,
                            quote=c.clause)
        for s in sentences(p):
            for m in patterns().prior_year.finditer(s.text):
                if int(m.group("year")) != n - 1 and not patterns().compared.search(s.text[:m.start()]):
                    ctx.report_text("W01", f"{n}年{_kind(ctx)}以{m.group(0)}为上年数，应为{n - 1}年", s)


@check("W02")
def document_years(ctx: Context) -> None:
    if (n := _year(ctx, "W02")) is None:
        return
    pats = patterns()
    for p in _about_this_document(ctx):
        pattern = pats.own_year if p.prose else pats.titled_year
        for s in sentences(p):
            for m in pattern.finditer(s.text):
                year = int(m.group("year"))
                if year == n or pats.compared.search(s.text[:m.start()]) or _allowed_prior(p, s, m.start()):
                    continue
                ctx.report_text("W02", f"「{m.group(0)}」的年度为{year}年，文档年度为{n}年", s)


def _allowed_prior(p: Passage, s: Sentence, start: int) -> bool:
    """A heading or title naming last year's figure as a comparison column
    (上年预算数, 2024年执行数) is not the document's year printed wrong."""
    return not p.prose and bool(patterns().prior_year.match(s.text, start))


def _about_this_document(ctx: Context):
    for p in passages(ctx.d):
        if p.section is not None and p.section.key in _NOT_ABOUT_THIS_DOCUMENT:
            continue
        if p.part == "主要职能":
            continue
        yield p


def _kind(ctx: Context) -> str:
    return "决算" if ctx.d.kind == "final_accounts" else "预算"
