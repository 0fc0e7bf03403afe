"""Rates, directions and changes recomputed from the amounts the same
sentence joins (rules W03–W07, W20): "A万元，比上年增加C万元，增长R%",
"上年执行数为B万元，本年预算安排A万元，比上年增加R%", "…持平"; shares
("占X%") of a base the sentence states, or of a list of parts whose shares
make up the whole; completion ("完成X%") of a budget the sentence states.

Every printed amount is a rounding: a rate is a fault only when no pair of
true amounts within half a unit of the printed ones gives the printed rate
(at its own precision, rounded or cut). On a 决算, a change with its rate in
the sections rule T17 reads is T17's; it is not reported twice.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..explain.comparisons import Amount, Comparison, Ratio, comparisons, ratios
from ..explain.execution import execution_file
from ..explain.passages import Passage, passages
from .context import Context
from .final_text import rate
from .registry import check

_HUNDRED = Decimal(100)
_WAN = Decimal(10000)


def wan(value: Decimal) -> str:
    """An amount in 元 as the text prints it, in 万元."""
    return f"{(value / _WAN).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}万元"


def rate_fits(printed: Decimal, part: Decimal, part_tol: Decimal, base: Decimal, base_tol: Decimal) -> bool:
    """Whether `printed` percent is part / base for some true amounts within
    the printed ones' rounding, rounded or cut at the printed precision."""
    if base - base_tol <= 0:
        return True  # a base that may be zero: not checkable here (W06)
    lo = max(part - part_tol, Decimal(0)) / (base + base_tol) * _HUNDRED
    hi = (part + part_tol) / (base - base_tol) * _HUNDRED
    unit = _unit(printed)
    return lo - unit <= printed <= hi + unit / 2


def _unit(printed: Decimal) -> Decimal:
    exponent = printed.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _sign(diff: Decimal, tol: Decimal) -> int:
    return 0 if abs(diff) <= tol else (1 if diff > 0 else -1)


_WORD = {1: "增加", -1: "减少", 0: "持平"}


def _t17_covers(ctx: Context, c: Comparison) -> bool:
    if ctx.d.kind != "final_accounts" or c.change is None or c.rate is None:
        return False
    section = c.passage.section
    return section is not None and section.key in execution_file()["changes"]["sections"]


@check("W03", "W04", "W05", "W06", "W20")
def changes(ctx: Context) -> None:
    for p in passages(ctx.d):
        if not p.prose:
            continue
        for c in comparisons(p, ctx.d.year):
            _check(ctx, c)


def _check(ctx: Context, c: Comparison) -> None:
    if c.direction is None:
        return  # the template's 增加（减少）: T19/W16 report the leftover
    if c.rate_direction is not None and c.rate_direction != c.direction:
        ctx.report_text("W04", f"「{c.quote}」增减方向前后矛盾", c.sentence, quote=c.clause)
        return
    if c.direction == 0:
        stated = c.change.value if c.change else (c.rate or Decimal(0))
        if stated:
            ctx.report_text("W04", f"「{c.quote}」称持平，却有增减", c.sentence, quote=c.clause)
            return
    a, b = c.current, c.prior
    if a is not None and b is not None:
        _with_prior(ctx, c, a, b)
    elif a is not None and c.change is not None and c.direction:
        _with_change(ctx, c, a, c.change)
    elif (c.rate is not None or (c.change is not None and a is None)) and not _t17_covers(ctx, c):
        ctx.report_text("W20", f"「{c.quote}」没有可以核对的本年数或上年数", c.sentence, quote=c.clause)


def _with_prior(ctx: Context, c: Comparison, a: Amount, b: Amount) -> None:
    diff, tol = a.value - b.value, a.half + b.half
    actual = _sign(diff, tol)
    if actual != 0 and actual != c.direction:
        ctx.report_text("W04", f"「{c.quote}」：本年 {a.printed}、上年 {b.printed}，应为{_WORD[actual]}",
                        c.sentence, quote=c.clause)
        return
    if c.change is not None and abs(c.change.value - abs(diff)) > tol + c.change.half:
        ctx.report_text("W05", f"「{c.quote}」：本年 {a.printed}、上年 {b.printed}，增减额为 {wan(abs(diff))}",
                        c.sentence, quote=c.clause)
    _rate(ctx, c, abs(diff), tol, b.value, b.half, a, b.printed)


def _with_change(ctx: Context, c: Comparison, a: Amount, change: Amount) -> None:
    base = a.value - change.value if c.direction > 0 else a.value + change.value
    tol = a.half + change.half
    if base < -tol:
        ctx.report_text("W05", f"「{c.quote}」：本年 {a.printed}，增加 {change.printed} 则上年为负数",
                        c.sentence, quote=c.clause)
        return
    if _t17_covers(ctx, c) and base - tol > 0:
        return  # T17 recomputes this rate; a rate from nothing it leaves to W06
    _rate(ctx, c, change.value, change.half, base, tol, a, wan(base))


def _fits_lead(c: Comparison, base: Decimal, base_tol: Decimal) -> bool:
    """The rate agrees with the item's heading amount rather than the one the
    sentence restates: the fault is the restatement (W08), not the rate."""
    if c.lead is None or c.prior is None or c.rate is None:
        return False
    return rate_fits(c.rate, abs(c.lead.value - base), c.lead.half + base_tol, base, base_tol)


def _rate(ctx: Context, c: Comparison, part: Decimal, part_tol: Decimal, base: Decimal, base_tol: Decimal,
          a: Amount, base_printed: str) -> None:
    if c.rate is None:
        return
    if base - base_tol <= 0:
        if c.rate:
            ctx.report_text("W06", f"「{c.quote}」：上年为 {base_printed}，增长率无从计算", c.sentence, quote=c.clause)
        return
    if not rate_fits(c.rate, part, part_tol, base, base_tol) and not _fits_lead(c, base, base_tol):
        ctx.report_text("W03", f"「{c.quote}」：本年 {a.printed}、上年 {base_printed}，增减幅度为 "
                               f"{rate(part, base, c.rate)}%，而非 {c.rate}%",
                        c.sentence, quote=c.clause)


# -- W07 shares and completion ----------------------------------------------------
def _covered_on_final(ctx: Context, p: Passage, kind: str) -> bool:
    """Shares (T11) and completion (T12) a 决算's own rules recompute."""
    if ctx.d.kind != "final_accounts" or p.section is None:
        return False
    data = execution_file()
    keys = set(data["shares"]["sections"]) if kind == "share" else \
        set(data["general"]["sections"]) | set(data["three_public"]["sections"])
    return p.section.key in keys


@check("W07")
def shares(ctx: Context) -> None:
    run: list[Ratio] = []
    last: Passage | None = None
    for p in passages(ctx.d):
        found = [r for r in ratios(p) if p.prose and not _covered_on_final(ctx, p, r.kind)]
        if not found or last is None or not _adjacent(last, p):
            _run(ctx, run)
            run = []
        for r in found:
            if r.base is not None:
                _ratio(ctx, r, r.base.value, r.base.half, r.base.printed)
            elif r.kind == "share" and r.part is not None:
                if run and run[-1].base_name != r.base_name:
                    _run(ctx, run)
                    run = []
                run.append(r)
        last = p
    _run(ctx, run)


def _adjacent(a: Passage, b: Passage) -> bool:
    return a.section is b.section and a.part == b.part and b.paragraph is not None and a.paragraph is not None


def _run(ctx: Context, run: list[Ratio]) -> None:
    """Parts listed with their shares of one whole: the whole is their sum
    when (all but at most one of three or more) shares agree with it."""
    if len(run) < 2:
        return
    base = sum((r.part.value for r in run if r.part), Decimal(0))
    tol = sum((r.part.half for r in run if r.part), Decimal(0))
    misfits = [r for r in run if r.part and not rate_fits(r.rate, r.part.value, r.part.half, base, tol)]
    if sum(r.rate for r in run) == _HUNDRED:
        # shares made to add up to exactly 100% move one of them by a unit:
        # a rounding convention, not a fault
        misfits = [r for r in misfits if abs(r.rate - r.part.value / base * _HUNDRED) > _unit(r.rate)]
    if not misfits or (len(run) >= 3 and len(misfits) == 1):
        for r in misfits:
            _ratio(ctx, r, base, tol, f"各项合计 {wan(base)}")


def _ratio(ctx: Context, r: Ratio, base: Decimal, base_tol: Decimal, base_printed: str) -> None:
    if r.part is None:
        return
    if base - base_tol <= 0:
        if r.rate:
            ctx.report_text("W07", f"「{r.quote}」：{r.base_name or '基数'}为 {base_printed}，比率无从计算", r.sentence)
        return
    if not rate_fits(r.rate, r.part.value, r.part.half, base, base_tol):
        ctx.report_text("W07", f"「{r.quote}」：{r.part.printed} ÷ {base_printed} = "
                               f"{rate(r.part.value, base, r.rate)}%，而非 {r.rate}%", r.sentence)
