"""The classification catalogues (`data/catalogue/*.yaml`): official codes
and names by year.

`entries` is the listing the K rules check tables against, from `first_year`
on. `former` holds names codes carried before (or have since lost) and
`created` the year a code first existed: what the text check W09 needs to
say a name is not of the document's year. They are kept apart from the
listing so an old name never makes K03–K05 check a year the listing does not
cover, nor answer a lookup there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..data_files import data_file

from ..definitions import normalize_name


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    name: str
    valid_from: int | None  # None: since before anything the file knows
    valid_to: int | None
    since: int | None = None  # the year the name came into use, when known (nothing before it)

    def valid(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def out_of_use(self, year: int) -> bool:
        """Known not to be the name in `year`: retired before it or not yet in use."""
        return (self.valid_to is not None and year > self.valid_to) or (self.since is not None and year < self.since)

    def years(self) -> str:
        """The years known to bound the name, in words ("" when none is)."""
        start, end = self.since, self.valid_to
        if start is not None and end is not None:
            return f"{start}—{end} 年"
        if end is not None:
            return f"{end} 年及以前"
        return f"{start} 年起" if start is not None else ""


@dataclass(frozen=True, slots=True)
class Catalogue:
    classification: str
    entries: dict[str, tuple[Entry, ...]]
    first_year: int
    complete: frozenset[str] = frozenset()  # parents whose children are all listed; "" is the top level
    former: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def lists_children_of(self, parent: str) -> bool:
        """Whether a code under `parent` that is missing here is really not
        in the official catalogue (rather than left out of this partial copy)."""
        return parent in self.complete

    def lookup(self, code: str, year: int) -> Entry | None:
        return next((e for e in self.entries.get(code, ()) if e.valid(year)), None)

    def covers(self, year: int) -> bool:
        return year >= self.first_year

    def code_for_name(self, name: str, length: int, year: int) -> str | None:
        """The code of the entry with this name at this code length (for the
        summary tables, which print 类 names without codes)."""
        return _names(self, length, year).get(normalize_name(name))

    def named(self, name: str) -> tuple[Entry, ...]:
        """Every entry, listed or former, carrying this name."""
        return _by_name(self).get(normalize_name(name), ())

    def name_in(self, code: str, year: int) -> Entry | None:
        """The code's name in `year`, listed or former."""
        return self.lookup(code, year) or next((e for e in self.former.get(code, ()) if e.valid(year)), None)

    def out_of_year(self, name: str, year: int) -> tuple[Entry, ...]:
        """The entries of a name none of which is the name of its code in
        `year` as far as the file knows; () when the name is valid then or
        its years are not known."""
        found = self.named(name)
        if found and all(e.out_of_use(year) for e in found):
            return found
        return ()

    def dated_names(self) -> frozenset[str]:
        """The names whose years are known at one end at least (W09 looks for them)."""
        return frozenset(n for n, es in _by_name(self).items()
                         if any(e.since is not None or e.valid_to is not None for e in es))


_NAME_INDEX: dict[tuple[str, int, int], dict[str, str]] = {}


def _names(cat: Catalogue, length: int, year: int) -> dict[str, str]:
    key = (cat.classification, length, year)
    if key not in _NAME_INDEX:
        _NAME_INDEX[key] = {
            normalize_name(e.name): code
            for code, entries in cat.entries.items() if len(code) == length
            for e in entries if e.valid(year)
        }
    return _NAME_INDEX[key]


_BY_NAME: dict[str, dict[str, tuple[Entry, ...]]] = {}


def _by_name(cat: Catalogue) -> dict[str, tuple[Entry, ...]]:
    if cat.classification not in _BY_NAME:
        out: dict[str, list[Entry]] = {}
        for group in (cat.entries, cat.former):
            for es in group.values():
                for e in es:
                    out.setdefault(normalize_name(e.name), []).append(e)
        _BY_NAME[cat.classification] = {k: tuple(v) for k, v in out.items()}
    return _BY_NAME[cat.classification]


def _entries(raw: dict | None, default_from: int | None, what: str) -> dict[str, list[Entry]]:
    """code: name, {name, from, to}, or a list of them (a code's names in turn)."""
    out: dict[str, list[Entry]] = {}
    for code, value in (raw or {}).items():
        for v in value if isinstance(value, list) else [value]:
            out.setdefault(str(code), []).append(_entry(str(code), {"name": v} if isinstance(v, str) else v,
                                                         default_from, what))
    return out


def _entry(code: str, value: dict, default_from: int | None, what: str) -> Entry:
    if set(value) - {"name", "from", "to"} or not value.get("name"):
        raise ValueError(f"{what} {code}: an entry is {{name, from, to}}, got {value}")
    start, end = value.get("from", default_from), value.get("to")
    if start is not None and end is not None and int(start) > int(end):
        raise ValueError(f"{what} {code}: from {start} is after to {end}")
    return Entry(code, value["name"], None if start is None else int(start), None if end is None else int(end))


def _check_years(code: str, entries: list[Entry]) -> None:
    """A code carries one name in any year."""
    spans = sorted((-1 if e.valid_from is None else e.valid_from, 10**4 if e.valid_to is None else e.valid_to, e.name)
                   for e in entries)
    for (_, end, a), (start, _, b) in zip(spans, spans[1:]):
        if start <= end:
            raise ValueError(f"catalogue {code}: 「{a}」 and 「{b}」 overlap in years")


def _since(entry: Entry, others: list[Entry], created: dict[str, int]) -> int | None:
    """When a listed name came into use: the code's creation, or the year
    after the code's name before it ended (a renaming)."""
    if entry.code in created:
        return created[entry.code]
    ends = [o.valid_to for o in others if o.valid_to is not None and o.valid_to < entry.valid_from]
    return max(ends) + 1 if ends else None


def _validate(listed: dict[str, list[Entry]], former: dict[str, list[Entry]], created: dict[str, int]) -> None:
    for code, es in former.items():
        if any(e.valid_to is None for e in es):
            raise ValueError(f"former name of {code}: it needs the last year it was used (to)")
    for code in {*listed, *former}:
        _check_years(code, listed.get(code, []) + former.get(code, []))
    for code, year in created.items():
        if code not in listed or code in former or any(e.valid_from < year for e in listed[code]):
            raise ValueError(f"created {code}: {year} must be a listed code's first year, with no former name")


@cache
def catalogue(classification: str) -> Catalogue:
    return parse(classification, data_file(f"catalogue/{classification}.yaml"))


def parse(classification: str, data: dict) -> Catalogue:
    """A catalogue file's content, checked: a code has one name a year, a
    former name its last year, a created code no name before it."""
    listed = _entries(data["entries"], int(data["valid_from"]), "entry")
    # a former name's `from`, when given, is when it came into use
    former = {code: [Entry(e.code, e.name, e.valid_from, e.valid_to, e.valid_from) for e in es]
              for code, es in _entries(data.get("former"), None, "former name").items()}
    created = {str(c): int(y) for c, y in (data.get("created") or {}).items()}
    _validate(listed, former, created)
    entries = {code: tuple(Entry(e.code, e.name, e.valid_from, e.valid_to, _since(e, former.get(code, []) + es, created))
                           for e in es)
               for code, es in listed.items()}
    first = min(e.valid_from for es in listed.values() for e in es)
    complete = frozenset(str(c) for c in data.get("complete") or [])
    return Catalogue(classification, entries, first, complete,
                     {k: tuple(v) for k, v in former.items()}, created)
