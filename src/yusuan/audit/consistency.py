"""One item, one amount (rule W08): an item's paragraph that restates its
figure for the year with another amount ("住房公积金（项）”350.35万元 …
2024年预算安排352.67万元"), and one label given two amounts in one section.

Amounts agree when they agree at the coarser of their printed precisions;
labels are compared without numbering, quotes and the filler words around an
amount (为, 安排, 共计 …). A label too general to name an item (其中, 合计),
or one that names a change or another year's figure, is not compared.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..explain.comparisons import Amount, amounts, patterns
from ..explain.passages import Passage, passages
from .context import Context
from .registry import check

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
_NOISE = re.compile(r"[“”\"‘’《》]|(?:共计|合计|总计|安排|预算数|决算数|为|是|的)+$")


def _agree(a: Amount, b: Amount) -> bool:
    return abs(a.value - b.value) <= max(a.half, b.half) * 2


@check("W08")
def one_amount(ctx: Context) -> None:
    pats = patterns()
    restated = re.compile(pats.restated.replace("{year}", str(ctx.d.year or r"\d{4}")))
    by_section: dict[int, dict[str, list[tuple[Amount, Passage]]]] = defaultdict(lambda: defaultdict(list))
    for p in passages(ctx.d):
        if not p.prose:
            continue
        found = amounts(p.text)
        _restatement(ctx, p, found, restated)
        for a in found:
            key = _key(a.label, ctx.d.kind)
            if key is not None:
                by_section[id(p.section) if p.section else hash(p.part)][key].append((a, p))
    for labels in by_section.values():
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


def _key(label: str, kind: str) -> str | None:
    pats = patterns()
    if pats.change_label.search(label):
        return None
    key = _NOISE.sub("", _NUMBERING.sub("", label))
    if kind == "budget":
        # in a budget every figure is a 预算: 因公出国（境）费预算支出 is 因公出国（境）费支出
        # (a 决算 keeps the word: its 预算数 and 决算数 are two figures)
        key = key.replace("预算支出", "支出")
    key = re.sub(r"^(?:其中|包括|和|及|以及)", "", key)
    if len(key) < 4 or pats.generic_label.match(key):
        return None
    return key


def _differing(ctx: Context, key: str, stated: list[tuple[Amount, Passage]]) -> None:
    first, where = stated[0]
    for a, p in stated[1:]:
        if not _agree(first, a):
            ctx.report_text("W08", f"「{key}」先称 {first.printed}（{where.part}），后称 {a.printed}", p,
                            quote=p.text[a.start - len(a.label):a.end])
            return
