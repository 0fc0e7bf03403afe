"""Typography and leftovers of the printed text (rules W11–W17): doubled marks,
unfinished paragraphs, unpaired brackets, cut-off reasons, doubled words,
placeholders, rates without %.

What the rules look for is data (data/typography.yaml); every finding quotes
the sentence at fault. One fault is reported once: a doubled mark inside a
cut-off reason (原因：。) is W14's, a paragraph that ends on a cut-off reason
is W14's; in a 决算, a sentence T19 reports as the template's leftover (a
rate without %, 增加（减少）, （不涉及的不列）) is T19's alone, and an empty
reason of an execution statement is T14's. A blank form (the template
itself) is not checked: the rules are recorded as not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, wraps

from ..data_files import data_file

from ..explain.execution import execution_file, execution_items
from ..explain.passages import Passage, Sentence, passages, sentences
from ..model import Disclosure
from .context import Context
from .inspection import blank_template
from .registry import CheckFn, check

_DATA = "typography.yaml"
_WHOLE, _AROUND = 40, 15  # a sentence longer than _WHOLE is quoted _AROUND characters either side of the fault
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Pair:
    opens: str
    closes: str


@dataclass(frozen=True, slots=True)
class Spec:
    doubled_marks: re.Pattern
    stops: str
    closers: str
    clauses: str
    labels: re.Pattern
    numbering: dict[str, re.Pattern]
    pairs: tuple[Pair, ...]
    cut_reason: re.Pattern
    doubled: re.Pattern
    single: dict[str, tuple[str, ...]]
    legit: re.Pattern
    placeholders: tuple[tuple[re.Pattern, str], ...]
    ratios: tuple[re.Pattern, ...]


def _compile(pattern: str, where: str, groups: tuple[str, ...] = ()) -> re.Pattern:
    try:
        out = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{_DATA}: {where}: {exc}") from exc
    if missing := [g for g in groups if g not in out.groupindex]:
        raise ValueError(f"{_DATA}: {where}: the pattern needs the group(s) {missing}")
    return out


def _chars(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{_DATA}: {where}: a non-empty string of characters")
    return value


def _doubled_marks(p: dict) -> re.Pattern:
    marks = re.escape(_chars(p["marks"], "punctuation.marks"))
    beside = re.escape(_chars(p["beside"], "punctuation.beside"))
    return re.compile(f"[{marks}]{{2,}}|[{marks}][{beside}]|[{beside}][{marks}]")


def _pairs(raw: list) -> tuple[Pair, ...]:
    out, seen = [], set()
    for i, p in enumerate(raw):
        pair = Pair(_chars(p["open"], f"pairs[{i}].open"), _chars(p["close"], f"pairs[{i}].close"))
        chars = set(pair.opens + pair.closes)
        if len(chars) != len(pair.opens + pair.closes) or chars & seen:
            raise ValueError(f"{_DATA}: pairs[{i}]: a character may open or close one pair only")
        seen |= chars
        out.append(pair)
    return tuple(out)


def _doubled(w: dict) -> tuple[re.Pattern, dict[str, tuple[str, ...]], re.Pattern]:
    shortest, longest = int(w["shortest"]), int(w["longest"])
    if not 2 <= shortest <= longest:
        raise ValueError(f"{_DATA}: doubled_words: 2 <= shortest <= longest")
    single = {}
    for char, words in w["single"].items():
        if len(char) != 1 or any(char not in word for word in words):
            raise ValueError(f"{_DATA}: doubled_words.single: {char!r} must be one character in each of its words")
        single[char] = tuple(words)
    # Chinese characters only, and commas between clauses: a repeat across quotes or a list
    # (“财政拨款收入”、“事业收入”、“事业单位…) or one of figures is the text's structure, not a slip
    han = "\u4e00-\u9fff"
    doubled = re.compile(f"(?P<w>[{han}][{han}，]{{{shortest - 2},{longest - 2}}}?[{han}])(?P=w)")
    legit = _compile("|".join(f"(?:{x})" for x in w["legit"]), "doubled_words.legit")
    return doubled, single, legit


@cache
def spec() -> Spec:
    data = data_file(_DATA)
    c = data["closing"]
    doubled, single, legit = _doubled(data["doubled_words"])
    return Spec(
        doubled_marks=_doubled_marks(data["punctuation"]),
        stops=_chars(c["stops"], "closing.stops"),
        closers=_chars(c["closers"], "closing.closers"),
        clauses=_chars(c["clauses"], "closing.clauses"),
        labels=_compile(c["labels"], "closing.labels"),
        numbering={k: _compile(v, f"closing.numbering.{k}") for k, v in c["numbering"].items()},
        pairs=_pairs(data["pairs"]),
        cut_reason=_compile(data["cut_reason"], "cut_reason", ("link", "colon")),
        doubled=doubled,
        single=single,
        legit=legit,
        placeholders=tuple((_compile(p["pattern"], f"placeholders[{i}]"), p["says"])
                           for i, p in enumerate(data["placeholders"])),
        ratios=tuple(_compile(p, f"ratios[{i}]", ("n",)) for i, p in enumerate(data["ratios"])),
    )


# -- passages, sentences and spans --------------------------------------------------
def _in_order(d: Disclosure) -> Iterator[tuple[Passage, Passage | None]]:
    """Every passage with the one printed after it in the same part (None at
    the end of the part): whether a text goes on is read from what follows."""
    items = list(passages(d))
    for i, p in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        same = nxt is not None and nxt.part == p.part and nxt.section is p.section
        yield p, nxt if same else None


def _unique(d: Disclosure) -> Iterator[tuple[Passage, Passage | None]]:
    """A paragraph some readers list twice (a section that is also the
    duties) is checked once."""
    seen = set()
    for p, nxt in _in_order(d):
        key = (p.text, p.source.model_dump_json() if p.source is not None else (p.part, p.paragraph))
        if key not in seen:
            seen.add(key)
            yield p, nxt


def _sentence_at(p: Passage, at: int) -> Sentence:
    return next((s for s in sentences(p) if s.start <= at < s.end), sentences(p)[-1])


def _report(ctx: Context, rule: str, p: Passage, spans: list[Span], says: str) -> None:
    """A finding quoting the sentence of the first span, its message the
    characters at fault (in a window of their sentence when it is long)."""
    s = _sentence_at(p, spans[0][0])
    printed = "」、「".join(dict.fromkeys(p.text[a:b] for a, b in spans))
    a, b = spans[0][0] - s.start, min(spans[-1][1], s.end) - s.start
    lo, hi = (0, len(s.text)) if len(s.text) <= _WHOLE else (max(0, a - _AROUND), min(len(s.text), b + _AROUND))
    around = ("…" if lo else "") + s.text[lo:hi] + ("…" if hi < len(s.text) else "")
    said = f"「{printed}」" if around == printed else f"「{around}」中「{printed}」"
    ctx.report_text(rule, f"{said}{says}", s)


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _numbered(text: str) -> str | None:
    """The numbering style the text starts with (一、 （一） 1、 1. （1） ①), if any."""
    return next((style for style, pattern in spec().numbering.items() if pattern.match(text)), None)


def _label_end(text: str) -> int:
    """Where an item's numbering ends (0 when it has none)."""
    m = next((m for pattern in spec().numbering.values() if (m := pattern.match(text))), None)
    return m.end() if m else 0


def _blank_form(d: Disclosure) -> str | None:
    """Why the document is a blank form (of any kind), or None."""
    return blank_template(d, any_kind=True)


def _on_filled_forms(rule: str) -> Callable[[CheckFn], CheckFn]:
    """Registers a check that runs on filled documents only. A blank form is
    all the form's own instructions and placeholders: there the rule is
    recorded as not run, as T19 is on the blank 决算 (one C16 note covers
    it), instead of reporting the form line by line."""
    def register(fn: CheckFn) -> CheckFn:
        @wraps(fn)
        def run(ctx: Context) -> None:
            why = _blank_form(ctx.d)
            if why is not None:
                ctx.cannot(rule, f"空白模板（{why}）：文字是模板的填写说明和占位符")
            else:
                fn(ctx)
        return check(rule)(run)
    return register


@cache
def _leftover_patterns() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    f = execution_file()["leftovers"]
    return frozenset(f["sections"]), tuple(re.compile(x["pattern"]) for x in f["patterns"])


def _t19_sentences(ctx: Context, p: Passage) -> list[Span]:
    """The sentences of this passage T19 reports as a 决算's template
    leftovers: the sentence is reported once, by T19."""
    if ctx.d.kind != "final_accounts" or p.section is None:
        return []
    sections, patterns = _leftover_patterns()
    if p.section.key not in sections:
        return []
    hits = [m.span() for pattern in patterns for m in pattern.finditer(p.text)]
    return [(s.start, s.end) for s in sentences(p) if _overlaps((s.start, s.end), hits)]


def _by_sentence(ctx: Context, p: Passage, found: Iterator[Span]) -> dict[Span, list[Span]]:
    """Spans grouped by their sentence, without the sentences T19 reports."""
    t19 = _t19_sentences(ctx, p)
    out: dict[Span, list[Span]] = {}
    for span in sorted(found):
        s = _sentence_at(p, span[0])
        if not _overlaps(span, t19):
            out.setdefault((s.start, s.end), []).append(span)
    return out


# -- W11 doubled punctuation -------------------------------------------------------------
@_on_filled_forms("W11")
def doubled_punctuation(ctx: Context) -> None:
    for p, nxt in _unique(ctx.d):
        taken = list(_cut_reasons(p, nxt))
        for m in spec().doubled_marks.finditer(p.text):
            if not _overlaps(m.span(), taken):
                _report(ctx, "W11", p, [m.span()], "标点重复")


# -- W12 closing punctuation ---------------------------------------------------------------
def _closed(text: str) -> bool:
    """Ends with a stop, maybe inside closing quotes or brackets, or before a
    bracketed remark that follows a finished sentence (…等。（按…填写））."""
    s = spec()
    body = text.rstrip(s.closers)
    if body.endswith(tuple(s.stops)):
        return True
    if text.endswith(tuple(s.closers)) and (start := _remark_start(text)) is not None:
        return text[:start].rstrip(s.closers).endswith(tuple(s.stops))
    return False


def _remark_start(text: str) -> int | None:
    """Where the bracketed remark that ends the text opens."""
    pair = next((pair for pair in spec().pairs if text[-1] in pair.closes), None)
    if pair is None:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] in pair.closes) - (text[i] in pair.opens)
        if depth == 0:
            return i
    return None


def _clauses(text: str) -> int:
    """How many clauses the text has, by its inner marks."""
    return 1 + sum(c in spec().clauses for c in text[:-1])


def _goes_on(p: Passage, nxt: Passage | None) -> bool:
    """In a PDF, the next passage may continue this one: running text that
    begins no item is a printed line the reader set apart. A new item, a
    heading or the end of the part means this one has ended; in a Word or
    text file a paragraph ends where it ends."""
    return (p.source is not None and p.source.format == "pdf"
            and nxt is not None and nxt.prose and _numbered(nxt.text) is None)


@_on_filled_forms("W12")
def closing_punctuation(ctx: Context) -> None:
    items = [(p, nxt) for p, nxt in _unique(ctx.d) if p.kind in ("paragraph", "note")]
    for k, (p, nxt) in enumerate(items):
        last = sentences(p)[-1]
        if _closed(p.text) or _goes_on(p, nxt) or _ends_announcing(p) or _furniture(p, last):
            continue
        if _unfinished(items, k):
            what = "条目" if _numbered(p.text) else "段落"
            ctx.report_text("W12", f"{what}末尾「{_tail(last.text)}」缺少句末标点", last)


def _tail(text: str) -> str:
    """The last clause, as the reader looks for the missing mark."""
    clause = re.split(r"[，,；;：:]", text)[-1] or text
    return clause if len(clause) <= _WHOLE // 2 else "…" + clause[-(_WHOLE // 2):]


def _furniture(p: Passage, last: Sentence) -> bool:
    """The unfinished tail after a finished sentence is a label of the page
    (公开11表) the reader took in with the text."""
    return last.start > 0 and bool(spec().labels.match(last.text))


def _unfinished(items: list[tuple[Passage, Passage | None]], k: int) -> bool:
    """An item of a list is judged by its neighbours (the items of the same
    numbering before and after it): a list of headings, or one written
    without stops, has none; a list of sentences has them all. Text that is
    no item is a sentence when it has two clauses or more (one clause
    without marks may be a heading, a label or a table's name)."""
    p = items[k][0]
    style = _numbered(p.text)
    if style is not None:
        same = [q for q, _ in items if q.part == p.part and q.section is p.section and _numbered(q.text) == style]
        i = next(i for i, q in enumerate(same) if q is p)
        neighbours = same[max(i - 1, 0):i] + same[i + 1:i + 2]
        if neighbours:
            return all(_closed(q.text) for q in neighbours)
    return _clauses(p.text) > 1


# -- W13 pairs ------------------------------------------------------------------------------
def _unpaired(text: str, pair: Pair) -> tuple[list[int], list[int]]:
    """Positions of the marks of one pair that find no partner: closers
    before any opener, openers never closed. Pairs of other kinds may cross
    it (“…（…”…）is left alone)."""
    opened, lonely = [], []
    for i, c in enumerate(text):
        if c in pair.opens:
            opened.append(i)
        elif c in pair.closes:
            if opened:
                opened.pop()
            else:
                lonely.append(i)
    return lonely, opened


@_on_filled_forms("W13")
def pairs(ctx: Context) -> None:
    before: dict[Pair, list[int]] = {}  # openers left open by the passage this one goes on from
    for p, nxt in _unique(ctx.d):
        after = _goes_on(p, nxt)
        for pair in spec().pairs:
            lonely, opened = _unpaired(p.text, pair)
            # a bracket opened on one printed line the reader set apart and closed on the next
            lonely = lonely[len(before.get(pair, [])):]
            if after:
                opened = opened[:max(len(opened) - len(_unpaired(nxt.text, pair)[0]), 0)]
            for at in sorted(lonely + opened):
                c = p.text[at]
                other = pair.closes[0] if c in pair.opens else pair.opens[0]
                side = "没有对应的" if c in pair.opens else "前面没有对应的"
                _report(ctx, "W13", p, [(at, at + 1)], f"{side}「{other}」")
        before = {pair: _unpaired(p.text, pair)[1] for pair in spec().pairs} if after else {}


# -- W14 cut-off reasons ----------------------------------------------------------------------
def _announced(p: Passage) -> Iterator[re.Match]:
    """Reasons announced: 主要原因是 / 原因为 / 原因：…"""
    if p.prose:
        yield from (m for m in spec().cut_reason.finditer(p.text) if m.group("link") or m.group("colon"))


def _cut_reasons(p: Passage, nxt: Passage | None) -> Iterator[Span]:
    """Reasons announced and followed by a sentence's end, or by the end of
    the part: a paragraph below may give them (主要原因如下： and a list, or
    the rest of a PDF line the reader set apart)."""
    for m in _announced(p):
        rest = p.text[m.end():].lstrip("，,")
        end = len(p.text) - len(rest)
        if rest[:1] and rest[0] in "。；;！？!?":
            yield m.start(), end + 1
        elif not rest and not (nxt is not None and nxt.prose):
            yield m.start(), end


def _ends_announcing(p: Passage) -> bool:
    """The paragraph ends on 原因是 / 原因：: W14's when cut, else the reason is below."""
    return any(m.end() == len(p.text.rstrip("，,")) for m in _announced(p))


def _empty_reasons(ctx: Context) -> set[tuple[int, int]]:
    """(section, paragraph) of a 决算's execution statements whose 主要原因 is
    printed empty: T14 reports those."""
    if ctx.d.kind != "final_accounts":
        return set()
    return {(id(e.section), e.paragraph) for e in execution_items(ctx.d)
            if e.reason is not None and not e.reason.strip("：:，,；;。.、“”\"（）() ")}


@_on_filled_forms("W14")
def cut_reasons(ctx: Context) -> None:
    t14: set[tuple[int, int]] | None = None
    for p, nxt in _unique(ctx.d):
        for span in _cut_reasons(p, nxt):
            if t14 is None:
                t14 = _empty_reasons(ctx)
            if (id(p.section), p.paragraph) not in t14:
                _report(ctx, "W14", p, [span], "之后没有说明原因")


# -- W15 doubled words -------------------------------------------------------------------------
def _doubled_words(text: str) -> Iterator[Span]:
    """The first of two copies of a word printed one after the other."""
    s = spec()
    label = _label_end(text)
    for m in s.doubled.finditer(text):
        # （27）赔偿委员会办公室  赔偿委员会办公室依法办理…: a run-in label repeated as the subject
        if m.start() == label or s.legit.fullmatch(m.group("w")):
            continue
        yield m.start(), m.end("w")
    for char, words in s.single.items():
        for m in re.finditer(re.escape(char * 2), text):
            if not any(_covers(text, m.start(), w, char) for w in words):
                yield m.start(), m.start() + 1


def _covers(text: str, at: int, word: str, char: str) -> bool:
    """`word` is printed over one of the two characters at `at`."""
    for k, c in enumerate(word):
        if c == char and any(text.startswith(word, at + j - k) for j in (0, 1) if at + j - k >= 0):
            return True
    return False


@_on_filled_forms("W15")
def doubled_words(ctx: Context) -> None:
    for p, _ in _unique(ctx.d):
        if p.kind == "cover":
            continue  # the cover's lines are joined without their breaks: 单位预算 / 预算单位：…
        for span in _doubled_words(p.text):
            _report(ctx, "W15", p, [span], "连写两次，词语重复")


# -- W16 placeholders ------------------------------------------------------------------------------
@_on_filled_forms("W16")
def placeholders(ctx: Context) -> None:
    for p, _ in _unique(ctx.d):
        for pattern, says in spec().placeholders:
            found = (m.span() for m in pattern.finditer(p.text))
            for spans in _by_sentence(ctx, p, found).values():
                _report(ctx, "W16", p, spans, says)


# -- W17 rates without % ------------------------------------------------------------------------------
@_on_filled_forms("W17")
def ratios(ctx: Context) -> None:
    for p, _ in _unique(ctx.d):
        if p.prose:
            found = (m.span() for pattern in spec().ratios for m in pattern.finditer(p.text))
            for spans in _by_sentence(ctx, p, found).values():
                for span in spans:
                    _report(ctx, "W17", p, [span], "是比率，缺少百分号")
