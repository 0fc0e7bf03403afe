"""One item, one amount (rule W08): an item's paragraph that restates its
figure for the year with another amount ("住房公积金（项）”350.35万元 …
2024年预算安排352.67万元"), and one label given two amounts in one section.

Amounts agree when they agree at the coarser of their printed precisions.
A label is compared by the item it ends with — a 科目 of the catalogues or
an item of data/comparisons.yaml — so "涉及预算金额" (of whatever the clause
before spoke of) is never an item; a label naming a change or another
year's figure is not compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ..explain.comparisons import Amount, amounts, patterns
from ..explain.passages import Passage, passages
from .catalogue import catalogue
from .context import Context
from .registry import check

_QUOTES = re.compile(r"[“”\"‘’]")


def _agree(a: Amount, b: Amount) -> bool:
    return abs(a.value - b.value) <= max(a.half, b.half) * 2


@check("W08")
def one_amount(ctx: Context) -> None:
    pats = patterns()
    restated = re.compile(pats.restated.replace("{year}", str(ctx.d.year or r"\d{4}")))
    by_part: dict[str, dict[str, list[tuple[Amount, Passage]]]] = defaultdict(lambda: defaultdict(list))
    for p in passages(ctx.d):
        if not p.prose:
            continue
        found = amounts(p.text)
        _restatement(ctx, p, found, restated)
        for a in found:
            key = _key(a.label, ctx.d.kind)
            if key is not None:
                by_part[p.part][key].append((a, p))
    for labels in by_part.values():
        for key, stated in labels.items():
            _differing(ctx, key, stated)


def _restatement(ctx: Context, p: Passage, found: list[Amount], restated: re.Pattern) -> None:
    """The item's heading figure and its restatement, when they are the
    paragraph's only figures of this year (the rest are changes and bases)."""
    pats = patterns()
    own = [a for a in found if not pats.change_label.search(a.label)]
    if len(own) != 2 or not restated.search(own[1].label) or _agree(own[0], own[1]):
        return
    ctx.report_text("W08", f"同一事项先称 {own[0].printed}，后称「{own[1].label}{own[1].printed}」", p,
                    quote=p.text[own[0].start - len(own[0].label):own[1].end])


_CHAIN = re.compile(r"^(?:\d+[、.．]|[一二三四五六七八九十]+、)?(?P<chain>.+（[类款项]）)")


@cache
def _item_names() -> tuple[str, ...]:
    """The names a label may end with, longest first (so 公务用车购置及运行
    维护费 is not read as 运行维护费): the items of the data file and the 类
    of the catalogue — a 款 or 项 name alone (一般行政管理事务) recurs under
    many parents and names no one item."""
    names = set(patterns().items)
    names |= {e.name for code, es in catalogue("functional").entries.items() if len(code) == 3 for e in es}
    return tuple(sorted(names, key=len, reverse=True))


def _key(label: str, kind: str) -> str | None:
    """The item a label names, with 预算/决算 when a 决算 says which figure."""
    pats = patterns()
    if pats.change_label.search(label):
        return None
    label = _QUOTES.sub("", label)
    chain = _CHAIN.match(label)
    if chain and ("（款）" in chain.group("chain") or "（项）" in chain.group("chain")):
        return chain.group("chain")  # 类（类）款（款）项（项）: the chain is the item
    for name in _item_names():
        at = label.rfind(_QUOTES.sub("", name))
        if at < 0:
            continue
        tail = label[at + len(_QUOTES.sub("", name)):]
        if not pats.item_tail.match(tail):
            continue
        figure = "决算" if "决算" in tail else "预算" if "预算" in tail and kind == "final_accounts" else ""
        return name + figure
    return None


def _differing(ctx: Context, key: str, stated: list[tuple[Amount, Passage]]) -> None:
    first, where = stated[0]
    for a, p in stated[1:]:
        if not _agree(first, a):
            ctx.report_text("W08", f"「{key}」先称 {first.printed}（{where.part}），后称 {a.printed}", p,
                            quote=p.text[a.start - len(a.label):a.end])
            return
